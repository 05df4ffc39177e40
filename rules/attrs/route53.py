"""Route 53 records (`aws_route53_record`, `AWS::Route53::RecordSet`, the entries of
`AWS::Route53::RecordSetGroup`) and health checks.

A RecordSetGroup entry carries the RecordSet properties without the `Properties.` prefix; `entry_attr`
re-roots one of these attributes at an entry so fixes and positions land inside the list item.
"""
from dataclasses import dataclass

from rlint.rules.base import Attr

ZONE_ID = Attr("zone_id", "zone_id", "Properties.HostedZoneId")
ZONE_NAME = Attr("hosted_zone_name", None, "Properties.HostedZoneName")
RECORD_NAME = Attr("name", "name", "Properties.Name")
RECORD_TYPE = Attr("type", "type", "Properties.Type")
SET_IDENTIFIER = Attr("set_identifier", "set_identifier", "Properties.SetIdentifier")
HEALTH_CHECK_ID = Attr("health_check_id", "health_check_id", "Properties.HealthCheckId")
FAILOVER = Attr("failover", "failover_routing_policy.type", "Properties.Failover")
FAILOVER_BLOCK = Attr("failover_routing_policy", "failover_routing_policy", "Properties.Failover")
ALIAS = Attr("alias", "alias", "Properties.AliasTarget")
# required in Terraform's alias block; CloudFormation defaults it to false
EVALUATE_TARGET_HEALTH = Attr("evaluate_target_health", "alias.evaluate_target_health",
                              "Properties.AliasTarget.EvaluateTargetHealth", cfn_default=False)
ALIAS_NAME = Attr("alias_name", "alias.name", "Properties.AliasTarget.DNSName")
ALIAS_ZONE = Attr("alias_zone_id", "alias.zone_id", "Properties.AliasTarget.HostedZoneId")
RECORDS = Attr("records", "records", "Properties.ResourceRecords")
# the other routing policies: Terraform blocks (or a bool), CloudFormation properties
MULTIVALUE = Attr("multivalue_answer", "multivalue_answer_routing_policy", "Properties.MultiValueAnswer")
WEIGHTED_BLOCK = Attr("weighted_routing_policy", "weighted_routing_policy", "Properties.Weight")
WEIGHT = Attr("weight", "weighted_routing_policy.weight", "Properties.Weight")
LATENCY_BLOCK = Attr("latency_routing_policy", "latency_routing_policy", "Properties.Region")
GEOLOCATION_BLOCK = Attr("geolocation_routing_policy", "geolocation_routing_policy", "Properties.GeoLocation")
GEOPROXIMITY_BLOCK = Attr("geoproximity_routing_policy", "geoproximity_routing_policy",
                          "Properties.GeoProximityLocation")
CIDR_BLOCK = Attr("cidr_routing_policy", "cidr_routing_policy", "Properties.CidrRoutingConfig")

# hosted zones: the name qualifies Terraform's relative record names
ZONE_TYPES = ("aws_route53_zone", "AWS::Route53::HostedZone")
HOSTED_ZONE_NAME = Attr("zone_name", "name", "Properties.Name")

RECORD_TYPES = ("aws_route53_record", "AWS::Route53::RecordSet", "AWS::Route53::RecordSetGroup")
RECORD_SET_GROUP = "AWS::Route53::RecordSetGroup"
HEALTH_CHECK_TYPES = ("aws_route53_health_check", "AWS::Route53::HealthCheck")
# a disabled health check is always healthy to Route 53; CloudFormation's HealthCheckConfig has no Disabled
# property (its resource schema rejects one), so only Terraform can disable a check
HEALTH_CHECK_DISABLED = Attr("disabled", "disabled", None, tf_default=False)
# alias targets that cannot evaluate target health
CLOUDFRONT_TYPES = ("aws_cloudfront_distribution", "AWS::CloudFront::Distribution")
# CloudFront's fixed hosted zone id: alias targets there cannot evaluate target health
CLOUDFRONT_ZONE_ID = "Z2FDTNDATAQYW2"


@dataclass(frozen=True)
class EntryAttr(Attr):
    """A RecordSet attribute inside `Properties.RecordSets[index]` of a RecordSetGroup."""

    index: int = 0

    def path(self, fmt: str):
        base = super().path(fmt)
        if base is None or fmt != "cloudformation":
            return base
        return ("Properties", "RecordSets", self.index) + base[1:]


def entry_attr(attr: Attr, index: int) -> EntryAttr:
    return EntryAttr(attr.name, None, attr.cloudformation, attr.tf_default, attr.cfn_default, index=index)


__all__ = ["ZONE_ID", "ZONE_NAME", "RECORD_NAME", "RECORD_TYPE", "SET_IDENTIFIER", "HEALTH_CHECK_ID", "FAILOVER",
           "FAILOVER_BLOCK", "ALIAS", "EVALUATE_TARGET_HEALTH", "ALIAS_NAME", "ALIAS_ZONE", "RECORDS", "MULTIVALUE",
           "WEIGHTED_BLOCK", "WEIGHT", "LATENCY_BLOCK", "GEOLOCATION_BLOCK", "GEOPROXIMITY_BLOCK", "CIDR_BLOCK",
           "HEALTH_CHECK_DISABLED", "CLOUDFRONT_TYPES", "ZONE_TYPES",
           "HOSTED_ZONE_NAME", "RECORD_TYPES", "RECORD_SET_GROUP", "HEALTH_CHECK_TYPES", "CLOUDFRONT_ZONE_ID",
           "EntryAttr", "entry_attr"]

# Active-active routing across Regions: latency, weighted and geolocation records (CloudFormation marks
# each by its own property). Read by the DR model to tell multi-site from failover setups.
LATENCY = Attr("latency_routing_policy", "latency_routing_policy", "Properties.Region")
WEIGHTED = Attr("weighted_routing_policy", "weighted_routing_policy", "Properties.Weight")
GEOLOCATION = Attr("geolocation_routing_policy", "geolocation_routing_policy", "Properties.GeoLocation")
ACTIVE_POLICIES = (LATENCY, WEIGHTED, GEOLOCATION)
