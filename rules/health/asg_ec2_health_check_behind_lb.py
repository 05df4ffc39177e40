from rlint.model import Severity, Unknown
from rlint.rules.attrs.autoscaling import ASG_TYPES, HEALTH_CHECK_GRACE, HEALTH_CHECK_TYPE
from rlint.rules.base import Fix, Rule, SetAttribute, describe
from rlint.rules.graphutil.asg_deploy import grace_for
from rlint.rules.graphutil.attachments import ANY, ELB, LATTICE, attachments_of, ecs_capacity, health_check_types

ORDER = ("ELB", "VPC_LATTICE", "EBS")
GRACE_SECONDS = 300


class AsgEc2HealthCheckBehindLb(Rule):
    """## What it does
    Flags Auto Scaling groups that are registered with a load balancer target group or a Classic Load
    Balancer but replace instances on EC2 status checks only: `health_check_type` / `HealthCheckType`
    missing or `EC2`. Attachments are found inline (`target_group_arns`, `load_balancers`, `traffic_source`
    blocks; CloudFormation `TargetGroupARNs`, `LoadBalancerNames`, `TrafficSources`) and in Terraform's
    `aws_autoscaling_attachment` and `aws_autoscaling_traffic_source_attachment`. A group registered with a
    VPC Lattice target group needs `VPC_LATTICE` in its health check types.

    ## Why is this bad?
    With EC2 health checks, Auto Scaling replaces an instance only when the instance itself stops
    (hardware, hypervisor or OS failure). An instance whose application hangs, crashes or lost its
    dependencies keeps passing EC2 checks: the load balancer stops sending it traffic, but the group never
    replaces it. Serving capacity silently shrinks, possibly until no instance serves and the site is
    down, while Auto Scaling reports a healthy group.

    ## Example
    ```hcl
    resource "aws_autoscaling_group" "web" {
      min_size          = 2
      max_size          = 6
      target_group_arns = [aws_lb_target_group.web.arn]
    }
    ```
    ```yaml
    WebGroup:
      Type: AWS::AutoScaling::AutoScalingGroup
      Properties:
        MinSize: "2"
        MaxSize: "6"
        TargetGroupARNs: [!Ref WebTargetGroup]
    ```

    ## Use instead
    ```hcl
    resource "aws_autoscaling_group" "web" {
      min_size                  = 2
      max_size                  = 6
      target_group_arns         = [aws_lb_target_group.web.arn]
      health_check_type         = "ELB"
      health_check_grace_period = 300
    }
    ```
    ```yaml
    WebGroup:
      Type: AWS::AutoScaling::AutoScalingGroup
      Properties:
        MinSize: "2"
        MaxSize: "6"
        TargetGroupARNs: [!Ref WebTargetGroup]
        HealthCheckType: ELB
        HealthCheckGracePeriod: 300
    ```

    ## Known problems
    An ASG used only as capacity for an ECS cluster is not attached: the ECS service registers tasks in the
    target group, and the service's own grace period matters instead (RL214). When the attachment list
    cannot be decided (a variable or parameter without default, an attachment whose group or count cannot be
    decided), the result is `unknown` if the health check type is missing or `EC2`, and nothing is reported
    when ECS capacity providers scale the group. Groups created by Elastic Beanstalk or EKS managed node
    groups are outside the configuration and not checked. A health check type from a variable without
    default on an attached group gives `unknown`.

    ## Fix safety
    Needs review: once ELB health checks are on, Auto Scaling terminates instances the load balancer marks
    unhealthy. A wrong health check path, or a grace period shorter than the boot time, makes the group
    replace instances in a loop. Check the target group's health check first (RL208), and keep a grace
    period that covers the boot (CloudFormation defaults it to 0: the fix sets 300 seconds when it is absent).

    ## References
    - https://docs.aws.amazon.com/autoscaling/ec2/userguide/attach-load-balancer-asg.html
    - https://docs.aws.amazon.com/autoscaling/ec2/userguide/health-checks-overview.html
    - https://docs.aws.amazon.com/autoscaling/ec2/userguide/health-check-grace-period.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-autoscaling-autoscalinggroup.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/autoscaling_group#health_check_type
    """

    id = "RL201"
    name = "asg-ec2-health-check-behind-lb"
    severity = Severity.HIGH
    resource_types = ASG_TYPES
    checkov_ids = ("CKV2_AWS_15",)
    graph_rule = True

    def check(self, res, ctx):
        found = attachments_of(ctx, res)
        raw = ctx.get(res, HEALTH_CHECK_TYPE)
        if not found.sources:
            if not found.maybe or not isinstance(raw, Unknown) and health_check_types(raw) & {"ELB", "VPC_LATTICE"}:
                return  # an undecided check type behind an undecided attachment is undecided, never silent
            if ecs_capacity(ctx, res):
                return  # a capacity provider's group: tasks, not instances, are the targets
            why, label = found.maybe[0]
            yield self.unknown(res, why, what=f"whether {label} attaches a load balancer")
            return
        if isinstance(raw, Unknown):
            yield self.unknown(res, raw, at=HEALTH_CHECK_TYPE)
            return
        have = health_check_types(raw)
        need = {"ELB"} if ELB in found.kinds else set()
        if LATTICE in found.kinds:
            need.add("VPC_LATTICE")
        if ANY in found.kinds and not have & {"ELB", "VPC_LATTICE"}:
            need.add("ELB")
        missing = need - have
        if not missing:
            return
        spelled = HEALTH_CHECK_TYPE.spelling(res.format)
        given = describe(raw) if ctx.has(res, HEALTH_CHECK_TYPE) else "not set (EC2 checks only)"
        kind, label = next((s for s in found.sources if s[0] != LATTICE), found.sources[0]) \
            if "ELB" in missing else next(s for s in found.sources if s[0] == LATTICE)
        target = "a VPC Lattice target group" if kind == LATTICE else "a load balancer"
        wanted = ",".join(t for t in ORDER if t in (have - {"EC2"}) | need)
        changes = [SetAttribute(HEALTH_CHECK_TYPE, wanted)]
        grace = grace_for(ctx, res, GRACE_SECONDS)
        if res.format == "cloudformation" and not ctx.has(res, HEALTH_CHECK_GRACE):
            changes.append(SetAttribute(HEALTH_CHECK_GRACE, grace))
        yield self.fail(
            res,
            f"{res.address} is registered with {target} through {label} but `{spelled}` is {given}: instances "
            f"that fail the {'VPC Lattice' if kind == LATTICE else 'load balancer'} health check stay in service",
            at=HEALTH_CHECK_TYPE,
            fix=Fix(f'Set `{spelled}` to "{wanted}"' + (f" and a {grace}-second grace period"
                                                        if len(changes) > 1 else ""), tuple(changes), safety="review",
                    note="unhealthy targets get replaced; check the target group's health check and grace period"),
        )
