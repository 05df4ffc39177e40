# terraform.workspace inside a called module: the root's workspace (see ../main.tf).

resource "aws_sqs_queue" "q" {
  name = "child-${terraform.workspace}"
}
