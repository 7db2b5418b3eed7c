# Written by sfc 0.1.0 from the program's .sf files: change those and recompile.

variable "lbl" {
  description = "A name with \"quotes\", a \\backslash and %%{ in it"
  type        = string
  default     = "q\"uote \\ back %%{x} é ☃"
}

variable "param_count" {
  type    = number
  default = 3
}

variable "flag" {
  type    = bool
  default = true
}

variable "fname" {
  type    = string
  default = "fn-1"
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
    condition     = can(regex("^[0-9A-Za-z_-]{0,50}$", var.name_prefix))
    error_message = "The name prefix takes at most 50 letters, digits, _ and -."
  }
}
