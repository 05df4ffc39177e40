from rlint.model import MISSING, Severity, Unknown
from rlint.rules.attrs.autoscaling_deploy import ASG_TYPE, MAX_SIZE, MIN_IN_SERVICE, ROLLING_UPDATE, WILL_REPLACE
from rlint.rules.base import REVIEW, Fix, Rule, SetAttribute, manual_fix
from rlint.rules.deployment.cfn_asg_no_update_policy import OWN_UPDATE
from rlint.rules.graphutil.asg_deploy import load_balanced, max_size_floor, raise_max_size
from rlint.rules.graphutil.values import as_bool, as_int, scenario_values


class CfnAsgRollingZeroInService(Rule):
    """## What it does
    Flags CloudFormation Auto Scaling groups behind a load balancer (`TargetGroupARNs`,
    `LoadBalancerNames` or `TrafficSources` set) whose `UpdatePolicy.AutoScalingRollingUpdate` keeps
    `MinInstancesInService` at 0, its default. Also flags, on any group and with high severity, a rolling
    update whose `MinInstancesInService` is not below the group's `MaxSize`.

    ## Why is this bad?
    With no instance required to stay in service, a rolling update may take every instance behind the
    load balancer out of service at once (a batch as large as the group, or failures while new
    instances start). The load balancer then has no healthy target and the application is down for the
    length of the update, although the update policy was meant to avoid exactly that.

    The other way round, CloudFormation rejects a rolling update whose `MinInstancesInService` is not less
    than `MaxSize` ("MinInstancesInService must be less than the autoscaling group's MaxSize"): the stack
    update that changes the launch template fails and rolls back, so no fix reaches the instances.

    ## Example
    ```yaml
    Web:
      Type: AWS::AutoScaling::AutoScalingGroup
      UpdatePolicy:
        AutoScalingRollingUpdate:
          MaxBatchSize: 2
      Properties:
        MinSize: "2"
        MaxSize: "4"
        TargetGroupARNs: [!Ref WebTargets]
    ```

    ## Use instead
    ```yaml
    Web:
      Type: AWS::AutoScaling::AutoScalingGroup
      UpdatePolicy:
        AutoScalingRollingUpdate:
          MaxBatchSize: 1
          MinInstancesInService: 1
      Properties:
        MinSize: "2"
        MaxSize: "4"
        TargetGroupARNs: [!Ref WebTargets]
    ```

    ## Known problems
    CloudFormation only. Groups that are not load-balanced are not flagged (a worker fleet may accept a
    pause). When `AutoScalingReplacingUpdate.WillReplace` is true the rolling policy is not used and the
    group is not flagged. A `MinInstancesInService` that cannot be decided gives `unknown`, and so does
    one that reaches `MaxSize` only in some deployments (an `Fn::If` branch, a parameter's AllowedValues).

    ## Fix safety
    Needs review: a higher minimum makes the update take longer. The fix keeps `MinInstancesInService`
    below `MaxSize` in every deployment rlint can see (`Fn::If` branches, AllowedValues); where `MaxSize`
    is 1 in some deployment the fix is display-only: it would need a larger `MaxSize`, a capacity and cost
    decision. Deploy an `UpdatePolicy` change in a stack update of its own, since a rollback uses the
    previous policy.

    ## References
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatepolicy.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-autoscaling-autoscalinggroup.html
    """

    id = "RL602"
    name = "cfn-asg-rolling-zero-in-service"
    severity = Severity.LOW
    resource_types = (ASG_TYPE,)
    graph_rule = True

    def check(self, res, ctx):
        if ctx.get(res, ROLLING_UPDATE) is MISSING or as_bool(ctx.get(res, WILL_REPLACE)) is True:
            return
        minimum = as_int(ctx.get(res, MIN_IN_SERVICE))
        floor, bounded = max_size_floor(ctx, res)
        too_many = self._not_below_max(ctx, res, minimum, floor, bounded)
        if too_many is not None:
            yield too_many
            return
        if not load_balanced(ctx, res):
            return
        if isinstance(minimum, Unknown):
            yield self.unknown(res, minimum, at=MIN_IN_SERVICE)
            return
        if minimum != 0:
            return
        given = "`0`" if ctx.has(res, MIN_IN_SERVICE) else "not set (default 0)"
        yield self.fail(
            res,
            f"{res.address} is load-balanced but its rolling update keeps no instance in service "
            f"(`MinInstancesInService` is {given}): an update can leave the load balancer without healthy targets",
            at=MIN_IN_SERVICE,
            fix=self._set_in_service(res, 1, floor, bounded),
        )

    def _not_below_max(self, ctx, res, minimum, floor, bounded):
        """A rolling update whose `MinInstancesInService` is not below `MaxSize` fails (high severity) when
        the scan's values show it; when only some deployment's values do, the verdict is unknown."""
        maximum = as_int(ctx.get(res, MAX_SIZE))
        if isinstance(minimum, int) and isinstance(maximum, int) and minimum >= maximum:
            result = self.fail(
                res,
                f"{res.address}'s rolling update keeps `MinInstancesInService` {minimum} in service but `MaxSize` "
                f"is {maximum}: CloudFormation fails the next rolling update (MinInstancesInService must be less "
                f"than MaxSize)",
                at=MIN_IN_SERVICE,
                fix=self._set_in_service(res, maximum - 1, floor, bounded, lowering=load_balanced(ctx, res)),
            )
            result.severity = Severity.HIGH
            return result
        values = [as_int(v) for v in scenario_values(res, MIN_IN_SERVICE) or []]
        if values and all(isinstance(v, int) for v in values) and floor is not None and bounded and \
                max(values) >= floor:
            return self.unknown(res, Unknown(f"`MaxSize` is {floor} in some deployment"), at=MIN_IN_SERVICE,
                                what="whether `MinInstancesInService` stays below `MaxSize` in every deployment")
        return None

    def _set_in_service(self, res, wanted: int, floor, bounded, lowering=None) -> Fix:
        """Set `MinInstancesInService` to `wanted` when it stays below `MaxSize` in every deployment, else show
        the larger `MaxSize` it needs. `lowering`: None when raising it, else whether the group is
        load-balanced (lowering it to 0 there is this rule's other finding)."""
        keep = max(wanted, 0)
        if lowering and keep == 0 or floor is not None and floor <= keep:
            keep = max(keep, 1)
            return manual_fix(f"Set `MinInstancesInService` to {keep} and `MaxSize` to at least {keep + 1}",
                              f"`MaxSize` is {floor} in some deployment and `MinInstancesInService` must stay "
                              f"below it: keeping an instance in service during an update needs a larger "
                              f"`MaxSize` (a capacity and cost decision)",
                              (SetAttribute(MIN_IN_SERVICE, keep), raise_max_size(res, keep + 1)), note=OWN_UPDATE)
        caveat = "" if bounded else f"; `MaxSize` is chosen at deploy time and must stay above {keep}"
        return Fix(f"Set `MinInstancesInService` to {keep}", (SetAttribute(MIN_IN_SERVICE, keep),), safety=REVIEW,
                   note=("below MaxSize, so that CloudFormation accepts the rolling update" if lowering is not None else
                         "must stay lower than MaxSize; a higher minimum makes each update take longer") + caveat)
