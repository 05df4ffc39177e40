"""The AWS Backup plan walk (rules/graphutil/backup_plans.py) and Regions (regions.py), as the DR model uses them."""
from __future__ import annotations

from helpers import run
from rlint.model import Unknown
from rlint.rules.base import RuleContext
from rlint.rules.graphutil.backup_plans import (copy_destinations, crosses_region, lifecycle_of, plan_rules,
                                                target_vault, vault_lock)
from rlint.rules.graphutil.regions import Region, _sub_fields, arn_region, same_region

TF = '''
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "dr"
  region = "us-west-2"
}

resource "aws_backup_vault" "main" {
  name = "main"
}

resource "aws_backup_vault" "dr" {
  provider = aws.dr
  name     = "dr"
}

resource "aws_backup_vault_lock_configuration" "dr" {
  provider           = aws.dr
  backup_vault_name  = aws_backup_vault.dr.name
  min_retention_days = 30
}

resource "aws_backup_plan" "daily" {
  name = "daily"
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.main.name
    lifecycle {
      cold_storage_after = 0
      delete_after       = 90
    }
    copy_action {
      destination_vault_arn = aws_backup_vault.dr.arn
    }
    copy_action {
      destination_vault_arn = "arn:aws:backup:eu-west-1:111122223333:backup-vault:far"
    }
    copy_action {
      destination_vault_arn = aws_backup_vault.main.arn
    }
  }
}
'''


def _plan(tmp_path):
    (tmp_path / "main.tf").write_text(TF)
    graph = run(tmp_path, select=("RL307",)).graph
    ctx = RuleContext(graph)
    plan = next(r for r in graph.resources if r.type == "aws_backup_plan")
    return ctx, plan


def test_rule_target_vault_copy_destinations_and_their_regions(tmp_path):
    ctx, plan = _plan(tmp_path)
    [rule] = plan_rules(ctx, plan)
    assert rule.label == '"daily"'
    life = lifecycle_of(rule)
    assert (life.delete_after, life.cold_after) == (90, None)  # Terraform does not send a 0
    vault = target_vault(ctx, rule)
    assert vault.resource.address == "aws_backup_vault.main" and vault.region.name == "us-east-1"
    assert vault_lock(ctx, vault) is None
    dests = copy_destinations(ctx, rule)
    assert [d.region.name for d in dests] == ["us-west-2", "eu-west-1", "us-east-1"]
    assert [crosses_region(plan, d) for d in dests] == [True, True, False]
    lock = vault_lock(ctx, dests[0].vault)
    assert lock.min_days == 30 and lock.max_days is None
    assert lock.resource.address == "aws_backup_vault_lock_configuration.dr"


def test_regions_compare_by_name_or_shared_configuration_else_unknown():
    stack = Region(None, ("stack", 0))
    assert same_region(stack, Region(None, ("stack", 0))) is True
    assert same_region(Region("us-east-1"), Region("us-west-2")) is False
    assert isinstance(same_region(stack, Region("us-west-2")), Unknown)
    assert arn_region("arn:aws:backup:us-west-2:111122223333:backup-vault:dr") == "us-west-2"
    assert arn_region("arn:aws:backup:*:111122223333:backup-vault:dr") is None
    assert arn_region("dr") is None
    assert _sub_fields("arn:${AWS::Partition}:backup:${AWS::Region}:1:backup-vault:x")[3] == "${AWS::Region}"
