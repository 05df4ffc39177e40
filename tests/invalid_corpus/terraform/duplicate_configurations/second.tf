# rlint-test: invalid -- configures again what main.tf configures
terraform {
  backend "local" {
    path = "app.tfstate"
  }
}

provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "replica"
  region = "us-west-2"
}

provider "aws" {
  alias  = "backup"
  region = "eu-central-1"
}
