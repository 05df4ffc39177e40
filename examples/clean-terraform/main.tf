# A database set up the way rlint wants it: Multi-AZ, native backups, and an AWS Backup plan
# that keeps recovery points for 90 days and copies them to a second Region.

provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "dr"
  region = "eu-central-1"
}

resource "aws_db_instance" "ledger" {
  identifier                = "ledger"
  engine                    = "postgres"
  engine_version            = "16.3"
  instance_class            = "db.m6g.large"
  allocated_storage         = 100
  multi_az                  = true
  backup_retention_period   = 14
  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "ledger-final"
  username                  = "ledger"
  manage_master_user_password = true

  tags = {
    backup = "daily"
  }
}

resource "aws_backup_vault" "main" {
  name = "ledger"
}

resource "aws_backup_vault" "dr" {
  provider = aws.dr
  name     = "ledger-dr"
}

resource "aws_backup_plan" "daily" {
  name = "ledger-daily"

  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 3 * * ? *)"

    lifecycle {
      delete_after = 90
    }

    copy_action {
      destination_vault_arn = aws_backup_vault.dr.arn

      lifecycle {
        delete_after = 90
      }
    }
  }
}

resource "aws_iam_role" "backup" {
  name = "ledger-backup"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "backup.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "backup" {
  role       = aws_iam_role.backup.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
}

resource "aws_backup_selection" "tagged" {
  name         = "ledger-tagged"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = aws_iam_role.backup.arn

  selection_tag {
    type  = "STRINGEQUALS"
    key   = "backup"
    value = "daily"
  }
}
