from rlint.model import Severity, Unknown
from rlint.rules.attrs.rds import AVAILABILITY_ZONE, CLUSTER_ID, MULTI_AZ
from rlint.rules.base import Fix, RemoveAttribute, Rule
from rlint.rules.graphutil.zones import Zone, zone_of_reference


class RdsMultiAzAzPinned(Rule):
    """## What it does
    Flags RDS DB instances that set an Availability Zone (`availability_zone` / `AvailabilityZone`) together
    with Multi-AZ (`multi_az` / `MultiAZ` true).

    ## Why is this bad?
    RDS refuses the combination: a Multi-AZ instance places its primary and standby itself, and the create
    or modify call fails when a zone is also given. The apply or the stack stops at this resource, so the
    database is not created, or a change meant to add the standby (the Multi-AZ conversion) never happens
    and the instance stays single-AZ.

    ## Example
    ```hcl
    resource "aws_db_instance" "orders" {
      engine            = "postgres"
      instance_class    = "db.m6g.large"
      multi_az          = true
      availability_zone = "eu-west-1a"
    }
    ```
    ```yaml
    Orders:
      Type: AWS::RDS::DBInstance
      Properties:
        Engine: postgres
        DBInstanceClass: db.m6g.large
        MultiAZ: true
        AvailabilityZone: eu-west-1a
    ```

    ## Use instead
    ```hcl
    resource "aws_db_instance" "orders" {
      engine         = "postgres"
      instance_class = "db.m6g.large"
      multi_az       = true          # RDS picks the primary and standby zones
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
    Aurora members (CloudFormation instances with `DBClusterIdentifier`; Terraform
    `aws_rds_cluster_instance` is another type) are not checked: `MultiAZ` does not apply to them. A
    Multi-AZ value or a zone that is unknown (a variable or parameter without default, which may also turn
    the zone into null or `AWS::NoValue`) gives `unknown`. A zone given by position (`Fn::Select` over
    `Fn::GetAZs`) or by reference to a subnet's zone is set all the same and fails.

    ## Fix safety
    Safe for the template: removing the zone lets RDS choose. On an existing instance, Terraform shows no
    change when the current zone is kept; if the plan wants to move the instance, keep the value out and
    let the Multi-AZ conversion run in the maintenance window.

    ## References
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#availability_zone
    """

    id = "RL113"
    name = "rds-multi-az-az-pinned"
    severity = Severity.HIGH
    resource_types = ("aws_db_instance", "AWS::RDS::DBInstance")

    def check(self, res, ctx):
        if ctx.has(res, CLUSTER_ID):
            return
        zone = zone_of_reference(ctx.graph, res, ctx.get(res, AVAILABILITY_ZONE))
        if zone is None:
            return
        multi_az = ctx.get(res, MULTI_AZ)
        if isinstance(multi_az, Unknown):
            yield self.unknown(res, multi_az, at=MULTI_AZ)
            return
        if not (multi_az is True or multi_az == "true"):
            return
        az = AVAILABILITY_ZONE.spelling(res.format)
        if not isinstance(zone, Zone):
            yield self.unknown(res, zone, at=AVAILABILITY_ZONE)
            return
        yield self.fail(
            res,
            f"{res.address} sets `{az}` ({zone.label}) together with `{MULTI_AZ.spelling(res.format)}` true: "
            f"RDS rejects the combination and the deployment fails",
            at=AVAILABILITY_ZONE,
            fix=Fix(f"Remove `{az}` and let RDS place the primary and the standby",
                    (RemoveAttribute(AVAILABILITY_ZONE),), note="RDS chooses both zones of a Multi-AZ instance"),
        )
