from rlint.model import AzToken, Severity, Unknown
from rlint.rules.attrs.efs import EFS_AZ_NAME
from rlint.rules.base import RemoveAttribute, Rule, describe, manual_fix
from rlint.rules.graphutil.zones import Zone, zone_of_reference


class EfsOneZone(Rule):
    """## What it does
    Flags EFS One Zone file systems: `availability_zone_name` (Terraform) or `AvailabilityZoneName`
    (CloudFormation) set, which stores the data in a single Availability Zone.

    ## Why is this bad?
    A One Zone file system keeps its data and its only mount target in one zone. When that zone fails, the
    file system is unreachable from everywhere, and if the zone's storage is lost the data is lost with it:
    what remains is the last backup or replica. Regional (Standard) file systems store data redundantly
    across zones and offer a mount target in each, so clients in surviving zones keep working.

    ## Example
    ```hcl
    resource "aws_efs_file_system" "shared" {
      availability_zone_name = "eu-west-1a"
    }
    ```
    ```yaml
    Shared:
      Type: AWS::EFS::FileSystem
      Properties:
        AvailabilityZoneName: !Select [0, !GetAZs ""]
    ```

    ## Use instead
    ```hcl
    resource "aws_efs_file_system" "shared" {
      encrypted = true   # no availability_zone_name: Regional storage across zones
    }
    ```
    ```yaml
    Shared:
      Type: AWS::EFS::FileSystem
      Properties:
        Encrypted: true
    ```

    ## Known problems
    A file system whose zone name comes from a variable without default (which may be null) or from a
    CloudFormation value that is unknown gives `unknown`; a zone chosen by position (`Fn::Select` over
    `Fn::GetAZs`, `data.aws_availability_zones.<x>.names[i]`) is still one zone and fails. One Zone chosen
    on purpose for scratch or easily rebuilt data should be suppressed with a reason. Replication
    (`aws_efs_replication_configuration`, `ReplicationConfiguration`) gives a recovery copy but not
    availability during the outage, so it does not exempt the file system. Mount-target coverage of
    consumer zones for Regional file systems is not checked here.

    ## Fix safety
    Needs review: the storage class cannot be changed in place. Removing the zone name replaces the file
    system (Terraform forces a new resource; CloudFormation replaces it), which creates an empty file
    system: copy the data first (AWS DataSync, or restore a backup into a Regional file system), then move
    the mount targets and clients. Regional storage costs more per GB. rlint shows this fix (the file system
    without its zone) without writing it (display-only).

    ## References
    - https://docs.aws.amazon.com/efs/latest/ug/availability-durability.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-efs-filesystem.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/efs_file_system#availability_zone_name
    """

    id = "RL108"
    name = "efs-one-zone"
    severity = Severity.MEDIUM
    resource_types = ("aws_efs_file_system", "AWS::EFS::FileSystem")

    def check(self, res, ctx):
        value = ctx.get(res, EFS_AZ_NAME)
        zone = zone_of_reference(ctx.graph, res, value)
        if zone is None:
            return
        if not isinstance(zone, Zone):
            yield self.unknown(res, zone, at=EFS_AZ_NAME)
            return
        spelled = EFS_AZ_NAME.spelling(res.format)
        shown = zone.label if isinstance(value, (AzToken, Unknown)) else describe(value)
        yield self.fail(
            res,
            f"{res.address} is an EFS One Zone file system (`{spelled}` is {shown}): an outage of that zone "
            f"makes it unreachable and its data depends on that zone",
            at=EFS_AZ_NAME,
            fix=manual_fix(f"Create a Regional file system (no `{spelled}`) and migrate the data to it",
                           "removing the zone replaces the file system, and the replacement starts empty: create "
                           "the Regional file system beside it, copy the data (AWS DataSync, or a restore from "
                           "AWS Backup), then move the mount targets and clients", (RemoveAttribute(EFS_AZ_NAME),),
                           note="Regional storage costs more per GB"),
        )
