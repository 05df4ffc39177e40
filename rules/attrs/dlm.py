"""Amazon Data Lifecycle Manager (DLM) lifecycle policies: which EBS volumes a policy snapshots, and whether it
copies the snapshots to another Region."""
from rlint.rules.base import Attr

DLM_TYPES = ("aws_dlm_lifecycle_policy", "AWS::DLM::LifecyclePolicy")
DISABLED = "DISABLED"

DLM_STATE = Attr("dlm_state", "state", "Properties.State")
# custom policies target by resource type and tag; a CloudFormation default policy (`DefaultPolicy: VOLUME`)
# targets every volume of its Region and copies through the top-level `CrossRegionCopyTargets`
DLM_RESOURCE_TYPES = Attr("dlm_resource_types", "policy_details.resource_types",
                          "Properties.PolicyDetails.ResourceTypes")
DLM_TARGET_TAGS = Attr("dlm_target_tags", "policy_details.target_tags", "Properties.PolicyDetails.TargetTags")
CFN_DEFAULT_POLICY = Attr("dlm_default_policy", None, "Properties.DefaultPolicy")
DLM_SCHEDULES = Attr("dlm_schedules", "policy_details.schedule", "Properties.PolicyDetails.Schedules")
DLM_ACTIONS = Attr("dlm_actions", "policy_details.action", "Properties.PolicyDetails.Actions")
CFN_COPY_TARGETS = (Attr("dlm_default_copy_targets", None, "Properties.CrossRegionCopyTargets"),
                    Attr("dlm_simplified_copy_targets", None, "Properties.PolicyDetails.CrossRegionCopyTargets"))
# the copy entries inside one schedule (snapshot and AMI policies) or one action (event-based policies)
SCHEDULE_COPY = {"terraform": "cross_region_copy_rule", "cloudformation": "CrossRegionCopyRules"}
ACTION_COPY = {"terraform": "cross_region_copy", "cloudformation": "CrossRegionCopy"}
# inside a schedule: how often it snapshots, and where a copy rule sends the copies (a Region name; the
# CloudFormation copy rule spells it `TargetRegion` or, for Outposts and newer templates, `Target`)
SCHEDULE_CREATE = {"terraform": "create_rule", "cloudformation": "CreateRule"}
CREATE_INTERVAL = {"terraform": "interval", "cloudformation": "Interval"}
CREATE_UNIT = {"terraform": "interval_unit", "cloudformation": "IntervalUnit"}
CREATE_CRON = {"terraform": "cron_expression", "cloudformation": "CronExpression"}
COPY_TARGET = {"terraform": ("target",), "cloudformation": ("TargetRegion", "Target")}

__all__ = ["DLM_TYPES", "DISABLED", "DLM_STATE", "DLM_RESOURCE_TYPES", "DLM_TARGET_TAGS", "CFN_DEFAULT_POLICY",
           "DLM_SCHEDULES", "DLM_ACTIONS", "CFN_COPY_TARGETS", "SCHEDULE_COPY", "ACTION_COPY", "SCHEDULE_CREATE",
           "CREATE_INTERVAL", "CREATE_UNIT", "CREATE_CRON", "COPY_TARGET"]
