# Written by sfc 0.1.0 from the program's .sf files: change those and recompile.

resource "aws_sfn_state_machine" "Jsonata" {
  name       = "${var.name_prefix}Jsonata"
  type       = "STANDARD"
  role_arn   = aws_iam_role.Jsonata.arn
  definition = templatefile("${path.module}/Jsonata.asl.json.tftpl", local.template_vars)
  tags       = var.tags
}

resource "aws_iam_role" "Jsonata" {
  name               = "${var.name_prefix}Jsonata"
  assume_role_policy = templatefile("${path.module}/Jsonata.role-trust.json.tftpl", local.template_vars)
  tags               = var.tags
}
