# Written by sfc 0.1.0 from the program's .sf files: change those and recompile.

variable "param_count" {
  type    = number
  default = 2
}

variable "param_tags" {
  type    = string
  default = "s"
}

variable "param_lifecycle" {
  type    = string
  default = "l"
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
    condition     = can(regex("^[0-9A-Za-z_-]{0,4}$", var.name_prefix))
    error_message = "The name prefix takes at most 4 letters, digits, _ and -."
  }
}

variable "log_retention_in_days" {
  description = "How long the state machines' log groups keep their events (0: forever)"
  type        = number
  default     = 30
}
