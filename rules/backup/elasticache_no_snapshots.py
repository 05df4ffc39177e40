from rlint.model import Severity, Unknown
from rlint.rules.attrs.cache_az import CACHE_ENGINE
from rlint.rules.attrs.elasticache import (REPLICATION_GROUP_ENGINE, REPLICATION_GROUP_TYPES, SNAPSHOT_ENGINES,
                                           SNAPSHOT_RETENTION_LIMIT, SNAPSHOT_WINDOW)
from rlint.rules.base import Fix, Rule, SetAttribute, describe
from rlint.rules.data_value import judges_kept_data
from rlint.rules.graphutil.elasticache import in_replication_group
from rlint.rules.graphutil.values import as_int

CLUSTER_TYPES = ("aws_elasticache_cluster", "AWS::ElastiCache::CacheCluster")
SUGGESTED_DAYS = 7


class ElasticacheNoSnapshots(Rule):
    """## What it does
    Flags Redis OSS and Valkey caches that hold data kept nowhere else without automatic snapshots:
    replication groups (`aws_elasticache_replication_group`, `AWS::ElastiCache::ReplicationGroup`) and
    standalone node-based clusters (`aws_elasticache_cluster`, `AWS::ElastiCache::CacheCluster`) whose
    `snapshot_retention_limit` / `SnapshotRetentionLimit` is 0 or missing (0 is the default in both formats)
    and whose parameter group sets `maxmemory-policy` to `noeviction`: Redis then refuses writes rather than
    drop a key, the setting of a store or a queue, not of a cache.

    A snapshot window (`snapshot_window` / `SnapshotWindow`) set beside no retention takes no snapshot; the
    message says so, since such a configuration schedules snapshots that never happen.

    ## Why is this bad?
    Without snapshots the data lives only in memory. When every node of a shard is lost at once (a zone
    outage on a group without Multi-AZ, a failed engine upgrade, an accidental `FLUSHALL` or deletion), the
    cache comes back empty: sessions, queues, leaderboards or anything else stored only in Redis are gone, and
    a cold cache sends the full load to the database behind it. A daily snapshot bounds the loss to a day and
    lets a new cluster be seeded from it.

    ## Example
    ```hcl
    resource "aws_elasticache_parameter_group" "keep_all" {
      name   = "keep-all"
      family = "valkey8"
      parameter {
        name  = "maxmemory-policy"
        value = "noeviction"
      }
    }

    resource "aws_elasticache_replication_group" "sessions" {
      replication_group_id = "sessions"
      description          = "user sessions"
      engine               = "valkey"
      node_type            = "cache.r7g.large"
      num_cache_clusters   = 2
      parameter_group_name = aws_elasticache_parameter_group.keep_all.name
    }
    ```
    ```yaml
    KeepAll:
      Type: AWS::ElastiCache::ParameterGroup
      Properties:
        CacheParameterGroupFamily: valkey8
        Description: keep every key
        Properties:
          maxmemory-policy: noeviction
    Sessions:
      Type: AWS::ElastiCache::ReplicationGroup
      Properties:
        ReplicationGroupDescription: user sessions
        Engine: valkey
        CacheNodeType: cache.r7g.large
        NumCacheClusters: 2
        CacheParameterGroupName: !Ref KeepAll
    ```

    ## Use instead
    ```hcl
    resource "aws_elasticache_replication_group" "sessions" {
      replication_group_id     = "sessions"
      description              = "user sessions"
      engine                   = "valkey"
      node_type                = "cache.r7g.large"
      num_cache_clusters       = 2
      snapshot_retention_limit = 7
    }
    ```
    ```yaml
    Sessions:
      Type: AWS::ElastiCache::ReplicationGroup
      Properties:
        ReplicationGroupDescription: user sessions
        Engine: valkey
        CacheNodeType: cache.r7g.large
        NumCacheClusters: 2
        SnapshotRetentionLimit: 7
    ```

    ## Known problems
    Memcached is skipped: it has no snapshots at all (RL111 reports its lack of durability). A cluster that
    belongs to a replication group (Terraform `replication_group_id`; CloudFormation a group naming it in
    `PrimaryClusterId`) takes its snapshot settings from the group and is judged through the group. A cache
    that keeps no snapshots under an eviction policy that may drop keys (the default groups' `volatile-lru`,
    any `*-lru`, `*-lfu`, `*-random` or `volatile-ttl`) is run as a cache and is not judged unless the
    configuration includes `caches` (docs/data-value.md): on 20 public repositories judged by hand, every such
    finding was a cache or a job queue its team would not snapshot. A parameter group named but not in the
    configuration (`platform-redis7` from another stack) gives `unknown`, as does a retention, policy or engine
    from a variable or parameter without a value. A group described as a job broker (Sidekiq, Celery, "queues")
    is class `queues`. Serverless caches are not checked.

    ## Fix safety
    Needs review: snapshot storage is billed, and taking a snapshot uses the node's reserved memory and some
    CPU; choose a `snapshot_window` / `SnapshotWindow` outside peak hours. No replacement and no downtime.

    ## References
    - https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/backups-automatic.html
    - https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/backups.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticache-replicationgroup.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticache_replication_group#snapshot_retention_limit
    """

    id = "RL310"
    name = "elasticache-no-snapshots"
    severity = Severity.MEDIUM
    resource_types = REPLICATION_GROUP_TYPES + CLUSTER_TYPES
    checkov_ids = ("CKV_AWS_134",)
    trivy_ids = ("AVD-AWS-0050", "aws-elasticache-enable-backup-retention")
    graph_rule = True

    @judges_kept_data(persistence=False)
    def check(self, res, ctx):
        if res.type in CLUSTER_TYPES and in_replication_group(ctx, res):
            return
        limit = as_int(ctx.get(res, SNAPSHOT_RETENTION_LIMIT))
        if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
            return
        engine_attr = REPLICATION_GROUP_ENGINE if res.type in REPLICATION_GROUP_TYPES else CACHE_ENGINE
        engine = ctx.get(res, engine_attr)
        if isinstance(engine, str) and engine.lower() not in SNAPSHOT_ENGINES:
            return  # memcached
        if isinstance(limit, Unknown):
            yield self.unknown(res, limit, at=SNAPSHOT_RETENTION_LIMIT)
            return
        if isinstance(engine, Unknown):
            yield self.unknown(res, engine, at=engine_attr)
            return
        if not isinstance(engine, str) or limit != 0:
            return
        spelled = SNAPSHOT_RETENTION_LIMIT.spelling(res.format)
        shown = describe(limit) if ctx.has(res, SNAPSHOT_RETENTION_LIMIT) else "not set: the default is `0`"
        yield self.fail(
            res,
            f"{res.address} ({engine}) takes no automatic snapshots (`{spelled}` is {shown}){_idle_window(res, ctx)}: "
            f"if its nodes are lost the data is gone and the cache restarts empty",
            at=SNAPSHOT_RETENTION_LIMIT,
            fix=Fix(f"Set `{spelled}` to {SUGGESTED_DAYS}", (SetAttribute(SNAPSHOT_RETENTION_LIMIT, SUGGESTED_DAYS),),
                    safety="review", note="snapshot storage is billed; pick a snapshot window outside peak hours",
                    # with snapshots the cache is a store: the DR rule judges it from then on
                    follow_up=("RL703",)),
        )


def _idle_window(res, ctx) -> str:
    """A snapshot window set beside no retention: the configuration schedules snapshots that AWS never takes."""
    window = ctx.get(res, SNAPSHOT_WINDOW)
    if not isinstance(window, str) or not window:
        return ""
    return f", although it sets a snapshot window (`{SNAPSHOT_WINDOW.spelling(res.format)}` {describe(window)}) " \
           f"that takes none while the retention is 0"
