from rlint.model import Severity, Unknown
from rlint.rules.attrs.route53 import ALIAS, EVALUATE_TARGET_HEALTH, FAILOVER, HEALTH_CHECK_ID, RECORD_TYPES
from rlint.rules.base import Rule
from rlint.rules.graphutil.route53 import (PRIMARY, checkable_records, evaluates_health, failover_role, health_check,
                                           health_signal_fix, leaf)


class Route53FailoverWithoutHealthCheck(Rule):
    """## What it does
    Flags PRIMARY failover records (`failover_routing_policy { type = "PRIMARY" }`, `Failover: PRIMARY`,
    also inside a RecordSetGroup) that have neither a health check (`health_check_id` / `HealthCheckId`)
    nor an alias that evaluates its target's health (`evaluate_target_health` / `EvaluateTargetHealth`).

    ## Why is this bad?
    Route 53 fails over only when the primary is unhealthy, and without a health check the primary is
    always considered healthy. When the primary site goes down, the name keeps pointing at it and the
    secondary that was built for this moment never receives traffic: the failover setup does nothing.

    ## Example
    ```hcl
    resource "aws_route53_record" "app_primary" {
      zone_id        = aws_route53_zone.main.zone_id
      name           = "app.example.com"
      type           = "A"
      ttl            = 60
      records        = ["203.0.113.10"]
      set_identifier = "primary"
      failover_routing_policy {
        type = "PRIMARY"
      }
    }
    ```
    ```yaml
    AppPrimary:
      Type: AWS::Route53::RecordSet
      Properties:
        HostedZoneId: !Ref HostedZone
        Name: app.example.com.
        Type: A
        TTL: "60"
        ResourceRecords: [203.0.113.10]
        SetIdentifier: primary
        Failover: PRIMARY
    ```

    ## Use instead
    ```hcl
    resource "aws_route53_health_check" "primary" {
      ip_address        = "203.0.113.10"
      port              = 443
      type              = "HTTPS"
      resource_path     = "/healthz"
      failure_threshold = 3
      request_interval  = 30
    }

    resource "aws_route53_record" "app_primary" {
      zone_id         = aws_route53_zone.main.zone_id
      name            = "app.example.com"
      type            = "A"
      ttl             = 60
      records         = ["203.0.113.10"]
      set_identifier  = "primary"
      health_check_id = aws_route53_health_check.primary.id
      failover_routing_policy {
        type = "PRIMARY"
      }
    }
    ```
    ```yaml
    PrimaryHealthCheck:
      Type: AWS::Route53::HealthCheck
      Properties:
        HealthCheckConfig:
          Type: HTTPS
          IPAddress: 203.0.113.10
          Port: 443
          ResourcePath: /healthz
          RequestInterval: 30
          FailureThreshold: 3
    AppPrimary:
      Type: AWS::Route53::RecordSet
      Properties:
        HostedZoneId: !Ref HostedZone
        Name: app.example.com.
        Type: A
        TTL: "60"
        ResourceRecords: [203.0.113.10]
        SetIdentifier: primary
        Failover: PRIMARY
        HealthCheckId: !Ref PrimaryHealthCheck
    ```

    ## Known problems
    A health check id from a variable or parameter without default, an evaluate-target-health flag that
    cannot be decided, or a failover role that cannot be decided gives `unknown`. An alias to a CloudFront
    distribution cannot evaluate target health (RL209): it needs a health check. The split with RL205: this
    rule owns a PRIMARY with no health signal at all, alias or not; RL205 owns the failover aliases left over
    whose `evaluate_target_health` is off (a SECONDARY alias, or a PRIMARY alias that has a health check), so
    no record is reported by both. SECONDARY records without health checks are legitimate here (a static
    fallback). Whether the health check is disabled is RL207's business.

    ## Fix safety
    Needs review: a Route 53 health check is billed per month, and it must probe the primary endpoint
    itself (its IP address or its own host name), never the failover name, which would follow the failover.
    For an alias to a load balancer, turning on evaluate target health is free; the alias then counts as
    unhealthy when no target group behind the load balancer has a healthy target. `rlint fix` adds an HTTPS
    check of `/health` on the record's own answer (the address of an A/AAAA record, the host a CNAME
    names); when the record has no literal answer, Terraform gets a new variable for the host name to
    probe, and a template gets no automatic fix (it would need a new parameter).

    ## References
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-configuring.html
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-route53-recordset.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-route53-recordset-aliastarget.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_record#health_check_id
    """

    id = "RL203"
    name = "route53-failover-without-health-check"
    severity = Severity.HIGH
    resource_types = RECORD_TYPES
    graph_rule = True

    def check(self, res, ctx):
        for rec in checkable_records(ctx, res):
            role = failover_role(ctx, rec)
            if not isinstance(role, Unknown) and role != PRIMARY:
                continue  # no failover routing, or a secondary
            checked = health_check(ctx, rec)
            evaluated = evaluates_health(ctx, rec)
            if checked is True or evaluated is True:
                continue
            path = None if rec.index is None else ("Properties", "RecordSets", rec.index)
            undecided = next((v for v in (role, checked, evaluated) if isinstance(v, Unknown)), None)
            if undecided is not None:
                at = rec.attr(FAILOVER if undecided is role else
                              HEALTH_CHECK_ID if undecided is checked else EVALUATE_TARGET_HEALTH)
                yield self.unknown(res, undecided, at=at, what=f"whether {rec.label} has a working health check")
                continue
            alias = rec.has(ctx, ALIAS)
            how = f"an alias with `{leaf(EVALUATE_TARGET_HEALTH, res.format)}` off" if alias else "no alias"
            yield self.fail(
                res,
                f"{rec.label} is a PRIMARY failover record without a health check (`"
                f"{leaf(HEALTH_CHECK_ID, res.format)}` not set, {how}): Route 53 treats it as "
                f"always healthy and never fails over",
                at=rec.attr(FAILOVER), path=path, fix=health_signal_fix(ctx, rec, alias, "the primary"),
            )
