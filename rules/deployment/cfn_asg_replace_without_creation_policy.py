from rlint.model import MISSING, Severity, Unknown
from rlint.rules.attrs.autoscaling_deploy import ASG_TYPE, RESOURCE_SIGNAL, WILL_REPLACE
from rlint.rules.base import Fix, Rule, SetAttribute
from rlint.rules.graphutil.values import as_bool


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
    CloudFormation only. Whether the instances really run `cfn-signal` (in user data or an init script)
    is not checked. A `WillReplace` that cannot be decided gives `unknown`.

    ## Fix safety
    Needs review: the instances must send `cfn-signal` (user data calling `cfn-signal --resource <group>`),
    or every create and replacing update waits for the timeout and then rolls back. Set `Count` to the
    number of instances that must report, usually the desired capacity.

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
        if signal is not MISSING:
            return
        yield self.fail(
            res,
            f"{res.address} is replaced on update (`WillReplace` is `true`) but has no "
            f"`CreationPolicy.ResourceSignal`: the old group is deleted before the new instances prove healthy",
            at=WILL_REPLACE,
            fix=Fix("Add `CreationPolicy.ResourceSignal`", (SetAttribute(RESOURCE_SIGNAL, {"Count": 1,
                                                                                           "Timeout": "PT15M"}),),
                    safety="review", note="the instances must run cfn-signal; set Count to the desired capacity"),
        )
