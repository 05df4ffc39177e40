"""S3 buckets that declare replication."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Optional

from rlint.model import MISSING, Resource, Unknown
from rlint.rules.attrs import s3
from rlint.rules.base import TERRAFORM, RuleContext
from rlint.rules.dr import figures as F
from rlint.rules.dr.estimate import AZ, DELETION, REGION, Gap, Option
from rlint.rules.dr.regions import leaves, region_label
from rlint.rules.dr.stores.base import Store, opt


MRAP_TYPES = ("aws_s3control_multi_region_access_point", "AWS::S3::MultiRegionAccessPoint")


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


def _destination_label(ctx: RuleContext, res: Resource, holder: Resource, path: tuple) -> tuple:
    buckets = [b for b in ctx.graph.targets(holder, path) if b.type in s3.BUCKET_TYPES and b is not res]
    return (region_label(buckets[0]),) if buckets else ()


def bucket(ctx: RuleContext, res: Resource) -> Optional[Store]:
    holder, rules, path = _replication_rules(ctx, res)
    if holder is None:
        return None  # only buckets with declared replication are modelled
    store = Store(res, "S3 bucket")
    store.add(AZ, opt("S3", 0, 0, F.REGIONAL_SERVICE))
    store.add(DELETION, Option("object versions (replication requires versioning)", 0, F.RESTORE.seconds,
                               "previous versions survive overwrites and deletes", F.RESTORE.source,
                               rto_says=F.RESTORE.says))
    if isinstance(rules, Unknown):
        store.maybe(REGION, Option("S3 replication", None, F.S3_REPOINT.seconds, "the rules are not known",
                                   repoint=True), rules)
        return store
    fmt = 0 if res.format == TERRAFORM else 1
    # clients reach the replica through a Multi-Region Access Point's failover, or by being repointed at it
    switch = F.S3_MRAP_FAILOVER if ctx.graph.referrers(res, type=MRAP_TYPES[res.format != TERRAFORM]) \
        else F.S3_REPOINT
    timed = False
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
            timed = True
            option = opt("S3 replication with Replication Time Control", F.S3_RTC.seconds, switch.seconds, F.S3_RTC,
                         switch, cross_region=True, live=True, repoint=True)
        else:
            option = Option("S3 replication", None, switch.seconds, "without Replication Time Control AWS gives no "
                            "bound on replication time", F.S3_RTC.source, cross_region=True, live=True,
                            rto_says=switch.says, rto_source=switch.source, repoint=True)
        store.offer(REGION, away, replace(option, to=_destination_label(ctx, res, holder, where)))
    gaps = store.estimates[REGION].gaps
    if not timed:
        gaps.append(Gap("S3 Replication Time Control on the replication rule (replication_time / ReplicationTime)",
                        metrics=("rpo",)))
    if switch is F.S3_REPOINT:
        gaps.append(Gap("a Multi-Region Access Point over the bucket and its replica (failover controls move "
                        "requests to the replica in minutes)", metrics=("rto",)))
    return store


def _block(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


__all__ = ['bucket']
