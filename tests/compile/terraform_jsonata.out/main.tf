# Written by sfc 0.1.0 from the program's .sf files: change those and recompile.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  region    = data.aws_region.current.name
  partition = data.aws_partition.current.partition

  # what each ${NAME} of the *.tftpl files stands for, as it stands in JSON
  template_vars = {
    account     = local.account
    region      = local.region
    partition   = local.partition
    name_prefix = var.name_prefix
    lbl         = trimsuffix(trimprefix(jsonencode(var.lbl), "\""), "\"")
  }
}
