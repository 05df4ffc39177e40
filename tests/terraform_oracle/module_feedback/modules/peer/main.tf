variable "own" {
  type = string
}

variable "peer" {
  type = string
}

resource "terraform_data" "this" {
  input = "${var.own} talks to ${var.peer}"
}

# does not depend on var.peer: the other call may read it while this call reads the other's
output "name" {
  value = "svc-${var.own}"
}

output "greeting" {
  value = terraform_data.this.input
}
