# Terraform 0.11 let a map be written as a block with quoted keys; Terraform 0.12 and later refuse it
# ("Invalid argument name: Argument names must not be quoted.", at the quoted name).
resource "aws_api_gateway_method" "get" {
  rest_api_id   = "abc123"
  resource_id   = "def456"
  http_method   = "GET"
  authorization = "NONE"

  request_parameters {
    "method.request.path.id" = true
  }
}

resource "aws_sqs_queue" "after" {
  name = "after"
}
