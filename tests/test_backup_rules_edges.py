"""Edges of the backup rules that fixtures cannot show: RL309's `min_days` option end to end, the selection
wildcards RL312 recognises, and RL311 when a backup policy names a file system the scan cannot resolve."""
from __future__ import annotations

from helpers import invoke
from rlint.rules.graphutil.backup import type_wide

DB = ('resource "aws_db_instance" "weekly" {\n  engine                  = "postgres"\n'
      '  backup_retention_period = 7\n}\n')


def scan(path, *args, rule="RL309"):
    return invoke("scan", path, "--select", rule, "--no-color", *args)


def test_min_days_raises_the_threshold(tmp_path):
    (tmp_path / "main.tf").write_text(DB)
    assert scan(tmp_path).exit_code == 0
    (tmp_path / ".rlint.yaml").write_text("rules:\n  RL309:\n    options: {min_days: 14}\n")
    result = scan(tmp_path)
    assert result.exit_code == 1
    assert ("RL309 medium  aws_db_instance.weekly keeps automated backups for 7 days (`backup_retention_period` is "
            "`7`), fewer than the required 14") in result.output


def test_min_days_beyond_the_native_maximum_is_a_configuration_error(tmp_path):
    (tmp_path / "main.tf").write_text(DB)
    (tmp_path / ".rlint.yaml").write_text("rules:\n  RL309:\n    options: {min_days: 90}\n")
    result = scan(tmp_path)
    assert result.exit_code == 2
    assert "rules.RL309.options.min_days: 90 is greater than the maximum of 35" in result.output


def test_type_wide_patterns():
    assert type_wide("*") == "every resource"
    assert type_wide("arn:aws:rds:*:*:db:*") == "every rds db"
    assert type_wide("arn:aws:ec2:eu-west-1:123456789012:volume/*") == "every ec2 volume"
    assert type_wide("arn:aws:s3:::*") == "every s3 resource"
    assert type_wide("arn:aws:rds:*:*:db:prod-*") is None
    assert type_wide("arn:aws:dynamodb:*:*:table/orders") is None
    assert type_wide("not-an-arn") is None


def test_an_unresolvable_backup_policy_makes_efs_coverage_unknown(tmp_path):
    (tmp_path / "main.tf").write_text(
        'data "aws_efs_file_system" "legacy" {\n  creation_token = "legacy"\n}\n'
        'resource "aws_efs_file_system" "shared" {}\n'
        'resource "aws_efs_backup_policy" "legacy" {\n  file_system_id = data.aws_efs_file_system.legacy.id\n'
        '  backup_policy {\n    status = "ENABLED"\n  }\n}\n')
    result = scan(tmp_path, "--show-unknown", rule="RL311")
    assert result.exit_code == 0
    assert ("RL311 unknown  aws_efs_file_system.shared: whether the file system is backed up cannot be decided "
            "(aws_efs_backup_policy.legacy names a file system that cannot be resolved; it may be this one)"
            ) in result.output


def test_generated_efs_backup_policy_is_a_block_and_clears_the_finding(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_efs_file_system" "shared" {}\n')
    assert scan(tmp_path, rule="RL311").exit_code == 1
    out = invoke("fix", tmp_path, "--select", "RL311", "--unsafe-fixes", "--generate", "backups.tf")
    assert out.exit_code == 0, out.output
    assert (tmp_path / "backups.tf").read_text() == (
        'resource "aws_efs_backup_policy" "shared" {\n  file_system_id = aws_efs_file_system.shared.id\n\n'
        '  backup_policy {\n    status = "ENABLED"\n  }\n}\n')
    assert scan(tmp_path, rule="RL311").exit_code == 0


MAYBE_CONTINUOUS = ('locals {\n  sandbox = terraform.workspace != "prod"\n}\n'
                    'resource "aws_backup_plan" "pitr" {\n  name = "pitr"\n  rule {\n    rule_name                = "pitr"\n'
                    '    target_vault_name        = "main"\n    enable_continuous_backup = !local.sandbox\n'
                    '    lifecycle {\n      delete_after = 35\n    }\n  }\n}\n')


def test_a_rule_that_may_be_continuous_is_not_given_a_longer_retention(tmp_path):
    """Continuous in production only (NHSDigital/national-document-repository-infrastructure, round 11): AWS Backup
    rejects a continuous rule kept longer than 35 days, so RL303 asks for a snapshot rule instead of writing
    delete_after = 90, which would break the plan where the rule is continuous."""
    (tmp_path / "main.tf").write_text(MAYBE_CONTINUOUS)
    result = scan(tmp_path, rule="RL303")
    assert result.exit_code == 1
    assert ('RL303 medium  aws_backup_plan.pitr: plan rule "pitr" deletes recovery points after 35 days '
            '(`delete_after`), not more than the required 35: damage noticed later than that can no longer be undone; '
            'whether the rule is continuous is not known (terraform.workspace is chosen at run time') in result.output
    assert 'fix: Add a snapshot rule that keeps recovery points 90 days beside plan rule "pitr"' in result.output
    out = invoke("fix", tmp_path, "--select", "RL303", "--unsafe-fixes", "--write")
    assert out.exit_code == 1, out.output
    assert "0 fixed · 1 not fixed automatically" in out.output
    assert (tmp_path / "main.tf").read_text() == MAYBE_CONTINUOUS
    # where the rule is known not to be continuous, the retention itself is raised
    (tmp_path / "main.tf").write_text(MAYBE_CONTINUOUS.replace("!local.sandbox", "false"))
    assert invoke("fix", tmp_path, "--select", "RL303", "--unsafe-fixes", "--write").exit_code == 0
    assert "delete_after = 90" in (tmp_path / "main.tf").read_text()
