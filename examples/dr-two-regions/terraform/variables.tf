variable "role" {
  description = "primary or standby: which half of the pair this deployment is"
  type        = string
}

variable "region" {
  type = string
}

variable "peer_region" {
  description = "the other deployment's Region (the global table's replica)"
  type        = string
}

variable "orders_instances" {
  description = "Aurora instances: a writer and a reader in the primary, one in the standby"
  type        = number
  default     = 2
}

variable "web_max" {
  description = "how far the web tier scales (the standby is smaller: a warm standby, scaled up when it takes over)"
  type        = number
  default     = 6
}

variable "zone_id" {
  type    = string
  default = "Z0123456789SHOPZONE"
}

variable "vpc_id" {
  type    = string
  default = "vpc-0123456789abcdef0"
}

variable "subnet_ids" {
  type    = list(string)
  default = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
}

variable "ami_id" {
  type    = string
  default = "ami-0123456789abcdef0"
}

variable "account_id" {
  type    = string
  default = "123456789012"
}
