# rlint-test: invalid -- two backends, two default aws providers, two aws providers with one alias
terraform {
  backend "s3" {
    bucket = "state"
    key    = "app.tfstate"
    region = "eu-west-2"
  }
}

provider "aws" {
  region = "eu-west-2"
}

provider "aws" {
  alias  = "replica"
  region = "eu-west-1"
}

resource "aws_db_instance" "db" {
  engine              = "mysql"
  instance_class      = "db.t3.small"
  allocated_storage   = 20
  username            = "admin"
  password            = "VeryStrongPassword1"
  multi_az            = true
  skip_final_snapshot = true
}
