from rlint.model import MISSING, Severity, Unknown
from rlint.rules.attrs.autoscaling_deploy import (ASG_TYPE, DESIRED_CAPACITY, MIN_SIZE, RESOURCE_SIGNAL,
                                                  WILL_REPLACE)
from rlint.rules.base import REVIEW, Fix, Rule, SetAttribute, manual_fix
from rlint.rules.graphutil.asg_deploy import launch_sources, signals_from_instances
from rlint.rules.graphutil.values import as_bool, as_int, int_floor

SIGNAL_TIMEOUT = "PT15M"  # within CloudFormation's PT12H limit; long enough for most instances to boot


class CfnAsgReplaceWithoutCreationPolicy(Rule):
    """## What it does
    Flags CloudFormation Auto Scaling groups with `UpdatePolicy.AutoScalingReplacingUpdate.WillReplace:
    true` and no `CreationPolicy.ResourceSignal`.

    ## Why is this bad?
    A replacing update creates a whole new group and deletes the old one once the new one is "created".
    Without a creation policy that waits for instance signals, the new group counts as created as soon as
    the Auto Scaling API accepts it, before any instance has booted, let alone passed its health checks.
    CloudFormation then deletes the old, working group: a broken AMI or user data takes the whole fleet down
    instead of rolling the update back. `ResourceSignal` makes CloudFormation wait for `cfn-signal` from
    the new instances and roll back when they do not report success in time.

    ## Example
    ```yaml
    Web:
      Type: AWS::AutoScaling::AutoScalingGroup
      UpdatePolicy:
        AutoScalingReplacingUpdate:
          WillReplace: true
      Properties: { ... }
    ```

    ## Use instead
    ```yaml
    Web:
      Type: AWS::AutoScaling::AutoScalingGroup
      UpdatePolicy:
        AutoScalingReplacingUpdate:
          WillReplace: true
      CreationPolicy:
        ResourceSignal:
          Count: 2
          Timeout: PT15M
        AutoScalingCreationPolicy:
          MinSuccessfulInstancesPercent: 100
      Properties: { ... }
    ```

    ## Known problems
    CloudFormation only. Whether the instances really run `cfn-signal` is read from the user data of a
    launch template or configuration in the same template; a launch template from elsewhere hides it. A
    `ResourceSignal` with `Count: 0` waits for nothing and counts as absent. A `WillReplace` or a count that
    cannot be decided gives `unknown`.

    ## Fix safety
    Needs review: the instances must send `cfn-signal` (user data calling `cfn-signal --resource <group>`),
    or every create and replacing update waits for the timeout and then rolls back. The fix is written only
    when the launch template's or configuration's user data calls `cfn-signal` for the group; otherwise it is
    display-only. `Count` is the smallest desired capacity (else minimum size) of any deployment rlint can
    see, so it never waits for more instances than are launched; `Timeout` is PT15M (CloudFormation allows
    up to PT12H).

    ## References
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatepolicy.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-creationpolicy.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-signal.html
    """

    id = "RL603"
    name = "cfn-asg-replace-without-creation-policy"
    severity = Severity.MEDIUM
    resource_types = (ASG_TYPE,)

    def check(self, res, ctx):
        will_replace = as_bool(ctx.get(res, WILL_REPLACE))
        if isinstance(will_replace, Unknown):
            yield self.unknown(res, will_replace, at=WILL_REPLACE)
            return
        if will_replace is not True:
            return
        signal = ctx.get(res, RESOURCE_SIGNAL)
        if isinstance(signal, Unknown):
            yield self.unknown(res, signal, at=RESOURCE_SIGNAL)
            return
        state = "has no `CreationPolicy.ResourceSignal`"
        if isinstance(signal, dict):
            count = as_int(signal.get("Count", 1))  # CloudFormation's default count is 1
            if isinstance(count, Unknown):
                yield self.unknown(res, count, at=RESOURCE_SIGNAL, what="the signal count")
                return
            if count != 0:
                return
            state = "waits for `Count: 0` signals (`CreationPolicy.ResourceSignal`), that is for nothing"
        elif signal is not MISSING:
            return
        yield self.fail(
            res,
            f"{res.address} is replaced on update (`WillReplace` is `true`) but {state}: the old group is deleted "
            f"before the new instances prove healthy",
            at=WILL_REPLACE,
            fix=creation_policy_fix(ctx, res),
        )


def creation_policy_fix(ctx, res) -> Fix:
    """`CreationPolicy.ResourceSignal` waiting for as many signals as every deployment launches instances
    (the smallest desired capacity, else the smallest minimum), when the instances run cfn-signal."""
    title = "Add `CreationPolicy.ResourceSignal`"
    attr = DESIRED_CAPACITY if ctx.has(res, DESIRED_CAPACITY) else MIN_SIZE
    count = int_floor(res, attr)  # None: a deployment may choose any capacity
    evaluated = as_int(ctx.get(res, attr))
    if count is not None and isinstance(evaluated, int) and not isinstance(evaluated, bool):
        count = min(count, evaluated)
    signal = {"Count": count if count else 1, "Timeout": SIGNAL_TIMEOUT}
    change = SetAttribute(RESOURCE_SIGNAL, signal)
    if not signals_from_instances(ctx, res):
        seen = "the launch template or configuration's user data does not call" if launch_sources(ctx, res) \
            else "the launch template is not in this template, so nothing shows that its instances call"
        return manual_fix(title, f"{seen} cfn-signal for {res.address}; with a creation policy and no signal, "
                                 f"every create and replacing update waits out the timeout and rolls back. Add "
                                 f"`cfn-signal --resource {res.address}` to the instances' user data, then the policy",
                          (change,))
    if count == 0:
        return manual_fix(title, "the group launches no instance in some deployment (capacity 0), so no signal "
                                 "would ever arrive: a signal count needs a capacity of at least 1", (change,))
    caveat = "" if count else "; the capacity is chosen at deploy time: keep Count at most the instances launched"
    return Fix(title, (change,), safety=REVIEW,
               note=f"waits for {signal['Count']} cfn-signal(s) within {SIGNAL_TIMEOUT}, at most the instances "
                    f"every deployment launches" + caveat)
