"""The data stores of a configuration and the recovery options each one declares, per scenario.

One reader per kind of store turns what the configuration says (Multi-AZ, replicas, point-in-time
recovery, AWS Backup plans and their copies, global tables and clusters, replication) into `Option`s for
the three scenarios, and names what would close a gap (`Gap`, with a Fix where it is mechanical). Values
that cannot be decided make an option `maybe`, never a missing one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from rlint.model import MISSING, Resource, Unknown
from rlint.rules.attrs import aurora as au
from rlint.rules.attrs import dynamodb as ddb
from rlint.rules.attrs import efs
from rlint.rules.attrs import elasticache as ec
from rlint.rules.attrs import rds
from rlint.rules.attrs import s3
from rlint.rules.base import TERRAFORM, Attr, Fix, RuleContext, SetAttribute, lookup
from rlint.rules.dr import figures as F
from rlint.rules.dr.backup_reading import covering
from rlint.rules.dr.estimate import AZ, DELETION, REGION, Estimate, Gap, Option
from rlint.rules.dr.regions import leaves
from rlint.rules.graphutil.aurora import members_of
from rlint.rules.graphutil.backup import efs_automatic_backups
from rlint.rules.graphutil.policies import rds_instance_role
from rlint.rules.graphutil.values import as_bool, as_int

EBS_TYPES = ("aws_ebs_volume", "AWS::EC2::Volume")
CACHE_CLUSTER_TYPES = ("aws_elasticache_cluster", "AWS::ElastiCache::CacheCluster")
CACHE_ENGINE = Attr("cache_engine", "engine", "Properties.Engine")


@dataclass
class Store:
    res: Resource
    kind: str                                   # "RDS DB instance", "Aurora cluster", ...
    estimates: dict = field(default_factory=dict)  # scenario -> Estimate

    def __post_init__(self):
        for scenario in (AZ, REGION, DELETION):
            self.estimates.setdefault(scenario, Estimate(scenario))

    def add(self, scenario: str, option: Option) -> None:
        self.estimates[scenario].options.append(option)

    def maybe(self, scenario: str, option: Option, why: Unknown) -> None:
        self.estimates[scenario].maybe.append((option, why))

    def gap(self, scenario: str, text: str, fix: Optional[Fix] = None) -> None:
        self.estimates[scenario].gaps.append(Gap(text, fix))

    def offer(self, scenario: str, decided: Any, option: Option) -> None:
        """Add the option when `decided` is True, keep it as maybe when it is an Unknown."""
        if decided is True:
            self.add(scenario, option)
        elif isinstance(decided, Unknown):
            self.maybe(scenario, option, decided)


def _opt(basis: str, rpo, rto, fig: F.Figure, rto_fig: Optional[F.Figure] = None, **kw) -> Option:
    rto_says = rto_fig.says if rto_fig is not None and rto_fig is not fig else ""
    return Option(basis, rpo, rto, fig.says, fig.source, rto_says=rto_says, **kw)


def _is_true(value: Any) -> Any:
    value = as_bool(value)
    return value if isinstance(value, Unknown) else value is True


def _is_set(ctx: RuleContext, res: Resource, attr: Attr) -> Any:
    """True when the attribute holds an identifier or references a resource of the configuration, an
    Unknown when its value is an undecided input."""
    value = ctx.get(res, attr)
    if isinstance(value, Unknown):
        return True if ctx.graph.targets(res, attr.path(res.format)) else value
    return value not in (MISSING, None, "")


# -- AWS Backup ---------------------------------------------------------------------------------------------
def _backup_options(ctx: RuleContext, store: Store, continuous_ok: bool) -> None:
    """Plan rules that select the store: local recovery points for AZ and deletion, copies for a Region."""
    bests: dict = {}  # scenario -> (best RPO, best RTO), refreshed after each plan that adds options

    def useful(rules: list) -> bool:
        if not bests:
            bests.update({s: (e.value("rpo"), e.value("rto")) for s, e in store.estimates.items()})
        return _could_improve(bests, rules, continuous_ok)

    for rules, answer in covering(ctx, store.res, useful):
        bests.clear()
        if isinstance(rules, Unknown):
            option = Option("an AWS Backup plan", None, F.RESTORE.seconds, "the plan is not known", F.RESTORE.source)
            for scenario in (AZ, DELETION, REGION):
                store.maybe(scenario, option, answer if isinstance(answer, Unknown) else rules)
            continue
        for rule in rules:
            if answer is True:
                _backup_rule(store, rule, continuous_ok)
            else:
                _maybe_rule(store, rule, answer)


def _local_rpo(rule, continuous_ok: bool):
    return F.PITR.seconds if rule.continuous is True and continuous_ok else rule.interval


def _could_improve(bests: dict, rules: list, continuous_ok: bool) -> bool:
    """Whether some rule could give a better RPO or RTO than the store's known options (`bests`)."""
    def better(scenario: str, rpo) -> bool:
        best_rpo, best_rto = bests[scenario]
        return best_rpo is None or best_rto is None or rpo < best_rpo or F.RESTORE.seconds < best_rto

    for rule in rules:
        local = _local_rpo(rule, continuous_ok)
        if not isinstance(local, (int, float)):
            return True
        if better(AZ, local) or better(DELETION, local):
            return True
        if rule.copy_regions and (not isinstance(rule.interval, (int, float)) or better(REGION, rule.interval)):
            return True
    return False


def _maybe_rule(store: Store, rule, why: Unknown) -> None:
    basis = f"AWS Backup plan {rule.plan.address} rule {rule.name}"
    interval = _local_rpo(rule, True) if isinstance(_local_rpo(rule, True), (int, float)) else None
    option = Option(basis, interval, F.RESTORE.seconds, "the plan may select it", F.RESTORE.source)
    for scenario in (AZ, DELETION) + ((REGION,) if rule.copy_regions else ()):
        store.maybe(scenario, option, why)


def _backup_rule(store: Store, rule, continuous_ok: bool) -> None:
    basis = f"AWS Backup plan {rule.plan.address} rule {rule.name}"
    if rule.continuous is True and continuous_ok:
        local = _opt(basis + " (continuous)", F.PITR.seconds, F.RESTORE.seconds, F.PITR, F.RESTORE)
    elif isinstance(rule.interval, Unknown):
        local = None
        for scenario in (AZ, DELETION):
            store.maybe(scenario, Option(basis, None, F.RESTORE.seconds, rule.interval.reason), rule.interval)
    else:
        local = Option(basis, rule.interval, F.RESTORE.seconds,
                       f"a recovery point every {_every(rule.interval)}, {rule.kept}", F.RESTORE.source,
                       rto_says=F.RESTORE.says)
    if local is not None:
        store.add(AZ, local)
        store.add(DELETION, local)
    for where, away in rule.copy_regions:
        rpo = rule.interval if isinstance(rule.interval, (int, float)) else None
        assumed = f" (assuming the stack is not deployed in {where})" if store.res.format != TERRAFORM else ""
        copy = Option(f"{basis} copy to {where}", rpo, F.RESTORE.seconds,
                      (f"a copy every {_every(rpo)}" if rpo else "the schedule is not known") + assumed,
                      F.RESTORE.source, cross_region=True, rto_says=F.RESTORE.says + assumed)
        if isinstance(rule.interval, Unknown) and away is True:
            store.maybe(REGION, copy, rule.interval)
        else:
            store.offer(REGION, away, copy)


def _every(seconds) -> str:
    from rlint.rules.dr.durations import show

    return show(seconds)


BACKUP_COPY_GAP = "an AWS Backup rule with a copy action to a vault in another Region"


# -- RDS DB instances ------------------------------------------------------------------------------------
def _rds_instance(ctx: RuleContext, res: Resource) -> Optional[Store]:
    role = "replica" if res.type == "aws_db_instance" and ctx.has(res, rds.REPLICATE_SOURCE) else \
        "standalone" if res.type == "aws_db_instance" else rds_instance_role(ctx, res)
    if role != "standalone":
        return None  # Aurora members belong to their cluster; replicas are another store's copy
    store = Store(res, "RDS DB instance")
    multi_az = _is_true(ctx.get(res, rds.MULTI_AZ))
    store.offer(AZ, multi_az, _opt("Multi-AZ standby", 0, F.RDS_MULTI_AZ_FAILOVER.seconds, F.RDS_MULTI_AZ_FAILOVER))
    store.gap(AZ, "set Multi-AZ (a synchronous standby in another AZ)",
              Fix("Turn on Multi-AZ", (SetAttribute(rds.MULTI_AZ, True),), safety="review",
                  note="a standby doubles the instance cost; the change applies without downtime"))
    retention = as_int(ctx.get(res, rds.BACKUP_RETENTION))
    pitr = retention if isinstance(retention, Unknown) else isinstance(retention, int) and retention > 0
    restore = _opt("automated backups (point-in-time restore)", F.PITR.seconds, F.RESTORE.seconds, F.PITR, F.RESTORE)
    store.offer(AZ, pitr, restore)
    store.offer(DELETION, pitr, restore)
    if pitr is not True:
        store.gap(DELETION, "turn on automated backups (point-in-time restore)",
                  Fix("Keep automated backups for 7 days", (SetAttribute(rds.BACKUP_RETENTION, 7),),
                      note="backup storage beyond the DB size is billed"))
    _rds_cross_region(ctx, store)
    _backup_options(ctx, store, continuous_ok=True)  # after the cheaper options: it skips plans they beat
    store.gap(REGION, "a cross-Region read replica, replicated automated backups, or " + BACKUP_COPY_GAP)
    store.gap(DELETION, "an AWS Backup rule that runs more often")
    return store


def _rds_cross_region(ctx: RuleContext, store: Store) -> None:
    res = store.res
    for replica in ctx.graph.referrers(res, type=res.type, attr=rds.REPLICATE_SOURCE.path(res.format)):
        away = leaves(res, replica)  # in one CloudFormation stack: the same Region
        store.offer(REGION, away, _opt(f"cross-Region read replica {replica.address}",
                                       F.CROSS_REGION_REPLICA_LAG.seconds, F.PROMOTE_REPLICA.seconds,
                                       F.CROSS_REGION_REPLICA_LAG, F.PROMOTE_REPLICA, cross_region=True, live=True))
    backups = _opt("automated backups replicated to another Region", F.BACKUP_REPLICATION.seconds,
                   F.RESTORE.seconds, F.BACKUP_REPLICATION, F.RESTORE, cross_region=True)
    if res.format == TERRAFORM:
        for rep in ctx.graph.referrers(res, type=rds.TF_BACKUP_REPLICATION):
            store.offer(REGION, leaves(res, rep), backups)
    elif ctx.has(res, rds.BACKUP_REPLICATION_REGION):
        store.offer(REGION, leaves(res, ctx.get(res, rds.BACKUP_REPLICATION_REGION)), backups)


# -- Aurora and Multi-AZ DB clusters -----------------------------------------------------------------------
def _cluster(ctx: RuleContext, res: Resource) -> Optional[Store]:
    multi_az_cluster = ctx.has(res, rds.DB_CLUSTER_INSTANCE_CLASS)
    store = Store(res, "Multi-AZ DB cluster" if multi_az_cluster else "Aurora cluster")
    if multi_az_cluster:
        store.add(AZ, _opt("Multi-AZ DB cluster", 0, F.RDS_MULTI_AZ_CLUSTER_FAILOVER.seconds,
                           F.RDS_MULTI_AZ_CLUSTER_FAILOVER))
    else:
        members = members_of(ctx, res)
        zones = {ctx.get(m, rds.AVAILABILITY_ZONE) for m in members.certain}
        spread = len(members.certain) >= 2 and not (len(zones) == 1 and isinstance(next(iter(zones)), str))
        store.add(AZ, _opt("Aurora replica" if spread else "Aurora storage", 0,
                           (F.AURORA_REPLICA_FAILOVER if spread else F.AURORA_RECREATE_WRITER).seconds,
                           F.AURORA_REPLICA_FAILOVER if spread else F.AURORA_RECREATE_WRITER))
        if not spread and members.uncertain:  # an instance that may exist could be the replica
            store.maybe(AZ, _opt("Aurora replica", 0, F.AURORA_REPLICA_FAILOVER.seconds, F.AURORA_REPLICA_FAILOVER),
                        members.uncertain[0][1])
        store.gap(AZ, "a second instance (an Aurora replica) in another AZ")
    # Aurora and Multi-AZ DB clusters always keep automated backups (retention 1 to 35 days)
    restore = _opt("automated backups (point-in-time restore)", F.PITR.seconds, F.RESTORE.seconds, F.PITR, F.RESTORE)
    store.add(DELETION, restore)
    # a member of a global cluster (named on the cluster, or the global cluster's source) is assumed to have a
    # secondary in another Region, possibly outside the scan
    member = True if any(g.type in au.GLOBAL_TYPES for g in ctx.graph.referrers(res)) else \
        _is_set(ctx, res, au.GLOBAL_CLUSTER)
    store.offer(REGION, member, _opt("Aurora Global Database", F.AURORA_GLOBAL.seconds,
                                     F.AURORA_GLOBAL_FAILOVER.seconds, F.AURORA_GLOBAL, F.AURORA_GLOBAL_FAILOVER,
                                     cross_region=True, live=True))
    for replica in ctx.graph.referrers(res, type=res.type, attr=au.REPLICATION_SOURCE.path(res.format)):
        away = leaves(res, replica)
        store.offer(REGION, away, _opt(f"cross-Region replica cluster {replica.address}",
                                       F.CROSS_REGION_REPLICA_LAG.seconds, F.PROMOTE_REPLICA.seconds,
                                       F.CROSS_REGION_REPLICA_LAG, F.PROMOTE_REPLICA, cross_region=True, live=True))
    _backup_options(ctx, store, continuous_ok=True)
    store.gap(REGION, "an Aurora Global Database secondary in another Region, or " + BACKUP_COPY_GAP)
    store.gap(DELETION, "an AWS Backup rule that runs more often")
    return store


def _aurora_role(ctx: RuleContext, res: Resource) -> bool:
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
    return regions


def _pitr(ctx: RuleContext, res: Resource) -> Any:
    if res.type != ddb.GLOBAL_TABLE_TYPE:
        return _is_true(ctx.get(res, ddb.PITR))
    replicas = ctx.get(res, ddb.REPLICAS)
    if isinstance(replicas, Unknown):
        return replicas
    values = [_is_true(lookup(r, ("PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled")))
              for r in replicas if isinstance(r, dict)] if isinstance(replicas, list) else []
    from rlint.rules.graphutil.backup import t_and

    return t_and(values) if values else False


def _table(ctx: RuleContext, res: Resource) -> Optional[Store]:
    store = Store(res, "DynamoDB table")
    store.add(AZ, _opt("DynamoDB", 0, 0, F.REGIONAL_SERVICE))
    pitr = _pitr(ctx, res)
    store.offer(DELETION, pitr, _opt("point-in-time recovery", F.DYNAMODB_PITR.seconds, F.RESTORE.seconds,
                                     F.DYNAMODB_PITR, F.RESTORE))
    fix = None if res.type == ddb.GLOBAL_TABLE_TYPE else \
        Fix("Turn on point-in-time recovery", (SetAttribute(ddb.PITR, True),),
            note="billed by table size; restores go to a new table")
    store.gap(DELETION, "turn on point-in-time recovery", fix)
    regions = _replica_regions(ctx, res)
    live = _opt("global table replica", F.DYNAMODB_GLOBAL.seconds, 0, F.DYNAMODB_GLOBAL, cross_region=True, live=True)
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
    _backup_options(ctx, store, continuous_ok=False)
    store.gap(REGION, "a global table replica in another Region, or " + BACKUP_COPY_GAP)
    return store


# -- EFS and EBS ---------------------------------------------------------------------------------------------
def _file_system(ctx: RuleContext, res: Resource) -> Optional[Store]:
    store = Store(res, "EFS file system")
    one_zone = ctx.get(res, efs.EFS_AZ_NAME)
    automatic = efs_automatic_backups(ctx, res)
    daily = _opt("EFS automatic backups", F.EFS_AUTOMATIC_BACKUP.seconds, F.RESTORE.seconds,
                 F.EFS_AUTOMATIC_BACKUP, F.RESTORE)
    regional = _opt("EFS Regional storage", 0, 0, F.REGIONAL_SERVICE)
    if isinstance(one_zone, Unknown):
        store.maybe(AZ, regional, one_zone)
    elif one_zone is MISSING or one_zone is None:
        store.add(AZ, regional)
    else:
        store.gap(AZ, "Regional (multi-AZ) storage instead of One Zone (replaces the file system)")
    for scenario in (AZ, DELETION):
        store.offer(scenario, automatic, daily)
    _backup_options(ctx, store, continuous_ok=False)
    replica = _opt("EFS replication", F.EFS_REPLICATION.seconds, F.EFS_FAILOVER.seconds, F.EFS_REPLICATION,
                   F.EFS_FAILOVER, cross_region=True, live=True)
    if res.format == TERRAFORM:
        for rep in ctx.graph.referrers(res, type=efs.TF_REPLICATION):
            region = ctx.get(rep, efs.TF_REPLICATION_REGION)
            store.offer(REGION, leaves(res, region if region is not MISSING else rep), replica)
    else:
        dests = ctx.get(res, efs.CFN_REPLICATION_DESTINATIONS)
        if isinstance(dests, Unknown):
            store.maybe(REGION, replica, dests)
        for d in dests if isinstance(dests, list) else []:
            store.offer(REGION, leaves(res, d.get("Region") if isinstance(d, dict) else d), replica)
    store.gap(REGION, "EFS replication to another Region, or " + BACKUP_COPY_GAP)
    store.gap(DELETION, "automatic backups (a backup policy) or an AWS Backup plan")
    return store


DLM_POLICY_TYPES = ("aws_dlm_lifecycle_policy", "AWS::DLM::LifecyclePolicy")


def _volume(ctx: RuleContext, res: Resource) -> Optional[Store]:
    store = Store(res, "EBS volume")
    store.estimates[AZ].note = "an EBS volume lives in one AZ and has no copy elsewhere"
    _backup_options(ctx, store, continuous_ok=False)
    policies = ctx.graph.by_type(*DLM_POLICY_TYPES)
    if policies:  # Data Lifecycle Manager snapshots volumes by tag; its schedules are not read
        snapshots = Option(f"Data Lifecycle Manager policy {policies[0].address}", None, F.RESTORE.seconds,
                           "snapshots on the policy's schedule (not read)", F.RESTORE.source)
        why = Unknown(f"{policies[0].address} may snapshot the volume")
        for scenario in (AZ, DELETION, REGION):
            store.maybe(scenario, snapshots, why)
    store.gap(AZ, "an AWS Backup plan for the volume (snapshots are restorable in any AZ)")
    store.gap(REGION, BACKUP_COPY_GAP)
    store.gap(DELETION, "an AWS Backup plan for the volume")
    return store


# -- ElastiCache (Redis OSS / Valkey) ------------------------------------------------------------------------
def _snapshots(ctx: RuleContext, store: Store, scenarios: tuple) -> None:
    limit = as_int(ctx.get(store.res, ec.SNAPSHOT_RETENTION_LIMIT))
    decided = limit if isinstance(limit, Unknown) else isinstance(limit, int) and limit > 0
    option = _opt("automatic snapshots", F.ELASTICACHE_SNAPSHOT.seconds, F.RESTORE.seconds,
                  F.ELASTICACHE_SNAPSHOT, F.RESTORE)
    for scenario in scenarios:
        store.offer(scenario, decided, option)
    if decided is not True:
        store.gap(DELETION, "turn on automatic snapshots",
                  Fix("Keep automatic snapshots for 7 days", (SetAttribute(ec.SNAPSHOT_RETENTION_LIMIT, 7),),
                      note="snapshot storage beyond one is billed"))


def _replication_group(ctx: RuleContext, res: Resource) -> Optional[Store]:
    from rlint.rules.redundancy.elasticache_no_failover import ElasticacheNoFailover

    store = Store(res, "ElastiCache replication group")
    verdicts = list(ElasticacheNoFailover().check(res, ctx))  # RL103 decides whether the group can fail over
    failover = _opt("Multi-AZ automatic failover", 1,
                    F.ELASTICACHE_FAILOVER.seconds, F.ELASTICACHE_FAILOVER)
    if not verdicts:
        store.add(AZ, failover)
    elif verdicts[0].outcome.value == "unknown":
        store.maybe(AZ, failover, Unknown(verdicts[0].message))
    else:
        store.gap(AZ, "a replica per shard with automatic failover and Multi-AZ",
                  verdicts[0].fix if verdicts[0].fix and verdicts[0].fix.changes else None)
    _snapshots(ctx, store, (AZ, DELETION))
    store.offer(REGION, _is_set(ctx, res, ec.GLOBAL_REPLICATION_GROUP),
                _opt("Global Datastore", F.ELASTICACHE_GLOBAL.seconds, F.ELASTICACHE_FAILOVER.seconds,
                     F.ELASTICACHE_GLOBAL, cross_region=True, live=True))
    store.gap(REGION, "a Global Datastore secondary in another Region")
    return store


def _cache_cluster(ctx: RuleContext, res: Resource) -> Optional[Store]:
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


# -- S3 buckets with replication ------------------------------------------------------------------------
def _replication_rules(ctx: RuleContext, res: Resource) -> tuple:
    """(the resource holding the rules, the rules, the path of the rules in it), or Nones when the bucket
    declares no replication."""
    inline = ctx.get(res, s3.INLINE_RULES)
    if inline not in (MISSING, None):
        return res, inline, s3.INLINE_RULES.path(res.format)
    if res.format == TERRAFORM:
        for conf in ctx.graph.referrers(res, type=s3.TF_REPLICATION, attr=s3.REPLICATION_BUCKET.path(TERRAFORM)):
            return conf, ctx.get(conf, s3.TF_RULES), s3.TF_RULES.path(TERRAFORM)
    return None, None, None


def _destination_leaves(ctx: RuleContext, res: Resource, holder: Resource, path: tuple) -> Any:
    """Whether the replicas go to another Region: a destination bucket in the configuration tells (in the
    same CloudFormation stack it is the same Region); for a bucket outside it a CloudFormation stack is
    assumed to replicate elsewhere and Terraform gives an Unknown."""
    buckets = [b for b in ctx.graph.targets(holder, path) if b.type in s3.BUCKET_TYPES and b is not res]
    if buckets:
        return leaves(res, buckets[0])
    return True if res.format != TERRAFORM else Unknown("the destination bucket is not in the configuration")


def _bucket(ctx: RuleContext, res: Resource) -> Optional[Store]:
    holder, rules, path = _replication_rules(ctx, res)
    if holder is None:
        return None  # only buckets with declared replication are modelled
    store = Store(res, "S3 bucket")
    store.add(AZ, _opt("S3", 0, 0, F.REGIONAL_SERVICE))
    store.add(DELETION, Option("object versions (replication requires versioning)", 0, F.RESTORE.seconds,
                               "previous versions survive overwrites and deletes", F.RESTORE.source,
                               rto_says=F.RESTORE.says))
    if isinstance(rules, Unknown):
        store.maybe(REGION, Option("S3 replication", None, 0, "the rules are not known"), rules)
        return store
    fmt = 0 if res.format == TERRAFORM else 1
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        if not isinstance(rule, dict):
            continue
        dest = _block(rule.get(s3.RULE_DESTINATION[fmt]))
        if not isinstance(dest, dict):
            continue
        # Terraform nests the inline rules in a block list: their references carry indices the Attr path lacks
        where = path[:1] if holder is res and res.format == TERRAFORM else path + (i,)
        away = _destination_leaves(ctx, res, holder, where)
        rtc = _block(dest.get(s3.REPLICATION_TIME[fmt]))
        status = rtc.get(s3.REPLICATION_TIME_STATUS[fmt]) if isinstance(rtc, dict) else MISSING
        if isinstance(status, str) and status.lower() == "enabled":
            option = _opt("S3 replication with Replication Time Control", F.S3_RTC.seconds, 0, F.S3_RTC,
                          cross_region=True, live=True)
        else:
            option = Option("S3 replication", None, 0, "without Replication Time Control AWS gives no bound on "
                            "replication time", F.S3_RTC.source, cross_region=True, live=True)
        store.offer(REGION, away, option)
    store.gap(REGION, "S3 Replication Time Control on the replication rule (replication_time / ReplicationTime)")
    return store


def _block(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


# -- the catalogue of stores -------------------------------------------------------------------------------
READERS: dict = {}
for _types, _reader in (
        (rds.DB_INSTANCE_TYPES, _rds_instance), (au.CLUSTER_TYPES, _cluster),
        (ddb.TABLE_TYPES + (ddb.GLOBAL_TABLE_TYPE,), _table), (efs.EFS_TYPES, _file_system),
        (EBS_TYPES, _volume), (ec.REPLICATION_GROUP_TYPES, _replication_group),
        (CACHE_CLUSTER_TYPES, _cache_cluster), (s3.BUCKET_TYPES, _bucket)):
    for _t in _types:
        READERS[_t] = _reader
STORE_TYPES = tuple(READERS)


def read_store(ctx: RuleContext, res: Resource) -> Optional[Store]:
    """The store's recovery options, or None when the resource is not a data store of its own."""
    reader: Optional[Callable] = READERS.get(res.type)
    if reader is None:
        return None
    if res.type in au.CLUSTER_TYPES and not _aurora_role(ctx, res):
        return None  # a cross-Region replica cluster of a cluster in the scan: that cluster's copy
    if res.type == "AWS::RDS::DBInstance" and isinstance(ctx.get(res, rds.ENGINE), str) and \
            ctx.get(res, rds.ENGINE).lower().startswith("aurora"):
        return None
    return reader(ctx, res)


__all__ = ["Store", "STORE_TYPES", "read_store"]
