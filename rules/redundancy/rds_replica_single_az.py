from rlint.model import MISSING, Severity, Unknown
from rlint.rules.attrs.rds import ENGINE, MULTI_AZ, REPLICATE_SOURCE
from rlint.rules.base import Fix, Rule, SetAttribute, describe


class RdsReplicaSingleAz(Rule):
    """## What it does
    Flags RDS read replicas (`replicate_source_db` / `SourceDBInstanceIdentifier` set) that run without
    Multi-AZ (`multi_az` / `MultiAZ` missing or false).

    ## Why is this bad?
    A read replica is often the recovery plan: promoted when the source or its Region fails, or serving
    reads the application cannot do without. A single-AZ replica has no standby of its own, so a host or
    zone failure takes it down until RDS rebuilds it from the source, which can take hours for a large
    database, and a replica promoted to primary starts life as a single-AZ instance. A Multi-AZ replica
    keeps a synchronous standby and fails over on its own.

    ## Example
    ```hcl
    resource "aws_db_instance" "orders_replica" {
      replicate_source_db = aws_db_instance.orders.identifier
      instance_class      = "db.m6g.large"
    }
    ```
    ```yaml
    OrdersReplica:
      Type: AWS::RDS::DBInstance
      Properties:
        SourceDBInstanceIdentifier: !Ref Orders
        DBInstanceClass: db.m6g.large
    ```

    ## Use instead
    ```hcl
    resource "aws_db_instance" "orders_replica" {
      replicate_source_db = aws_db_instance.orders.identifier
      instance_class      = "db.m6g.large"
      multi_az            = true
    }
    ```
    ```yaml
    OrdersReplica:
      Type: AWS::RDS::DBInstance
      Properties:
        SourceDBInstanceIdentifier: !Ref Orders
        DBInstanceClass: db.m6g.large
        MultiAZ: true
    ```

    ## Known problems
    Low severity, since many replicas exist only to scale reads. The engine is inherited from the source:
    the source is followed through the graph, and replicas of RDS Custom for Oracle (`custom-oracle*`),
    which cannot run Multi-AZ, are not flagged; a source outside the configuration (an ARN of another
    Region or account) is not followed. A Multi-AZ value from a variable or parameter without default gives
    `unknown`. Aurora replicas are cluster members (RL102/RL109), not DB-instance replicas. Primaries are
    RL101's concern.

    ## Fix safety
    Needs review: the standby doubles the replica's instance cost; the conversion happens in place without
    downtime, with higher latency while the standby is built.

    ## References
    - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_MySQL.Replication.ReadReplicas.MultiAZ.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#replicate_source_db
    """

    id = "RL112"
    name = "rds-replica-single-az"
    severity = Severity.LOW
    resource_types = ("aws_db_instance", "AWS::RDS::DBInstance")
    graph_rule = True

    def check(self, res, ctx):
        if not ctx.has(res, REPLICATE_SOURCE):
            return
        if any(isinstance(e, str) and e.startswith("custom-oracle") for e in self._engines(res, ctx)):
            return
        multi_az = ctx.get(res, MULTI_AZ)
        if isinstance(multi_az, Unknown):
            yield self.unknown(res, multi_az, at=MULTI_AZ)
            return
        if multi_az is True or multi_az == "true":
            return
        spelled = MULTI_AZ.spelling(res.format)
        given = describe(multi_az if ctx.has(res, MULTI_AZ) else MISSING)
        yield self.fail(
            res,
            f"{res.address} is a read replica in one Availability Zone (`{spelled}` is {given}): a host or zone "
            f"failure takes it down until it is rebuilt from the source",
            at=MULTI_AZ,
            fix=Fix(f"Set `{spelled}` to true", (SetAttribute(MULTI_AZ, True),), safety="review",
                    note="a standby for the replica; doubles its instance cost, applied in place"),
        )

    @staticmethod
    def _engines(res, ctx) -> list:
        """The replica's own engine and its in-configuration sources' engines (a replica inherits it)."""
        engines = [ctx.get(res, ENGINE)]
        seen = {id(res)}
        frontier = [res]
        while frontier:
            current = frontier.pop()
            for src in ctx.graph.targets(current, REPLICATE_SOURCE.path(current.format)):
                if id(src) not in seen and src.type == res.type:
                    seen.add(id(src))
                    engines.append(ctx.get(src, ENGINE))
                    frontier.append(src)
        return engines
