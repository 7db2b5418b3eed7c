# Written by sfc 0.1.0 from the program's .sf files: change those and recompile.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  region  = data.aws_region.current.name

  # what each ${NAME} of the *.tftpl files stands for, as it stands in JSON
  template_vars = {
    account     = local.account
    region      = local.region
    lbl         = trimsuffix(trimprefix(jsonencode(var.lbl), "\""), "\"")
    param_count = jsonencode(var.param_count)
    flag        = jsonencode(var.flag)
    fname       = trimsuffix(trimprefix(jsonencode(var.fname), "\""), "\"")
  }
}
