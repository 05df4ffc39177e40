"""Fixes that add resources: written once per unit, in the unit's language, and accepted by rlint itself (the
findings are gone, nothing new), python-hcl2 and tree-sitter. Every fixture's fix judged by Terraform and
cfn-lint: test_fix_engines.py."""
from __future__ import annotations

import json
import shutil

import pytest

from helpers import ROOT, invoke, run
from rlint.fold import covered

MODULE = '''provider "aws" {
  region = "eu-west-1"
}

resource "aws_db_instance" "orders" {
  engine                  = "postgres"
  multi_az                = true
  deletion_protection     = true
  backup_retention_period = 7
}

resource "aws_dynamodb_table" "carts" {
  name                        = "carts"
  hash_key                    = "id"
  deletion_protection_enabled = true
  point_in_time_recovery {
    enabled = true
  }
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_sqs_queue" "events" {
  name       = "events.fifo"
  fifo_queue = true
}
'''

TEMPLATE = '''AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Orders:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Snapshot
    UpdateReplacePolicy: Snapshot
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.medium
      AllocatedStorage: "20"
      MultiAZ: true
      DeletionProtection: true
      ManageMasterUserPassword: true
      MasterUsername: orders
      BackupRetentionPeriod: 7
  Jobs:
    Type: AWS::SQS::Queue
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      VisibilityTimeout: 60
Outputs:
  Queue:
    Value: !Ref Jobs
'''

SELECTED = ("RL302", "RL501")


def fix(cwd, *args):
    return invoke("fix", ".", *args)


def test_generate_writes_one_kit_per_module_and_leaves_the_original_untouched(tmp_path, monkeypatch):
    (tmp_path / "main.tf").write_text(MODULE)
    monkeypatch.chdir(tmp_path)
    # the backup kit needs review: --generate is under the same gate as --write
    out = fix(tmp_path, "--generate", "rlint_generated.tf", "--select", "RL302")
    assert out.exit_code == 1 and not (tmp_path / "rlint_generated.tf").exists(), out.output  # both left
    assert "use --unsafe-fixes" in out.output
    out = fix(tmp_path, "--generate", "rlint_generated.tf", "--unsafe-fixes", "--select", ",".join(SELECTED))
    assert out.exit_code == 0, out.output
    assert (tmp_path / "main.tf").read_text() == MODULE
    generated = (tmp_path / "rlint_generated.tf").read_text()
    # one backup set-up whatever the number of uncovered resources, both listed in its one selection
    assert generated.count('resource "aws_backup_plan"') == 1
    assert generated.count('resource "aws_backup_selection"') == 1
    assert "aws_db_instance.orders.arn" in generated and "aws_dynamodb_table.carts.arn" in generated
    # the copy goes to the provider Region's pair
    assert 'region = "eu-central-1"' in generated
    # an IAM role's name is unique in the account: Terraform makes one from the prefix, so that two root modules
    # given this kit (staging and production in one account) do not collide; vault and plan names stay written
    assert 'name_prefix        = "rlint-backup-"' in generated and 'name               = "rlint-backup"' \
        not in generated
    # each queue gets a dead-letter queue of its own type, wired by a separate redrive policy resource
    assert generated.count('resource "aws_sqs_queue_redrive_policy"') == 2
    assert "fifo_queue                = true" in generated
    import hcl2

    hcl2.loads(generated)  # python-hcl2 reads it
    after = run(tmp_path)
    assert [f for f in after.findings if f.rule_id == "RL001"] == []  # tree-sitter reads it
    assert [(f.rule_id, f.resource) for f in after.findings if f.outcome.value == "fail"] == []


def test_generate_takes_a_new_file_name(tmp_path, monkeypatch):
    (tmp_path / "main.tf").write_text(MODULE)
    monkeypatch.chdir(tmp_path)
    assert fix(tmp_path, "--generate", "sub/x.tf").exit_code == 2
    assert fix(tmp_path, "--generate", "x.yaml").exit_code == 2
    (tmp_path / "taken.tf").write_text("")
    out = fix(tmp_path, "--generate", "taken.tf", "--select", "RL501")
    assert "taken.tf exists: name a new file" in out.output
    assert (tmp_path / "taken.tf").read_text() == ""


@pytest.mark.parametrize("name", ["template.yaml", "template.json"])
def test_cloudformation_additions_are_inserted_after_the_last_resource(tmp_path, monkeypatch, name):
    import yaml

    text = TEMPLATE if name.endswith(".yaml") else json.dumps(
        {k: v for k, v in yaml.safe_load(TEMPLATE.replace("!Ref Jobs", "{Ref: Jobs}")).items()}, indent=2)
    (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    out = fix(tmp_path, "--write", "--unsafe-fixes", "--select", ",".join(SELECTED))
    assert out.exit_code == 0, out.output
    fixed = (tmp_path / name).read_text()
    doc = yaml.safe_load(fixed.replace("!Ref", "")) if name.endswith(".yaml") else json.loads(fixed)
    added = [k for k in doc["Resources"] if k not in ("Orders", "Jobs")]
    assert added == ["RlintBackupSelection", "RlintBackupVault", "RlintBackupRole", "RlintBackupPlan", "JobsDlq"]
    assert doc["Resources"]["JobsDlq"]["DeletionPolicy"] == "Retain"
    assert "Outputs" in doc  # what follows Resources is untouched
    assert fixed.startswith(text[: text.index("Jobs:") if name.endswith(".yaml") else text.index('"Jobs"')])
    # no copy action to a vault nothing creates: a stack cannot create one in another Region, so the copies
    # are RL307's display-only fix (with the second stack), and the database still has no copy outside its
    # Region (RL703) until then
    assert "CopyActions" not in fixed
    # the vault's and the plan's names are unique per stack (the template deployed twice in one account and
    # Region, a StackSet), within their 50 characters whatever the stack's name; the role's is CloudFormation's
    resources = doc["Resources"]
    by_stack = {"Fn::Sub": ["rlint-backup-${uuid}",
                            {"uuid": {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}}]}
    assert resources["RlintBackupVault"]["Properties"]["BackupVaultName"] == by_stack
    assert resources["RlintBackupPlan"]["Properties"]["BackupPlan"]["BackupPlanName"] == by_stack
    assert "RoleName" not in resources["RlintBackupRole"]["Properties"]
    assert len("rlint-backup-" + "1c2fa620-982a-11e3-aff7-50e2416294e0") <= 50  # a stack id's UUID
    after = run(tmp_path / name)
    left = {(f.rule_id, f.resource): f for f in after.findings if f.outcome.value == "fail"}
    assert set(left) == {("RL307", "RlintBackupPlan"), ("RL703", "Orders")}
    assert left[("RL307", "RlintBackupPlan")].fix.safety == "display-only"
    assert "AWS::Backup::BackupVault" in left[("RL307", "RlintBackupPlan")].fix.snippet


def test_examples_fixed_and_generated_scan_clean(tmp_path, monkeypatch):
    """Issue 7's acceptance: every fixable finding of the examples goes away, nothing new appears."""
    work = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", work)
    monkeypatch.chdir(work)
    before = run(work)
    out = invoke("fix", ".", "--write", "--unsafe-fixes", "--generate", "rlint_generated.tf")
    assert out.exit_code == 1, out.output  # RL307 (below) is left failing, so `rlint fix` exits 1 like `scan`
    not_fixed = {line.split()[3] + " " + line.split()[4].rstrip(":") for line in out.output.splitlines()
                 if line.startswith("not fixed:")}
    after = run(work)
    # RL703's findings of one template are one finding (`covers`) whose `rlint fix` line names its first store
    left = {f"{f.rule_id} {resource}" for f in after.findings if f.outcome.value == "fail"
            for resource in [f.resource] + [c.resource for c in covered(f)[1:]]}
    # RL703 is an advisory without an automatic fix (which second Region, which kind of copy, is a choice);
    # the generated Terraform backup plans' copy actions settle it; a CloudFormation stack cannot create the
    # copy vault in another Region, so its backup plan copies nowhere yet and RL307 says so (display-only,
    # with the second stack): the template's stores keep their RL703
    assert {k for k in left if k.startswith("RL703 ")} == {"RL703 OrdersCluster", "RL703 ReportingDb",
                                                           "RL703 OrdersTable"}
    follow_up = {k for k in left if k.startswith("RL307 Rlint")}
    assert follow_up == {"RL307 RlintBackupPlan"}
    # Cache keeps no snapshots under the default eviction policy: a cache (class caches, docs/data-value.md),
    # which neither RL310 nor RL703 judges, before or after the fixes
    assert {k for k in not_fixed if k.startswith("RL703 ")} == {"RL703 OrdersCluster"}
    assert not {f"{f.rule_id} {f.resource}" for f in before.findings + after.findings} & {"RL310 Cache", "RL703 Cache"}
    left = {k for k in left if not k.startswith("RL703 ")} - follow_up
    not_fixed = {k for k in not_fixed if not k.startswith("RL703 ")}
    assert left == not_fixed, out.output
    assert {f.rule_id for f in before.findings} >= {"RL203", "RL302", "RL501"}
    assert not any(k.split()[0] in ("RL203", "RL302", "RL501") for k in left)


FAILOVER = '''resource "aws_route53_record" "www_primary" {
  zone_id        = "Z123"
  name           = "www.example.com"
  type           = "A"
  ttl            = 60
  set_identifier = "primary"
  records        = ["192.0.2.10"]

  failover_routing_policy {
    type = "PRIMARY"
  }
}
'''


def test_failover_fixes_add_the_health_check_and_the_secondary_skeleton(tmp_path, monkeypatch):
    (tmp_path / "main.tf").write_text(FAILOVER)
    monkeypatch.chdir(tmp_path)
    out = fix(tmp_path, "--write", "--unsafe-fixes", "--select", "RL203,RL204")
    assert out.exit_code == 0, out.output
    text = (tmp_path / "main.tf").read_text()
    assert text.startswith(FAILOVER[: FAILOVER.index("  failover_routing_policy")])
    # the health check probes the record's own address, and the primary points at it
    assert "health_check_id = aws_route53_health_check.www_primary_health.id" in text
    assert 'ip_address        = "192.0.2.10"' in text
    # the SECONDARY sits in the primary's group and answers with what the author chooses
    assert 'variable "www_secondary_records"' in text
    assert "name           = aws_route53_record.www_primary.name" in text
    assert "records        = var.www_secondary_records" in text
    after = run(tmp_path)
    assert [(f.rule_id, f.resource) for f in after.findings] == []
