# terraform.workspace held against Terraform's own plan (tests/test_tf_oracle.py). This directory's
# .terraform/environment selects the workspace "staging", as `terraform workspace select staging` writes it:
# rlint reads it there, and the oracle plans the directory in that workspace (tests/tf_oracle.py). Every
# count, for_each, lookup and index below is decided by the workspace. No rule findings are asserted here.

variable "instance_count" {
  type    = map(number)
  default = { default = 0, staging = 2, production = 3 }
}

variable "settings" {
  type = map(object({ retention = number, delay = number }))
  default = {
    staging    = { retention = 86400, delay = 0 }
    production = { retention = 1209600, delay = 5 }
  }
}

locals {
  env     = terraform.workspace
  is_prod = terraform.workspace == "production"
  queues  = { staging = ["orders", "payments"], production = ["orders", "payments", "audit"] }
}

resource "aws_sqs_queue" "counted" {
  count = lookup(var.instance_count, terraform.workspace, 1)
  name  = "${local.env}-counted-${count.index}"
}

resource "aws_sqs_queue" "each" {
  for_each                  = toset(local.queues[terraform.workspace])
  name                      = "${terraform.workspace}-${each.key}"
  message_retention_seconds = var.settings[terraform.workspace].retention
  delay_seconds             = var.settings[local.env]["delay"]
}

resource "aws_sqs_queue" "prod_only" {
  count = local.is_prod ? 1 : 0
  name  = "audit"
}

resource "aws_sns_topic" "alerts" {
  name = "alerts-${terraform.workspace}"
  tags = { Environment = upper(local.env), Production = tostring(local.is_prod) }
}

# a called module reads the root's workspace
module "child" {
  source = "./child"
}
