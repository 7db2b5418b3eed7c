# Written by sfc 0.1.0 from the program's .sf files: change those and recompile.

data "aws_partition" "current" {}

locals {
  account   = "123456789012"
  region    = "eu-west-1"
  partition = data.aws_partition.current.partition

  # what each ${NAME} of the *.tftpl files stands for, as it stands in JSON
  template_vars = {
    account         = local.account
    region          = local.region
    partition       = local.partition
    name_prefix     = var.name_prefix
    param_count     = jsonencode(var.param_count)
    param_tags      = trimsuffix(trimprefix(jsonencode(var.param_tags), "\""), "\"")
    param_lifecycle = trimsuffix(trimprefix(jsonencode(var.param_lifecycle), "\""), "\"")
  }
}
