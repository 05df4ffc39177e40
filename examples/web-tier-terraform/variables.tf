variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "env" {
  type    = string
  default = "prod"
}

variable "ami_id" {
  type = string
}

variable "zone_id" {
  type = string
}

variable "db_instance_class" {
  type    = string
  default = "db.m6g.large"
}

variable "db_multi_az" {
  description = "Run the orders database with a standby in a second AZ"
  type        = bool
  default     = false
}

locals {
  name = "shop-${var.env}"
}
