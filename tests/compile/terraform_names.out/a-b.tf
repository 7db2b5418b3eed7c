# Written by sfc 0.1.0 from the program's .sf files: change those and recompile.

resource "aws_cloudwatch_log_group" "a-b" {
  name              = "/aws/vendedlogs/states/${var.name_prefix}a-b"
  retention_in_days = var.log_retention_in_days
  tags              = var.tags
}

resource "aws_sfn_state_machine" "a-b" {
  name       = "${var.name_prefix}a-b"
  type       = "STANDARD"
  role_arn   = aws_iam_role.a-b.arn
  definition = templatefile("${path.module}/a-b.asl.json.tftpl", local.template_vars)
  tags       = var.tags

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.a-b.arn}:*"
    include_execution_data = true
    level                  = "ERROR"
  }

  tracing_configuration {
    enabled = true
  }

  depends_on = [aws_iam_role_policy.a-b]
}

resource "aws_iam_role" "a-b" {
  name               = "${var.name_prefix}a-b"
  assume_role_policy = templatefile("${path.module}/a-b.role-trust.json.tftpl", local.template_vars)
  tags               = var.tags
}

resource "aws_iam_role_policy" "a-b" {
  name   = "a-b"
  role   = aws_iam_role.a-b.id
  policy = templatefile("${path.module}/a-b.role-policy.json.tftpl", local.template_vars)
}

resource "aws_iam_role" "a-b-events" {
  name               = "${var.name_prefix}a-b-events"
  assume_role_policy = templatefile("${path.module}/a-b-events.role-trust.json.tftpl", local.template_vars)
  tags               = var.tags
}

resource "aws_iam_role_policy" "a-b-events" {
  name   = "a-b-events"
  role   = aws_iam_role.a-b-events.id
  policy = templatefile("${path.module}/a-b-events.role-policy.json.tftpl", local.template_vars)
}

resource "aws_cloudwatch_event_rule" "a-b-s3-1" {
  name           = "${var.name_prefix}a-b-s3-1"
  event_bus_name = "default"
  event_pattern  = templatefile("${path.module}/a-b-s3-1.pattern.json.tftpl", local.template_vars)
  state          = "ENABLED"
  tags           = var.tags
}

resource "aws_cloudwatch_event_target" "a-b-s3-1" {
  rule           = aws_cloudwatch_event_rule.a-b-s3-1.name
  event_bus_name = aws_cloudwatch_event_rule.a-b-s3-1.event_bus_name
  target_id      = "start-a-b"
  arn            = aws_sfn_state_machine.a-b.arn
  role_arn       = aws_iam_role.a-b-events.arn

  dead_letter_config {
    arn = "arn:${local.partition}:sqs:eu-west-1:123456789012:dead-letters"
  }
}
