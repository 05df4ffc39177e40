from rlint.model import Severity
from rlint.rules.dr._objective import ObjectiveRule


class DrRtoNotMet(ObjectiveRule):
    """## What it does
    Flags data stores whose estimated recovery time (how long an AZ failure, a Region failure, or a
    deletion or corruption keeps them unavailable) is longer than the RTO objective of their tier in
    `.rlint.yaml` (configured as for RL701).

    A Region failure is over when both the data and the traffic have moved: a standby stack behind Route 53
    failover with health checks takes minutes, an idle standby (pilot light) tens of minutes, redeploying the
    stack hours. The rule runs only when objectives are configured.

    ## Why is this bad?
    An RTO promise the configuration cannot keep is found during the outage: a single-instance Aurora
    cluster is down while Aurora recreates its writer, a database restored from a backup is down for hours,
    and without a standby stack in another Region the application stays down until someone redeploys it.

    ## Example
    ```hcl
    # .rlint.yaml: dr: {objectives: {default: {rpo: 24h, rto: 1h}}}
    resource "aws_db_instance" "orders" {
      engine         = "postgres"
      instance_class = "db.m6g.large"
    }
    ```
    ```yaml
    Orders:
      Type: AWS::RDS::DBInstance
      Properties:
        Engine: postgres
        DBInstanceClass: db.m6g.large
    ```

    ## Use instead
    ```hcl
    resource "aws_db_instance" "orders" {
      engine         = "postgres"
      instance_class = "db.m6g.large"
      multi_az       = true
    }
    ```
    ```yaml
    Orders:
      Type: AWS::RDS::DBInstance
      Properties:
        Engine: postgres
        DBInstanceClass: db.m6g.large
        MultiAZ: true
    ```

    ## Known problems
    Restore and redeploy times grow with the data size and the runbook; rlint assumes 4 hours for a restore
    and 8 hours for a redeploy (stated in `--dr-report`), and AWS's typical failover times for Multi-AZ, Aurora
    replicas and global databases. When the scan holds no entry point (load-balanced Auto Scaling group, ECS
    service, Lambda behind API Gateway) and no Route 53 record, the application's own failover is not in
    the configuration and only the data's recovery time counts. Undecidable values give `unknown`.

    ## Fix safety
    Multi-AZ doubles the instance cost and applies online; a second Aurora instance, a standby stack or a
    global database are billed resources that are written by hand.

    ## References
    - https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.Failover.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.AuroraHighAvailability.html
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
    """

    id = "RL702"
    name = "dr-rto-not-met"
    severity = Severity.HIGH
    metric = "rto"
