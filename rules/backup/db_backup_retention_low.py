from rlint.model import Severity, Unknown
from rlint.rules.attrs.rds import (BACKUP_RETENTION, DB_CLUSTER_TYPES, DB_INSTANCE_TYPES,
                                   MAX_NATIVE_RETENTION_DAYS)
from rlint.rules.base import Fix, Rule, SetAttribute
from rlint.rules.graphutil.retention import (MEMBER, REPLICA, describe_retention, is_days, restored_from,
                                             retention_choices, retention_days, retention_owner)
from rlint.rules.graphutil.values import as_int

DEFAULT_MIN_DAYS = 7


class DbBackupRetentionLow(Rule):
    """## What it does
    Flags databases whose native automated backups are kept for fewer days than the option `min_days`
    (default 7): RDS DB instances, Aurora and Multi-AZ DB clusters, DocumentDB and Neptune clusters, through
    `backup_retention_period` (Terraform) or `BackupRetentionPeriod` (CloudFormation). A missing retention is
    the API default, 1 day, and is flagged.

    ## Why is this bad?
    The retention is how far back point-in-time restore can go. With the default of one day, a bad
    migration, a faulty deploy that corrupts rows or an accidental `DELETE` that is noticed after a weekend
    can no longer be undone: the last restorable point already holds the damage. A week covers the usual
    time until someone notices; AWS Config's `rds-cluster-backup-retention-check` and
    `docdb-cluster-backup-retention-check` use 7 days as their default too.

    ## Example
    ```hcl
    resource "aws_rds_cluster" "orders" {
      cluster_identifier = "orders"
      engine             = "aurora-postgresql"
      master_username    = "orders"
      # backup_retention_period not set: 1 day
    }
    ```
    ```yaml
    Orders:
      Type: AWS::RDS::DBCluster
      Properties:
        Engine: aurora-postgresql
        MasterUsername: orders
        BackupRetentionPeriod: 3
    ```

    ## Use instead
    ```hcl
    resource "aws_rds_cluster" "orders" {
      cluster_identifier      = "orders"
      engine                  = "aurora-postgresql"
      master_username         = "orders"
      backup_retention_period = 7
    }
    ```
    ```yaml
    Orders:
      Type: AWS::RDS::DBCluster
      Properties:
        Engine: aurora-postgresql
        MasterUsername: orders
        BackupRetentionPeriod: 7
    ```

    ## Known problems
    Not checked, because they have no retention of their own: Aurora members (Terraform
    `aws_rds_cluster_instance`; CloudFormation DB instances with `DBClusterIdentifier` or an `aurora*`
    engine) and read replicas (`replicate_source_db` / `SourceDBInstanceIdentifier`). A retention of 0 on a DB
    instance is RL301's finding (backups off), 0 on a cluster and anything above 35 days are RL313's (AWS
    rejects them): this rule stays silent there so that one value gives one finding. A retention, or an
    instance's role, that depends on a variable or parameter without a value or an undecidable condition is
    reported as `unknown`, and so is a database restored from a snapshot or to a point in time without a
    retention of its own: it inherits the retention of its source. Set the threshold in `.rlint.yaml`:
    `rules: {RL309: {options: {min_days: 14}}}`; it must be 1 to 35, because native backups keep at most 35
    days (a longer history needs AWS Backup: RL302, RL303).

    ## Fix safety
    Needs review: backup storage up to the size of the database is free, beyond it longer retention is
    billed. Changing one non-zero retention to another causes no outage and is applied asynchronously.

    ## References
    - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.BackupRetention.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Managing.Backups.html
    - https://docs.aws.amazon.com/config/latest/developerguide/rds-cluster-backup-retention-check.html
    - https://docs.aws.amazon.com/config/latest/developerguide/docdb-cluster-backup-retention-check.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbcluster.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster#backup_retention_period
    """

    id = "RL309"
    name = "db-backup-retention-low"
    severity = Severity.MEDIUM
    resource_types = DB_INSTANCE_TYPES + DB_CLUSTER_TYPES
    checkov_ids = ()
    trivy_ids = ("AVD-AWS-0077", "aws-rds-specify-backup-retention")
    options = {"min_days": DEFAULT_MIN_DAYS}
    option_schema = {"min_days": {"type": "integer", "minimum": 1, "maximum": MAX_NATIVE_RETENTION_DAYS,
                                  "default": DEFAULT_MIN_DAYS}}

    def check(self, res, ctx):
        min_days = self._min_days(ctx)
        role = retention_owner(ctx, res)
        if role in (MEMBER, REPLICA):
            return
        choices = retention_choices(ctx, res)
        if isinstance(choices, Unknown):
            yield self.unknown(res, choices, at=BACKUP_RETENTION)
            return
        # 0 is RL301's (instances) or RL313's (clusters), above 35 is RL313's
        low = [d for d in choices if is_days(d) and 0 < d <= MAX_NATIVE_RETENTION_DAYS and d < min_days]
        if not low:
            return
        if len(low) < len(choices):
            yield self.unknown(res, retention_days(ctx, res), at=BACKUP_RETENTION)
            return
        if isinstance(role, Unknown):
            yield self.unknown(res, role, what="whether the DB instance has a retention of its own")
            return
        source = restored_from(ctx, res)
        if source and not ctx.has(res, BACKUP_RETENTION):
            yield self.unknown(res, Unknown(f"restored through `{source}`, it inherits the source's retention"),
                               at=BACKUP_RETENTION)
            return
        spelled = BACKUP_RETENTION.spelling(res.format)
        days = max(low)
        yield self.fail(
            res,
            f"{res.address} keeps automated backups for {'at most ' if len(set(low)) > 1 else ''}{days} "
            f"day{'s' if days != 1 else ''} ({describe_retention(ctx, res, low)}), fewer than the required "
            f"{min_days}: damage noticed later than that cannot be undone by point-in-time restore",
            at=BACKUP_RETENTION,
            fix=Fix(f"Set `{spelled}` to {min_days}", (SetAttribute(BACKUP_RETENTION, min_days),), safety="review",
                    note="backup storage beyond the database's size is billed"),
        )

    @staticmethod
    def _min_days(ctx) -> int:
        value = as_int(ctx.option("min_days", DEFAULT_MIN_DAYS))
        if not is_days(value) or value < 1:
            return DEFAULT_MIN_DAYS
        return min(value, MAX_NATIVE_RETENTION_DAYS)
