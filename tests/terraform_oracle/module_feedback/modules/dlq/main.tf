variable "name" {
  type = string
}

variable "source_queue" {
  type = string
}

resource "aws_sqs_queue" "this" {
  name                      = "${var.name}-dlq"
  message_retention_seconds = 1209600
  tags = {
    source = var.source_queue
  }
}

# neither output depends on var.source_queue
output "name" {
  value = var.name
}

output "retention" {
  value = 345600
}
