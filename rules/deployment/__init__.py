"""Deployment and capacity (RL6xx): how CloudFormation rolls changes out to Auto Scaling groups."""
from .cfn_asg_no_update_policy import CfnAsgNoUpdatePolicy
from .cfn_asg_replace_without_creation_policy import CfnAsgReplaceWithoutCreationPolicy
from .cfn_asg_rolling_zero_in_service import CfnAsgRollingZeroInService

RULES = [CfnAsgNoUpdatePolicy, CfnAsgRollingZeroInService, CfnAsgReplaceWithoutCreationPolicy]
