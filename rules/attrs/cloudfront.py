"""CloudFront distributions: origins, origin groups and the cache behaviors that target them
(`aws_cloudfront_distribution`, `AWS::CloudFront::Distribution`)."""
from rlint.rules.base import Attr

DISTRIBUTION_TYPES = ("aws_cloudfront_distribution", "AWS::CloudFront::Distribution")

# required in both formats; a disabled distribution serves no viewer
DISTRIBUTION_ENABLED = Attr("enabled", "enabled", "Properties.DistributionConfig.Enabled")
# a continuous-deployment staging copy takes a share of the primary's traffic and mirrors its settings
DISTRIBUTION_STAGING = Attr("staging", "staging", "Properties.DistributionConfig.Staging", tf_default=False,
                            cfn_default=False)
ORIGINS = Attr("origins", "origin", "Properties.DistributionConfig.Origins")
# Terraform: `origin_group` blocks; CloudFormation: OriginGroups {Quantity, Items}
ORIGIN_GROUPS = Attr("origin_groups", "origin_group", "Properties.DistributionConfig.OriginGroups.Items")
DEFAULT_BEHAVIOR = Attr("default_cache_behavior", "default_cache_behavior",
                        "Properties.DistributionConfig.DefaultCacheBehavior")
ORDERED_BEHAVIORS = Attr("ordered_cache_behaviors", "ordered_cache_behavior",
                         "Properties.DistributionConfig.CacheBehaviors")
DEFAULT_TARGET = Attr("default_cache_behavior.target_origin_id", "default_cache_behavior.target_origin_id",
                      "Properties.DistributionConfig.DefaultCacheBehavior.TargetOriginId")

__all__ = ["DISTRIBUTION_TYPES", "DISTRIBUTION_ENABLED", "DISTRIBUTION_STAGING", "ORIGINS", "ORIGIN_GROUPS",
           "DEFAULT_BEHAVIOR", "ORDERED_BEHAVIORS", "DEFAULT_TARGET"]
