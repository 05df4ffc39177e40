from rlint.model import MISSING, Severity, Unknown
from rlint.rules.attrs.autoscaling_deploy import ASG_TYPE, ROLLING_UPDATE, UPDATE_POLICY, WILL_REPLACE
from rlint.rules.base import Fix, Rule, SetAttribute
from rlint.rules.graphutil.values import as_bool


class CfnAsgNoUpdatePolicy(Rule):
    """## What it does
    Flags CloudFormation Auto Scaling groups without an `UpdatePolicy` that replaces instances: neither
    `AutoScalingRollingUpdate` nor `AutoScalingReplacingUpdate` (an `UpdatePolicy` with only
    `AutoScalingScheduledAction`, or a replacing update with `WillReplace` false, does not replace instances
    either).

    ## Why is this bad?
    When the launch template, launch configuration or subnets change, CloudFormation updates the group but
    "does not deploy any change across the running Amazon EC2 instances": existing instances keep running
    the configuration they were launched with. A fix or a new AMI reaches only instances launched later, so
    the fleet silently runs mixed versions until instances happen to be replaced, and a stack update that
    looks successful has changed nothing. With an update policy, CloudFormation replaces instances in
    batches and rolls the stack back if the new instances fail.

    ## Example
    ```yaml
    Web:
      Type: AWS::AutoScaling::AutoScalingGroup
      Properties:
        MinSize: "2"
        MaxSize: "6"
        LaunchTemplate:
          LaunchTemplateId: !Ref WebTemplate
          Version: !GetAtt WebTemplate.LatestVersionNumber
    ```

    ## Use instead
    ```yaml
    Web:
      Type: AWS::AutoScaling::AutoScalingGroup
      UpdatePolicy:
        AutoScalingRollingUpdate:
          MinInstancesInService: 1
          MaxBatchSize: 1
          WaitOnResourceSignals: true
          PauseTime: PT10M
      Properties:
        MinSize: "2"
        MaxSize: "6"
        LaunchTemplate:
          LaunchTemplateId: !Ref WebTemplate
          Version: !GetAtt WebTemplate.LatestVersionNumber
    ```

    ## Known problems
    CloudFormation only; the Terraform counterpart is the `instance_refresh` block of
    `aws_autoscaling_group`, not checked here. Groups whose instances are replaced by other means (an
    external deployment tool, instance refresh started outside CloudFormation, ECS capacity providers
    managing the instances) are reported; suppress them with a reason. An `UpdatePolicy` that depends on an
    undecidable condition gives `unknown`.

    ## Fix safety
    Needs review: the policy takes effect on the next update that changes the launch template,
    configuration or subnets, which then replaces instances in batches. `WaitOnResourceSignals` needs the
    instances to run `cfn-signal`; without it, set a `PauseTime` long enough for the instances to start.

    ## References
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatepolicy.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-autoscaling-autoscalinggroup.html
    """

    id = "RL601"
    name = "cfn-asg-no-update-policy"
    severity = Severity.MEDIUM
    resource_types = (ASG_TYPE,)

    def check(self, res, ctx):
        policy = ctx.get(res, UPDATE_POLICY)
        if isinstance(policy, Unknown):
            yield self.unknown(res, policy, at=UPDATE_POLICY)
            return
        rolling, replacing = ctx.get(res, ROLLING_UPDATE), as_bool(ctx.get(res, WILL_REPLACE))
        for part in (rolling, replacing):
            if isinstance(part, Unknown):
                yield self.unknown(res, part, at=UPDATE_POLICY)
                return
        if rolling is not MISSING or replacing is True:
            return
        written = ("UpdatePolicy",) in res.attr_spans
        state = ("has an `UpdatePolicy` that evaluates to none" if written else "has no `UpdatePolicy`") \
            if policy is MISSING else \
            "has an `UpdatePolicy` that replaces no instances (no rolling update, `WillReplace` not true)"
        yield self.fail(
            res,
            f"{res.address} {state}: launch template or configuration changes never reach its running "
            f"instances",
            at=UPDATE_POLICY if written else None,
            fix=Fix("Add an `UpdatePolicy` with `AutoScalingRollingUpdate`",
                    (SetAttribute(ROLLING_UPDATE, {"MinInstancesInService": 1, "MaxBatchSize": 1,
                                                   "PauseTime": "PT5M"}),),
                    safety="review",
                    note="the next launch change replaces instances in batches of one, keeping one in service"),
        )
