"""AWS's published recovery figures, one place, each with the page it comes from.

Every estimate in the DR model is one of these numbers; the assumption text travels with it into the
report so a reader can check it. Where AWS publishes a range, the typical (lower) figure is used: an
estimate that is too pessimistic would report objectives as missed that the configuration meets.
"""
from __future__ import annotations

from dataclasses import dataclass

MINUTE, HOUR, DAY = 60, 3600, 86400


@dataclass(frozen=True)
class Figure:
    seconds: float
    says: str     # the assumption in plain words
    source: str   # the AWS documentation page


# -- Availability Zone failure --------------------------------------------------------------------------
RDS_MULTI_AZ_FAILOVER = Figure(
    2 * MINUTE, "synchronous standby in another AZ; failover typically 60-120 s",
    "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.Failover.html")
RDS_MULTI_AZ_CLUSTER_FAILOVER = Figure(
    35, "two readable standbys; failover typically under 35 s",
    "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/multi-az-db-clusters-concepts-failover.html")
AURORA_REPLICA_FAILOVER = Figure(
    MINUTE, "Aurora storage keeps six copies in three AZs; failover to a replica typically under 60 s",
    "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.AuroraHighAvailability.html")
AURORA_RECREATE_WRITER = Figure(
    10 * MINUTE, "Aurora storage keeps six copies in three AZs; without a replica Aurora recreates the writer "
                 "(assumed 10 min)",
    "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.AuroraHighAvailability.html")
REGIONAL_SERVICE = Figure(
    0, "the service stores data in several AZs of the Region and serves from the others",
    "https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html")
ELASTICACHE_FAILOVER = Figure(
    MINUTE, "automatic failover promotes a replica in another AZ; replication is asynchronous (about a second "
            "of writes assumed lost) and AWS publishes no failover time (assumed 1 min)",
    "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html")

# -- restores ----------------------------------------------------------------------------------------------
PITR = Figure(
    5 * MINUTE, "the latest restorable time is typically 5 minutes ago",
    "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIT.html")
DYNAMODB_PITR = Figure(
    5 * MINUTE, "the latest restorable time is typically 5 minutes ago",
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html")
RESTORE = Figure(
    4 * HOUR, "a restore creates a new resource from a backup and clients are repointed (grows with the data "
              "size; assumed 4 h)",
    "https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html")
ELASTICACHE_SNAPSHOT = Figure(
    DAY, "a daily automatic snapshot (snapshot_retention_limit > 0)",
    "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/backups-automatic.html")
EFS_AUTOMATIC_BACKUP = Figure(
    DAY, "EFS automatic backups run daily in AWS Backup's default plan",
    "https://docs.aws.amazon.com/efs/latest/ug/automatic-backups.html")

# -- Region failure ----------------------------------------------------------------------------------------
AURORA_GLOBAL = Figure(
    1, "storage-level replication to the secondary Region, lag typically under a second",
    "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html")
AURORA_GLOBAL_FAILOVER = Figure(
    MINUTE, "Aurora Global Database managed failover promotes a secondary (typically about a minute)",
    "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html")
DYNAMODB_GLOBAL = Figure(
    1, "replicas in other Regions are written typically within a second and serve reads and writes",
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html")
CROSS_REGION_REPLICA_LAG = Figure(
    MINUTE, "asynchronous replication (lag assumed under 1 min)",
    "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.XRgn.html")
PROMOTE_REPLICA = Figure(
    15 * MINUTE, "promoting a read replica to a standalone DB (assumed 15 min)",
    "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Promote.html")
BACKUP_REPLICATION = Figure(
    5 * MINUTE, "automated backups (snapshots and transaction logs) replicated to another Region: "
                "point-in-time restore there (assumed 5 min behind, like PITR)",
    "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReplicateBackups.html")
EFS_REPLICATION = Figure(
    15 * MINUTE, "EFS replication is designed for an RPO of 15 minutes for most file systems",
    "https://docs.aws.amazon.com/efs/latest/ug/efs-replication.html")
EFS_FAILOVER = Figure(
    15 * MINUTE, "failing over to the EFS replica (deleting the replication makes it writable; assumed 15 min)",
    "https://docs.aws.amazon.com/efs/latest/ug/efs-replication.html")
S3_RTC = Figure(
    15 * MINUTE, "S3 Replication Time Control replicates 99.99% of objects within 15 minutes",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html")
S3_REPOINT = Figure(
    HOUR, "the replica bucket has another name and Regional endpoint: clients are pointed at it by changing "
          "and applying their configuration (assumed 1 h, as re-applying a configuration)",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiRegionAccessPoints.html")
S3_MRAP_FAILOVER = Figure(
    2 * MINUTE, "a Multi-Region Access Point over both buckets: its failover controls move requests to the "
                "replica; a routing change takes up to 2 minutes",
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_SubmitMultiRegionAccessPointRoutes.html")
ELASTICACHE_GLOBAL = Figure(
    1, "cross-Region replication typically under a second; promoting the secondary assumed 1 min",
    "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastore.html")

# -- traffic (the entry points) ------------------------------------------------------------------------------
DNS_FAILOVER = Figure(
    5 * MINUTE, "Route 53 failover with health checks moves traffic to the running standby stack (3 failed "
                "checks at 30 s, plus the record TTL; assumed 5 min)",
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html")
ACTIVE_ROUTING = Figure(
    3 * MINUTE, "Route 53 routes across Regions with health checks; an unhealthy Region drops out (3 failed "
                "checks at 30 s plus the TTL)",
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html")
START_PILOT_LIGHT = Figure(
    30 * MINUTE, "the standby stack exists but runs no capacity: scaling it out and switching DNS (pilot light, "
                 "tens of minutes; assumed 30 min)",
    "https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html")
REDEPLOY = Figure(
    8 * HOUR, "no standby stack behind Route 53 failover: the stack is redeployed in another Region and "
              "DNS switched by hand (assumed 8 h)",
    "https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html")

STRATEGIES_DOC = ("https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/"
                  "disaster-recovery-options-in-the-cloud.html")

# -- compute entry points ------------------------------------------------------------------------------------
SPREAD_COMPUTE = Figure(
    0, "instances or tasks in the other AZs keep serving while replacements launch there",
    "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-availability-zone-balanced.html")
LAMBDA_AZS = Figure(
    0, "Lambda runs functions in several AZs of the Region",
    "https://docs.aws.amazon.com/lambda/latest/dg/security-resilience.html")
REAPPLY = Figure(
    HOUR, "a stateless entry point is recreated by applying the configuration again (assumed 1 h)",
    "https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html")
