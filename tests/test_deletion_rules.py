"""The deletion rules (RL403-RL408) where fixtures cannot show it: plans, Terraform JSON, SAM, and how the
Aurora-member rules split one resource's problems between them."""
from __future__ import annotations

import json

from helpers import rows, run

ROW = ("rule", "resource", "outcome", "line")
DELETION = ("RL401", "RL402", "RL403", "RL404", "RL405", "RL406", "RL407", "RL408")



def test_a_plan_records_no_prevent_destroy_so_missing_protection_is_unknown(tmp_path):
    values = {"engine": "postgres", "deletion_protection": False, "skip_final_snapshot": True}
    plan = {"format_version": "1.2", "planned_values": {"root_module": {"resources": [
        {"address": "aws_db_instance.orders", "mode": "managed", "type": "aws_db_instance", "name": "orders",
         "values": values}]}}, "resource_changes": [], "configuration": {}}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    assert rows(run(tmp_path, select=DELETION), fields=ROW) == [
        ("RL405", "aws_db_instance.orders", "unknown", 1),
        ("RL406", "aws_db_instance.orders", "fail", 1),
    ]


def test_prevent_destroy_in_terraform_json_counts(tmp_path):
    table = {"name": "t", "hash_key": "pk", "lifecycle": {"prevent_destroy": True}}
    bare = {"name": "u", "hash_key": "pk"}
    (tmp_path / "main.tf.json").write_text(json.dumps(
        {"resource": {"aws_dynamodb_table": {"kept": table, "bare": bare}}}, indent=2))
    assert [(f.rule_id, f.resource) for f in run(tmp_path, select=DELETION).findings] == [
        ("RL405", "aws_dynamodb_table.bare")]


def test_sam_simple_table_is_judged_for_its_policy_but_not_for_deletion_protection(tmp_path):
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Table:\n"
        "    Type: AWS::Serverless::SimpleTable\n"
        "    DeletionPolicy: Snapshot\n"
        "    UpdateReplacePolicy: Retain\n")
    assert rows(run(tmp_path, select=DELETION), fields=ROW) == [("RL403", "Table", "fail", 5)]


def test_an_aurora_member_reports_each_rejected_setting_once(tmp_path):
    (tmp_path / "template.yaml").write_text(
        "Resources:\n"
        "  Cluster:\n"
        "    Type: AWS::RDS::DBCluster\n"
        "    DeletionPolicy: Snapshot\n"
        "    UpdateReplacePolicy: Snapshot\n"
        "    Properties:\n"
        "      Engine: aurora-postgresql\n"
        "      DeletionProtection: true\n"
        "  Writer:\n"
        "    Type: AWS::RDS::DBInstance\n"
        "    DeletionPolicy: Snapshot\n"
        "    UpdateReplacePolicy: Snapshot\n"
        "    Properties:\n"
        "      Engine: aurora-postgresql\n"
        "      DBClusterIdentifier: !Ref Cluster\n"
        "      DeletionProtection: true\n"
        "      BackupRetentionPeriod: 7\n")
    assert rows(run(tmp_path, select=DELETION), fields=ROW) == [
        ("RL404", "Writer", "fail", 11),
        ("RL408", "Writer", "fail", 16),
    ]
