from rlint.model import MISSING, Severity, Unknown
from rlint.rules.attrs.elasticache import (AUTOMATIC_FAILOVER, CLUSTER_MODE, GLOBAL_REPLICATION_GROUP,
                                           MEMBER_REPLICATION_GROUP, MULTI_AZ, NODE_GROUP_CONFIGURATION,
                                           NUM_CACHE_CLUSTERS, NUM_NODE_GROUPS, PRIMARY_CLUSTER,
                                           REPLICAS_PER_NODE_GROUP, REPLICATION_GROUP_TYPES, TF_CACHE_CLUSTER)
from rlint.rules.base import Fix, Rule, SetAttribute, describe, manual_fix
from rlint.rules.graphutil.values import as_bool, as_int


class ElasticacheNoFailover(Rule):
    """## What it does
    Flags Redis OSS and Valkey replication groups that cannot fail over to another Availability Zone:
    automatic failover off (`automatic_failover_enabled` / `AutomaticFailoverEnabled`), Multi-AZ off
    (`multi_az_enabled` / `MultiAZEnabled`), or a single node per shard (`num_cache_clusters` /
    `NumCacheClusters` below 2, and no `replicas_per_node_group` / `ReplicasPerNodeGroup` of at least 1).
    One finding per group names every missing setting.

    ## Why is this bad?
    Without a replica there is nothing to fail over to: when the primary node, its host or its AZ fails,
    the cache is down until ElastiCache replaces the node, and the data held in memory is lost (restored,
    at best, from the last snapshot). Without automatic failover a replica exists but nobody promotes it,
    so writes fail until an operator does. Without Multi-AZ the replicas may sit in the primary's AZ and
    an AZ outage takes them all down together. With all three, ElastiCache promotes a replica in another
    AZ, typically within a minute or two, and clients reconnect to the same primary endpoint.

    ## Example
    ```hcl
    resource "aws_elasticache_replication_group" "sessions" {
      replication_group_id = "sessions"
      description          = "user sessions"
      engine               = "valkey"
      node_type            = "cache.r7g.large"
    }
    ```
    ```yaml
    Sessions:
      Type: AWS::ElastiCache::ReplicationGroup
      Properties:
        ReplicationGroupDescription: user sessions
        Engine: valkey
        CacheNodeType: cache.r7g.large
    ```

    ## Use instead
    ```hcl
    resource "aws_elasticache_replication_group" "sessions" {
      replication_group_id       = "sessions"
      description                = "user sessions"
      engine                     = "valkey"
      node_type                  = "cache.r7g.large"
      num_cache_clusters         = 2 # a primary and one replica
      automatic_failover_enabled = true
      multi_az_enabled           = true
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
        AutomaticFailoverEnabled: true
        MultiAZEnabled: true
    ```

    ## Known problems
    In cluster mode (`num_node_groups` / `NumNodeGroups`, or node group configurations) every shard needs a
    replica: every `replica_count` / `ReplicaCount` must be at least 1 unless `replicas_per_node_group` is.
    In Terraform, `aws_elasticache_cluster` resources that join the group through `replication_group_id`
    count as replicas. A group whose node count cannot be read (a CloudFormation group built around an
    existing `PrimaryClusterId`, or replicas per shard left to the API in cluster mode) and any value from a
    variable or parameter without default give `unknown`, unless a known setting already fails. A secondary
    group of a Global Datastore (`global_replication_group_id`) is reported at low severity. Serverless
    caches are multi-AZ by design and are not checked; standalone cache clusters are RL104's business.
    Distinct preferred AZs are not checked. A CloudFormation group with several shards and no
    `AutomaticFailoverEnabled` is not reported for failover: cluster mode enabled requires failover, and
    the property is then left to the service (cfn-lint's E3026 likewise rejects only an explicit false);
    Terraform sends its default, false, and is reported.

    ## Fix safety
    Needs review: a replica node doubles the cost of each shard. Adding replicas and turning on automatic
    failover and Multi-AZ are online changes (apply them outside peak hours: replica creation copies the
    dataset). Automatic failover is not available on T1 node types, and T2 nodes need cluster mode.

    ## References
    - https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html
    - https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticache-replicationgroup.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticache_replication_group
    - https://docs.aws.amazon.com/config/latest/developerguide/elasticache-repl-grp-auto-failover-enabled.html
    """

    id = "RL103"
    name = "elasticache-no-failover"
    severity = Severity.HIGH
    resource_types = REPLICATION_GROUP_TYPES
    checkov_ids = ("CKV2_AWS_50",)

    def check(self, res, ctx):
        problems, unknowns, changes = [], [], []
        for attr in (AUTOMATIC_FAILOVER, MULTI_AZ):
            if attr is AUTOMATIC_FAILOVER and self._sharded_cfn_default(ctx, res):
                continue
            value = as_bool(ctx.get(res, attr))
            if isinstance(value, Unknown):
                unknowns.append((attr, value))
            elif value is not True:
                problems.append((attr, self._state(ctx, res, attr, value, "off")))
                changes.append(SetAttribute(attr, True))
        nodes = self._node_problem(ctx, res)
        if isinstance(nodes, Unknown):
            unknowns.append((None, nodes))
        elif nodes is not None:
            attr, text, change = nodes
            problems.append((attr, text))
            if change is not None:  # per-node-group counts are raised by hand, group by group
                changes.append(change)
        if problems:
            spelled = ", ".join(text for _a, text in problems)
            failing = {a for a, _t in problems}
            if nodes is not None and not isinstance(nodes, Unknown):
                impact = "a node or AZ failure takes the cache down and loses the data held in memory"
            elif AUTOMATIC_FAILOVER in failing:
                impact = "when the primary or its AZ fails, writes stop until someone promotes a replica"
            else:
                impact = "the replicas may share the primary's AZ, and an AZ outage then takes them all down"
            result = self.fail(
                res,
                f"{res.address} cannot fail over to another AZ ({spelled}): {impact}",
                at=problems[0][0],
                fix=Fix("Add a replica per shard and turn on automatic failover and Multi-AZ", tuple(changes),
                        safety="review", note="a replica doubles the node cost; the changes apply online")
                if changes else manual_fix(
                    "Add a replica to each shard listed in `NodeGroupConfiguration`",
                    "the shards are configured one by one (`NodeGroupConfiguration`): give each a `ReplicaCount` "
                    "of at least 1, which doubles their node cost", note="the changes apply online"),
            )
            result.severity = Severity.LOW if ctx.has(res, GLOBAL_REPLICATION_GROUP) else None
            yield result
        elif unknowns:
            attr, why = unknowns[0]
            yield self.unknown(res, why, at=attr, what="" if attr else "the number of nodes per shard")

    @staticmethod
    def _sharded_cfn_default(ctx, res) -> bool:
        """Several shards mean cluster mode enabled, which requires failover; CloudFormation sends nothing when
        AutomaticFailoverEnabled is absent, so an explicit false is the only certain problem."""
        if res.format != "cloudformation" or ctx.has(res, AUTOMATIC_FAILOVER):
            return False
        shards = as_int(ctx.get(res, NUM_NODE_GROUPS))
        configs = ctx.get(res, NODE_GROUP_CONFIGURATION)
        return (isinstance(shards, int) and shards > 1) or (isinstance(configs, list) and len(configs) > 1)

    @staticmethod
    def _state(ctx, res, attr, value, meaning: str) -> str:
        shown = describe(value) if ctx.has(res, attr) else f"not set ({meaning})"
        return f"`{attr.spelled_in(res)}` is {shown}"

    def _node_problem(self, ctx, res):
        """None when every shard has a replica, an Unknown, or (attr, text, change) naming the shortfall."""
        if self._cluster_mode(ctx, res):
            return self._shard_replicas(ctx, res)
        clusters = as_int(ctx.get(res, NUM_CACHE_CLUSTERS))
        if isinstance(clusters, Unknown):
            return clusters
        if not ctx.has(res, NUM_CACHE_CLUSTERS) and ctx.has(res, PRIMARY_CLUSTER):
            return Unknown("the group is built around an existing primary cluster whose replicas are not known")
        members = ctx.graph.referrers(res, type=TF_CACHE_CLUSTER, attr=MEMBER_REPLICATION_GROUP.path(res.format)) \
            if res.format == "terraform" else []
        if not isinstance(clusters, int) or clusters + len(members) >= 2:
            return None
        text = self._state(ctx, res, NUM_CACHE_CLUSTERS, clusters, "1 node, no replica")
        return NUM_CACHE_CLUSTERS, text, SetAttribute(NUM_CACHE_CLUSTERS, 2)

    @staticmethod
    def _cluster_mode(ctx, res) -> bool:
        mode = ctx.get(res, CLUSTER_MODE)
        return (ctx.has(res, NUM_NODE_GROUPS) or ctx.has(res, REPLICAS_PER_NODE_GROUP)
                or ctx.has(res, NODE_GROUP_CONFIGURATION) or (isinstance(mode, str) and mode == "enabled"))

    def _shard_replicas(self, ctx, res):
        replicas = as_int(ctx.get(res, REPLICAS_PER_NODE_GROUP))
        if isinstance(replicas, Unknown):
            return replicas
        if isinstance(replicas, int) and replicas >= 1:
            return None
        configs = ctx.get(res, NODE_GROUP_CONFIGURATION)
        if isinstance(configs, Unknown):
            return configs
        key = "replica_count" if res.format == "terraform" else "ReplicaCount"
        counts = [as_int(c.get(key, MISSING)) if isinstance(c, dict) else c
                  for c in (configs if isinstance(configs, list) else [])]
        if counts and all(isinstance(c, int) and c >= 1 for c in counts):
            return None
        undecided = next((c for c in counts if isinstance(c, Unknown)), None)
        if undecided is not None:
            return undecided
        if replicas is MISSING and not any(isinstance(c, int) for c in counts):
            if ctx.has(res, AUTOMATIC_FAILOVER) and ctx.has(res, MULTI_AZ):
                # failover is asked for, and the API picks the replica count: let the deployment tell
                return Unknown("the replicas per shard are left to the API")
        if counts:
            low = next(c for c in counts if not (isinstance(c, int) and c >= 1))
            shown = describe(low) if isinstance(low, int) else "not set"
            text = f"a node group configuration's `{key}` is {shown}"
            return NODE_GROUP_CONFIGURATION, text, None
        text = self._state(ctx, res, REPLICAS_PER_NODE_GROUP, replicas, "no replica")
        return REPLICAS_PER_NODE_GROUP, text, SetAttribute(REPLICAS_PER_NODE_GROUP, 1)
