from rlint.model import Severity, Unknown
from rlint.rules.attrs.lambda_ import ENVIRONMENT, FUNCTION_TYPES
from rlint.rules.base import Rule, manual_fix
from rlint.rules.graphutil.messaging import env_references, proxy_coverage, proxy_unsupported


class LambdaRdsWithoutProxy(Rule):
    """## What it does
    Flags Lambda functions whose environment variables name an RDS DB instance's or cluster's endpoint
    directly (`aws_db_instance.x.address`/`.endpoint`, `aws_rds_cluster.x.endpoint`/`.reader_endpoint`,
    `!GetAtt Db.Endpoint.Address`) while no RDS Proxy in the same module or template targets that
    database.

    Not flagged: a database no RDS Proxy can front: RDS for Oracle and RDS for Db2 (`engine` `oracle-*`,
    `custom-oracle-*`, `db2-*`) and Aurora Serverless v1 clusters (`engine_mode` / `EngineMode` `serverless`),
    for which RDS Proxy is not available. `unknown` when the database's engine or engine mode cannot be decided.

    ## Why is this bad?
    Every concurrent execution environment opens its own connections. A burst of invocations exhausts
    the database's connection limit and the database starts refusing connections to every client, not only
    to the function. On a Multi-AZ failover the functions hold connections to the old primary and fail
    until DNS catches up. RDS Proxy pools and shares connections, and "makes applications more resilient to
    database failures by automatically connecting to a standby DB instance while preserving application
    connections"; its own infrastructure spans Availability Zones.

    ## Example
    ```hcl
    resource "aws_lambda_function" "api" {
      # ...
      environment {
        variables = { DB_HOST = aws_db_instance.orders.address }
      }
    }
    ```
    ```yaml
    Api:
      Type: AWS::Lambda::Function
      Properties:
        Environment:
          Variables:
            DB_HOST: !GetAtt Orders.Endpoint.Address
    ```

    ## Use instead
    ```hcl
    resource "aws_db_proxy_target" "orders" {
      db_proxy_name          = aws_db_proxy.orders.name
      target_group_name      = aws_db_proxy_default_target_group.orders.name
      db_instance_identifier = aws_db_instance.orders.identifier
    }

    resource "aws_lambda_function" "api" {
      environment {
        variables = { DB_HOST = aws_db_proxy.orders.endpoint }
      }
    }
    ```
    ```yaml
    OrdersProxyTargets:
      Type: AWS::RDS::DBProxyTargetGroup
      Properties:
        DBProxyName: !Ref OrdersProxy
        TargetGroupName: default
        DBInstanceIdentifiers: [!Ref Orders]
    Api:
      Type: AWS::Lambda::Function
      Properties:
        Environment:
          Variables:
            DB_HOST: !GetAtt OrdersProxy.Endpoint
    ```

    ## Known problems
    A heuristic. Only endpoints that the environment references are seen: a host name read from Secrets
    Manager, SSM or a literal string is not. A function that also references a proxy endpoint is not
    flagged. Workloads with low, steady concurrency may not need a proxy; suppress with a reason. When a
    proxy target names its database through a value that cannot be decided, the result is `unknown`.

    ## Fix safety
    Needs review: a proxy is a new resource with its own cost (per vCPU or ACU), an IAM role and a secret
    for the database credentials, and the function must connect to the proxy endpoint (with TLS when the
    proxy requires it). rlint shows this fix without writing it (display-only): the secret, subnets, security
    groups and role are choices.

    ## References
    - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy.howitworks.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.RDS_Fea_Regions_DB-eng.Feature.RDSProxy.html
    - https://docs.aws.amazon.com/lambda/latest/dg/configuration-database.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbproxytargetgroup.html
    """

    id = "RL506"
    name = "lambda-rds-without-proxy"
    severity = Severity.LOW
    resource_types = FUNCTION_TYPES
    graph_rule = True

    def check(self, res, ctx):
        dbs, proxies = env_references(ctx, res)
        if not dbs or proxies:
            return
        for db in dbs:
            unsupported = proxy_unsupported(ctx, db)
            if isinstance(unsupported, Unknown):
                yield self.unknown(res, unsupported, what=f"whether an RDS Proxy can front {db.address}")
                continue
            if unsupported:
                continue  # the advice would be a proxy AWS refuses to create for this database
            covered = proxy_coverage(ctx, db)
            if isinstance(covered, Unknown):
                yield self.unknown(res, covered, what=f"whether an RDS Proxy fronts {db.address}")
            elif covered is None:
                yield self.fail(
                    res,
                    f"{res.address} connects to {db.address} through its endpoint directly and no RDS Proxy "
                    f"targets it: bursts of invocations can exhaust the database's connections, and failovers "
                    f"break open connections",
                    at=ENVIRONMENT,
                    fix=manual_fix(f"Put an RDS Proxy in front of {db.address} and pass its endpoint instead",
                                   "a proxy needs the database's credentials in Secrets Manager, subnets, security "
                                   "groups and an IAM role that reads the secret: choices rlint cannot make",
                                   note="a proxy, its target group, an IAM role and a credentials secret are new "
                                        "resources"),
                )
