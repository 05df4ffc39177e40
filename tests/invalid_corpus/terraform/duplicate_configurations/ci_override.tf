# an override file may configure a provider and the backend again: Terraform merges it, no finding here
terraform {
  backend "s3" {
    key = "ci.tfstate"
  }
}

provider "aws" {
  region = "eu-west-2"
}
