from rlint.model import Severity, Unknown
from rlint.rules.attrs.autoscaling import ASG_TYPES, HEALTH_CHECK_GRACE, HEALTH_CHECK_TYPE
from rlint.rules.base import Fix, Rule, SetAttribute, describe
from rlint.rules.graphutil.attachments import health_check_types
from rlint.rules.graphutil.lifecycle_hooks import launch_hook
from rlint.rules.graphutil.values import as_int
from rlint.rules.graphutil.asg_deploy import grace_for
from rlint.rules.health.asg_ec2_health_check_behind_lb import GRACE_SECONDS

# the checks that probe the application on the instance, and so fail while it boots
BOOT_SENSITIVE = ("ELB", "VPC_LATTICE")


class AsgHealthCheckGraceZero(Rule):
    """## What it does
    Flags Auto Scaling groups that replace instances on load balancer (or VPC Lattice) health checks --
    `health_check_type` / `HealthCheckType` containing `ELB` or `VPC_LATTICE` -- with a health check grace
    period of 0 seconds. The defaults differ: CloudFormation (like the API and the CLI) defaults
    `HealthCheckGracePeriod` to 0, Terraform defaults `health_check_grace_period` to 300. So a CloudFormation
    group without the property is flagged, a Terraform group without the argument is not.

    ## Why is this bad?
    The load balancer starts probing an instance as soon as it is registered, while the instance is still
    booting and installing its application. With no grace period, Auto Scaling acts on the first failed
    probes: it marks the new instance unhealthy and terminates it, launches another one, which meets the same
    fate. A scale-out during a traffic peak, or the replacement of a failed instance, then never adds
    capacity, and the group can churn instances in a loop until someone notices.

    ## Example
    ```hcl
    resource "aws_autoscaling_group" "web" {
      min_size                  = 2
      max_size                  = 6
      target_group_arns         = [aws_lb_target_group.web.arn]
      health_check_type         = "ELB"
      health_check_grace_period = 0
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
    A group with a launch lifecycle hook (`autoscaling:EC2_INSTANCE_LAUNCHING`, inline in
    `initial_lifecycle_hook` / `LifecycleHookSpecificationList` or as a separate `aws_autoscaling_lifecycle_hook`
    / `AWS::AutoScaling::LifecycleHook` naming the group) is not flagged: its instances enter service only
    when the hook completes, and AWS documents a grace period of 0 as the right choice then. Groups on EC2
    (or EBS) checks only are not flagged: those checks do not fail while the application boots (RL201 covers a
    group behind a load balancer without ELB checks). A grace period, health check type or lifecycle hook
    list from a variable or parameter without default gives `unknown` when it could decide the outcome.
    Whether 300 seconds covers the boot time cannot be seen from the configuration; only 0 is reported.

    ## Fix safety
    Safe: the grace period changes in place, without replacing instances. Choose a value above the time an
    instance needs from launch to passing its first health check; a value far too high delays the
    replacement of instances that really are broken.

    ## References
    - https://docs.aws.amazon.com/autoscaling/ec2/userguide/health-check-grace-period.html
    - https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks-overview.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-autoscaling-autoscalinggroup.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/autoscaling_group#health_check_grace_period
    """

    id = "RL202"
    name = "asg-health-check-grace-zero"
    severity = Severity.MEDIUM
    resource_types = ASG_TYPES

    def check(self, res, ctx):
        raw_type = ctx.get(res, HEALTH_CHECK_TYPE)
        if not isinstance(raw_type, Unknown) and not health_check_types(raw_type) & set(BOOT_SENSITIVE):
            return  # EC2 checks only: nothing probes the application while it boots
        grace = as_int(ctx.get(res, HEALTH_CHECK_GRACE))
        if isinstance(grace, Unknown):
            yield self.unknown(res, grace, at=HEALTH_CHECK_GRACE)
            return
        if grace != 0:
            return
        hook = launch_hook(ctx, res)
        undecided = raw_type if isinstance(raw_type, Unknown) else hook if isinstance(hook, Unknown) else None
        if hook is True:
            return  # the grace period starts once the launch hook completes
        if undecided is not None:
            what = (f"whether {res.address} uses load balancer health checks" if undecided is raw_type else
                    f"whether a launch lifecycle hook holds {res.address}'s new instances")
            yield self.unknown(res, undecided, at=HEALTH_CHECK_TYPE if undecided is raw_type else None, what=what)
            return
        spelled = HEALTH_CHECK_GRACE.spelling(res.format)
        grace = grace_for(ctx, res, GRACE_SECONDS)
        given = describe(0) if ctx.has(res, HEALTH_CHECK_GRACE) else "not set (CloudFormation's default is 0)"
        checks = ",".join(t for t in BOOT_SENSITIVE if t in health_check_types(raw_type))
        yield self.fail(
            res,
            f"{res.address} replaces instances on {checks} health checks but `{spelled}` is {given}: new "
            f"instances are terminated before they finish booting",
            at=HEALTH_CHECK_GRACE if ctx.has(res, HEALTH_CHECK_GRACE) else HEALTH_CHECK_TYPE,
            fix=Fix(f"Set `{spelled}` to {grace}", (SetAttribute(HEALTH_CHECK_GRACE, grace),),
                    note="in place; pick a value above the instances' boot time" +
                         ("" if grace == GRACE_SECONDS else ", here the time CloudFormation waits for their signals")),
        )
