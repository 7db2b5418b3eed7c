# Written by sfc 0.1.0 from the program's .sf files: change those and recompile.

resource "aws_sfn_state_machine" "_9lives" {
  name       = "${var.name_prefix}9lives"
  type       = "STANDARD"
  role_arn   = aws_iam_role._9lives.arn
  definition = templatefile("${path.module}/9lives.asl.json.tftpl", local.template_vars)
  tags       = var.tags
}

resource "aws_iam_role" "_9lives" {
  name               = "${var.name_prefix}9lives"
  assume_role_policy = templatefile("${path.module}/9lives.role-trust.json.tftpl", local.template_vars)
  tags               = var.tags
}

resource "aws_iam_role" "_9lives-scheduler" {
  name               = "${var.name_prefix}9lives-scheduler"
  assume_role_policy = templatefile("${path.module}/9lives-scheduler.role-trust.json.tftpl", local.template_vars)
  tags               = var.tags
}

resource "aws_iam_role_policy" "_9lives-scheduler" {
  name   = "9lives-scheduler"
  role   = aws_iam_role._9lives-scheduler.id
  policy = templatefile("${path.module}/9lives-scheduler.role-policy.json.tftpl", local.template_vars)
}

resource "aws_scheduler_schedule" "_9lives-schedule-1" {
  name                         = "${var.name_prefix}9lives-schedule-1"
  schedule_expression          = "cron(0 12 * * ? *)"
  schedule_expression_timezone = "Europe/Paris"
  state                        = "ENABLED"

  flexible_time_window {
    mode                      = "FLEXIBLE"
    maximum_window_in_minutes = 15
  }

  target {
    arn      = aws_sfn_state_machine._9lives.arn
    role_arn = aws_iam_role._9lives-scheduler.arn
  }
}
