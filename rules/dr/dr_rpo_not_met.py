from rlint.model import Severity
from rlint.rules.dr._objective import ObjectiveRule


class DrRpoNotMet(ObjectiveRule):
    """## What it does
    Flags data stores whose estimated recovery point (the data an AZ failure, a Region failure, or a
    deletion or corruption would lose) is worse than the RPO objective of their tier in `.rlint.yaml`.

    Data stores: RDS DB instances, Aurora and Multi-AZ DB clusters, DynamoDB tables and global tables, EFS
    file systems, EBS volumes, Redis/Valkey replication groups and cache clusters, and S3 buckets with
    replication. The estimate comes from what the configuration declares (Multi-AZ, replicas, point-in-time
    recovery, AWS Backup schedules and their cross-Region copies, global tables and clusters, replication)
    and AWS's published figures; `rlint scan --dr-report` shows every estimate with its assumption. The rule
    runs only when objectives are configured:

    ```yaml
    dr:
      objectives:
        default: {rpo: 24h, rto: 24h}
        tier-1: {rpo: 15m, rto: 1h}
      tier_tag: dr_tier           # a resource tagged dr_tier = "tier-1" is held to tier-1
      tiers_by_path: {"payments/*": tier-1}
    ```

    ## Why is this bad?
    The objective is what the business was promised. A single-AZ database restored from its automated
    backups loses the last five minutes of writes; a database copied to another Region once a day loses up
    to a day of orders when its Region fails; a table without point-in-time recovery loses everything since
    its last backup when someone deletes or corrupts it. Finding this in code review is cheaper than in the
    post-incident review.

    ## Example
    ```hcl
    # .rlint.yaml: dr: {objectives: {default: {rpo: 15m, rto: 24h}}}
    resource "aws_dynamodb_table" "orders" {
      name         = "orders"
      billing_mode = "PAY_PER_REQUEST"
      hash_key     = "pk"
      attribute {
        name = "pk"
        type = "S"
      }
    }
    ```
    ```yaml
    Orders:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
        AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
        KeySchema: [{AttributeName: pk, KeyType: HASH}]
    ```

    ## Use instead
    ```hcl
    resource "aws_dynamodb_table" "orders" {
      name         = "orders"
      billing_mode = "PAY_PER_REQUEST"
      hash_key     = "pk"
      attribute {
        name = "pk"
        type = "S"
      }
      point_in_time_recovery {
        enabled = true
      }
      replica {
        region_name = "us-west-2"
      }
    }
    ```
    ```yaml
    Orders:
      Type: AWS::DynamoDB::GlobalTable
      Properties:
        BillingMode: PAY_PER_REQUEST
        AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
        KeySchema: [{AttributeName: pk, KeyType: HASH}]
        Replicas:
          - Region: us-east-1
            PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
          - Region: us-west-2
            PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
    ```

    ## Known problems
    The figures are AWS's typical ones (replication lag, the five minutes of point-in-time recovery, the
    backup schedule's longest gap), not guarantees, and say nothing about application-level consistency.
    Only what the scanned files declare counts: backups or replicas managed in another stack are invisible,
    so scan them together. A CloudFormation stack's own Region is not known, so a copy to a named Region is
    assumed to leave it. Undecidable values (a variable or parameter without default, a selection that may
    apply, a backup rule without a schedule, S3 replication without Replication Time Control) give
    `unknown`, never a failure. Memcached clusters hold nothing to recover and are not modelled.

    ## Fix safety
    Depends on the gap: Multi-AZ doubles the instance cost and applies online; turning on point-in-time
    recovery or automated backups adds backup storage; cross-Region replicas and global tables add a
    second Region's cost and are written by hand.

    ## References
    - https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIT.html
    - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html
    - https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html
    """

    id = "RL701"
    name = "dr-rpo-not-met"
    severity = Severity.HIGH
    metric = "rpo"
