"""CloudFormation Auto Scaling group resource attributes that govern deployments (UpdatePolicy, CreationPolicy).

Kept apart from autoscaling.py (capacity and health settings) because these exist only in CloudFormation.
"""
from rlint.rules.attrs.autoscaling import LOAD_BALANCER_NAMES, TARGET_GROUPS, TRAFFIC_SOURCES
from rlint.rules.base import Attr

UPDATE_POLICY = Attr("update_policy", None, "UpdatePolicy")
ROLLING_UPDATE = Attr("rolling_update", None, "UpdatePolicy.AutoScalingRollingUpdate")
# MinInstancesInService defaults to 0 (aws-attribute-updatepolicy).
MIN_IN_SERVICE = Attr("min_instances_in_service", None,
                      "UpdatePolicy.AutoScalingRollingUpdate.MinInstancesInService", cfn_default=0)
REPLACING_UPDATE = Attr("replacing_update", None, "UpdatePolicy.AutoScalingReplacingUpdate")
WILL_REPLACE = Attr("will_replace", None, "UpdatePolicy.AutoScalingReplacingUpdate.WillReplace",
                    cfn_default=False)
CREATION_POLICY = Attr("creation_policy", None, "CreationPolicy")
RESOURCE_SIGNAL = Attr("resource_signal", None, "CreationPolicy.ResourceSignal")
MAX_SIZE = Attr("max_size", None, "Properties.MaxSize")

ASG_TYPE = "AWS::AutoScaling::AutoScalingGroup"

__all__ = ["UPDATE_POLICY", "ROLLING_UPDATE", "MIN_IN_SERVICE", "REPLACING_UPDATE", "WILL_REPLACE", "CREATION_POLICY",
           "RESOURCE_SIGNAL", "MAX_SIZE", "TARGET_GROUPS", "LOAD_BALANCER_NAMES", "TRAFFIC_SOURCES", "ASG_TYPE"]
