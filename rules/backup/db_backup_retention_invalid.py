from rlint.model import Severity, Unknown
from rlint.rules.attrs.rds import (BACKUP_RETENTION, CLUSTER_ID, DB_CLUSTER_TYPES, DB_INSTANCE_TYPES,
                                   MAX_NATIVE_RETENTION_DAYS)
from rlint.rules.base import Fix, RemoveAttribute, Rule, SetAttribute
from rlint.rules.graphutil.retention import (CLUSTER, MEMBER, REPLICA, describe_retention, is_days,
                                             retention_choices, retention_days, retention_owner)
from rlint.rules.graphutil.values import as_int


class DbBackupRetentionInvalid(Rule):
    """## What it does
    Flags native backup retentions that AWS rejects, so that the deployment fails: a
    `backup_retention_period` / `BackupRetentionPeriod` above 35 days on an RDS DB instance or on an Aurora,
    Multi-AZ, DocumentDB or Neptune cluster; below 1 day on such a cluster (clusters cannot turn backups
    off); and, in CloudFormation, a `BackupRetentionPeriod` on a DB instance that names a
    `DBClusterIdentifier` (an Aurora member, whose backups are the cluster's).

    ## Why is this bad?
    The stack or apply stops half way: CloudFormation rolls back (or leaves a failed update), Terraform leaves
    a partial apply. Until it is corrected nothing else in the change ships, and a retention above 35 days
    usually reveals a wrong expectation: native backups never keep more than 35 days, so the long history the
    author wanted does not exist anywhere.

    ## Example
    ```hcl
    resource "aws_db_instance" "ledger" {
      engine                  = "postgres"
      instance_class          = "db.m6g.large"
      backup_retention_period = 90
    }
    ```
    ```yaml
    Writer:
      Type: AWS::RDS::DBInstance
      Properties:
        Engine: aurora-postgresql
        DBClusterIdentifier: !Ref Cluster
        DBInstanceClass: db.r6g.large
        BackupRetentionPeriod: 7
    ```

    ## Use instead
    ```hcl
    resource "aws_db_instance" "ledger" {
      engine                  = "postgres"
      instance_class          = "db.m6g.large"
      backup_retention_period = 35
    }
    # and an AWS Backup plan (aws_backup_plan + aws_backup_selection) for the 90 days
    ```
    ```yaml
    Writer:
      Type: AWS::RDS::DBInstance
      Properties:
        Engine: aurora-postgresql
        DBClusterIdentifier: !Ref Cluster
        DBInstanceClass: db.r6g.large
    # BackupRetentionPeriod: 7 goes on the AWS::RDS::DBCluster
    ```

    ## Known problems
    The RDS API documents the ranges: "Must be a value from 0 to 35" for a DB instance and "Must be a value
    from 1 to 35" for a DB cluster (CreateDBInstance, CreateDBCluster; DocumentDB and Neptune document the same
    1 to 35). For an Aurora member the API reference says the setting "doesn't apply to Amazon Aurora DB
    instances. The retention period for automated backups is managed by the DB cluster", and RDS answers
    `InvalidParameterCombination` ("The requested DB Instance will be a member of a DB Cluster"); cfn-lint's
    E3719 reports the same combination. Terraform's `aws_rds_cluster_instance` has no retention argument, so
    there is nothing to reject there. Read replicas are not flagged: CloudFormation's guide says not to set
    `BackupRetentionPeriod` on them ("backups are disabled for read replicas") but documents no rejection, and
    MySQL and MariaDB replicas do accept a retention; a retention above 35 days on a Terraform replica is
    still flagged, the range is the same. Values from variables or parameters without a value, or an instance
    whose `DBClusterIdentifier` depends on an undecidable condition, give `unknown`. RL408
    (aurora-member-invalid-properties) covers the member's other invalid properties and leaves
    `BackupRetentionPeriod` to this rule.

    ## Fix safety
    Safe to apply for a member (the property is removed; set the retention on the cluster). Capping a
    retention at 35 days keeps fewer automated backups than the author asked for: review it and add an AWS
    Backup plan when a longer history is the goal.

    ## References
    - https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.BackupRetention.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html
    - https://docs.aws.amazon.com/documentdb/latest/developerguide/API_CreateDBCluster.html
    - https://docs.aws.amazon.com/neptune/latest/userguide/api-clusters.html
    """

    id = "RL313"
    name = "db-backup-retention-invalid"
    severity = Severity.HIGH
    resource_types = DB_INSTANCE_TYPES + DB_CLUSTER_TYPES
    checkov_ids = ("CKV_AWS_133",)  # checkov's 1-35 range check also fails above 35 (below 1 is RL301's)

    def check(self, res, ctx):
        role = retention_owner(ctx, res)
        if role == REPLICA and res.format == "cloudformation":
            return
        if role == MEMBER:
            yield from self._on_member(res, ctx)
            return
        choices = retention_choices(ctx, res)
        if isinstance(choices, Unknown):
            yield self.unknown(res, choices, at=BACKUP_RETENTION)
            return
        lowest = 1 if role == CLUSTER else 0
        invalid = [d for d in choices if is_days(d) and not lowest <= d <= MAX_NATIVE_RETENTION_DAYS]
        if not invalid:
            if isinstance(role, Unknown) and ctx.has(res, BACKUP_RETENTION):
                yield self.unknown(res, role, at=BACKUP_RETENTION,
                                   what="whether the DB instance is an Aurora member (which rejects a retention)")
            return
        if len(invalid) < len(choices):
            yield self.unknown(res, retention_days(ctx, res), at=BACKUP_RETENTION)
            return
        spelled = BACKUP_RETENTION.spelling(res.format)
        kind = "DB cluster" if role == CLUSTER else "DB instance"
        if all(d > MAX_NATIVE_RETENTION_DAYS for d in invalid):
            yield self.fail(
                res,
                f"{res.address}: {describe_retention(ctx, res, invalid)}, but a {kind}'s automated backups keep "
                f"at most {MAX_NATIVE_RETENTION_DAYS} days: AWS rejects the value and the deployment fails",
                at=BACKUP_RETENTION,
                fix=Fix(f"Set `{spelled}` to {MAX_NATIVE_RETENTION_DAYS}",
                        (SetAttribute(BACKUP_RETENTION, MAX_NATIVE_RETENTION_DAYS),), safety="review",
                        note="keeps at most 35 days of automated backups; use AWS Backup for a longer history"),
            )
            return
        yield self.fail(
            res,
            f"{res.address}: {describe_retention(ctx, res, invalid)}, but a {kind}'s retention must be between "
            f"{lowest} and {MAX_NATIVE_RETENTION_DAYS} days: AWS rejects the value and the deployment fails",
            at=BACKUP_RETENTION,
            fix=Fix(f"Set `{spelled}` to 7", (SetAttribute(BACKUP_RETENTION, 7),), safety="review",
                    note="backup storage beyond the database's size is billed"),
        )

    def _on_member(self, res, ctx):
        """CloudFormation Aurora member: any retention is rejected when DBClusterIdentifier is written."""
        if not (ctx.has(res, BACKUP_RETENTION) and ctx.has(res, CLUSTER_ID)):
            return
        for attr in (CLUSTER_ID, BACKUP_RETENTION):
            value = ctx.get(res, attr)
            if isinstance(value, Unknown) and value.reason.startswith("depends on condition"):
                yield self.unknown(res, value, at=attr, what=f"whether `{attr.spelling(res.format)}` is written")
                return
        shown = "from an input" if isinstance(value, Unknown) else f"`{value}`"
        yield self.fail(
            res,
            f"{res.address} is a member of an Aurora cluster (`DBClusterIdentifier` is set) but sets "
            f"`BackupRetentionPeriod` ({shown}): RDS rejects a retention on a cluster member "
            f"(InvalidParameterCombination) and the deployment fails; the cluster's retention applies",
            at=BACKUP_RETENTION,
            fix=self._member_fix(ctx, res, value),
        )

    @staticmethod
    def _member_fix(ctx, res, value) -> Fix:
        """Remove the member's retention; its cluster, when the template has it and sets none, takes the value."""
        changes = [RemoveAttribute(BACKUP_RETENTION)]
        clusters = ctx.graph.targets(res, attr=CLUSTER_ID.path(res.format), type="AWS::RDS::DBCluster")
        days = as_int(value)
        if len(clusters) == 1 and not ctx.has(clusters[0], BACKUP_RETENTION) and is_days(days) \
                and 1 <= days <= MAX_NATIVE_RETENTION_DAYS:
            changes.append(SetAttribute(BACKUP_RETENTION, days, target=clusters[0]))
            where = f"set on {clusters[0].address}, whose retention governs the member's backups"
        else:
            where = "the cluster's BackupRetentionPeriod governs the member's backups"
        return Fix("Remove `BackupRetentionPeriod` from the instance and set it on the DB cluster", tuple(changes),
                   safety="safe", note=where)
