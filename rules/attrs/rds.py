"""RDS, Aurora and the other relational engines (DocumentDB and Neptune share the RDS shapes)."""
from rlint.model import MISSING
from rlint.rules.base import Attr

ENGINE = Attr("engine", "engine", "Properties.Engine")
# Multi-AZ has no provider default in Terraform (Optional+Computed): absent means the API default, off.
MULTI_AZ = Attr("multi_az", "multi_az", "Properties.MultiAZ", tf_default=False, cfn_default=False)
AVAILABILITY_ZONE = Attr("availability_zone", "availability_zone", "Properties.AvailabilityZone")
REPLICATE_SOURCE = Attr("replica_source", "replicate_source_db", "Properties.SourceDBInstanceIdentifier")
CLUSTER_ID = Attr("cluster_identifier", None, "Properties.DBClusterIdentifier")
# Terraform only here: a read replica in another Region names its source by ARN, which ends in the identifier
IDENTIFIER = Attr("identifier", "identifier", None)
# An absent retention means the API default of 1 day in both formats (whatever older provider docs say).
BACKUP_RETENTION = Attr("backup_retention_period", "backup_retention_period", "Properties.BackupRetentionPeriod",
                        tf_default=1, cfn_default=1)
DELETION_PROTECTION = Attr("deletion_protection", "deletion_protection", "Properties.DeletionProtection",
                           tf_default=False, cfn_default=False)
# Terraform only: the provider's delete takes a final snapshot unless told to skip it (default false).
SKIP_FINAL_SNAPSHOT = Attr("skip_final_snapshot", "skip_final_snapshot", None, tf_default=False)
FINAL_SNAPSHOT_ID = Attr("final_snapshot_identifier", "final_snapshot_identifier", None)
SNAPSHOT_IDENTIFIER = Attr("snapshot_identifier", "snapshot_identifier", "Properties.DBSnapshotIdentifier")
DB_CLUSTER_INSTANCE_CLASS = Attr("db_cluster_instance_class", "db_cluster_instance_class",
                                 "Properties.DBClusterInstanceClass")
ENGINE_MODE = Attr("engine_mode", "engine_mode", "Properties.EngineMode", tf_default="provisioned",
                   cfn_default="provisioned")
# Aurora Limitless Database: the cluster serves through a DB shard group, not through DB instances
SCALABILITY_TYPE = Attr("cluster_scalability_type", "cluster_scalability_type", "Properties.ClusterScalabilityType",
                        tf_default="standard", cfn_default="standard")

# Resources with native automated backups of their own: DB instances (minus Aurora members and read replicas,
# decided per resource) and the clusters of Aurora, Multi-AZ DB clusters, DocumentDB and Neptune.
DB_INSTANCE_TYPES = ("aws_db_instance", "AWS::RDS::DBInstance")
DB_CLUSTER_TYPES = ("aws_rds_cluster", "AWS::RDS::DBCluster", "aws_docdb_cluster", "AWS::DocDB::DBCluster",
                    "aws_neptune_cluster", "AWS::Neptune::DBCluster")
# A database restored from a snapshot or to a point in time inherits the source's retention when none is set.
CLUSTER_SNAPSHOT_IDENTIFIER = Attr("cluster_snapshot_identifier", "snapshot_identifier",
                                   "Properties.SnapshotIdentifier")
RESTORE_TO_POINT_IN_TIME = Attr("restore_to_point_in_time", "restore_to_point_in_time", None)
CLUSTER_RESTORE_SOURCE = Attr("source_db_cluster_identifier", None, "Properties.SourceDBClusterIdentifier")
# The API's range for native retention: instances 0-35 (0 turns backups off), clusters 1-35.
MAX_NATIVE_RETENTION_DAYS = 35

__all__ = ["DB_INSTANCE_TYPES", "DB_CLUSTER_TYPES", "MAX_NATIVE_RETENTION_DAYS", "CLUSTER_SNAPSHOT_IDENTIFIER",
           "RESTORE_TO_POINT_IN_TIME", "CLUSTER_RESTORE_SOURCE", "ENGINE", "MULTI_AZ",
           "AVAILABILITY_ZONE", "REPLICATE_SOURCE", "CLUSTER_ID", "IDENTIFIER", "BACKUP_RETENTION",
           "DELETION_PROTECTION", "SKIP_FINAL_SNAPSHOT", "FINAL_SNAPSHOT_ID", "SNAPSHOT_IDENTIFIER",
           "DB_CLUSTER_INSTANCE_CLASS", "ENGINE_MODE", "SCALABILITY_TYPE", "MISSING"]

# Automated backups replicated to another Region: CloudFormation on the instance, Terraform a separate
# resource created with the destination Region's provider, naming the source by ARN.
BACKUP_REPLICATION_REGION = Attr("automatic_backup_replication_region", None,
                                 "Properties.AutomaticBackupReplicationRegion")
TF_BACKUP_REPLICATION = "aws_db_instance_automated_backups_replication"
