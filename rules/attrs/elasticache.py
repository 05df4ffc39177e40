"""ElastiCache Redis OSS / Valkey replication groups (`aws_elasticache_replication_group`,
`AWS::ElastiCache::ReplicationGroup`): failover, Multi-AZ and nodes per shard.

Node-based clusters (`aws_elasticache_cluster`, `CacheCluster`) have their own attributes elsewhere.
"""
from rlint.rules.base import Attr

# both formats (and the API) default automatic failover and Multi-AZ to off
AUTOMATIC_FAILOVER = Attr("automatic_failover_enabled", "automatic_failover_enabled",
                          "Properties.AutomaticFailoverEnabled", tf_default=False, cfn_default=False)
MULTI_AZ = Attr("multi_az_enabled", "multi_az_enabled", "Properties.MultiAZEnabled", tf_default=False,
                cfn_default=False)
# cluster mode disabled: primary + replicas; omitted means 1 (the primary alone) in both formats.
# Provider 4.x and older: `number_cache_clusters` (removed in 5.0).
NUM_CACHE_CLUSTERS = Attr("num_cache_clusters", "num_cache_clusters", "Properties.NumCacheClusters",
                          tf_default=1, cfn_default=1, tf_legacy=("number_cache_clusters",))
# cluster mode (shards): replicas in each shard, globally or per node group configuration.
# Provider 4.x and older: both inside a `cluster_mode { ... }` block (the block was removed in 5.0).
NUM_NODE_GROUPS = Attr("num_node_groups", "num_node_groups", "Properties.NumNodeGroups",
                       tf_legacy=("cluster_mode.num_node_groups",))
REPLICAS_PER_NODE_GROUP = Attr("replicas_per_node_group", "replicas_per_node_group",
                               "Properties.ReplicasPerNodeGroup", tf_legacy=("cluster_mode.replicas_per_node_group",))
# CloudFormation only: the AWS provider has no node group configuration (tests/test_attr_schema.py)
NODE_GROUP_CONFIGURATION = Attr("node_group_configuration", None, "Properties.NodeGroupConfiguration")
# provider 5.x: "enabled", "disabled" or "compatible" (in 4.x the name of the shard block above)
CLUSTER_MODE = Attr("cluster_mode", "cluster_mode", None)
# CloudFormation: a replication group built around an existing cluster as its primary
PRIMARY_CLUSTER = Attr("primary_cluster_id", None, "Properties.PrimaryClusterId")
GLOBAL_REPLICATION_GROUP = Attr("global_replication_group_id", "global_replication_group_id",
                                "Properties.GlobalReplicationGroupId")
# Terraform: an aws_elasticache_cluster that joins a replication group as a replica
MEMBER_REPLICATION_GROUP = Attr("replication_group_id", "replication_group_id", None)

# Automatic snapshots (Redis OSS / Valkey only): 0, or absent, means none in both formats.
SNAPSHOT_RETENTION_LIMIT = Attr("snapshot_retention_limit", "snapshot_retention_limit",
                                "Properties.SnapshotRetentionLimit", tf_default=0, cfn_default=0)
# When the daily snapshot starts: it does nothing while the retention limit is 0 (AWS takes no snapshot then).
SNAPSHOT_WINDOW = Attr("snapshot_window", "snapshot_window", "Properties.SnapshotWindow")

# A replication group's engine: Redis OSS unless valkey is named (Memcached has no replication groups).
REPLICATION_GROUP_ENGINE = Attr("engine", "engine", "Properties.Engine", tf_default="redis", cfn_default="redis")
# Engines that take snapshots (Memcached keeps nothing to snapshot).
SNAPSHOT_ENGINES = ("redis", "valkey")

REPLICATION_GROUP_TYPES = ("aws_elasticache_replication_group", "AWS::ElastiCache::ReplicationGroup")
TF_CACHE_CLUSTER = "aws_elasticache_cluster"

__all__ = ["AUTOMATIC_FAILOVER", "MULTI_AZ", "NUM_CACHE_CLUSTERS", "NUM_NODE_GROUPS", "REPLICAS_PER_NODE_GROUP",
           "NODE_GROUP_CONFIGURATION", "CLUSTER_MODE", "PRIMARY_CLUSTER", "GLOBAL_REPLICATION_GROUP",
           "MEMBER_REPLICATION_GROUP", "SNAPSHOT_RETENTION_LIMIT", "SNAPSHOT_WINDOW", "REPLICATION_GROUP_TYPES", "TF_CACHE_CLUSTER",
           "REPLICATION_GROUP_ENGINE", "SNAPSHOT_ENGINES"]
# what the group is for, in the team's words (the data-value model reads a job broker from it).
# Provider 4.x and older: `replication_group_description` (renamed in 5.0).
DESCRIPTION = Attr("description", "description", "Properties.ReplicationGroupDescription",
                   tf_legacy=("replication_group_description",))
