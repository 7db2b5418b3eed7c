# Written by sfc 0.1.0 from the program's .sf files: change those and recompile.

resource "aws_s3_bucket_notification" "b" {
  bucket      = "bkt-${var.param_count}"
  eventbridge = true
}
