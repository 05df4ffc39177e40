"""RL210-RL214 on cases the annotated fixtures cannot express: exact messages, undecidable target group
overrides, several unused origin groups, and the CloudFormation key/value list reader they share."""
from __future__ import annotations

from helpers import run
from rlint.model import MISSING, Outcome, Unknown
from rlint.rules.graphutil.values import keyed_value


def _findings(tmp_path, text: str, rule: str, name: str = "main.tf") -> dict:
    (tmp_path / name).write_text(text)
    result = run(tmp_path, select=(rule,))
    return {f.resource: f for f in result.findings if f.rule_id == rule}


def test_keyed_value_reads_key_value_lists():
    entries = [{"Key": "deletion_protection.enabled", "Value": "true"},
               {"Key": "load_balancing.cross_zone.enabled", "Value": "false"}]
    assert keyed_value(entries, "load_balancing.cross_zone.enabled") == "false"
    assert keyed_value(entries[:1], "load_balancing.cross_zone.enabled") is MISSING
    assert keyed_value(MISSING, "x") is MISSING
    maybe = Unknown("condition")
    assert keyed_value([entries[0], maybe], "load_balancing.cross_zone.enabled") is maybe
    assert keyed_value([maybe, entries[1]], "load_balancing.cross_zone.enabled") == "false"  # found wins


def test_target_group_override_that_cannot_be_decided_is_unknown(tmp_path):
    found = _findings(tmp_path, """
variable "tg_cross_zone" { type = string }
resource "aws_lb" "nlb" {
  load_balancer_type = "network"
}
resource "aws_lb_target_group" "on" {
  load_balancing_cross_zone_enabled = "true"
}
resource "aws_lb_target_group" "maybe" {
  load_balancing_cross_zone_enabled = var.tg_cross_zone
}
resource "aws_lb_listener" "a" {
  load_balancer_arn = aws_lb.nlb.arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.on.arn
  }
}
resource "aws_lb_listener" "b" {
  load_balancer_arn = aws_lb.nlb.arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.maybe.arn
  }
}
""", "RL212")
    assert {k: f.outcome for k, f in found.items()} == {"aws_lb.nlb": Outcome.UNKNOWN}


def test_several_unused_origin_groups_make_one_finding_with_a_snippet_fix(tmp_path):
    groups = "".join(f"""
  origin_group {{
    origin_id = "{g}"
    failover_criteria {{
      status_codes = [503]
    }}
    member {{
      origin_id = "a"
    }}
    member {{
      origin_id = "b"
    }}
  }}""" for g in ("g1", "g2"))
    found = _findings(tmp_path, f"""
resource "aws_cloudfront_distribution" "d" {{
  enabled = true{groups}
  default_cache_behavior {{
    target_origin_id = "a"
    allowed_methods  = ["GET", "HEAD"]
  }}
}}
""", "RL211")
    finding = found["aws_cloudfront_distribution.d"]
    assert finding.message == ('aws_cloudfront_distribution.d defines origin groups "g1", "g2" but no cache behavior '
                               'targets them (`target_origin_id` values: "a"): failover is set up but never used')
    assert finding.fix.title.startswith('Point the read-only cache behaviors') and finding.fix.snippet == ""


def test_distribution_config_under_a_condition_is_judged_in_each_deployment(tmp_path):
    """Both branches serve from one origin: it fails whatever Mode a deployment takes (linter/scenarios.py)."""
    found = _findings(tmp_path, """
Parameters:
  Mode: {Type: String}
Conditions:
  Primary: !Equals [!Ref Mode, primary]
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig: !If
        - Primary
        - Enabled: true
          Origins: [{Id: a, DomainName: a.example.com}]
          DefaultCacheBehavior: {TargetOriginId: a}
        - Enabled: true
          Origins: [{Id: b, DomainName: b.example.com}]
          DefaultCacheBehavior: {TargetOriginId: b}
""", "RL210", name="template.yaml")
    assert {k: f.outcome for k, f in found.items()} == {"Cdn": Outcome.FAIL}


def test_distribution_config_failing_in_one_branch_only_is_unknown_naming_the_parameter(tmp_path):
    found = _findings(tmp_path, """
Parameters:
  Mode: {Type: String}
Conditions:
  Primary: !Equals [!Ref Mode, primary]
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig: !If
        - Primary
        - Enabled: true
          Origins: [{Id: a, DomainName: a.example.com}]
          DefaultCacheBehavior: {TargetOriginId: a}
        - Enabled: true
          Origins: [{Id: a, DomainName: a.example.com}, {Id: b, DomainName: b.example.com}]
          OriginGroups:
            Quantity: 1
            Items:
              - Id: g
                FailoverCriteria: {StatusCodes: {Quantity: 1, Items: [503]}}
                Members: {Quantity: 2, Items: [{OriginId: a}, {OriginId: b}]}
          DefaultCacheBehavior: {TargetOriginId: g}
""", "RL210", name="template.yaml")
    assert {k: f.outcome for k, f in found.items()} == {"Cdn": Outcome.UNKNOWN}
    assert found["Cdn"].message.endswith("-- holds only in the deployments where Mode is 'primary' (not another value)")


def _api_distribution(name: str, assets_function: str = "") -> str:
    """An API distribution: writes to "app" by default, "/assets/*" read-only from "static", "logs" unused."""
    origins = "".join(f"""
  origin {{
    origin_id   = "{o}"
    domain_name = "{o}.example.com"
  }}""" for o in ("app", "static", "logs"))
    return f"""
resource "aws_cloudfront_distribution" "{name}" {{
  enabled = true{origins}
  default_cache_behavior {{
    target_origin_id = "app"
    allowed_methods  = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
  }}
  ordered_cache_behavior {{
    path_pattern     = "/assets/*"
    target_origin_id = "static"
    allowed_methods  = ["GET", "HEAD"]{assets_function}
  }}
}}
"""


def test_origin_failover_message_names_only_the_origins_of_read_only_behaviors(tmp_path):
    found = _findings(tmp_path, _api_distribution("api"), "RL210")
    assert found["aws_cloudfront_distribution.api"].message == (
        'aws_cloudfront_distribution.api has no origin group (`origin_group` not set): the origin its read-only '
        'cache behaviors use ("static") has no secondary (the other behaviors allow writes, which an origin group '
        'cannot serve), so cache misses fail while their origin is down')


def test_origin_failover_message_names_every_origin_when_a_function_may_switch_the_read_only_origin(tmp_path):
    function = """
    function_association {
      event_type   = "viewer-request"
      function_arn = "arn:aws:cloudfront::123456789012:function/route"
    }"""
    found = _findings(tmp_path, _api_distribution("routed", function), "RL210")
    assert found["aws_cloudfront_distribution.routed"].message == (
        'aws_cloudfront_distribution.routed has no origin group (`origin_group` not set): none of its origins '
        '("app", "static", "logs") is paired with a secondary, so cache misses fail while their origin is down')


def test_origin_failover_message_in_cloudformation_names_the_read_only_origins(tmp_path):
    found = _findings(tmp_path, """
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins: [{Id: app, DomainName: app.example.com}, {Id: web, DomainName: web.example.com},
                  {Id: img, DomainName: img.example.com}]
        DefaultCacheBehavior:
          TargetOriginId: app
          AllowedMethods: [DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT]
        CacheBehaviors:
          - {PathPattern: "/img/*", TargetOriginId: img}
          - {PathPattern: "/web/*", TargetOriginId: web, AllowedMethods: [GET, HEAD, OPTIONS]}
""", "RL210", name="template.yaml")
    assert found["Cdn"].message == (
        'Cdn has no origin group (`DistributionConfig.OriginGroups` not set): the origins its read-only cache '
        'behaviors use ("web", "img") have no secondary (the other behaviors allow writes, which an origin group '
        'cannot serve), so cache misses fail while their origin is down')


def test_ecs_message_states_the_value_and_the_fix_sets_sixty_seconds(tmp_path):
    found = _findings(tmp_path, """
resource "aws_ecs_service" "api" {
  health_check_grace_period_seconds = 0
  load_balancer {
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/api/1"
    container_name   = "api"
    container_port   = 8080
  }
}
""", "RL214")
    finding = found["aws_ecs_service.api"]
    assert "`health_check_grace_period_seconds` is `0`" in finding.message
    assert "health_check_grace_period_seconds = 60" in finding.fix.snippet
