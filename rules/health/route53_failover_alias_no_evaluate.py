from rlint.model import MISSING, Severity, Unknown
from rlint.rules.attrs.route53 import ALIAS, EVALUATE_TARGET_HEALTH, FAILOVER, RECORD_TYPES
from rlint.rules.base import Fix, Rule, SetAttribute, describe
from rlint.rules.graphutil.route53 import (PRIMARY, checkable_records, cloudfront_alias, evaluates_health,
                                           failover_role, health_check, leaf)
from rlint.rules.graphutil.values import as_bool


class Route53FailoverAliasNoEvaluate(Rule):
    """## What it does
    Flags failover alias records whose `evaluate_target_health` / `EvaluateTargetHealth` is false (or, in
    CloudFormation, missing, which means false) in `aws_route53_record`, `AWS::Route53::RecordSet` and the
    entries of `AWS::Route53::RecordSetGroup`. It covers what RL203 leaves: a SECONDARY alias, and a PRIMARY
    alias that has a health check. A PRIMARY alias with neither a health check nor evaluation is RL203's
    finding (failover never happens), and is not reported again here.

    ## Why is this bad?
    Route 53 requires failover alias records to evaluate their target's health. A SECONDARY alias that does
    not is always healthy to Route 53: when the primary's health check fails, even briefly, every client is
    sent to the standby whether or not it can serve (a pilot-light Region scaled to zero, a load balancer
    without healthy targets), and Route 53 cannot fall back to the primary while the standby is down. A
    PRIMARY alias with a health check but no evaluation ignores the target itself: only the health check's
    own endpoint decides, which AWS advises against for alias records.

    ## Example
    ```hcl
    resource "aws_route53_record" "app_secondary" {
      zone_id        = aws_route53_zone.main.zone_id
      name           = "app.example.com"
      type           = "A"
      set_identifier = "secondary"
      failover_routing_policy {
        type = "SECONDARY"
      }
      alias {
        name                   = aws_lb.dr.dns_name
        zone_id                = aws_lb.dr.zone_id
        evaluate_target_health = false
      }
    }
    ```
    ```yaml
    AppSecondary:
      Type: AWS::Route53::RecordSet
      Properties:
        HostedZoneId: !Ref HostedZone
        Name: app.example.com.
        Type: A
        SetIdentifier: secondary
        Failover: SECONDARY
        AliasTarget:
          DNSName: !GetAtt DrLoadBalancer.DNSName
          HostedZoneId: !GetAtt DrLoadBalancer.CanonicalHostedZoneID
    ```

    ## Use instead
    ```hcl
    resource "aws_route53_record" "app_secondary" {
      zone_id        = aws_route53_zone.main.zone_id
      name           = "app.example.com"
      type           = "A"
      set_identifier = "secondary"
      failover_routing_policy {
        type = "SECONDARY"
      }
      alias {
        name                   = aws_lb.dr.dns_name
        zone_id                = aws_lb.dr.zone_id
        evaluate_target_health = true
      }
    }
    ```
    ```yaml
    AppSecondary:
      Type: AWS::Route53::RecordSet
      Properties:
        HostedZoneId: !Ref HostedZone
        Name: app.example.com.
        Type: A
        SetIdentifier: secondary
        Failover: SECONDARY
        AliasTarget:
          DNSName: !GetAtt DrLoadBalancer.DNSName
          HostedZoneId: !GetAtt DrLoadBalancer.CanonicalHostedZoneID
          EvaluateTargetHealth: true
    ```

    ## Known problems
    An alias to a CloudFront distribution is never flagged: it cannot evaluate target health (RL209 flags
    the opposite). A SECONDARY alias to a static fallback (an S3 website bucket) is flagged too: evaluating an
    S3 target has no special requirements, so turning it on costs nothing. A PRIMARY alias with a health
    check is reported at low severity, since the health check still triggers failover. An evaluate flag
    that cannot be decided gives `unknown`, and so does an undecidable failover role on an alias that has a
    health check (without one, RL203 already reports it). Non-alias failover records are not this rule's
    business.

    ## Fix safety
    Needs review: once evaluated, the alias is unhealthy when its target is (for an ALB or NLB, when a target
    group that has targets has no healthy one). Route 53 then answers with the other record of the pair, or,
    when both are unhealthy, with the primary. Check that the target's own health checks are right first.

    ## References
    - https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-failover-alias.html
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-route53-recordset-aliastarget.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_record#evaluate_target_health
    """

    id = "RL205"
    name = "route53-failover-alias-no-evaluate"
    severity = Severity.HIGH
    resource_types = RECORD_TYPES

    def check(self, res, ctx):
        for rec in checkable_records(ctx, res):
            role = failover_role(ctx, rec)
            alias = rec.get(ctx, ALIAS)
            if role is None or isinstance(alias, Unknown) or alias in (MISSING, None, []):
                continue
            if cloudfront_alias(ctx, rec):
                continue  # cannot evaluate target health
            evaluated = evaluates_health(ctx, rec)
            if evaluated is True:
                continue
            checked = health_check(ctx, rec)
            if (isinstance(role, Unknown) or role == PRIMARY) and checked is not True:
                continue  # no health signal at all: RL203's finding (or its unknown)
            at = rec.attr(EVALUATE_TARGET_HEALTH)
            undecided = role if isinstance(role, Unknown) else evaluated if isinstance(evaluated, Unknown) else None
            if undecided is not None:
                yield self.unknown(res, undecided, at=rec.attr(FAILOVER) if undecided is role else at,
                                   what=f"whether {rec.label} is a failover alias that evaluates its target")
                continue
            spelled = leaf(EVALUATE_TARGET_HEALTH, res.format)
            given = describe(as_bool(rec.get(ctx, EVALUATE_TARGET_HEALTH))) if rec.has(ctx, EVALUATE_TARGET_HEALTH) \
                else "not set (false)"
            if role == PRIMARY:
                why = "only its health check decides failover and the alias target's own health is ignored"
            else:
                why = ("Route 53 treats the standby as always healthy and sends every client to it when the "
                       "primary fails, even if it cannot serve")
            result = self.fail(
                res, f"{rec.label} is a {role} failover alias with `{spelled}` {given}: {why}",
                at=at, fix=Fix(f"Set `{spelled}` to true", (SetAttribute(at, True),), safety="review",
                               note="the alias then fails over when its target has no healthy endpoint"),
            )
            result.severity = Severity.LOW if role == PRIMARY else None
            yield result
