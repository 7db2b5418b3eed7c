# Written by sfc 0.1.0 from the program's .sf files: change those and recompile.

resource "aws_cloudwatch_log_group" "a_b" {
  name              = "/aws/vendedlogs/states/${var.name_prefix}a_b"
  retention_in_days = var.log_retention_in_days
  tags              = var.tags
}

resource "aws_sfn_state_machine" "a_b" {
  name       = "${var.name_prefix}a_b"
  type       = "EXPRESS"
  role_arn   = aws_iam_role.a_b.arn
  definition = templatefile("${path.module}/a_b.asl.json.tftpl", local.template_vars)
  tags       = var.tags

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.a_b.arn}:*"
    include_execution_data = false
    level                  = "ALL"
  }

  depends_on = [aws_iam_role_policy.a_b]
}

resource "aws_iam_role" "a_b" {
  name               = "${var.name_prefix}a_b"
  assume_role_policy = templatefile("${path.module}/a_b.role-trust.json.tftpl", local.template_vars)
  tags               = var.tags
}

resource "aws_iam_role_policy" "a_b" {
  name   = "a_b"
  role   = aws_iam_role.a_b.id
  policy = templatefile("${path.module}/a_b.role-policy.json.tftpl", local.template_vars)
}
