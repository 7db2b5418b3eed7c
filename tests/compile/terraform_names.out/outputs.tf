# Written by sfc 0.1.0 from the program's .sf files: change those and recompile.

output "state_machine_arns" {
  description = "Each workflow's state machine ARN"
  value = {
    "a-b"                                                          = aws_sfn_state_machine.a-b.arn
    "a_b"                                                          = aws_sfn_state_machine.a_b.arn
    "9lives"                                                       = aws_sfn_state_machine._9lives.arn
    "a_long_workflow_name_that_goes_on_and_on_to_sixty_four_chars" = aws_sfn_state_machine.a_long_workflow_name_that_goes_on_and_on_to_sixty_four_chars.arn
    "main"                                                         = aws_sfn_state_machine.main.arn
  }
}

output "state_machine_names" {
  description = "Each workflow's state machine name"
  value = {
    "a-b"                                                          = aws_sfn_state_machine.a-b.name
    "a_b"                                                          = aws_sfn_state_machine.a_b.name
    "9lives"                                                       = aws_sfn_state_machine._9lives.name
    "a_long_workflow_name_that_goes_on_and_on_to_sixty_four_chars" = aws_sfn_state_machine.a_long_workflow_name_that_goes_on_and_on_to_sixty_four_chars.name
    "main"                                                         = aws_sfn_state_machine.main.name
  }
}

output "role_arns" {
  description = "The ARN of every role the module creates, by role name"
  value = {
    "a-b"                                                          = aws_iam_role.a-b.arn
    "a-b-events"                                                   = aws_iam_role.a-b-events.arn
    "a_b"                                                          = aws_iam_role.a_b.arn
    "9lives"                                                       = aws_iam_role._9lives.arn
    "9lives-scheduler"                                             = aws_iam_role._9lives-scheduler.arn
    "a_long_workflow_name_that_goes_on_and_on_to_sixty_four_chars" = aws_iam_role.a_long_workflow_name_that_goes_on_and_on_to_sixty_four_chars.arn
    "main"                                                         = aws_iam_role.main.arn
  }
}

output "rule_arns" {
  description = "Each EventBridge rule's ARN, by rule name"
  value = {
    "a-b-s3-1" = aws_cloudwatch_event_rule.a-b-s3-1.arn
  }
}

output "schedule_arns" {
  description = "Each EventBridge Scheduler schedule's ARN, by schedule name"
  value = {
    "9lives-schedule-1" = aws_scheduler_schedule._9lives-schedule-1.arn
  }
}
