"""Auto Scaling lifecycle hooks: inline on the group (`initial_lifecycle_hook`,
`LifecycleHookSpecificationList`) or separate (`aws_autoscaling_lifecycle_hook`,
`AWS::AutoScaling::LifecycleHook`). A launch hook holds new instances in Pending:Wait, and the health check
grace period starts only once they are InService."""
from rlint.rules.base import Attr

LIFECYCLE_HOOK_TYPES = ("aws_autoscaling_lifecycle_hook", "AWS::AutoScaling::LifecycleHook")
INLINE_LIFECYCLE_HOOKS = Attr("initial_lifecycle_hooks", "initial_lifecycle_hook",
                              "Properties.LifecycleHookSpecificationList")
HOOK_GROUP = Attr("autoscaling_group_name", "autoscaling_group_name", "Properties.AutoScalingGroupName")
HOOK_TRANSITION = Attr("lifecycle_transition", "lifecycle_transition", "Properties.LifecycleTransition")
LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING"

__all__ = ["LIFECYCLE_HOOK_TYPES", "INLINE_LIFECYCLE_HOOKS", "HOOK_GROUP", "HOOK_TRANSITION", "LAUNCHING"]
