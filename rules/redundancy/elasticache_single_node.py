from rlint.model import Severity, Unknown
from rlint.rules.attrs.cache_az import CACHE_ENGINE
from rlint.rules.base import Rule, describe, manual_fix
from rlint.rules.graphutil.elasticache import in_replication_group

_REDIS_LIKE = ("redis", "valkey")


class ElasticacheSingleNode(Rule):
    """## What it does
    Flags standalone Redis OSS or Valkey node-based clusters (`aws_elasticache_cluster` /
    `AWS::ElastiCache::CacheCluster` with engine `redis` or `valkey`) that belong to no replication group.

    ## Why is this bad?
    A standalone Redis or Valkey cluster is exactly one node: the API allows no replicas on it. When the node,
    its host or its Availability Zone fails, the cache is down until ElastiCache replaces the node, and the
    replacement starts empty (or from the last snapshot): applications see errors, then a cold cache and a
    load spike on the database behind it. A replication group with a replica in another zone and automatic
    failover promotes the replica in about a minute with the data intact.

    ## Example
    ```hcl
    resource "aws_elasticache_cluster" "sessions" {
      cluster_id      = "sessions"
      engine          = "redis"
      node_type       = "cache.r7g.large"
      num_cache_nodes = 1
    }
    ```
    ```yaml
    Sessions:
      Type: AWS::ElastiCache::CacheCluster
      Properties:
        Engine: redis
        CacheNodeType: cache.r7g.large
        NumCacheNodes: 1
    ```

    ## Use instead
    ```hcl
    resource "aws_elasticache_replication_group" "sessions" {
      replication_group_id       = "sessions"
      description                = "sessions"
      engine                     = "valkey"
      node_type                  = "cache.r7g.large"
      num_cache_clusters         = 2
      automatic_failover_enabled = true
      multi_az_enabled           = true
    }
    ```
    ```yaml
    Sessions:
      Type: AWS::ElastiCache::ReplicationGroup
      Properties:
        ReplicationGroupDescription: sessions
        Engine: valkey
        CacheNodeType: cache.r7g.large
        NumCacheClusters: 2
        AutomaticFailoverEnabled: true
        MultiAZEnabled: true
    ```

    ## Known problems
    Not flagged: Terraform clusters with `replication_group_id` (read replicas of a group), CloudFormation
    clusters adopted by a replication group through `PrimaryClusterId` (a reference or the literal
    `ClusterName`), Memcached clusters (RL111), and serverless caches (`aws_elasticache_serverless_cache`,
    `AWS::ElastiCache::ServerlessCache`), which span zones by design. An engine from a variable or
    parameter without default gives `unknown`. A cluster that only holds data that is cheap to rebuild may
    be acceptable: suppress it with a reason. Replication-group settings are RL103's concern.

    ## Fix safety
    Needs review: a node-based cluster cannot be turned into a replication group in place by these tools.
    Create a replication group (seeded from a snapshot of the cluster to keep the data), move clients to
    its primary endpoint, then delete the cluster. A replica doubles the node cost. rlint shows this fix without
    writing it (display-only): the replication group is a new resource with a new endpoint.

    ## References
    - https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html
    - https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticache-cachecluster.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticache_cluster
    """

    id = "RL104"
    name = "elasticache-single-node"
    severity = Severity.HIGH
    resource_types = ("aws_elasticache_cluster", "AWS::ElastiCache::CacheCluster")
    graph_rule = True

    def check(self, res, ctx):
        if in_replication_group(ctx, res):
            return
        engine = ctx.get(res, CACHE_ENGINE)
        if isinstance(engine, Unknown):
            yield self.unknown(res, engine, at=CACHE_ENGINE)
            return
        if not isinstance(engine, str) or engine.lower() not in _REDIS_LIKE:
            return
        yield self.fail(
            res,
            f"{res.address} is a single-node {engine} cluster (`{CACHE_ENGINE.spelling(res.format)}` is "
            f"{describe(engine)}, no replication group): a node or zone failure takes the cache down and it "
            f"comes back empty",
            at=CACHE_ENGINE,
            fix=manual_fix("Replace the cluster with a replication group of at least two nodes with automatic "
                           "failover and Multi-AZ",
                           "a single-node cluster cannot gain replicas in place: a replication group is a new "
                           "resource with a new endpoint, seeded from a snapshot, and clients must move to it",
                           note="seed the group from a snapshot of the cluster, then move clients to its primary "
                                "endpoint"),
        )
