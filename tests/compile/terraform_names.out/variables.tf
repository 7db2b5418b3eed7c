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

variable "log_retention_in_days" {
  description = "How long the state machines' log groups keep their events (0: forever)"
  type        = number
  default     = 30
}
