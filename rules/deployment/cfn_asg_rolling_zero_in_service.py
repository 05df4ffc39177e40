from rlint.model import MISSING, Severity, Unknown
from rlint.rules.attrs.autoscaling_deploy import (ASG_TYPE, LOAD_BALANCER_NAMES, MAX_SIZE, MIN_IN_SERVICE,
                                                  ROLLING_UPDATE, TARGET_GROUPS, TRAFFIC_SOURCES, WILL_REPLACE)
from rlint.rules.base import Fix, Rule, SetAttribute
from rlint.rules.graphutil.values import as_bool, as_int


class CfnAsgRollingZeroInService(Rule):
    """## What it does
    Flags CloudFormation Auto Scaling groups behind a load balancer (`TargetGroupARNs`,
    `LoadBalancerNames` or `TrafficSources` set) whose `UpdatePolicy.AutoScalingRollingUpdate` keeps
    `MinInstancesInService` at 0, its default.

    ## Why is this bad?
    With no instance required to stay in service, a rolling update may take every instance behind the
    load balancer out of service at once (a batch as large as the group, or failures while new
    instances start). The load balancer then has no healthy target and the application is down for the
    length of the update, although the update policy was meant to avoid exactly that.

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
    group is not flagged. A `MinInstancesInService` that cannot be decided gives `unknown`.

    ## Fix safety
    Needs review: `MinInstancesInService` must be lower than `MaxSize`, so a group with `MaxSize` 1 also
    needs a larger maximum; a higher minimum makes the update take longer.

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
        if not any(self._attached(ctx.get(res, a)) for a in (TARGET_GROUPS, LOAD_BALANCER_NAMES, TRAFFIC_SOURCES)):
            return
        minimum = as_int(ctx.get(res, MIN_IN_SERVICE))
        if isinstance(minimum, Unknown):
            yield self.unknown(res, minimum, at=MIN_IN_SERVICE)
            return
        if minimum != 0:
            return
        spelled = "MinInstancesInService"
        given = "`0`" if ctx.has(res, MIN_IN_SERVICE) else "not set (default 0)"
        max_size = as_int(ctx.get(res, MAX_SIZE))
        note = "must stay lower than MaxSize" + (": raise MaxSize too" if max_size == 1 else "")
        yield self.fail(
            res,
            f"{res.address} is load-balanced but its rolling update keeps no instance in service "
            f"(`{spelled}` is {given}): an update can leave the load balancer without healthy targets",
            at=MIN_IN_SERVICE,
            fix=Fix(f"Set `{spelled}` to 1", (SetAttribute(MIN_IN_SERVICE, 1),), safety="review", note=note),
        )

    @staticmethod
    def _attached(value) -> bool:
        # a list from a parameter is unknown but present: the group is meant to be load-balanced
        return isinstance(value, Unknown) or (isinstance(value, list) and len(value) > 0)
