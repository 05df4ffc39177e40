"""Aurora and Multi-AZ DB clusters (`aws_rds_cluster`, `AWS::RDS::DBCluster`) and their member instances.

The engine, engine mode and `db_cluster_instance_class` are shared with plain RDS and live in rds.py.
"""
from rlint.rules.base import Attr

# the cluster's own name; members may name it literally instead of referencing the resource
CLUSTER_NAME = Attr("cluster_identifier", "cluster_identifier", "Properties.DBClusterIdentifier")
GLOBAL_CLUSTER = Attr("global_cluster_identifier", "global_cluster_identifier", "Properties.GlobalClusterIdentifier")
# a global secondary cannot set master credentials: they come from the primary
MASTER_USERNAME = Attr("master_username", "master_username", "Properties.MasterUsername")
# set on a cluster restored from a snapshot or created as a cross-Region read replica (no credentials either)
REPLICATION_SOURCE = Attr("replication_source_identifier", "replication_source_identifier",
                          "Properties.ReplicationSourceIdentifier")
# membership as written on the instance: a separate type in Terraform, DBClusterIdentifier in CloudFormation
MEMBER_CLUSTER = Attr("member_cluster", "cluster_identifier", "Properties.DBClusterIdentifier")
INSTANCE_CLASS = Attr("instance_class", "instance_class", "Properties.DBInstanceClass")
# the global cluster's primary, named from the global cluster
GLOBAL_SOURCE = Attr("source_db_cluster_identifier", "source_db_cluster_identifier",
                     "Properties.SourceDBClusterIdentifier")
# Aurora Auto Scaling: an Application Auto Scaling target on the cluster's reader count keeps at least
# `min_capacity` Aurora Replicas, which are failover targets like any reader
SCALABLE_DIMENSION = Attr("scalable_dimension", "scalable_dimension", "Properties.ScalableDimension")
SCALABLE_RESOURCE = Attr("scalable_resource_id", "resource_id", "Properties.ResourceId")
SCALING_MIN_CAPACITY = Attr("min_capacity", "min_capacity", "Properties.MinCapacity")
READ_REPLICA_COUNT = "rds:cluster:ReadReplicaCount"
SCALABLE_TARGET_TYPES = ("aws_appautoscaling_target", "AWS::ApplicationAutoScaling::ScalableTarget")

CLUSTER_TYPES = ("aws_rds_cluster", "AWS::RDS::DBCluster")
MEMBER_TYPES = ("aws_rds_cluster_instance", "AWS::RDS::DBInstance")
GLOBAL_TYPES = ("aws_rds_global_cluster", "AWS::RDS::GlobalCluster")

__all__ = ["CLUSTER_NAME", "GLOBAL_CLUSTER", "MASTER_USERNAME", "REPLICATION_SOURCE", "MEMBER_CLUSTER",
           "INSTANCE_CLASS", "GLOBAL_SOURCE", "CLUSTER_TYPES", "MEMBER_TYPES", "GLOBAL_TYPES", "SCALABLE_DIMENSION",
           "SCALABLE_RESOURCE", "SCALING_MIN_CAPACITY", "READ_REPLICA_COUNT", "SCALABLE_TARGET_TYPES"]
