from rlint.model import Severity, Unknown
from rlint.rules.attrs.route53 import EVALUATE_TARGET_HEALTH, RECORD_TYPES
from rlint.rules.base import Fix, Rule, SetAttribute
from rlint.rules.graphutil.route53 import checkable_records, evaluates_health, leaf, maybe_cloudfront_alias


class Route53EvaluateHealthOnCloudfront(Rule):
    """## What it does
    Flags Route 53 alias records that point to a CloudFront distribution with
    `evaluate_target_health = true` / `EvaluateTargetHealth: true`, in `aws_route53_record`,
    `AWS::Route53::RecordSet` and the entries of `AWS::Route53::RecordSetGroup`. The target is CloudFront
    when the alias references an `aws_cloudfront_distribution` / `AWS::CloudFront::Distribution` (its domain
    name or hosted zone id), uses CloudFront's fixed hosted zone id `Z2FDTNDATAQYW2`, or names a
    `*.cloudfront.net` domain.

    ## Why is this bad?
    Route 53 does not allow evaluating the health of a CloudFront distribution: the record change is
    rejected, so the deployment that creates or updates the name fails. When the record is a failover
    PRIMARY, the health signal its owner relies on does not exist either: failover has to come from a Route
    53 health check on the record.

    ## Example
    ```hcl
    resource "aws_route53_record" "www" {
      zone_id = aws_route53_zone.main.zone_id
      name    = "www.example.com"
      type    = "A"
      alias {
        name                   = aws_cloudfront_distribution.site.domain_name
        zone_id                = aws_cloudfront_distribution.site.hosted_zone_id
        evaluate_target_health = true
      }
    }
    ```
    ```yaml
    WwwRecord:
      Type: AWS::Route53::RecordSet
      Properties:
        HostedZoneId: !Ref HostedZone
        Name: www.example.com.
        Type: A
        AliasTarget:
          DNSName: !GetAtt SiteDistribution.DomainName
          HostedZoneId: Z2FDTNDATAQYW2
          EvaluateTargetHealth: true
    ```

    ## Use instead
    ```hcl
    resource "aws_route53_record" "www" {
      zone_id = aws_route53_zone.main.zone_id
      name    = "www.example.com"
      type    = "A"
      alias {
        name                   = aws_cloudfront_distribution.site.domain_name
        zone_id                = aws_cloudfront_distribution.site.hosted_zone_id
        evaluate_target_health = false
      }
    }
    ```
    ```yaml
    WwwRecord:
      Type: AWS::Route53::RecordSet
      Properties:
        HostedZoneId: !Ref HostedZone
        Name: www.example.com.
        Type: A
        AliasTarget:
          DNSName: !GetAtt SiteDistribution.DomainName
          HostedZoneId: Z2FDTNDATAQYW2
          EvaluateTargetHealth: false
    ```

    ## Known problems
    An alias is recognised as CloudFront by a reference to a distribution in the configuration, the CloudFront
    hosted zone id or a `*.cloudfront.net` name. When both the target's hosted zone and its name come from inputs
    without a value (a `HostedZoneId` parameter without default), a record that evaluates its target's health
    gives `unknown`: it is rejected if the input names CloudFront. An evaluate flag that cannot be decided on a
    CloudFront alias gives `unknown`.
    RL205 never asks for evaluation on a CloudFront alias, so the two rules do not contradict each other.

    ## Fix safety
    Safe: `false` is the only value Route 53 accepts for a CloudFront alias target, and it changes no
    answer. If the record is a failover PRIMARY, give it a Route 53 health check instead (RL203 then says
    so).

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
            at = rec.attr(EVALUATE_TARGET_HEALTH)
            if isinstance(target, Unknown):
                if evaluated is not False:  # evaluating health: rejected if the target is CloudFront
                    yield self.unknown(res, target, at=at, what=f"whether {rec.label} may evaluate its target's health")
            elif isinstance(evaluated, Unknown):
                yield self.unknown(res, evaluated, at=at, what=f"whether {rec.label} evaluates CloudFront's health")
            elif evaluated is True:
                spelled = leaf(EVALUATE_TARGET_HEALTH, res.format)
                yield self.fail(
                    res,
                    f"{rec.label} is an alias to a CloudFront distribution with `{spelled}` `true`: Route 53 does "
                    f"not allow evaluating a distribution's health and rejects the change",
                    at=at, fix=Fix(f"Set `{spelled}` to false", (SetAttribute(at, False),),
                                   note="the only value allowed for a CloudFront alias target"),
                )
