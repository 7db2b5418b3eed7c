# Written by sfc 0.1.0 from the program's .sf files: change those and recompile.

resource "aws_sfn_state_machine" "a_long_workflow_name_that_goes_on_and_on_to_sixty_four_chars" {
  name       = "${var.name_prefix}a_long_workflow_name_that_goes_on_and_on_to_sixty_four_chars"
  type       = "STANDARD"
  role_arn   = aws_iam_role.a_long_workflow_name_that_goes_on_and_on_to_sixty_four_chars.arn
  definition = templatefile("${path.module}/a_long_workflow_name_that_goes_on_and_on_to_sixty_four_chars.asl.json.tftpl", local.template_vars)
  tags       = var.tags

  logging_configuration {
    include_execution_data = false
    level                  = "OFF"
  }
}

resource "aws_iam_role" "a_long_workflow_name_that_goes_on_and_on_to_sixty_four_chars" {
  name               = "${var.name_prefix}a_long_workflow_name_that_goes_on_and_on_to_sixty_four_chars"
  assume_role_policy = templatefile("${path.module}/a_long_workflow_name_that_goes_on_and_on_to_sixty_four_chars.role-trust.json.tftpl", local.template_vars)
  tags               = var.tags
}
