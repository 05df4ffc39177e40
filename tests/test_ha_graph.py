"""Graph helpers of the HA rules (Aurora members, ASG attachments, Route 53 groups) on cases a single fixture
module cannot hold, and the per-result severity."""
from __future__ import annotations

from helpers import run
from rlint.model import Outcome, Severity


def _findings(tmp_path, text: str, rule: str, name: str = "main.tf", **kwargs) -> dict:
    (tmp_path / name).write_text(text)
    result = run(tmp_path, select=(rule,), **kwargs)
    return {f.resource: f for f in result.findings if f.rule_id == rule}


def test_instance_naming_its_cluster_through_a_variable_makes_small_clusters_unknown(tmp_path):
    found = _findings(tmp_path, """
variable "cluster" { type = string }
resource "aws_rds_cluster" "a" {
  engine          = "aurora-mysql"
  master_username = "app"
}
resource "aws_rds_cluster_instance" "x" {
  cluster_identifier = var.cluster
}
""", "RL102")
    assert {k: f.outcome for k, f in found.items()} == {"aws_rds_cluster.a": Outcome.UNKNOWN}


def test_global_secondary_is_low_unless_configured(tmp_path):
    text = """
resource "aws_rds_cluster" "secondary" {
  engine                    = "aurora-postgresql"
  global_cluster_identifier = "global"
}
"""
    assert _findings(tmp_path, text, "RL102")["aws_rds_cluster.secondary"].severity is Severity.LOW
    configured = _findings(tmp_path, text, "RL102", severity={"RL102": "medium"})
    assert configured["aws_rds_cluster.secondary"].severity is Severity.MEDIUM


def test_attachment_with_undecidable_group_makes_ec2_groups_unknown(tmp_path):
    found = _findings(tmp_path, """
variable "asg" { type = string }
resource "aws_autoscaling_group" "a" {
  min_size = 1
  max_size = 2
}
resource "aws_autoscaling_attachment" "x" {
  autoscaling_group_name = var.asg
  lb_target_group_arn    = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/x/1"
}
""", "RL201")
    assert {k: f.outcome for k, f in found.items()} == {"aws_autoscaling_group.a": Outcome.UNKNOWN}


def test_failover_pair_split_across_templates_is_unknown_not_failed(tmp_path):
    (tmp_path / "primary.yaml").write_text("""
Resources:
  Primary:
    Type: AWS::Route53::RecordSet
    Properties:
      HostedZoneName: example.com.
      Name: app.example.com.
      Type: A
      TTL: "60"
      ResourceRecords: [203.0.113.10]
      SetIdentifier: primary
      Failover: PRIMARY
""")
    (tmp_path / "secondary.yaml").write_text("""
Resources:
  Secondary:
    Type: AWS::Route53::RecordSet
    Properties:
      HostedZoneName: example.com
      Name: app.example.com
      Type: A
      TTL: "60"
      ResourceRecords: [198.51.100.10]
      SetIdentifier: secondary
      Failover: SECONDARY
""")
    result = run(tmp_path, select=("RL204",))
    assert {(f.resource, f.outcome) for f in result.findings} == {("Primary", Outcome.UNKNOWN),
                                                                   ("Secondary", Outcome.UNKNOWN)}


def test_relative_and_absolute_names_group_when_the_zone_is_known(tmp_path):
    from rlint.rules.base import RuleContext
    from rlint.rules.graphutil.route53 import all_records

    (tmp_path / "main.tf").write_text("""
resource "aws_route53_zone" "z" { name = "Example.com." }
resource "aws_route53_record" "a" {
  zone_id = aws_route53_zone.z.zone_id
  name    = "\\\\052"
  type    = "a"
}
resource "aws_route53_record" "b" {
  zone_id = aws_route53_zone.z.id
  name    = "*.EXAMPLE.com."
  type    = "A"
}
""")
    result = run(tmp_path, select=("RL204",))
    keyed = all_records(RuleContext(result.graph))
    assert len({k.key for k in keyed}) == 1 and keyed[0].name == "*.example.com"
