"""Amazon EFS file systems."""
from rlint.rules.base import Attr

# Set only for One Zone file systems; absent means Regional (Standard) storage across zones.
EFS_AZ_NAME = Attr("availability_zone_name", "availability_zone_name", "Properties.AvailabilityZoneName")

__all__ = ["EFS_AZ_NAME"]

FILE_SYSTEM_TYPES = ("aws_efs_file_system", "AWS::EFS::FileSystem")
# Replication to a read-only copy: Terraform a separate resource naming the source, CloudFormation inline.
TF_REPLICATION = "aws_efs_replication_configuration"
TF_REPLICATION_REGION = Attr("efs_replication_region", "destination.region", None)
CFN_REPLICATION_DESTINATIONS = Attr("efs_replication_destinations", None,
                                    "Properties.ReplicationConfiguration.Destinations")
