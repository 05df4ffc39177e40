from dataclasses import replace

from rlint.model import Severity, Unknown
from rlint.rules.attrs.route53 import EVALUATE_TARGET_HEALTH, RECORD_TYPES
from rlint.rules.base import DISPLAY_ONLY, Fix, Rule, SetAttribute
from rlint.rules.graphutil.route53 import (PRIMARY, SIMPLE, checkable_records, evaluates_health, failover_role,
                                          health_check, health_signal_fix, leaf, maybe_cloudfront_alias,
                                          routing_policy)


class Route53EvaluateHealthOnCloudfront(Rule):
    """## What it does
    Flags Route 53 alias records that share a name with other records by health (failover, weighted,
    latency, geolocation, geoproximity, CIDR or multivalue routing) and point to a CloudFront distribution
    with `evaluate_target_health = true` / `EvaluateTargetHealth: true`, in `aws_route53_record`,
    `AWS::Route53::RecordSet` and the entries of `AWS::Route53::RecordSetGroup`. The target is CloudFront
    when the alias references an `aws_cloudfront_distribution` / `AWS::CloudFront::Distribution` (its domain
    name or hosted zone id), uses CloudFront's fixed hosted zone id `Z2FDTNDATAQYW2`, or names a
    `*.cloudfront.net` domain.

    ## Why is this bad?
    Route 53 does not evaluate the health of a CloudFront distribution (the API reference says the flag
    cannot be set; in practice Route 53 accepts it and evaluates nothing). A record whose routing depends on
    health therefore never gives way to the others when the distribution or its origin fails: a failover
    PRIMARY stays primary, a weighted or latency record keeps its share. The flag looks like a health signal
    and is none; failover has to come from a Route 53 health check on the record.

    ## Example
    ```hcl
    resource "aws_route53_record" "www_primary" {
      zone_id        = aws_route53_zone.main.zone_id
      name           = "www.example.com"
      type           = "A"
      set_identifier = "primary"
      failover_routing_policy {
        type = "PRIMARY"
      }
      alias {
        name                   = aws_cloudfront_distribution.site.domain_name
        zone_id                = aws_cloudfront_distribution.site.hosted_zone_id
        evaluate_target_health = true
      }
    }
    ```
    ```yaml
    WwwPrimary:
      Type: AWS::Route53::RecordSet
      Properties:
        HostedZoneId: !Ref HostedZone
        Name: www.example.com.
        Type: A
        SetIdentifier: primary
        Failover: PRIMARY
        AliasTarget:
          DNSName: !GetAtt SiteDistribution.DomainName
          HostedZoneId: Z2FDTNDATAQYW2
          EvaluateTargetHealth: true
    ```

    ## Use instead
    ```hcl
    resource "aws_route53_record" "www_primary" {
      zone_id         = aws_route53_zone.main.zone_id
      name            = "www.example.com"
      type            = "A"
      set_identifier  = "primary"
      health_check_id = aws_route53_health_check.site.id
      failover_routing_policy {
        type = "PRIMARY"
      }
      alias {
        name                   = aws_cloudfront_distribution.site.domain_name
        zone_id                = aws_cloudfront_distribution.site.hosted_zone_id
        evaluate_target_health = false
      }
    }
    ```
    ```yaml
    WwwPrimary:
      Type: AWS::Route53::RecordSet
      Properties:
        HostedZoneId: !Ref HostedZone
        Name: www.example.com.
        Type: A
        SetIdentifier: primary
        Failover: PRIMARY
        HealthCheckId: !Ref SiteHealthCheck
        AliasTarget:
          DNSName: !GetAtt SiteDistribution.DomainName
          HostedZoneId: Z2FDTNDATAQYW2
          EvaluateTargetHealth: false
    ```

    ## Known problems
    A simple record is not flagged: the flag is accepted and changes nothing there (public configurations
    have applied it for years). A routing policy that cannot be decided gives `unknown`. An alias is recognised as CloudFront by a reference to a distribution in the configuration, the CloudFront
    hosted zone id or a `*.cloudfront.net` name. When both the target's hosted zone and its name come from inputs
    without a value (a `HostedZoneId` parameter without default), a record that evaluates its target's health
    gives `unknown`: it evaluates nothing if the input names CloudFront. An evaluate flag that cannot be decided on a
    CloudFront alias gives `unknown`.
    RL205 never asks for evaluation on a CloudFront alias, so the two rules do not contradict each other.

    ## Fix safety
    Safe: `false` is the value the API reference asks for on a CloudFront alias target, and it changes no
    answer. The record still needs a Route 53 health check to take part in health-based routing: for a failover
    PRIMARY without one the fix also adds RL203's health check (review, as RL203's own), or, when the record
    answers with nothing a check could probe as written, leaves RL203 to show the check to fill in.

    ## References
    - https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-route53-recordset-aliastarget.html
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-to-cloudfront-distribution.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_record#alias
    """

    id = "RL209"
    name = "route53-evaluate-health-on-cloudfront"
    severity = Severity.HIGH
    resource_types = RECORD_TYPES
    graph_rule = True

    def check(self, res, ctx):
        for rec in checkable_records(ctx, res):
            target = maybe_cloudfront_alias(ctx, rec)
            if target is False:
                continue
            evaluated = evaluates_health(ctx, rec)
            if evaluated is False:
                continue
            policy = routing_policy(ctx, rec)
            if policy == SIMPLE:
                continue  # accepted and ignored: nothing routes by this record's health
            at = rec.attr(EVALUATE_TARGET_HEALTH)
            if isinstance(target, Unknown):  # evaluating health: none happens if the target is CloudFront
                yield self.unknown(res, target, at=at, what=f"whether {rec.label} may evaluate its target's health")
                continue
            undecided = evaluated if isinstance(evaluated, Unknown) else policy if isinstance(policy, Unknown) \
                else None
            if undecided is not None:
                yield self.unknown(res, undecided, at=at,
                                   what=f"whether {rec.label} routes by a CloudFront health it cannot evaluate")
                continue
            if evaluated is not True:
                continue
            spelled = leaf(EVALUATE_TARGET_HEALTH, res.format)
            yield self.fail(
                res,
                f"{rec.label} is a {policy} record aliasing a CloudFront distribution with `{spelled}` `true`: "
                f"Route 53 evaluates no health for a distribution, so the record never gives way when it fails",
                at=at, fix=_fix(ctx, rec, at, spelled),
            )


def _fix(ctx, rec, at, spelled: str) -> Fix:
    """Turn the flag off; a failover PRIMARY then has no health signal at all (RL203): the same fix adds the
    health check RL203 would, or, when that needs the author (nothing to probe as written), leaves RL203 to
    show it."""
    own = Fix(f"Set `{spelled}` to false", (SetAttribute(at, False),),
              note="then give the record a Route 53 health check (`health_check_id`)")
    if failover_role(ctx, rec) != PRIMARY or health_check(ctx, rec) is True:
        return own
    signal = health_signal_fix(ctx, rec, True, "the primary")
    if signal is None or signal.safety == DISPLAY_ONLY:
        return replace(own, follow_up=("RL203",))
    return Fix(f"Set `{spelled}` to false; {signal.title[0].lower()}{signal.title[1:]}",
               (SetAttribute(at, False),) + tuple(signal.changes), safety=signal.safety, note=signal.note)
