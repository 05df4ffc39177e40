"""Stateful resources: which types hold data, how AWS Backup names them, and the CloudFormation policies that
decide what happens to them on deletion and replacement.

Two lists, for two questions:
- `CFN_STATEFUL_TYPES`: cfn-lint's StatefulResources list (rule I3011), the types whose DeletionPolicy and
  UpdateReplacePolicy matter (RL401/RL402).
- `BACKUP_KINDS`: the stateful resources that AWS Backup should protect (rules.md section 4), with the shape of
  their ARN and where their name and tags are written, so that selections can be matched against them (RL302).
"""
from dataclasses import dataclass
from typing import Optional

from rlint.rules.base import Attr

# -- CloudFormation resource policies ------------------------------------------------------------------------
DELETION_POLICY = Attr("deletion_policy", None, "DeletionPolicy")
UPDATE_REPLACE_POLICY = Attr("update_replace_policy", None, "UpdateReplacePolicy")

# Terraform counterparts: `lifecycle { prevent_destroy = true }` (a literal; Terraform refuses any plan that
# destroys or replaces the resource) and `force_destroy` (default false: lets Terraform empty a bucket or vault).
PREVENT_DESTROY = Attr("prevent_destroy", "lifecycle.prevent_destroy", None, tf_default=False)
FORCE_DESTROY = Attr("force_destroy", "force_destroy", None, tf_default=False)

# cfn-lint src/cfnlint/data/AdditionalSpecs/StatefulResources.json (facts section 9), plus the SAM table,
# whose policies are copied onto the DynamoDB table it generates.
CFN_STATEFUL_TYPES = (
    "AWS::Backup::BackupVault", "AWS::CloudFormation::Stack", "AWS::Cognito::UserPool", "AWS::DocDB::DBCluster",
    "AWS::DocDB::DBInstance", "AWS::DynamoDB::GlobalTable", "AWS::DynamoDB::Table", "AWS::EC2::Volume",
    "AWS::EFS::FileSystem", "AWS::EMR::Cluster", "AWS::ElastiCache::CacheCluster",
    "AWS::ElastiCache::ReplicationGroup", "AWS::Elasticsearch::Domain", "AWS::FSx::FileSystem", "AWS::KMS::Key",
    "AWS::Kinesis::Stream", "AWS::Logs::LogGroup", "AWS::Neptune::DBCluster", "AWS::Neptune::DBInstance",
    "AWS::OpenSearchService::Domain", "AWS::Organizations::Account", "AWS::QLDB::Ledger", "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance", "AWS::Redshift::Cluster", "AWS::SDB::Domain", "AWS::SQS::Queue",
    "AWS::SecretsManager::Secret", "AWS::S3::Bucket", "AWS::Timestream::Database", "AWS::Timestream::Table",
    "AWS::Serverless::SimpleTable",
)

# Types the policy rules leave alone, and why (the message of a skipped resource never shows; kept for docs).
POLICY_EXEMPT_TYPES = {
    # CloudFormation cannot delete a bucket that holds objects: the delete fails instead of losing data.
    "AWS::S3::Bucket": "a bucket with objects cannot be deleted by CloudFormation",
    # Same for a vault: AWS Backup deletes a vault only when it holds no recovery points.
    "AWS::Backup::BackupVault": "a vault with recovery points cannot be deleted",
    # The nested stack's own resources carry their own policies.
    "AWS::CloudFormation::Stack": "the nested stack's resources carry their own policies",
    # Cluster members: the data lives in the cluster volume.
    "AWS::DocDB::DBInstance": "a DocumentDB instance holds no data of its own",
    "AWS::Neptune::DBInstance": "a Neptune instance holds no data of its own",
}

# Types that accept `Snapshot` (CloudFormation user guide, plus DocDB per cfn-lint's valid_snapshot_types).
SNAPSHOT_TYPES = ("AWS::EC2::Volume", "AWS::ElastiCache::CacheCluster", "AWS::ElastiCache::ReplicationGroup",
                  "AWS::Neptune::DBCluster", "AWS::RDS::DBCluster", "AWS::RDS::DBInstance", "AWS::Redshift::Cluster",
                  "AWS::DocDB::DBCluster")

# Types whose DeletionPolicy defaults to Snapshot instead of Delete (DBInstance only without DBClusterIdentifier).
SNAPSHOT_DEFAULT_TYPES = ("AWS::RDS::DBCluster", "AWS::RDS::DBInstance")


# -- AWS Backup coverage -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class BackupKind:
    """How AWS Backup sees one stateful type: `arn:<partition>:<service>:<region>:<account>:<prefix><name>`."""

    service: str
    prefix: str                     # "db:", "cluster:", "table/", "file-system/", "volume/"
    name: Optional[Attr] = None     # the resource name in the ARN, when the configuration can set it
    name_prefix: Optional[Attr] = None  # Terraform *_prefix arguments: the name starts with this
    lowercase: bool = False         # RDS and Redshift store identifiers in lower case
    label: str = ""


_DB_ID = Attr("db_instance_identifier", "identifier", "Properties.DBInstanceIdentifier")
_DB_ID_PREFIX = Attr("db_instance_identifier_prefix", "identifier_prefix", None)
_CLUSTER_ID = Attr("db_cluster_identifier", "cluster_identifier", "Properties.DBClusterIdentifier")
_CLUSTER_ID_PREFIX = Attr("db_cluster_identifier_prefix", "cluster_identifier_prefix", None)
_TABLE_NAME = Attr("table_name", "name", "Properties.TableName")
_REDSHIFT_ID = Attr("redshift_cluster_identifier", "cluster_identifier", "Properties.ClusterIdentifier")

_RDS_DB = BackupKind("rds", "db:", _DB_ID, _DB_ID_PREFIX, True, "RDS DB instance")
_RDS_CLUSTER = BackupKind("rds", "cluster:", _CLUSTER_ID, _CLUSTER_ID_PREFIX, True, "DB cluster")
_TABLE = BackupKind("dynamodb", "table/", _TABLE_NAME, None, False, "DynamoDB table")
_EFS = BackupKind("elasticfilesystem", "file-system/", label="EFS file system")
_EBS = BackupKind("ec2", "volume/", label="EBS volume")
_FSX = BackupKind("fsx", "file-system/", label="FSx file system")
_REDSHIFT = BackupKind("redshift", "cluster:", _REDSHIFT_ID, None, True, "Redshift cluster")

EBS_VOLUME_TYPES = ("aws_ebs_volume", "AWS::EC2::Volume")

BACKUP_KINDS = {
    "aws_db_instance": _RDS_DB, "AWS::RDS::DBInstance": _RDS_DB,
    "aws_rds_cluster": _RDS_CLUSTER, "AWS::RDS::DBCluster": _RDS_CLUSTER,
    "aws_docdb_cluster": _RDS_CLUSTER, "AWS::DocDB::DBCluster": _RDS_CLUSTER,
    "aws_neptune_cluster": _RDS_CLUSTER, "AWS::Neptune::DBCluster": _RDS_CLUSTER,
    "aws_dynamodb_table": _TABLE, "AWS::DynamoDB::Table": _TABLE, "AWS::DynamoDB::GlobalTable": _TABLE,
    "AWS::Serverless::SimpleTable": _TABLE,
    "aws_efs_file_system": _EFS, "AWS::EFS::FileSystem": _EFS,
    "aws_ebs_volume": _EBS, "AWS::EC2::Volume": _EBS,
    "aws_fsx_lustre_file_system": _FSX, "aws_fsx_windows_file_system": _FSX, "aws_fsx_ontap_file_system": _FSX,
    "aws_fsx_openzfs_file_system": _FSX, "AWS::FSx::FileSystem": _FSX,
    "aws_redshift_cluster": _REDSHIFT, "AWS::Redshift::Cluster": _REDSHIFT,
}
BACKUP_STATEFUL_TYPES = tuple(BACKUP_KINDS)

# Where the tags are written: Terraform `tags` (a map, merged with the provider's default_tags); CloudFormation
# a list of Key/Value maps under Properties.Tags, except where noted.
CFN_TAG_PATHS = {
    "AWS::EFS::FileSystem": ("Properties", "FileSystemTags"),
    "AWS::Serverless::SimpleTable": ("Properties", "Tags"),          # a map
    "AWS::DynamoDB::GlobalTable": ("Properties", "Replicas", "Tags"),  # per replica; the first one is read
}
TAGS = Attr("tags", "tags", "Properties.Tags")

__all__ = ["DELETION_POLICY", "UPDATE_REPLACE_POLICY", "PREVENT_DESTROY", "FORCE_DESTROY", "CFN_STATEFUL_TYPES", "POLICY_EXEMPT_TYPES", "SNAPSHOT_TYPES",
           "SNAPSHOT_DEFAULT_TYPES", "BackupKind", "BACKUP_KINDS", "BACKUP_STATEFUL_TYPES", "CFN_TAG_PATHS", "TAGS"]
