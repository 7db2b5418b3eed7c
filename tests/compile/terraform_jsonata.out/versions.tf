# Written by sfc 0.1.0 from the program's .sf files: change those and recompile.

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}
