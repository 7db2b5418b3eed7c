# Written by sfc 0.1.0 from the program's .sf files: change those and recompile.

resource "aws_sfn_state_machine" "Esc" {
  name       = "${var.name_prefix}Esc"
  type       = "STANDARD"
  role_arn   = aws_iam_role.Esc.arn
  definition = templatefile("${path.module}/Esc.asl.json.tftpl", local.template_vars)
  tags       = var.tags

  depends_on = [aws_iam_role_policy.Esc]
}

resource "aws_iam_role" "Esc" {
  name               = "${var.name_prefix}Esc"
  assume_role_policy = templatefile("${path.module}/Esc.role-trust.json.tftpl", local.template_vars)
  tags               = var.tags
}

resource "aws_iam_role_policy" "Esc" {
  name   = "Esc"
  role   = aws_iam_role.Esc.id
  policy = templatefile("${path.module}/Esc.role-policy.json.tftpl", local.template_vars)
}

resource "aws_iam_role" "Esc-events" {
  name               = "${var.name_prefix}Esc-events"
  assume_role_policy = templatefile("${path.module}/Esc-events.role-trust.json.tftpl", local.template_vars)
  tags               = var.tags
}

resource "aws_iam_role_policy" "Esc-events" {
  name   = "Esc-events"
  role   = aws_iam_role.Esc-events.id
  policy = templatefile("${path.module}/Esc-events.role-policy.json.tftpl", local.template_vars)
}

resource "aws_iam_role" "Esc-scheduler" {
  name               = "${var.name_prefix}Esc-scheduler"
  assume_role_policy = templatefile("${path.module}/Esc-scheduler.role-trust.json.tftpl", local.template_vars)
  tags               = var.tags
}

resource "aws_iam_role_policy" "Esc-scheduler" {
  name   = "Esc-scheduler"
  role   = aws_iam_role.Esc-scheduler.id
  policy = templatefile("${path.module}/Esc-scheduler.role-policy.json.tftpl", local.template_vars)
}

resource "aws_cloudwatch_event_rule" "Esc-s3-1" {
  name           = "${var.name_prefix}Esc-s3-1"
  event_bus_name = "default"
  event_pattern  = templatefile("${path.module}/Esc-s3-1.pattern.json.tftpl", local.template_vars)
  state          = "ENABLED"
  tags           = var.tags
}

resource "aws_cloudwatch_event_target" "Esc-s3-1" {
  rule           = aws_cloudwatch_event_rule.Esc-s3-1.name
  event_bus_name = aws_cloudwatch_event_rule.Esc-s3-1.event_bus_name
  target_id      = "start-Esc"
  arn            = aws_sfn_state_machine.Esc.arn
  role_arn       = aws_iam_role.Esc-events.arn
}

resource "aws_scheduler_schedule" "Esc-schedule-2" {
  name                = "${var.name_prefix}Esc-schedule-2"
  schedule_expression = "rate(1 hour)"
  state               = "ENABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_sfn_state_machine.Esc.arn
    role_arn = aws_iam_role.Esc-scheduler.arn
    input    = "{\"note\":\"$${x} %%{y} ${local.template_vars.lbl} ${local.template_vars.flag}\",\"n\":1}"
  }
}
