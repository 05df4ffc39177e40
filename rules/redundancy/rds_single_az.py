from rlint.model import MISSING, Severity, Unknown
from rlint.rules.attrs.rds import AVAILABILITY_ZONE, CLUSTER_ID, ENGINE, MULTI_AZ, REPLICATE_SOURCE
from rlint.rules.base import Fix, RemoveAttribute, Rule, SetAttribute, describe


class RdsSingleAz(Rule):
    """## What it does
    Flags RDS DB instances that run in a single Availability Zone: `multi_az` (Terraform) or `MultiAZ`
    (CloudFormation) missing or false.

    ## Why is this bad?
    A single-AZ instance has no standby. A host failure, a storage failure or an AZ outage takes the
    database down until RDS replaces the host or someone restores the latest backup into another AZ,
    which takes tens of minutes to hours and loses the writes since the last backed-up transaction log.
    With Multi-AZ, RDS keeps a synchronous standby in a second AZ and fails over to it automatically,
    usually in one to two minutes, with no data loss.

    ## Example
    ```hcl
    resource "aws_db_instance" "orders" {
      engine         = "postgres"
      instance_class = "db.m6g.large"
    }
    ```
    ```yaml
    Orders:
      Type: AWS::RDS::DBInstance
      Properties:
        Engine: postgres
        DBInstanceClass: db.m6g.large
    ```

    ## Use instead
    ```hcl
    resource "aws_db_instance" "orders" {
      engine         = "postgres"
      instance_class = "db.m6g.large"
      multi_az       = true
    }
    ```
    ```yaml
    Orders:
      Type: AWS::RDS::DBInstance
      Properties:
        Engine: postgres
        DBInstanceClass: db.m6g.large
        MultiAZ: true
    ```

    ## Known problems
    Not flagged: Aurora members (Terraform `aws_rds_cluster_instance` is another type; CloudFormation
    instances with `DBClusterIdentifier` or an `aurora*` engine), whose redundancy comes from the cluster
    (RL102); read replicas (`replicate_source_db` / `SourceDBInstanceIdentifier`), which RL112 covers at a
    lower severity; RDS Custom for Oracle (`custom-oracle*`), which cannot run Multi-AZ. A Multi-AZ value
    that comes from a variable without default, a parameter without default or a module output is reported
    as `unknown`, not as a failure, and so is a single-AZ instance whose engine cannot be decided (it may be
    an Aurora instance or RDS Custom for Oracle).

    ## Fix safety
    Needs review: a Multi-AZ standby doubles the instance cost. The conversion happens in place without
    downtime (RDS takes a snapshot and builds the standby from it), but I/O latency rises while it runs;
    schedule it in the maintenance window. Do not also set `availability_zone` (RL113).

    ## References
    - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#multi_az
    """

    id = "RL101"
    name = "rds-single-az"
    severity = Severity.HIGH
    resource_types = ("aws_db_instance", "AWS::RDS::DBInstance")
    checkov_ids = ("CKV_AWS_157",)

    def check(self, res, ctx):
        if ctx.has(res, CLUSTER_ID) or ctx.has(res, REPLICATE_SOURCE):
            return
        engine = ctx.get(res, ENGINE)
        if isinstance(engine, str) and engine.lower().startswith(("aurora", "custom-oracle")):
            return  # engine names are case-insensitive (`MySQL`, `Aurora-MySQL` deploy)
        multi_az = ctx.get(res, MULTI_AZ)
        if isinstance(multi_az, Unknown):
            yield self.unknown(res, multi_az, at=MULTI_AZ)
            return
        if multi_az is True or multi_az == "true":
            return
        if isinstance(engine, Unknown):  # Aurora and RDS Custom for Oracle instances have no Multi-AZ
            yield self.unknown(res, engine, at=ENGINE)
            return
        spelled = MULTI_AZ.spelling(res.format)
        given = describe(multi_az if ctx.has(res, MULTI_AZ) else MISSING)
        yield self.fail(
            res,
            f"{res.address} runs in one Availability Zone (`{spelled}` is {given}): an AZ or host failure "
            f"takes the database down until it is restored",
            at=MULTI_AZ,
            fix=self._fix(ctx, res, spelled),
        )

    @staticmethod
    def _fix(ctx, res, spelled) -> Fix:
        """Multi-AZ on; a pinned zone goes, since RDS rejects a zone with Multi-AZ (RL113)."""
        if ctx.has(res, AVAILABILITY_ZONE):
            return Fix(f"Set `{spelled}` to true and remove `{AVAILABILITY_ZONE.spelling(res.format)}`",
                       (SetAttribute(MULTI_AZ, True), RemoveAttribute(AVAILABILITY_ZONE)), safety="review",
                       note="a synchronous standby in a second AZ, both placed by RDS; doubles the instance cost, "
                            "applied in place")
        return Fix(f"Set `{spelled}` to true", (SetAttribute(MULTI_AZ, True),), safety="review",
                   note="a synchronous standby in a second AZ; doubles the instance cost, applied in place")
