from rlint.model import MISSING, Severity, Unknown
from rlint.rules.attrs.autoscaling_deploy import ASG_TYPE, ROLLING_UPDATE, UPDATE_POLICY, WILL_REPLACE
from rlint.rules.base import REVIEW, Fix, Rule, SetAttribute, manual_fix
from rlint.rules.graphutil.asg_deploy import (MAX_PAUSE_SECONDS, creation_timeout, iso_duration, load_balanced,
                                              max_size_floor, raise_max_size, signals_from_instances)
from rlint.rules.graphutil.values import as_bool

OWN_UPDATE = "deploy the policy in a stack update of its own: a rollback uses the previous policy"


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
    configuration or subnets, which then replaces instances in batches. The fix writes
    `WaitOnResourceSignals: true` only when the launch template's or configuration's user data calls
    `cfn-signal` for the group (its `PauseTime` then the creation policy's timeout, at most PT1H);
    otherwise it pauses 5 minutes between batches. `MinInstancesInService` stays below `MaxSize` in every
    deployment rlint can see; a load-balanced group whose `MaxSize` is 1 in some deployment gets a
    display-only fix (it needs a larger `MaxSize`). Deploy the policy in a stack update of its own: a
    rollback uses the previous policy.

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
            fix=rolling_update_fix(ctx, res),
        )


def rolling_update_fix(ctx, res) -> Fix:
    """A rolling update CloudFormation accepts on this group in every deployment: `MinInstancesInService`
    below `MaxSize` (one kept in service when the group is load-balanced, RL602), batches of one, and
    `WaitOnResourceSignals` only when the instances' user data calls cfn-signal for this group."""
    floor, bounded = max_size_floor(ctx, res)
    lb = load_balanced(ctx, res)
    keep = 1 if lb or (floor is not None and floor >= 2) else 0
    policy = {"MaxBatchSize": 1, "MinInstancesInService": keep}
    signals = signals_from_instances(ctx, res)
    if signals:
        waited = creation_timeout(ctx, res) or 900
        policy.update({"WaitOnResourceSignals": True, "PauseTime": iso_duration(min(waited, MAX_PAUSE_SECONDS))})
    else:
        policy["PauseTime"] = "PT5M"
    change = SetAttribute(ROLLING_UPDATE, policy)
    title = "Add an `UpdatePolicy` with `AutoScalingRollingUpdate`"
    written = (res.meta.get("raw") or {}).get("UpdatePolicy")
    if isinstance(written, dict) and any(k.startswith("Fn::") for k in written):
        return manual_fix(title, "the `UpdatePolicy` is chosen by a condition that leaves it out in this "
                                 "deployment: give the condition's parameter the value that selects the policy, or "
                                 "write the policy for every deployment (the snippet)", (change,), note=OWN_UPDATE)
    waits = ("waits for each new instance's cfn-signal" if signals else
             "pauses 5 minutes after each batch (the instances send no cfn-signal to wait for)")
    if floor is not None and floor <= keep:
        return manual_fix(title, f"`MinInstancesInService` must stay below `MaxSize`, which is {floor} in some "
                                 f"deployment: " + ("keeping an instance of this load-balanced group in service "
                                                    "while another replaces it" if lb else "a rolling update") +
                                 " needs a larger `MaxSize` (a capacity and cost decision)",
                          (change, raise_max_size(res, keep + 1)), note=OWN_UPDATE)
    caveat = "" if bounded or keep == 0 else \
        f"; `MaxSize` is chosen at deploy time and must stay above {keep} in every deployment"
    return Fix(title, (change,), safety=REVIEW,
               note=f"the next launch change replaces instances in batches of one, keeping {keep} in service; it "
                    f"{waits}; {OWN_UPDATE}{caveat}")
