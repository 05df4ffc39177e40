"""Native automated-backup retention of RDS DB instances and of Aurora, Multi-AZ, DocumentDB and Neptune
clusters, read the same way by the retention rules (RL309 too low, RL313 rejected by AWS).

Which resources own a retention: a cluster always; a DB instance only when it is neither an Aurora member
(the cluster's retention applies) nor a read replica (created with backups off). In Terraform an Aurora
member is a separate type (`aws_rds_cluster_instance`, which has no retention argument), so an
`aws_db_instance` is a replica or standalone; in CloudFormation the role is read from the instance.
"""
from __future__ import annotations

from typing import Any

from rlint.model import Resource, Unknown
from rlint.rules.attrs.rds import (BACKUP_RETENTION, CLUSTER_RESTORE_SOURCE, CLUSTER_SNAPSHOT_IDENTIFIER,
                                   DB_CLUSTER_TYPES, REPLICATE_SOURCE, RESTORE_TO_POINT_IN_TIME, SNAPSHOT_IDENTIFIER)
from rlint.rules.base import RuleContext
from rlint.rules.graphutil.policies import rds_instance_role
from rlint.rules.graphutil.values import as_int, branch_values

CLUSTER = "cluster"
STANDALONE = "standalone"
MEMBER = "member"
REPLICA = "replica"


def retention_owner(ctx: RuleContext, res: Resource) -> Any:
    """"cluster", "standalone", "member", "replica", or an Unknown when a condition decides the role."""
    if res.type in DB_CLUSTER_TYPES:
        return CLUSTER
    if res.type == "AWS::RDS::DBInstance":
        return rds_instance_role(ctx, res)
    return REPLICA if ctx.has(res, REPLICATE_SOURCE) else STANDALONE


def retention_days(ctx: RuleContext, res: Resource) -> Any:
    """The retention in days (the API default of 1 when absent), an Unknown, or a value that is no number."""
    return as_int(ctx.get(res, BACKUP_RETENTION))


def retention_choices(ctx: RuleContext, res: Resource) -> Any:
    """Every retention the configuration can give: [days] when decided, the days of each branch of a
    CloudFormation `Fn::If` whose branches are literals, else the Unknown."""
    days = retention_days(ctx, res)
    if not isinstance(days, Unknown):
        return [days]
    branches = branch_values(res, BACKUP_RETENTION)
    if branches is None:
        return days
    values = [as_int(v) for v in branches]
    return values if all(is_days(v) for v in values) else days


# the Terraform types with a `restore_to_point_in_time` block (AWS provider 5.x; Neptune has none)
POINT_IN_TIME_RESTORE_TYPES = ("aws_db_instance", "aws_rds_cluster", "aws_docdb_cluster")


def restored_from(ctx: RuleContext, res: Resource) -> str:
    """What the database is restored from ("snapshot_identifier", ...), or "" when it is created empty. A
    restore without an explicit retention inherits the retention of its snapshot or source."""
    attrs = (CLUSTER_SNAPSHOT_IDENTIFIER, CLUSTER_RESTORE_SOURCE) if res.type in DB_CLUSTER_TYPES \
        else (SNAPSHOT_IDENTIFIER,)
    if res.type in POINT_IN_TIME_RESTORE_TYPES:
        attrs += (RESTORE_TO_POINT_IN_TIME,)
    for attr in attrs:
        if ctx.has(res, attr):
            return attr.spelling(res.format)
    return ""


def describe_retention(ctx: RuleContext, res: Resource, days: Any) -> str:
    """"`backup_retention_period` is `3`", "`BackupRetentionPeriod` is not set: the API default", or for the
    branches of a condition "`BackupRetentionPeriod` is `3` or `1`, depending on a condition"."""
    spelled = BACKUP_RETENTION.spelling(res.format)
    if not ctx.has(res, BACKUP_RETENTION):
        return f"`{spelled}` is not set: the API default"
    if isinstance(days, list):
        if len(set(days)) > 1:
            shown = " or ".join(f"`{d}`" for d in dict.fromkeys(days))
            return f"`{spelled}` is {shown}, depending on a condition"
        days = days[0]
    return f"`{spelled}` is `{days}`"


def is_days(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


__all__ = ["retention_owner", "retention_days", "retention_choices", "restored_from", "describe_retention", "is_days",
           "CLUSTER",
           "STANDALONE", "MEMBER",
           "REPLICA", "Unknown"]
