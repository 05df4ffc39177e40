"""RDS DB instances, Aurora and Multi-AZ DB clusters, DynamoDB tables and global tables."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Optional

from rlint.lazy_regex import lazy_regex
from rlint.model import PartialString, Resource, Unknown
from rlint.rules.attrs import aurora as au
from rlint.rules.attrs import dynamodb as ddb
from rlint.rules.attrs import rds
from rlint.rules.base import TERRAFORM, Attr, Fix, RuleContext, SetAttribute, lookup
from rlint.rules.dr import figures as F
from rlint.rules.dr.estimate import AZ, DELETION, REGION, Gap
from rlint.rules.dr.regions import leaves, named, region_label, region_name
from rlint.rules.dr.stores.backups import backup_options
from rlint.rules.dr.stores.base import Store, is_set, is_true, opt
from rlint.rules.graphutil.aurora import members_of
from rlint.rules.graphutil.policies import rds_instance_role
from rlint.rules.graphutil.values import as_int


def _more_frequent_backups(store: Store) -> None:
    """Advise a more frequent AWS Backup rule for a deletion only when one could help: no backup restores to a
    point closer than point-in-time restore's (continuous backup's) 5 minutes, so a store that already has it
    gets no advice rlint cannot make good on."""
    rpo = store.estimates[DELETION].value("rpo")
    if rpo is None or rpo > F.PITR.seconds:
        store.estimates[DELETION].gaps.append(Gap("an AWS Backup rule that runs more often", metrics=("rpo",)))


# -- RDS DB instances ------------------------------------------------------------------------------------
def rds_instance(ctx: RuleContext, res: Resource) -> Optional[Store]:
    role = "replica" if res.type == "aws_db_instance" and ctx.has(res, rds.REPLICATE_SOURCE) else \
        "standalone" if res.type == "aws_db_instance" else rds_instance_role(ctx, res)
    if role != "standalone":
        return None  # Aurora members belong to their cluster; replicas are another store's copy
    store = Store(res, "RDS DB instance")
    multi_az = is_true(ctx.get(res, rds.MULTI_AZ))
    standby = opt("Multi-AZ standby", 0, F.RDS_MULTI_AZ_FAILOVER.seconds, F.RDS_MULTI_AZ_FAILOVER)
    store.offer(AZ, multi_az, standby)
    store.gap(AZ, "set Multi-AZ (a synchronous standby in another AZ)",
              Fix("Turn on Multi-AZ", (SetAttribute(rds.MULTI_AZ, True),), safety="review",
                  note="a standby doubles the instance cost; the change applies without downtime"), standby)
    retention = as_int(ctx.get(res, rds.BACKUP_RETENTION))
    pitr = retention if isinstance(retention, Unknown) else isinstance(retention, int) and retention > 0
    restore = opt("automated backups (point-in-time restore)", F.PITR.seconds, F.RESTORE.seconds, F.PITR, F.RESTORE)
    store.offer(AZ, pitr, restore)
    store.offer(DELETION, pitr, restore)
    if pitr is not True:
        store.gap(DELETION, "turn on automated backups (point-in-time restore)",
                  Fix("Keep automated backups for 7 days", (SetAttribute(rds.BACKUP_RETENTION, 7),),
                      note="backup storage beyond the DB size is billed"), restore)
    _rds_cross_region(ctx, store)
    backup_options(ctx, store, continuous_ok=True)  # after the cheaper options: it skips plans they beat
    store.region_gap("a cross-Region read replica", "replicated automated backups")
    _more_frequent_backups(store)
    return store


def _rds_cross_region(ctx: RuleContext, store: Store) -> None:
    res = store.res
    for replica in ctx.graph.referrers(res, type=res.type, attr=rds.REPLICATE_SOURCE.path(res.format)):
        away = leaves(res, replica)  # in one CloudFormation stack: the same Region
        store.offer(REGION, away, opt(f"cross-Region read replica {replica.address}",
                                      F.CROSS_REGION_REPLICA_LAG.seconds, F.PROMOTE_REPLICA.seconds,
                                      F.CROSS_REGION_REPLICA_LAG, F.PROMOTE_REPLICA, cross_region=True, live=True,
                                      to=(region_label(replica),)))
    for replica, why in _replicas_naming(ctx, res):
        replica_opt = opt(f"cross-Region read replica {named(replica)}", F.CROSS_REGION_REPLICA_LAG.seconds,
                          F.PROMOTE_REPLICA.seconds, F.CROSS_REGION_REPLICA_LAG, F.PROMOTE_REPLICA,
                          cross_region=True, live=True, to=(region_label(replica),))
        store.offer(REGION, leaves(res, replica) if why is None else why, replica_opt)
    backups = opt("automated backups replicated to another Region", F.BACKUP_REPLICATION.seconds,
                  F.RESTORE.seconds, F.BACKUP_REPLICATION, F.RESTORE, cross_region=True)
    if res.format == TERRAFORM:
        for rep in ctx.graph.referrers(res, type=rds.TF_BACKUP_REPLICATION):
            store.offer(REGION, leaves(res, rep), replace(backups, to=(region_label(rep),)))
    elif ctx.has(res, rds.BACKUP_REPLICATION_REGION):
        region = ctx.get(res, rds.BACKUP_REPLICATION_REGION)
        store.offer(REGION, leaves(res, region), replace(backups, to=(region,) if isinstance(region, str) else ()))


_DB_ARN = lazy_regex(r"^arn:[^:]*:rds:(?P<region>[^:]*):(?P<account>[^:]*):db:(?P<name>[^:]+)$")
_HOLE = "\x00"  # an undecided piece of a PartialString


def _source_named(value: Any) -> Optional[dict]:
    """What a replica's `replicate_source_db` written as text says of its source: the identifier at the end of
    an ARN (known), its Region and account (None when undecided). A plain identifier names a source in the
    replica's own Region, which is no copy elsewhere: None, as for anything else."""
    if isinstance(value, PartialString):
        text = "".join(_HOLE if p is None else p for p in value.pieces)
    elif isinstance(value, str):
        text = value
    else:
        return None
    m = _DB_ARN().match(text)
    if m is None or _HOLE in m["name"]:
        return None
    return {"name": m["name"], "region": None if _HOLE in m["region"] or not m["region"] else m["region"],
            "account": None if _HOLE in m["account"] or not m["account"] else m["account"]}


def _text_replicas(ctx: RuleContext) -> list:
    """(replica, what its ARN names) for every Terraform read replica of the scan naming its source by text."""
    out = []
    for replica in ctx.graph.by_type("aws_db_instance"):
        if replica.format == TERRAFORM and not ctx.graph.targets(replica, rds.REPLICATE_SOURCE.path(TERRAFORM)):
            named_source = _source_named(ctx.get(replica, rds.REPLICATE_SOURCE))
            if named_source is not None:
                out.append((replica, named_source))
    return out


def _replicas_naming(ctx: RuleContext, res: Resource) -> list:
    """Read replicas that name this instance by its ARN instead of a reference (a cross-Region replica must
    name its source by ARN, whose account is often known only at plan time), as (replica, why): why is None
    for a replica of the same root module and deployment, which reaches this instance when its ARN names the
    instance's identifier and Region; for one of another root, or an ARN whose Region is undecided, why is the
    Unknown saying what may or may not make it this instance's copy."""
    if res.format != TERRAFORM or res.type != "aws_db_instance":
        return []
    ident = ctx.get(res, rds.IDENTIFIER)
    region = region_name(res)
    if not isinstance(ident, str) or region is None:
        return []
    out = []
    for replica, source in ctx.graph.memo("rds-replicas-named-by-arn", lambda: _text_replicas(ctx)):
        account = res.meta.get("account")
        if replica is res or source["name"] != ident or source["region"] not in (None, region) or \
                (source["account"] is not None and account is not None and source["account"] != account):
            continue
        why = None
        if source["region"] is None:
            why = Unknown(f"{replica.address} names `{ident}` as its source in a Region known only at plan time")
        elif replica.meta.get("unit") != res.meta.get("unit"):
            why = Unknown(f"{replica.address} (root {replica.meta.get('root')}) names `{ident}` in {region} as "
                          f"its source: another root module's replica of this instance if both run in one account")
        out.append((replica, why))
    return out


# -- Aurora and Multi-AZ DB clusters -----------------------------------------------------------------------
def cluster(ctx: RuleContext, res: Resource) -> Optional[Store]:
    multi_az_cluster = ctx.has(res, rds.DB_CLUSTER_INSTANCE_CLASS)
    store = Store(res, "Multi-AZ DB cluster" if multi_az_cluster else "Aurora cluster")
    if multi_az_cluster:
        store.add(AZ, opt("Multi-AZ DB cluster", 0, F.RDS_MULTI_AZ_CLUSTER_FAILOVER.seconds,
                          F.RDS_MULTI_AZ_CLUSTER_FAILOVER))
    else:
        members = members_of(ctx, res)
        zones = {ctx.get(m, rds.AVAILABILITY_ZONE) for m in members.certain}
        spread = len(members.certain) >= 2 and not (len(zones) == 1 and isinstance(next(iter(zones)), str))
        store.add(AZ, opt("Aurora replica" if spread else "Aurora storage", 0,
                          (F.AURORA_REPLICA_FAILOVER if spread else F.AURORA_RECREATE_WRITER).seconds,
                          F.AURORA_REPLICA_FAILOVER if spread else F.AURORA_RECREATE_WRITER))
        if not spread and members.uncertain:  # an instance that may exist could be the replica
            store.maybe(AZ, opt("Aurora replica", 0, F.AURORA_REPLICA_FAILOVER.seconds, F.AURORA_REPLICA_FAILOVER),
                        members.uncertain[0][1])
        store.gap(AZ, "a second instance (an Aurora replica) in another AZ")
    # Aurora and Multi-AZ DB clusters always keep automated backups (retention 1 to 35 days)
    restore = opt("automated backups (point-in-time restore)", F.PITR.seconds, F.RESTORE.seconds, F.PITR, F.RESTORE)
    store.add(DELETION, restore)
    # a member of a global cluster (named on the cluster, or the global cluster's source) is assumed to have a
    # secondary in another Region, possibly outside the scan
    member = True if any(g.type in au.GLOBAL_TYPES for g in ctx.graph.referrers(res)) else \
        is_set(ctx, res, au.GLOBAL_CLUSTER)
    partners = global_partners(ctx, res)
    store.offer(REGION, True if partners else member,
                opt("Aurora Global Database" + (f" with {', '.join(named(p) for p in partners)}" if partners else ""),
                    F.AURORA_GLOBAL.seconds, F.AURORA_GLOBAL_FAILOVER.seconds, F.AURORA_GLOBAL,
                    F.AURORA_GLOBAL_FAILOVER, cross_region=True, live=True,
                    to=tuple(dict.fromkeys(region_label(p) for p in partners)),
                    peers=tuple((p.address, p.meta.get("deployment")) for p in partners)))
    for replica in ctx.graph.referrers(res, type=res.type, attr=au.REPLICATION_SOURCE.path(res.format)):
        away = leaves(res, replica)
        store.offer(REGION, away, opt(f"cross-Region replica cluster {replica.address}",
                                      F.CROSS_REGION_REPLICA_LAG.seconds, F.PROMOTE_REPLICA.seconds,
                                      F.CROSS_REGION_REPLICA_LAG, F.PROMOTE_REPLICA, cross_region=True, live=True,
                                      to=(region_label(replica),)))
    backup_options(ctx, store, continuous_ok=True)
    store.region_gap("an Aurora Global Database secondary in another Region")
    # no deletion advice: the automated backups always there restore to 5 minutes back, which no backup beats
    return store


def global_id(ctx: RuleContext, res: Resource) -> Optional[str]:
    """The identifier of the global cluster an Aurora cluster joins: written on it, or on the global cluster
    resource it references."""
    value = ctx.get(res, au.GLOBAL_CLUSTER)
    if isinstance(value, str):
        return value
    for g in ctx.graph.targets(res, au.GLOBAL_CLUSTER.path(res.format)):
        if g.type in au.GLOBAL_TYPES:
            named = ctx.get(g, au.GLOBAL_CLUSTER)
            return named if isinstance(named, str) else None
    return None


def global_partners(ctx: RuleContext, res: Resource) -> list:
    """The clusters that join the same global cluster in another Region (of this configuration, or of another
    deployment): the secondaries of a primary and the other way round."""
    ident = global_id(ctx, res)
    if ident is None:
        return []
    return [c for c in ctx.graph.by_type(*au.CLUSTER_TYPES)
            if c is not res and global_id(ctx, c) == ident and leaves(res, c) is True]


def aurora_role(ctx: RuleContext, res: Resource) -> bool:
    """A cluster that holds its own data (not a cross-Region replica of another cluster in the scan)."""
    sources = ctx.graph.targets(res, au.REPLICATION_SOURCE.path(res.format))
    return not any(s.type == res.type for s in sources)


# -- DynamoDB ------------------------------------------------------------------------------------------
def _replica_regions(ctx: RuleContext, res: Resource) -> Any:
    replicas = ctx.get(res, ddb.REPLICAS)
    if isinstance(replicas, Unknown):
        return replicas
    key = ddb.REPLICA_REGION[0 if res.format == TERRAFORM else 1]
    regions = [r.get(key) for r in replicas if isinstance(r, dict)] if isinstance(replicas, list) else []
    if res.format == TERRAFORM:
        regions += ctx.graph.referrers(res, type=ddb.TF_TABLE_REPLICA)
        regions += _joined_replicas(ctx, res)
    return regions


_TABLE_ARN = lazy_regex(r"^arn:[^:]+:dynamodb:(?P<region>[a-z0-9-]+):(?P<account>[0-9]*):table/(?P<name>[^/]+)$")
GLOBAL_TABLE_ARN = Attr("global_table_arn", "global_table_arn", None)
TABLE_NAME = Attr("table_name", "name", "Properties.TableName")


def _joined_replicas(ctx: RuleContext, res: Resource) -> list:
    """Replicas another deployment adds to this table (`aws_dynamodb_table_replica` naming its ARN as written:
    the table's name, in the Region this deployment runs in)."""
    name, region = ctx.get(res, TABLE_NAME), res.meta.get("deployment_region")
    if not isinstance(name, str) or region is None:
        return []
    out = []
    for replica in ctx.graph.by_type(ddb.TF_TABLE_REPLICA):
        arn = ctx.get(replica, GLOBAL_TABLE_ARN)
        m = _TABLE_ARN().match(arn) if isinstance(arn, str) else None
        if m and m["name"] == name and m["region"] == region and replica.meta.get("unit") != res.meta.get("unit") \
                and (not m["account"] or res.meta.get("account") in (None, m["account"])):
            out.append(replica)
    return out


def _pitr(ctx: RuleContext, res: Resource) -> Any:
    if res.type != ddb.GLOBAL_TABLE_TYPE:
        return is_true(ctx.get(res, ddb.PITR))
    replicas = ctx.get(res, ddb.REPLICAS)
    if isinstance(replicas, Unknown):
        return replicas
    values = [is_true(lookup(r, ("PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled")))
              for r in replicas if isinstance(r, dict)] if isinstance(replicas, list) else []
    from rlint.rules.graphutil.backup import t_and

    return t_and(values) if values else False


def table(ctx: RuleContext, res: Resource) -> Optional[Store]:
    store = Store(res, "DynamoDB table")
    store.add(AZ, opt("DynamoDB", 0, 0, F.REGIONAL_SERVICE))
    pitr = _pitr(ctx, res)
    recovery = opt("point-in-time recovery", F.DYNAMODB_PITR.seconds, F.RESTORE.seconds, F.DYNAMODB_PITR, F.RESTORE)
    store.offer(DELETION, pitr, recovery)
    fix = None if res.type == ddb.GLOBAL_TABLE_TYPE else \
        Fix("Turn on point-in-time recovery", (SetAttribute(ddb.PITR, True),),
            note="billed by table size; restores go to a new table")
    if pitr is not True:
        store.gap(DELETION, "turn on point-in-time recovery", fix, recovery)
    regions = _replica_regions(ctx, res)
    live = opt("global table replica", F.DYNAMODB_GLOBAL.seconds, 0, F.DYNAMODB_GLOBAL, cross_region=True, live=True)
    if not isinstance(regions, Unknown):
        own = region_label(res)  # a CloudFormation global table lists its own Region among its replicas
        live = replace(live, to=tuple(dict.fromkeys(region_label(r) for r in regions
                                                    if isinstance(r, (str, Resource)) and region_label(r) != own)))
    if isinstance(regions, Unknown):
        store.maybe(REGION, live, regions)
    else:
        # a replica Region written down is another Region (a table cannot replicate to its own)
        decided = [True if isinstance(r, str) else leaves(res, r) for r in regions]
        if res.type == ddb.GLOBAL_TABLE_TYPE:
            decided = [True] if len([r for r in regions if isinstance(r, str)]) >= 2 else \
                [r for r in regions if isinstance(r, Unknown)][:1]
        store.offer(REGION, True if True in decided else next((d for d in decided if isinstance(d, Unknown)), False),
                    live)
    backup_options(ctx, store, continuous_ok=False)
    store.region_gap("a global table replica in another Region")
    return store


__all__ = ['rds_instance', 'cluster', 'aurora_role', 'table']
