from rlint.model import Severity, Unknown
from rlint.rules.attrs.autoscaling import ASG_TYPES, DESIRED_CAPACITY, MAX_SIZE, MIN_SIZE
from rlint.rules.base import Fix, Rule, SetAttribute, describe, manual_fix
from rlint.rules.graphutil.attachments import LATTICE, attachments_of, undecided_attachment
from rlint.rules.graphutil.values import as_int

MIN_INSTANCES = 2


class AsgMinSizeOne(Rule):
    """## What it does
    Flags Auto Scaling groups that serve a load balancer (registered with a target group or a Classic Load
    Balancer, found as in RL201: inline `target_group_arns` / `load_balancers` / `traffic_source`,
    CloudFormation `TargetGroupARNs` / `LoadBalancerNames` / `TrafficSources`, or Terraform's attachment
    resources) whose minimum size (`min_size` / `MinSize`) is below 2.

    ## Why is this bad?
    The minimum is what the group may shrink to: scale-in, a scheduled action or a manual change of the
    desired capacity can leave a single instance (or none) behind the load balancer. That instance is then
    a single point of failure: when it fails, when its Availability Zone goes down, or while Auto Scaling
    replaces it after a failed health check or during an instance refresh, no target is healthy and the
    load balancer answers every request with an error until a new instance has booted and passed its
    checks. A desired capacity above the minimum does not help, since the group may scale in to the
    minimum.

    ## Example
    ```hcl
    resource "aws_autoscaling_group" "web" {
      min_size          = 1
      max_size          = 4
      target_group_arns = [aws_lb_target_group.web.arn]
      health_check_type = "ELB"
    }
    ```
    ```yaml
    WebGroup:
      Type: AWS::AutoScaling::AutoScalingGroup
      Properties:
        MinSize: "1"
        MaxSize: "4"
        TargetGroupARNs: [!Ref WebTargetGroup]
        HealthCheckType: ELB
    ```

    ## Use instead
    ```hcl
    resource "aws_autoscaling_group" "web" {
      min_size          = 2
      max_size          = 4
      target_group_arns = [aws_lb_target_group.web.arn]
      health_check_type = "ELB"
    }
    ```
    ```yaml
    WebGroup:
      Type: AWS::AutoScaling::AutoScalingGroup
      Properties:
        MinSize: "2"
        MaxSize: "4"
        TargetGroupARNs: [!Ref WebTargetGroup]
        HealthCheckType: ELB
    ```

    ## Known problems
    Not flagged: a group used only as ECS capacity (the tasks are the load balancer's targets; their count is
    the ECS service's concern), and a group with no load balancer: a deliberate singleton (a bastion, a leader,
    a self-healing instance with an Elastic IP) serves no load balancer. A group behind a load balancer or in a
    target group is a service, not a singleton, even with a maximum size of 1: its one instance is the single
    point of failure this rule is about (an application that cannot run twice is a reason to suppress the
    finding, with that reason).
    A minimum or maximum from a variable or parameter without default, or an attachment that may or may not
    exist (as in RL201), gives `unknown`. Scheduled actions (`aws_autoscaling_schedule`,
    `ScheduledActions`) that lower the minimum are not read. Two instances in one Availability Zone are
    RL105's concern.

    ## Fix safety
    Needs review: raising the minimum to 2 launches a second instance when the group runs one (its cost),
    and a desired capacity set below 2 is raised with it (the API rejects a desired capacity under the
    minimum). A group whose maximum size is 1 gets no automatic fix: raising both is a decision about whether
    the application can run twice. The application must tolerate two instances serving at once (sessions, schedulers, singletons).

    ## References
    - https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-capacity-limits.html
    - https://docs.aws.amazon.com/autoscaling/ec2/userguide/auto-scaling-benefits.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-autoscaling-autoscalinggroup.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/autoscaling_group#min_size
    """

    id = "RL213"
    name = "asg-min-size-one"
    severity = Severity.MEDIUM
    resource_types = ASG_TYPES
    graph_rule = True

    def check(self, res, ctx):
        minimum = as_int(ctx.get(res, MIN_SIZE))
        maximum = as_int(ctx.get(res, MAX_SIZE))
        if isinstance(minimum, int) and minimum >= MIN_INSTANCES:
            return
        if not isinstance(minimum, (int, Unknown)):
            return  # not a number this rule can read
        found = attachments_of(ctx, res)
        if not found.sources:
            maybe = undecided_attachment(ctx, res, found)
            if maybe is not None:  # attached or not, and whatever the minimum: undecided, never silent
                why, label = maybe
                yield self.unknown(res, why, what=f"whether {label} attaches a load balancer")
            return
        for value, attr in ((minimum, MIN_SIZE), (maximum, MAX_SIZE)):
            if isinstance(value, Unknown):
                yield self.unknown(res, value, at=attr)
                return
        spelled = MIN_SIZE.spelling(res.format)
        kind, label = found.sources[0]
        serves = "VPC Lattice target group" if kind == LATTICE else "load balancer"
        effect = f"may shrink to a single instance, whose failure or replacement leaves the {serves} without a " \
            f"healthy target" if minimum == 1 else f"may shrink to no instance at all, leaving the {serves} empty"
        if isinstance(maximum, int) and maximum <= 1:
            effect = f"runs at most {maximum} instance (`{MAX_SIZE.spelling(res.format)}` is {maximum}), whose " \
                f"failure or replacement leaves the {serves} without a healthy target"
        yield self.fail(
            res,
            f"{res.address} serves a {serves} through {label} but `{spelled}` is {describe(minimum)}: the "
            f"group {effect}",
            at=MIN_SIZE, fix=self._fix(res, ctx))

    @staticmethod
    def _fix(res, ctx):
        def value(n):
            return str(n) if res.format == "cloudformation" else n  # CloudFormation's sizes are strings

        changes = [SetAttribute(MIN_SIZE, value(MIN_INSTANCES))]
        maximum = as_int(ctx.get(res, MAX_SIZE))
        if isinstance(maximum, int) and maximum < MIN_INSTANCES:
            return manual_fix(f"Set `{MIN_SIZE.spelling(res.format)}` and `{MAX_SIZE.spelling(res.format)}` to "
                              f"{MIN_INSTANCES}", f"the group was sized to run one instance; whether the application "
                              f"can run twice (sessions, schedulers, leaders) is a decision to make by hand",
                              (SetAttribute(MIN_SIZE, value(MIN_INSTANCES)), SetAttribute(MAX_SIZE, value(MIN_INSTANCES))))
        desired = as_int(ctx.get(res, DESIRED_CAPACITY))
        if isinstance(desired, int) and desired < MIN_INSTANCES:
            changes.append(SetAttribute(DESIRED_CAPACITY, value(MIN_INSTANCES)))
        return Fix(f"Set `{MIN_SIZE.spelling(res.format)}` to {MIN_INSTANCES}" +
                   (f" and `{DESIRED_CAPACITY.spelling(res.format)}` with it" if len(changes) > 1 else ""),
                   tuple(changes), safety="review", note="runs a second instance when the group runs one")
