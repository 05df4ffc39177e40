"""S3 bucket replication (`aws_s3_bucket_replication_configuration`, the older inline
`replication_configuration` block, CloudFormation `ReplicationConfiguration`), read by the DR model."""
from rlint.rules.base import Attr

BUCKET_TYPES = ("aws_s3_bucket", "AWS::S3::Bucket")
TF_REPLICATION = "aws_s3_bucket_replication_configuration"
# the bucket a Terraform replication configuration belongs to
REPLICATION_BUCKET = Attr("replication_bucket", "bucket", None)
# the rules: in the separate resource (`rule`), inline on an old-style bucket, or CloudFormation's Rules
TF_RULES = Attr("replication_rules", "rule", None)
INLINE_RULES = Attr("inline_replication_rules", "replication_configuration.rules",
                    "Properties.ReplicationConfiguration.Rules")
# Keys inside one rule, per format: (terraform, cloudformation).
RULE_DESTINATION = ("destination", "Destination")
DESTINATION_BUCKET = ("bucket", "Bucket")
REPLICATION_TIME = ("replication_time", "ReplicationTime")
REPLICATION_TIME_STATUS = ("status", "Status")

__all__ = ["BUCKET_TYPES", "TF_REPLICATION", "REPLICATION_BUCKET", "TF_RULES", "INLINE_RULES", "RULE_DESTINATION",
           "DESTINATION_BUCKET", "REPLICATION_TIME", "REPLICATION_TIME_STATUS"]
