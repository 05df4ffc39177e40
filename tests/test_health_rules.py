"""RL202 and RL205-RL209 on cases a single fixture module cannot hold: inputs that reach across resources,
groups split across templates, per-result severity, and the split between RL203 and RL205."""
from __future__ import annotations

from helpers import FIXTURES, run
from rlint.model import Outcome, Severity


def _findings(tmp_path, files: dict, rules: tuple) -> dict:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    result = run(tmp_path, select=rules)
    return {(f.rule_id, f.resource): f for f in result.findings if f.rule_id in rules}


GROUP = """
resource "aws_autoscaling_group" "g" {
  min_size                  = 1
  max_size                  = 2
  health_check_type         = "ELB"
  health_check_grace_period = 0
}
"""


def test_launch_hook_naming_its_group_through_a_variable_makes_grace_zero_unknown(tmp_path):
    hook = """
variable "group" { type = string }
resource "aws_autoscaling_lifecycle_hook" "h" {
  name                   = "h"
  autoscaling_group_name = var.group
  lifecycle_transition   = "autoscaling:EC2_INSTANCE_LAUNCHING"
}
"""
    found = _findings(tmp_path, {"main.tf": GROUP + hook}, ("RL202",))
    assert {k: f.outcome for k, f in found.items()} == {("RL202", "aws_autoscaling_group.g"): Outcome.UNKNOWN}
    assert "launch lifecycle hook" in found[("RL202", "aws_autoscaling_group.g")].message


def test_termination_hook_through_a_variable_leaves_grace_zero_failing(tmp_path):
    hook = """
variable "group" { type = string }
resource "aws_autoscaling_lifecycle_hook" "h" {
  name                   = "h"
  autoscaling_group_name = var.group
  lifecycle_transition   = "autoscaling:EC2_INSTANCE_TERMINATING"
}
"""
    found = _findings(tmp_path, {"main.tf": GROUP + hook}, ("RL202",))
    f = found[("RL202", "aws_autoscaling_group.g")]
    assert (f.outcome, f.span.line, f.message.split(":")[0]) == (
        Outcome.FAIL, 6, "aws_autoscaling_group.g replaces instances on ELB health checks but "
                         "`health_check_grace_period` is `0`")


def test_primary_alias_with_a_health_check_is_low_and_secondary_keeps_the_rules_severity():
    result = run(FIXTURES / "rules" / "RL205" / "main.tf", select=("RL205",))
    severity = {f.resource: f.severity for f in result.findings if f.outcome is Outcome.FAIL}
    assert severity["aws_route53_record.checked_primary"] is Severity.LOW
    assert severity["aws_route53_record.app_secondary"] is Severity.HIGH


def test_rl203_and_rl205_never_report_the_same_record():
    for folder in ("RL203", "RL205"):
        for fixture in sorted((FIXTURES / "rules" / folder).iterdir()):
            result = run(fixture, select=("RL203", "RL205"))
            by_resource: dict = {}
            for f in result.findings:
                by_resource.setdefault(f.resource, set()).add(f.rule_id)
            assert not [r for r, ids in by_resource.items() if ids == {"RL203", "RL205"}], fixture


MULTIVALUE = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Record:
    Type: AWS::Route53::RecordSet
    Properties:
      HostedZoneId: Z0123456789ABC
      Name: api.example.com.
      Type: A
      TTL: "60"
      ResourceRecords: [{ip}]
      SetIdentifier: {sid}
      MultiValueAnswer: true
"""


def test_a_lone_multivalue_record_passes(tmp_path):
    found = _findings(tmp_path, {"a.yaml": MULTIVALUE.format(ip="203.0.113.1", sid="a")}, ("RL206",))
    assert found == {}


def test_multivalue_group_split_across_templates_is_unknown(tmp_path):
    found = _findings(tmp_path, {"a.yaml": MULTIVALUE.format(ip="203.0.113.1", sid="a"),
                                 "b.yaml": MULTIVALUE.format(ip="203.0.113.2", sid="b")}, ("RL206",))
    assert {k: f.outcome for k, f in found.items()} == {("RL206", "Record"): Outcome.UNKNOWN}


def test_disabled_health_check_names_every_record_using_it(tmp_path):
    text = """
resource "aws_route53_health_check" "off" {
  ip_address = "203.0.113.10"
  type       = "TCP"
  port       = 443
  disabled   = true
}
resource "aws_route53_record" "a" {
  zone_id         = "Z0123456789ABC"
  name            = "a.example.com"
  type            = "A"
  ttl             = 60
  records         = ["203.0.113.10"]
  set_identifier  = "a"
  health_check_id = aws_route53_health_check.off.id
  weighted_routing_policy {
    weight = 1
  }
}
resource "aws_route53_record" "b" {
  zone_id         = "Z0123456789ABC"
  name            = "b.example.com"
  type            = "A"
  ttl             = 60
  records         = ["203.0.113.10"]
  set_identifier  = "b"
  health_check_id = aws_route53_health_check.off.id
  weighted_routing_policy {
    weight = 1
  }
}
"""
    found = _findings(tmp_path, {"main.tf": text}, ("RL207",))
    f = found[("RL207", "aws_route53_health_check.off")]
    assert (f.outcome, f.span.line, f.span.column) == (Outcome.FAIL, 6, 3)
    assert "used by aws_route53_record.a, aws_route53_record.b" in f.message
