"""Amazon EFS file systems."""
from rlint.rules.base import Attr

# Set only for One Zone file systems; absent means Regional (Standard) storage across zones.
EFS_AZ_NAME = Attr("availability_zone_name", "availability_zone_name", "Properties.AvailabilityZoneName")


EFS_TYPES = ("aws_efs_file_system", "AWS::EFS::FileSystem")
# Automatic backups (AWS Backup's default plan for EFS): CloudFormation inlines the policy in the file system,
# Terraform keeps it in a separate `aws_efs_backup_policy` that names the file system.
EFS_BACKUP_POLICY_STATUS = Attr("backup_policy_status", None, "Properties.BackupPolicy.Status")
TF_EFS_BACKUP_POLICY = "aws_efs_backup_policy"
TF_POLICY_STATUS = Attr("backup_policy_status", "backup_policy.status", None)
TF_POLICY_FILE_SYSTEM = Attr("file_system_id", "file_system_id", None)
ENABLED = "ENABLED"

__all__ = ["EFS_AZ_NAME", "EFS_TYPES", "EFS_BACKUP_POLICY_STATUS", "TF_EFS_BACKUP_POLICY", "TF_POLICY_STATUS",
           "TF_POLICY_FILE_SYSTEM", "ENABLED"]

# Replication to a read-only copy: Terraform a separate resource naming the source, CloudFormation inline.
TF_REPLICATION = "aws_efs_replication_configuration"
TF_REPLICATION_REGION = Attr("efs_replication_region", "destination.region", None)
CFN_REPLICATION_DESTINATIONS = Attr("efs_replication_destinations", None,
                                    "Properties.ReplicationConfiguration.Destinations")
