# Module calls that feed each other, held against Terraform's own plan (tests/test_tf_oracle.py; issue 15).
# Terraform's graph is per variable and per output, not per module call: module.left may read an output of
# module.right while module.right reads one of module.left, as long as neither output depends on what its
# module was given. rlint evaluates a module argument when the module first reads its variable, so it decides
# every value below as the plan does; tests/test_terraform_modules.py asserts that none of them is unknown.
# No rule findings are asserted on this directory.

# two calls, each reading the other's name (an output that does not depend on `peer`)
module "left" {
  source = "./modules/peer"
  own    = "left"
  peer   = module.right.name
}

module "right" {
  source = "./modules/peer"
  own    = "right"
  peer   = module.left.name
}

# a call and a resource of this module: the queue reads the call's `name` output, the call reads the queue's name
resource "aws_sqs_queue" "jobs" {
  name                      = "${module.jobs_dlq.name}-main"
  message_retention_seconds = module.jobs_dlq.retention
}

module "jobs_dlq" {
  source       = "./modules/dlq"
  name         = "jobs"
  source_queue = aws_sqs_queue.jobs.name
}

# for_each and count on calls that feed each other
module "each" {
  source   = "./modules/peer"
  for_each = toset(["a", "b"])
  own      = "each-${each.key}"
  peer     = module.counted[1].name
}

module "counted" {
  source = "./modules/peer"
  count  = 2
  own    = "counted-${count.index}"
  peer   = module.each["a"].name
}

# a count taken from a call that reads the counted call back (its `size` does not depend on `seen`)
module "sized" {
  source = "./modules/peer"
  count  = module.sizer.size
  own    = "sized-${count.index}"
  peer   = "sizer"
}

module "sizer" {
  source = "./modules/sizer"
  seen   = module.sized[0].name
}

# nested: two calls inside module.outer feed each other, and module.outer and a resource here feed each other
module "outer" {
  source = "./modules/outer"
  label  = terraform_data.label.input
}

resource "terraform_data" "label" {
  input = "outer-${module.outer.prefix}"
}
