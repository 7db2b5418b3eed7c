# Written by sfc 0.1.0 from the program's .sf files: change those and recompile.

variable "lbl" {
  description = "JSONata through the Terraform module: {% %} stays as written, a param inside it is not interpolated (the template keeps $${lbl} literal), one outside it is."
  type        = string
  default     = "a \"b\""
}

variable "tags" {
  description = "Tags for every resource of the module that takes them"
  type        = map(string)
  default     = {}
}

variable "name_prefix" {
  description = "Put before the name of every state machine, role, rule and schedule the module creates"
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^[0-9A-Za-z_-]{0,57}$", var.name_prefix))
    error_message = "The name prefix takes at most 57 letters, digits, _ and -."
  }
}
