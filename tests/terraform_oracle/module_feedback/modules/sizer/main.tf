variable "seen" {
  type = string
}

resource "terraform_data" "this" {
  input = "sizer saw ${var.seen}"
}

output "size" {
  value = 2
}
