"""EFS file systems and EBS volumes."""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from rlint.model import MISSING, Resource, Unknown
from rlint.rules.attrs import efs
from rlint.rules.base import TERRAFORM, RuleContext
from rlint.rules.dr import figures as F
from rlint.rules.dr.estimate import AZ, DELETION, REGION, Gap, Option
from rlint.rules.dr.regions import leaves, region_label
from rlint.rules.dr.stores.backups import backup_options
from rlint.rules.dr.stores.base import Store, opt
from rlint.rules.graphutil import dlm
from rlint.rules.graphutil.backup import efs_automatic_backups, t_and

EBS_TYPES = ("aws_ebs_volume", "AWS::EC2::Volume")


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
    for policy in dlm.policies(ctx):  # Data Lifecycle Manager snapshots volumes by tag; schedules are not read
        covers = t_and([dlm.runs(ctx, policy), dlm.targets(ctx, policy, res)])
        if covers is False:
            continue
        snapshots = Option(f"Data Lifecycle Manager policy {policy.address}", None, F.RESTORE.seconds,
                           "snapshots on the policy's schedule (not read)", F.RESTORE.source)
        why = Unknown(f"{policy.address} may snapshot the volume ({covers.reason})") if isinstance(covers, Unknown) \
            else Unknown(f"{policy.address} snapshots the volume on a schedule that is not read")
        for scenario in (AZ, DELETION):
            store.maybe(scenario, snapshots, why)
        copies = dlm.copies_to_another_region(ctx, policy)
        if copies is False:  # its snapshots stay in its Region, whatever it targets
            if covers is True or policy.meta.get("root") == res.meta.get("root"):
                in_region.append(policy.address)  # advice names only a policy of the volume's own configuration
            continue
        reasons = [u.reason for u in (covers, copies) if isinstance(u, Unknown)]
        store.maybe(REGION, replace(snapshots, cross_region=True), Unknown(
            f"{policy.address} may copy snapshots of the volume to another Region ({'; '.join(reasons)})" if reasons
            else f"{policy.address} copies snapshots of the volume to another Region on a schedule that is not read"))
    store.gap(AZ, "an AWS Backup plan for the volume (snapshots are restorable in any AZ)")
    store.region_gap(None, f"a cross-Region copy rule in {in_region[0]}" if in_region else "")
    store.gap(DELETION, "an AWS Backup plan for the volume")
    return store


__all__ = ['file_system', 'volume', 'EBS_TYPES']
