variable "label" {
  type = string
}

module "first" {
  source = "../peer"
  own    = "first"
  peer   = module.second.name
}

module "second" {
  source = "../peer"
  own    = "second-${var.label}"
  peer   = module.first.greeting
}

# does not depend on var.label: the caller's resource reads it while giving the label
output "prefix" {
  value = module.first.name
}
