"""The AWS Backup selection model (rules/graphutil/backup.py) on inputs its fixtures do not cover."""
from __future__ import annotations

from helpers import run


def test_dynamic_condition_blocks_over_an_unknown_collection_give_unknown_not_a_crash(tmp_path):
    (tmp_path / "main.tf").write_text('''
variable "conditions" {}

resource "aws_backup_selection" "dynamic" {
  name         = "by-condition"
  plan_id      = "plan"
  iam_role_arn = "role"
  resources    = ["*"]
  condition {
    dynamic "string_equals" {
      for_each = var.conditions
      content {
        key   = string_equals.value.key
        value = string_equals.value.value
      }
    }
  }
}

resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
}
''')
    result = run(tmp_path, select=("RL302",))
    assert [(f.rule_id, f.resource, f.outcome.value) for f in result.findings] == [
        ("RL302", "aws_dynamodb_table.orders", "unknown")]
