"""DynamoDB tables (`aws_dynamodb_table`, `AWS::DynamoDB::Table`) and global tables
(`AWS::DynamoDB::GlobalTable`, Terraform `replica` blocks).

Shared by the backup rules (point-in-time recovery), the deletion rules (deletion protection) and the
disaster-recovery model (replicas in other regions).
"""
from rlint.rules.base import Attr

TABLE_TYPES = ("aws_dynamodb_table", "AWS::DynamoDB::Table")
GLOBAL_TABLE_TYPE = "AWS::DynamoDB::GlobalTable"

# Point-in-time recovery is off unless enabled, in both formats and the API.
PITR = Attr("point_in_time_recovery", "point_in_time_recovery.enabled",
            "Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled",
            tf_default=False, cfn_default=False)
DELETION_PROTECTION = Attr("deletion_protection_enabled", "deletion_protection_enabled",
                           "Properties.DeletionProtectionEnabled", tf_default=False, cfn_default=False)
# Terraform: `replica { region_name = ... }` blocks (global tables version 2019.11.21);
# CloudFormation GlobalTable: `Replicas` (each with its own PointInTimeRecoverySpecification).
REPLICAS = Attr("replicas", "replica", "Properties.Replicas")
# Keys inside one replica entry: (terraform, cloudformation).
REPLICA_REGION = ("region_name", "Region")
REPLICA_PITR = ("point_in_time_recovery", "PointInTimeRecoverySpecification")
# Inside a CloudFormation replica's PointInTimeRecoverySpecification (the Terraform replica key is a plain bool).
REPLICA_PITR_ENABLED = "PointInTimeRecoveryEnabled"

# Terraform: a replica managed as its own resource (`aws_dynamodb_table_replica`), PITR off unless enabled.
TF_TABLE_REPLICA = "aws_dynamodb_table_replica"
TABLE_REPLICA_PITR = Attr("point_in_time_recovery", "point_in_time_recovery", None, tf_default=False)

__all__ = ["TABLE_TYPES", "GLOBAL_TABLE_TYPE", "PITR", "DELETION_PROTECTION", "REPLICAS", "REPLICA_REGION",
           "REPLICA_PITR", "REPLICA_PITR_ENABLED", "TF_TABLE_REPLICA", "TABLE_REPLICA_PITR"]
