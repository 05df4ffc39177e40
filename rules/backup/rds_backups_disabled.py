from rlint.model import Severity, Unknown
from rlint.rules.attrs.rds import BACKUP_RETENTION, CLUSTER_ID, ENGINE, REPLICATE_SOURCE
from rlint.rules.base import Fix, Rule, SetAttribute, describe
from rlint.rules.graphutil.values import as_int


class RdsBackupsDisabled(Rule):
    """## What it does
    Flags RDS DB instances whose automated backups are turned off: `backup_retention_period` (Terraform) or
    `BackupRetentionPeriod` (CloudFormation) set to 0.

    ## Why is this bad?
    With a retention of 0, RDS takes no daily snapshots and keeps no transaction logs, so point-in-time
    recovery is impossible. A bad migration, an accidental `DELETE`, corruption or the loss of the instance
    can only be recovered from whatever manual snapshot happens to exist, and everything written since is
    lost. A retention of 0 also forbids read replicas, which need the source's backups.

    ## Example
    ```hcl
    resource "aws_db_instance" "orders" {
      engine                  = "postgres"
      instance_class          = "db.m6g.large"
      backup_retention_period = 0
    }
    ```
    ```yaml
    Orders:
      Type: AWS::RDS::DBInstance
      Properties:
        Engine: postgres
        DBInstanceClass: db.m6g.large
        BackupRetentionPeriod: 0
    ```

    ## Use instead
    ```hcl
    resource "aws_db_instance" "orders" {
      engine                  = "postgres"
      instance_class          = "db.m6g.large"
      backup_retention_period = 7
    }
    ```
    ```yaml
    Orders:
      Type: AWS::RDS::DBInstance
      Properties:
        Engine: postgres
        DBInstanceClass: db.m6g.large
        BackupRetentionPeriod: 7
    ```

    ## Known problems
    A missing retention is not flagged: the API default is 1 day in both formats (the Terraform provider sends
    nothing when the argument is unset, whatever older provider docs say about a default of 0). Not checked:
    Aurora members (Terraform `aws_rds_cluster_instance`; CloudFormation instances with `DBClusterIdentifier`
    or an `aurora*` engine), whose backups are the cluster's, and read replicas (`replicate_source_db` /
    `SourceDBInstanceIdentifier`), which CloudFormation says not to give a retention. A retention that comes
    from a variable or parameter without a value is reported as `unknown`. Native backups keep at most 35
    days; longer retention needs AWS Backup (RL302, RL303).

    ## Fix safety
    Needs review: backup storage beyond the size of the database is billed, and AWS documents a brief outage
    when the retention changes from 0 to a non-zero value; apply it in the maintenance window.

    ## References
    - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.BackupRetention.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ModifyInstance.Settings.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#backup_retention_period
    """

    id = "RL301"
    name = "rds-backups-disabled"
    severity = Severity.HIGH
    resource_types = ("aws_db_instance", "AWS::RDS::DBInstance")
    checkov_ids = ("CKV_AWS_133",)
    trivy_ids = ("AVD-AWS-0077", "aws-rds-specify-backup-retention")

    def check(self, res, ctx):
        if ctx.has(res, CLUSTER_ID) or ctx.has(res, REPLICATE_SOURCE):
            return
        engine = ctx.get(res, ENGINE)
        if isinstance(engine, str) and engine.lower().startswith("aurora"):
            return
        retention = as_int(ctx.get(res, BACKUP_RETENTION))
        if isinstance(retention, Unknown):
            yield self.unknown(res, retention, at=BACKUP_RETENTION)
            return
        if retention != 0:
            return
        spelled = BACKUP_RETENTION.spelling(res.format)
        yield self.fail(
            res,
            f"{res.address} has automated backups turned off (`{spelled}` is {describe(retention)}): no daily "
            f"snapshots and no point-in-time recovery",
            at=BACKUP_RETENTION,
            fix=Fix(f"Set `{spelled}` to at least 7", (SetAttribute(BACKUP_RETENTION, 7),), safety="review",
                    note="backup storage is billed; changing from 0 causes a brief outage"),
        )
