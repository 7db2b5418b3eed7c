# Written by sfc 0.1.0 from the program's .sf files: change those and recompile.

output "state_machine_arns" {
  description = "Each workflow's state machine ARN"
  value = {
    "Esc" = aws_sfn_state_machine.Esc.arn
  }
}

output "state_machine_names" {
  description = "Each workflow's state machine name"
  value = {
    "Esc" = aws_sfn_state_machine.Esc.name
  }
}

output "role_arns" {
  description = "The ARN of every role the module creates, by role name"
  value = {
    "Esc"           = aws_iam_role.Esc.arn
    "Esc-events"    = aws_iam_role.Esc-events.arn
    "Esc-scheduler" = aws_iam_role.Esc-scheduler.arn
  }
}

output "rule_arns" {
  description = "Each EventBridge rule's ARN, by rule name"
  value = {
    "Esc-s3-1" = aws_cloudwatch_event_rule.Esc-s3-1.arn
  }
}

output "schedule_arns" {
  description = "Each EventBridge Scheduler schedule's ARN, by schedule name"
  value = {
    "Esc-schedule-2" = aws_scheduler_schedule.Esc-schedule-2.arn
  }
}
