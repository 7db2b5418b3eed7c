# Written by sfc 0.1.0 from the program's .sf files: change those and recompile.

resource "aws_sfn_state_machine" "main" {
  name       = "${var.name_prefix}main"
  type       = "STANDARD"
  role_arn   = aws_iam_role.main.arn
  definition = templatefile("${path.module}/main.asl.json.tftpl", local.template_vars)
  tags       = var.tags
}

resource "aws_iam_role" "main" {
  name               = "${var.name_prefix}main"
  assume_role_policy = templatefile("${path.module}/main.role-trust.json.tftpl", local.template_vars)
  tags               = var.tags
}
