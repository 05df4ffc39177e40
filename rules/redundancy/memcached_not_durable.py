from rlint.model import Severity, Unknown
from rlint.rules.attrs.cache_az import CACHE_AZ_MODE, CACHE_ENGINE, CACHE_PREFERRED_AZS
from rlint.rules.base import Fix, Rule, SetAttribute, describe
from rlint.rules.graphutil.zones import count_zones, zones_of_names


class MemcachedNotDurable(Rule):
    """## What it does
    Flags Memcached clusters (`aws_elasticache_cluster` / `AWS::ElastiCache::CacheCluster` with engine
    `memcached`) whose nodes all sit in one Availability Zone: `az_mode` / `AZMode` missing or `single-az`,
    and no preferred zones that spread the nodes.

    ## Why is this bad?
    Memcached has no replication, no persistence and no backups: a node that fails comes back empty. With
    every node in one zone, an outage of that zone empties the whole cache at once, and every request falls
    through to the database behind it, which may not carry that load. Spreading nodes across zones
    (`cross-az`) limits the loss to the share of keys held in the failed zone.

    ## Example
    ```hcl
    resource "aws_elasticache_cluster" "pages" {
      cluster_id      = "pages"
      engine          = "memcached"
      node_type       = "cache.r7g.large"
      num_cache_nodes = 3
    }
    ```
    ```yaml
    Pages:
      Type: AWS::ElastiCache::CacheCluster
      Properties:
        Engine: memcached
        CacheNodeType: cache.r7g.large
        NumCacheNodes: 3
    ```

    ## Use instead
    ```hcl
    resource "aws_elasticache_cluster" "pages" {
      cluster_id      = "pages"
      engine          = "memcached"
      node_type       = "cache.r7g.large"
      num_cache_nodes = 3
      az_mode         = "cross-az"
    }
    ```
    ```yaml
    Pages:
      Type: AWS::ElastiCache::CacheCluster
      Properties:
        Engine: memcached
        CacheNodeType: cache.r7g.large
        NumCacheNodes: 3
        AZMode: cross-az
    ```

    ## Known problems
    Informational: whether the cache holds anything that matters is not visible. A missing mode means
    `single-az` in both formats, unless `preferred_availability_zones` / `PreferredAvailabilityZones` name
    at least two distinct zones. Not flagged: `cross-az` clusters (still without replication or persistence,
    but that is the engine's design; use Redis OSS or Valkey replication groups for data that must
    survive), and Redis or Valkey clusters (RL104). A mode or zone list from a variable or parameter without
    default gives `unknown`.

    ## Fix safety
    Needs review: `cross-az` needs at least two nodes; new nodes go to other zones (existing ones are not
    moved, and a change of `az_mode` may replace the cluster in Terraform), and clients must use the
    configuration endpoint or auto discovery to see them. Inter-AZ traffic is charged.

    ## References
    - https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/SelectEngine.html
    - https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/RegionsAndAZs.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticache-cachecluster.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticache_cluster#az_mode
    """

    id = "RL111"
    name = "memcached-not-durable"
    severity = Severity.INFO
    resource_types = ("aws_elasticache_cluster", "AWS::ElastiCache::CacheCluster")

    def check(self, res, ctx):
        engine = ctx.get(res, CACHE_ENGINE)
        if isinstance(engine, Unknown):
            yield self.unknown(res, engine, at=CACHE_ENGINE)
            return
        if not isinstance(engine, str) or engine.lower() != "memcached":
            return
        mode = ctx.get(res, CACHE_AZ_MODE)
        if isinstance(mode, Unknown):
            yield self.unknown(res, mode, at=CACHE_AZ_MODE)
            return
        if isinstance(mode, str) and mode.lower() == "cross-az":
            return
        if not ctx.has(res, CACHE_AZ_MODE):
            preferred = zones_of_names(ctx.graph, res, ctx.get(res, CACHE_PREFERRED_AZS))
            spread = 0 if preferred is None else count_zones(preferred)
            if isinstance(spread, Unknown):
                yield self.unknown(res, spread, at=CACHE_PREFERRED_AZS)
                return
            if spread >= 2:
                return
        spelled = CACHE_AZ_MODE.spelling(res.format)
        given = describe(mode) if ctx.has(res, CACHE_AZ_MODE) else "not set (single-az)"
        yield self.fail(
            res,
            f"{res.address} is a Memcached cluster with every node in one Availability Zone (`{spelled}` is "
            f"{given}): Memcached keeps no replica and no copy on disk, so a zone outage empties the cache",
            at=CACHE_AZ_MODE,
            fix=Fix(f"Set `{spelled}` to cross-az (with at least two nodes)", (SetAttribute(CACHE_AZ_MODE, "cross-az"),),
                    safety="review", note="nodes spread over zones; a zone outage loses only its share of keys"),
        )
