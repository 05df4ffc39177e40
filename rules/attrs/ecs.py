"""ECS services and the load balancers they register tasks with (`aws_ecs_service`, `AWS::ECS::Service`)."""
from rlint.rules.base import Attr

ECS_SERVICE_TYPES = ("aws_ecs_service", "AWS::ECS::Service")
# `load_balancer { target_group_arn | elb_name, container_name, container_port }` blocks / LoadBalancers list
SERVICE_LOAD_BALANCERS = Attr("load_balancers", "load_balancer", "Properties.LoadBalancers")
# only used with a load balancer (or VPC Lattice, or container health checks); the API default is 0
SERVICE_GRACE = Attr("health_check_grace_period_seconds", "health_check_grace_period_seconds",
                     "Properties.HealthCheckGracePeriodSeconds", tf_default=0, cfn_default=0)

__all__ = ["ECS_SERVICE_TYPES", "SERVICE_LOAD_BALANCERS", "SERVICE_GRACE"]
