"""CloudFormation Auto Scaling group resource attributes that govern deployments (UpdatePolicy, CreationPolicy).

Kept apart from autoscaling.py (capacity and health settings) because these exist only in CloudFormation.
"""
from rlint.rules.attrs.autoscaling import (DESIRED_CAPACITY, LOAD_BALANCER_NAMES, MIN_SIZE, TARGET_GROUPS,
                                           TRAFFIC_SOURCES)
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
# WaitOnResourceSignals defaults to false; PauseTime to PT0S, or PT5M when waiting on signals
WAIT_ON_SIGNALS = Attr("wait_on_resource_signals", None,
                       "UpdatePolicy.AutoScalingRollingUpdate.WaitOnResourceSignals", cfn_default=False)
PAUSE_TIME = Attr("pause_time", None, "UpdatePolicy.AutoScalingRollingUpdate.PauseTime")
# ResourceSignal.Timeout defaults to PT5M, Count to 1
SIGNAL_TIMEOUT = Attr("resource_signal_timeout", None, "CreationPolicy.ResourceSignal.Timeout", cfn_default="PT5M")
MAX_SIZE = Attr("max_size", None, "Properties.MaxSize")

ASG_TYPE = "AWS::AutoScaling::AutoScalingGroup"

__all__ = ["UPDATE_POLICY", "ROLLING_UPDATE", "MIN_IN_SERVICE", "REPLACING_UPDATE", "WILL_REPLACE", "CREATION_POLICY",
           "RESOURCE_SIGNAL", "MAX_SIZE", "TARGET_GROUPS", "LOAD_BALANCER_NAMES", "TRAFFIC_SOURCES", "ASG_TYPE",
           "WAIT_ON_SIGNALS", "PAUSE_TIME", "SIGNAL_TIMEOUT", "MIN_SIZE", "DESIRED_CAPACITY"]
