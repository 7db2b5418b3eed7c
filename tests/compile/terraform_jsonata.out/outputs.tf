# Written by sfc 0.1.0 from the program's .sf files: change those and recompile.

output "state_machine_arns" {
  description = "Each workflow's state machine ARN"
  value = {
    "Jsonata" = aws_sfn_state_machine.Jsonata.arn
  }
}

output "state_machine_names" {
  description = "Each workflow's state machine name"
  value = {
    "Jsonata" = aws_sfn_state_machine.Jsonata.name
  }
}

output "role_arns" {
  description = "The ARN of every role the module creates, by role name"
  value = {
    "Jsonata" = aws_iam_role.Jsonata.arn
  }
}

output "rule_arns" {
  description = "Each EventBridge rule's ARN, by rule name"
  value       = {}
}

output "schedule_arns" {
  description = "Each EventBridge Scheduler schedule's ARN, by schedule name"
  value       = {}
}
