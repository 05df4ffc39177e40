"""Checkov migration: `#checkov:skip=CKV_…:reason` suppresses the rlint rules that declare that checkov id."""
from __future__ import annotations

import pytest

from helpers import run
from rlint.model import Outcome
from rlint.rules import all_rules

pytestmark = pytest.mark.usefixtures("probe_catalogue")


def active(result):
    return sorted((f.rule_id, f.resource) for f in result.findings if f.suppressed is None)


def test_rl101_declares_its_checkov_equivalent():
    assert {r.id: r.checkov_ids for r in all_rules()}["RL101"] == ("CKV_AWS_157",)


def test_checkov_skip_above_a_terraform_resource(tmp_path):
    (tmp_path / "main.tf").write_text(
        '#checkov:skip=CKV_AWS_157:single AZ is fine for the reporting copy\n'
        'resource "aws_db_instance" "reporting" {\n  multi_az = false\n}\n\n'
        'resource "aws_db_instance" "orders" {\n  multi_az = false\n}\n')
    result = run(tmp_path)
    assert active(result) == [("RL101", "aws_db_instance.orders")]
    [skipped] = [f for f in result.findings if f.suppressed is not None]
    assert (skipped.resource, skipped.suppressed.kind, skipped.suppressed.reason) == \
        ("aws_db_instance.reporting", "inline", "single AZ is fine for the reporting copy")


def test_checkov_skip_inside_the_block_and_without_reason(tmp_path):
    (tmp_path / "main.tf").write_text(
        'resource "aws_db_instance" "reporting" {\n  # checkov:skip=CKV_AWS_157\n  multi_az = false\n}\n')
    result = run(tmp_path)
    assert active(result) == []
    assert result.findings[0].suppressed.reason == ""


def test_checkov_skip_in_a_cloudformation_yaml_template(tmp_path):
    (tmp_path / "template.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"
        "  # checkov:skip=CKV_AWS_157:dev database\n"
        "  DevDb:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n"
        "  ProdDb:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n")
    result = run(tmp_path)
    assert active(result) == [("RL101", "ProdDb")]
    assert [f.suppressed.reason for f in result.findings if f.suppressed] == ["dev database"]


def test_unmapped_checkov_ids_are_checkovs_business(tmp_path):
    (tmp_path / "main.tf").write_text(
        '#checkov:skip=CKV_AWS_16:encryption is handled elsewhere\n'
        'resource "aws_db_instance" "orders" {\n  multi_az = false\n}\n')
    result = run(tmp_path)
    # not a suppression of RL101, and not an invalid one (RL003) either
    assert active(result) == [("RL101", "aws_db_instance.orders")]


def test_an_unneeded_checkov_skip_is_not_reported_unused(tmp_path):
    (tmp_path / "main.tf").write_text(
        '#checkov:skip=CKV_AWS_157:kept for checkov\n'
        'resource "aws_db_instance" "orders" {\n  multi_az = true\n}\n')
    result = run(tmp_path)
    assert result.findings == []


def test_checkov_skip_does_not_hide_unknowns_of_other_resources(tmp_path):
    (tmp_path / "main.tf").write_text(
        'variable "ha" {}\n#checkov:skip=CKV_AWS_157:ok\nresource "aws_db_instance" "a" {\n  multi_az = var.ha\n}\n'
        'resource "aws_db_instance" "b" {\n  multi_az = var.ha\n}\n')
    result = run(tmp_path)
    assert [(f.resource, f.outcome, f.suppressed is None) for f in result.findings] == [
        ("aws_db_instance.a", Outcome.UNKNOWN, False), ("aws_db_instance.b", Outcome.UNKNOWN, True)]
