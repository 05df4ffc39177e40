"""ElastiCache node-based clusters (`aws_elasticache_cluster`, `AWS::ElastiCache::CacheCluster`): engine and
placement. Replication-group settings live with the replication-group rules."""
from rlint.rules.base import Attr

CACHE_ENGINE = Attr("engine", "engine", "Properties.Engine")
# Terraform only: a cluster with replication_group_id is a member (replica) of that group.
CACHE_REPLICATION_GROUP = Attr("replication_group_id", "replication_group_id", None)
# Memcached placement: both formats (and the API) assume single-az when neither mode nor zones are given.
CACHE_AZ_MODE = Attr("az_mode", "az_mode", "Properties.AZMode", tf_default="single-az", cfn_default="single-az")
CACHE_PREFERRED_AZS = Attr("preferred_availability_zones", "preferred_availability_zones",
                           "Properties.PreferredAvailabilityZones")
CACHE_PREFERRED_AZ = Attr("availability_zone", "availability_zone", "Properties.PreferredAvailabilityZone")
CACHE_NUM_NODES = Attr("num_cache_nodes", "num_cache_nodes", "Properties.NumCacheNodes")
# CloudFormation: a replication group can adopt an existing cluster as its primary.
RG_PRIMARY_CLUSTER = Attr("primary_cluster_id", None, "Properties.PrimaryClusterId")

__all__ = ["CACHE_ENGINE", "CACHE_REPLICATION_GROUP", "CACHE_AZ_MODE", "CACHE_PREFERRED_AZS", "CACHE_PREFERRED_AZ",
           "CACHE_NUM_NODES", "RG_PRIMARY_CLUSTER"]
