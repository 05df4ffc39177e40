"""Auto Scaling group capacity and health settings, and the resources that attach a group to a load
balancer or a VPC Lattice target group (`aws_autoscaling_group`, `AWS::AutoScaling::AutoScalingGroup`)."""
from rlint.rules.base import Attr

# A comma-separated list in CloudFormation (EC2, ELB, VPC_LATTICE, EBS); absent means EC2 checks only.
HEALTH_CHECK_TYPE = Attr("health_check_type", "health_check_type", "Properties.HealthCheckType")
# Terraform defaults the grace period to 300 seconds, CloudFormation to 0.
HEALTH_CHECK_GRACE = Attr("health_check_grace_period", "health_check_grace_period",
                          "Properties.HealthCheckGracePeriod", tf_default=300, cfn_default=0)
ASG_NAME = Attr("name", "name", "Properties.AutoScalingGroupName")
# capacity: required in both formats, strings in CloudFormation; the desired capacity defaults to the minimum
MIN_SIZE = Attr("min_size", "min_size", "Properties.MinSize")
MAX_SIZE = Attr("max_size", "max_size", "Properties.MaxSize")
DESIRED_CAPACITY = Attr("desired_capacity", "desired_capacity", "Properties.DesiredCapacity")
# the inline attachment forms
TARGET_GROUPS = Attr("target_group_arns", "target_group_arns", "Properties.TargetGroupARNs")
LOAD_BALANCER_NAMES = Attr("load_balancer_names", "load_balancers", "Properties.LoadBalancerNames")
TRAFFIC_SOURCES = Attr("traffic_sources", "traffic_source", "Properties.TrafficSources")

# Terraform's separate attachment resources
TF_ATTACHMENT = "aws_autoscaling_attachment"
TF_TRAFFIC_ATTACHMENT = "aws_autoscaling_traffic_source_attachment"
ATTACHED_GROUP = Attr("autoscaling_group_name", "autoscaling_group_name", None)
ATTACHMENT_ELB = Attr("elb", "elb", None)
ATTACHMENT_TARGET_GROUP = Attr("lb_target_group_arn", "lb_target_group_arn", None)
ATTACHMENT_TARGET_GROUP_OLD = Attr("alb_target_group_arn", "alb_target_group_arn", None)  # removed in provider 5.0
ATTACHMENT_TRAFFIC_SOURCE = Attr("traffic_source", "traffic_source", None)

ASG_TYPES = ("aws_autoscaling_group", "AWS::AutoScaling::AutoScalingGroup")
# ECS capacity providers name the group they scale
ECS_CAPACITY_PROVIDERS = ("aws_ecs_capacity_provider", "AWS::ECS::CapacityProvider")

__all__ = ["HEALTH_CHECK_TYPE", "HEALTH_CHECK_GRACE", "ASG_NAME", "TARGET_GROUPS", "LOAD_BALANCER_NAMES",
           "TRAFFIC_SOURCES", "TF_ATTACHMENT", "TF_TRAFFIC_ATTACHMENT", "ATTACHED_GROUP", "ATTACHMENT_ELB",
           "ATTACHMENT_TARGET_GROUP", "ATTACHMENT_TARGET_GROUP_OLD", "ATTACHMENT_TRAFFIC_SOURCE", "ASG_TYPES",
           "ECS_CAPACITY_PROVIDERS", "MIN_SIZE", "MAX_SIZE", "DESIRED_CAPACITY"]
