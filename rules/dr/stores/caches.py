"""ElastiCache (Redis OSS / Valkey) replication groups and standalone clusters."""
from __future__ import annotations

from typing import Optional

from rlint.model import Resource, Unknown
from rlint.rules.attrs import elasticache as ec
from rlint.rules.base import TERRAFORM, Attr, Fix, RuleContext, SetAttribute
from rlint.rules.dr import figures as F
from rlint.rules.dr.estimate import AZ, DELETION, REGION
from rlint.rules.dr.stores.base import Store, is_set, opt
from rlint.rules.graphutil.values import as_int

CACHE_CLUSTER_TYPES = ("aws_elasticache_cluster", "AWS::ElastiCache::CacheCluster")
CACHE_ENGINE = Attr("cache_engine", "engine", "Properties.Engine")


# -- ElastiCache (Redis OSS / Valkey) ------------------------------------------------------------------------
def _snapshots(ctx: RuleContext, store: Store, scenarios: tuple) -> None:
    limit = as_int(ctx.get(store.res, ec.SNAPSHOT_RETENTION_LIMIT))
    decided = limit if isinstance(limit, Unknown) else isinstance(limit, int) and limit > 0
    option = opt("automatic snapshots", F.ELASTICACHE_SNAPSHOT.seconds, F.RESTORE.seconds,
                 F.ELASTICACHE_SNAPSHOT, F.RESTORE)
    for scenario in scenarios:
        store.offer(scenario, decided, option)
    if decided is not True:
        store.gap(DELETION, "turn on automatic snapshots",
                  Fix("Keep automatic snapshots for 7 days", (SetAttribute(ec.SNAPSHOT_RETENTION_LIMIT, 7),),
                      note="snapshot storage beyond one is billed"), option)


def replication_group(ctx: RuleContext, res: Resource) -> Optional[Store]:
    from rlint.rules.redundancy.elasticache_no_failover import ElasticacheNoFailover

    store = Store(res, "ElastiCache replication group")
    verdicts = list(ElasticacheNoFailover().check(res, ctx))  # RL103 decides whether the group can fail over
    failover = opt("Multi-AZ automatic failover", 1,
                   F.ELASTICACHE_FAILOVER.seconds, F.ELASTICACHE_FAILOVER)
    if not verdicts:
        store.add(AZ, failover)
    elif verdicts[0].outcome.value == "unknown":
        store.maybe(AZ, failover, Unknown(verdicts[0].message))
    else:
        store.gap(AZ, "a replica per shard with automatic failover and Multi-AZ",
                  verdicts[0].fix if verdicts[0].fix and verdicts[0].fix.changes else None)
    _snapshots(ctx, store, (AZ, DELETION))
    store.offer(REGION, _in_global_datastore(ctx, res),
                opt("Global Datastore", F.ELASTICACHE_GLOBAL.seconds, F.ELASTICACHE_FAILOVER.seconds,
                    F.ELASTICACHE_GLOBAL, cross_region=True, live=True))
    store.gap(REGION, "a Global Datastore secondary in another Region")
    return store


# A Global Datastore names its primary group (the secondaries name the datastore)
_GLOBAL_DATASTORE_TYPES = ("aws_elasticache_global_replication_group", "AWS::ElastiCache::GlobalReplicationGroup")


def _in_global_datastore(ctx: RuleContext, res: Resource):
    if any(ctx.graph.referrers(res, type=t) for t in _GLOBAL_DATASTORE_TYPES):
        return True
    return is_set(ctx, res, ec.GLOBAL_REPLICATION_GROUP)


def cache_cluster(ctx: RuleContext, res: Resource) -> Optional[Store]:
    engine = ctx.get(res, CACHE_ENGINE)
    if res.format == TERRAFORM and ctx.has(res, ec.MEMBER_REPLICATION_GROUP):
        return None  # a node of a replication group
    if not (isinstance(engine, str) and engine.lower() in ("redis", "valkey")):
        return None  # Memcached keeps nothing to recover; an unknown engine is not assumed to
    store = Store(res, "ElastiCache cluster")
    store.estimates[AZ].note = "a single cache node lives in one AZ"
    _snapshots(ctx, store, (AZ, DELETION))
    store.gap(AZ, "a replication group with a replica and automatic failover")
    store.gap(REGION, "a replication group in a Global Datastore")
    return store


__all__ = ['replication_group', 'cache_cluster', 'CACHE_CLUSTER_TYPES']
