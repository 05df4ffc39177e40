from rlint.model import Severity, SomeBlocks, Unknown
from rlint.rules.attrs.ecs import ECS_SERVICE_TYPES, SERVICE_GRACE, SERVICE_LOAD_BALANCERS
from rlint.rules.base import Fix, Rule, SetAttribute, describe
from rlint.rules.graphutil.values import as_int

GRACE_SECONDS = 60


class EcsServiceNoGracePeriod(Rule):
    """## What it does
    Flags ECS services that register their tasks with a load balancer (`load_balancer` blocks /
    `LoadBalancers`) while the health check grace period (`health_check_grace_period_seconds` /
    `HealthCheckGracePeriodSeconds`) is 0 or not set, which means 0 in both formats.

    ## Why is this bad?
    The ECS service scheduler stops a task that the load balancer reports unhealthy, and with no grace period
    it listens from the moment the task is registered. A task whose application needs longer to start than the
    target group's health checks allow before marking it unhealthy (a JVM warming up, migrations, caches to
    load) is killed before it ever serves and replaced by another that meets the same fate. Deployments then
    never finish (or roll back), and after an outage or a scale-out the service cannot get back to its desired
    count exactly when it needs the capacity.

    ## Example
    ```hcl
    resource "aws_ecs_service" "api" {
      name          = "api"
      desired_count = 2
      load_balancer {
        target_group_arn = aws_lb_target_group.api.arn
        container_name   = "api"
        container_port   = 8080
      }
    }
    ```
    ```yaml
    ApiService:
      Type: AWS::ECS::Service
      Properties:
        DesiredCount: 2
        LoadBalancers:
          - TargetGroupArn: !Ref ApiTargetGroup
            ContainerName: api
            ContainerPort: 8080
    ```

    ## Use instead
    ```hcl
    resource "aws_ecs_service" "api" {
      name                              = "api"
      desired_count                     = 2
      health_check_grace_period_seconds = 60   # longer than the slowest start
      load_balancer {
        target_group_arn = aws_lb_target_group.api.arn
        container_name   = "api"
        container_port   = 8080
      }
    }
    ```
    ```yaml
    ApiService:
      Type: AWS::ECS::Service
      Properties:
        DesiredCount: 2
        HealthCheckGracePeriodSeconds: 60
        LoadBalancers:
          - TargetGroupArn: !Ref ApiTargetGroup
            ContainerName: api
            ContainerPort: 8080
    ```

    ## Known problems
    A service without a load balancer is not flagged (it can give slow starts time through the container
    health check's `startPeriod` in the task definition), nor is one that registers with VPC Lattice only.
    Load balancers that cannot be decided (a dynamic block over an unknown collection with no `load_balancer`
    block written beside it, a parameter without default, an `Fn::If` on an undecidable condition) or a grace
    period from a variable or parameter without default give `unknown`. A task that starts within the health checks' window is fine with 0; the rule
    cannot see start-up times, so suppress it with a reason for such a service. Whether the grace period is
    long enough is not judged.

    ## Fix safety
    Needs review: the fix sets 60 seconds (the value AWS CDK applies by default when a service has a load
    balancer); choose a value above the slowest task start. During the grace period a task that really is
    broken keeps running, so replacement of genuinely failing tasks is delayed by up to that long. The change
    is made in place and does not start a new deployment.

    ## References
    - https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html#ECS-CreateService-request-healthCheckGracePeriodSeconds
    - https://docs.aws.amazon.com/AmazonECS/latest/developerguide/load-balancer-healthcheck.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-service.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_service#health_check_grace_period_seconds
    """

    id = "RL214"
    name = "ecs-service-no-grace-period"
    severity = Severity.LOW
    resource_types = ECS_SERVICE_TYPES

    def check(self, res, ctx):
        grace = as_int(ctx.get(res, SERVICE_GRACE))
        if not (grace == 0 or isinstance(grace, Unknown)):
            return
        balancers = ctx.get(res, SERVICE_LOAD_BALANCERS)
        # load_balancer blocks written beside an undecided dynamic one are there whatever it adds
        entries = balancers if isinstance(balancers, list) else list(balancers.known) if \
            isinstance(balancers, SomeBlocks) else [balancers] if isinstance(balancers, Unknown) else []
        if not any(isinstance(e, dict) for e in entries):
            maybe = next((e for e in entries if isinstance(e, Unknown)), None)
            if maybe is not None and not isinstance(grace, Unknown):
                yield self.unknown(res, maybe, at=SERVICE_LOAD_BALANCERS,
                                   what="whether the service is behind a load balancer")
            return
        if isinstance(grace, Unknown):
            yield self.unknown(res, grace, at=SERVICE_GRACE)
            return
        spelled = SERVICE_GRACE.spelling(res.format)
        given = describe(grace) if ctx.has(res, SERVICE_GRACE) else "not set (0 by default)"
        yield self.fail(
            res,
            f"{res.address} registers its tasks with a load balancer (`{SERVICE_LOAD_BALANCERS.spelling(res.format)}`)"
            f" but `{spelled}` is {given}: ECS stops a new task as soon as the load balancer marks it unhealthy, "
            f"so a task that starts slowly is killed before it serves",
            at=SERVICE_GRACE,
            fix=Fix(f"Set `{spelled}` to {GRACE_SECONDS} (longer than the slowest task start)",
                    (SetAttribute(SERVICE_GRACE, GRACE_SECONDS),), safety="review",
                    note="choose a value above the tasks' start-up time"))
