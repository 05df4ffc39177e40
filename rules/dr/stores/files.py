"""EFS file systems and EBS volumes."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Optional

from rlint.model import MISSING, Resource, Unknown
from rlint.rules.attrs import efs
from rlint.rules.base import TERRAFORM, RuleContext
from rlint.rules.dr import figures as F
from rlint.rules.dr.backup_reading import schedule_interval
from rlint.rules.dr.estimate import AZ, DELETION, REGION, Gap, Option
from rlint.rules.dr.regions import leaves, region_label
from rlint.rules.dr.stores.backups import backup_options
from rlint.rules.attrs.stateful import EBS_VOLUME_TYPES as EBS_TYPES
from rlint.rules.dr.stores.base import Store, every, opt
from rlint.rules.graphutil import dlm
from rlint.rules.graphutil.backup import efs_automatic_backups, t_and


# -- EFS and EBS ---------------------------------------------------------------------------------------------
def file_system(ctx: RuleContext, res: Resource) -> Optional[Store]:
    store = Store(res, "EFS file system")
    one_zone = ctx.get(res, efs.EFS_AZ_NAME)
    automatic = efs_automatic_backups(ctx, res)
    daily = opt("EFS automatic backups", F.EFS_AUTOMATIC_BACKUP.seconds, F.RESTORE.seconds,
                F.EFS_AUTOMATIC_BACKUP, F.RESTORE)
    regional = opt("EFS Regional storage", 0, 0, F.REGIONAL_SERVICE)
    if isinstance(one_zone, Unknown):
        store.maybe(AZ, regional, one_zone)
    elif one_zone is MISSING or one_zone is None:
        store.add(AZ, regional)
    else:
        store.gap(AZ, "Regional (multi-AZ) storage instead of One Zone (replaces the file system)")
    for scenario in (AZ, DELETION):
        store.offer(scenario, automatic, daily)
    backup_options(ctx, store, continuous_ok=False)
    replica = opt("EFS replication", F.EFS_REPLICATION.seconds, F.EFS_FAILOVER.seconds, F.EFS_REPLICATION,
                  F.EFS_FAILOVER, cross_region=True, live=True)
    if res.format == TERRAFORM:
        for rep in ctx.graph.referrers(res, type=efs.TF_REPLICATION):
            region = ctx.get(rep, efs.TF_REPLICATION_REGION)
            where = region if region is not MISSING else rep
            store.offer(REGION, leaves(res, where), replace(replica, to=(region_label(where),)
                                                            if isinstance(where, (str, Resource)) else ()))
    else:
        dests = ctx.get(res, efs.CFN_REPLICATION_DESTINATIONS)
        if isinstance(dests, Unknown):
            store.maybe(REGION, replica, dests)
        for d in dests if isinstance(dests, list) else []:
            region = d.get("Region") if isinstance(d, dict) else d
            store.offer(REGION, leaves(res, region), replace(replica, to=(region,) if isinstance(region, str) else ()))
    store.region_gap("EFS replication to another Region")
    if store.estimates[DELETION].options:  # backed up already: only a more frequent schedule shortens the RPO
        store.estimates[DELETION].gaps.append(Gap("an AWS Backup rule that runs more often", metrics=("rpo",)))
    else:
        store.gap(DELETION, "automatic backups (a backup policy) or an AWS Backup plan")
    return store


def volume(ctx: RuleContext, res: Resource) -> Optional[Store]:
    store = Store(res, "EBS volume")
    store.estimates[AZ].note = "an EBS volume lives in one AZ and has no copy elsewhere"
    backup_options(ctx, store, continuous_ok=False)
    in_region = []  # policies that snapshot (or, in its root, may snapshot) it, copying nothing elsewhere
    for policy in dlm.policies(ctx):  # Data Lifecycle Manager snapshots volumes by tag
        covers = t_and([dlm.runs(ctx, policy), dlm.targets(ctx, policy, res)])
        if covers is False:
            continue
        copies = dlm.copies_to_another_region(ctx, policy)
        if copies is False and (covers is True or policy.meta.get("root") == res.meta.get("root")):
            in_region.append(policy.address)  # advice names only a policy of the volume's own configuration
        read = dlm.schedules(ctx, policy) if covers is True else None
        if isinstance(read, list) and read:
            _dlm_schedules(store, res, policy, read)
            copies = dlm.copies_to_another_region(ctx, policy, in_schedules=False)
            covers = Unknown(f"{policy.address} may copy snapshots through event-based actions")
        else:
            why = Unknown(f"{policy.address} may snapshot the volume ({covers.reason})") \
                if isinstance(covers, Unknown) else read if isinstance(read, Unknown) \
                else Unknown(f"{policy.address} snapshots the volume on a schedule that is not read")
            for scenario in (AZ, DELETION):
                store.maybe(scenario, _dlm_option(policy, None, "snapshots on the policy's schedule (not read)"), why)
        if copies is False:  # its snapshots stay in its Region, whatever it targets
            continue
        reasons = "; ".join(u.reason for u in (covers, copies) if isinstance(u, Unknown))
        copy = _dlm_option(policy, None, "copies on the policy's schedule (not read)", cross_region=True)
        store.maybe(REGION, copy, Unknown(
            f"{policy.address} may copy snapshots of the volume to another Region ({reasons})" if reasons
            else f"{policy.address} copies snapshots of the volume to another Region on a schedule that is not read"))
    store.gap(AZ, "an AWS Backup plan for the volume (snapshots are restorable in any AZ)")
    store.region_gap(None, f"a cross-Region copy rule in {in_region[0]}" if in_region else "")
    store.gap(DELETION, "an AWS Backup plan for the volume")
    return store


def _dlm_option(policy: Resource, rpo, says: str, **kw) -> Option:
    return Option(f"Data Lifecycle Manager policy {policy.address}", rpo, F.RESTORE.seconds, says,
                  F.RESTORE.source, rto_says=F.RESTORE.says, **kw)


def _dlm_interval(schedule) -> Any:
    """Seconds between two snapshots of a schedule: `interval` hours, or the longest gap of its cron."""
    if isinstance(schedule.every, Unknown):
        return schedule.every
    if isinstance(schedule.cron, str):
        return schedule_interval(schedule.cron)
    if isinstance(schedule.cron, Unknown):
        return schedule.cron
    unit = schedule.unit if schedule.unit is not MISSING else "HOURS"
    if isinstance(schedule.every, (int, float)) and not isinstance(schedule.every, bool) and unit == "HOURS":
        return schedule.every * 3600
    return Unknown(f"the schedule {schedule.name} sets no interval rlint reads")


def _dlm_schedules(store: Store, res: Resource, policy: Resource, schedules: list) -> None:
    """A policy that certainly snapshots the volume: each schedule is a recovery point every interval, each of
    its cross-Region copy rules a copy on the same schedule."""
    for schedule in schedules:
        interval = _dlm_interval(schedule)
        how_often = f"how often (schedule {schedule.name}) is not known ({getattr(interval, 'reason', '')})"
        rpo = interval if isinstance(interval, (int, float)) else None
        local = _dlm_option(policy, rpo, f"a snapshot every {every(rpo)} (schedule {schedule.name})" if rpo
                            else "snapshots on a schedule rlint does not read")
        for scenario in (AZ, DELETION):
            store.offer(scenario, Unknown(f"{policy.address} snapshots the volume, but {how_often}")
                        if isinstance(interval, Unknown) else True, local)
        targets = schedule.copies if isinstance(schedule.copies, list) else [schedule.copies]
        for target in targets:
            where = target if isinstance(target, str) else "another Region"
            copy = replace(local, basis=f"{local.basis} copy to {where}", cross_region=True,
                           says=f"a copy every {every(rpo)}" if rpo else "the schedule is not known",
                           to=(target,) if isinstance(target, str) else ())
            away = Unknown(f"{policy.address} copies to an Outpost ({target})") \
                if isinstance(target, str) and target.startswith("arn:") else leaves(res, target)
            if isinstance(interval, Unknown) and away is True:
                store.maybe(REGION, copy, Unknown(f"{policy.address} may copy snapshots of the volume to another "
                                                  f"Region, but {how_often}"))
            else:
                store.offer(REGION, away, copy)
                store.copies.append(copy)


__all__ = ['file_system', 'volume', 'EBS_TYPES']
