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
from rlint.rules.graphutil.backup import efs_automatic_backups

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


DLM_POLICY_TYPES = ("aws_dlm_lifecycle_policy", "AWS::DLM::LifecyclePolicy")


def volume(ctx: RuleContext, res: Resource) -> Optional[Store]:
    store = Store(res, "EBS volume")
    store.estimates[AZ].note = "an EBS volume lives in one AZ and has no copy elsewhere"
    backup_options(ctx, store, continuous_ok=False)
    policies = ctx.graph.by_type(*DLM_POLICY_TYPES)
    if policies:  # Data Lifecycle Manager snapshots volumes by tag; its schedules are not read
        snapshots = Option(f"Data Lifecycle Manager policy {policies[0].address}", None, F.RESTORE.seconds,
                           "snapshots on the policy's schedule (not read)", F.RESTORE.source)
        why = Unknown(f"{policies[0].address} may snapshot the volume")
        for scenario in (AZ, DELETION, REGION):
            store.maybe(scenario, snapshots, why)
    store.gap(AZ, "an AWS Backup plan for the volume (snapshots are restorable in any AZ)")
    store.region_gap(None)
    store.gap(DELETION, "an AWS Backup plan for the volume")
    return store


__all__ = ['file_system', 'volume', 'EBS_TYPES']
