"""ELBv2 target groups and their health checks (`aws_lb_target_group`, its old name `aws_alb_target_group`,
`AWS::ElasticLoadBalancingV2::TargetGroup`)."""
from rlint.rules.base import Attr

TARGET_GROUP_TYPES = ("aws_lb_target_group", "aws_alb_target_group", "AWS::ElasticLoadBalancingV2::TargetGroup")

# no default in either format: required for instance, ip and alb targets, not used for lambda targets
TG_PROTOCOL = Attr("protocol", "protocol", "Properties.Protocol")
TG_TARGET_TYPE = Attr("target_type", "target_type", "Properties.TargetType", tf_default="instance",
                      cfn_default="instance")
# GRPC target groups check `/AWS.ALB/healthcheck` with gRPC code 12 by default, not `/` and 200
TG_PROTOCOL_VERSION = Attr("protocol_version", "protocol_version", "Properties.ProtocolVersion",
                           tf_default="HTTP1", cfn_default="HTTP1")
# always on for instance, ip and alb targets; off by default for lambda targets
TG_HC_ENABLED = Attr("health_check_enabled", "health_check.enabled", "Properties.HealthCheckEnabled")
# the health check's own protocol follows the target group's when absent (HTTP for HTTP, TCP for TCP ...)
TG_HC_PROTOCOL = Attr("health_check_protocol", "health_check.protocol", "Properties.HealthCheckProtocol")
# `/` when absent, for HTTP and HTTPS checks
TG_HC_PATH = Attr("health_check_path", "health_check.path", "Properties.HealthCheckPath")
# 200 (ALB) or 200-399 (NLB, GWLB) when absent; CloudFormation: Matcher {HttpCode | GrpcCode}
TG_HC_MATCHER = Attr("health_check_matcher", "health_check.matcher", "Properties.Matcher")
# overrides the load balancer's cross-zone setting: "true", "false" or (default) "use_load_balancer_configuration";
# CloudFormation: the `load_balancing.cross_zone.enabled` entry of TargetGroupAttributes
TG_CROSS_ZONE = Attr("load_balancing_cross_zone_enabled", "load_balancing_cross_zone_enabled", None,
                     tf_default="use_load_balancer_configuration")
TG_ATTRIBUTES = Attr("target_group_attributes", None, "Properties.TargetGroupAttributes")
# CloudFormation registers targets on the group itself; Terraform through separate resources (below)
TG_TARGETS = Attr("targets", None, "Properties.Targets")

# an Amazon MQ broker's engine (`aws_mq_broker`, `AWS::AmazonMQ::Broker`): RabbitMQ brokers run behind a Network
# Load Balancer of Amazon MQ's own
MQ_ENGINE_TYPE = Attr("mq_engine_type", "engine_type", "Properties.EngineType")
MQ_BROKER_TYPES = ("aws_mq_broker", "AWS::AmazonMQ::Broker")

# resources that route traffic to a group or watch it, but never put targets into it
TG_ROUTING_TYPES = ("aws_lb_listener", "aws_alb_listener", "aws_lb_listener_rule", "aws_alb_listener_rule",
                    "AWS::ElasticLoadBalancingV2::Listener", "AWS::ElasticLoadBalancingV2::ListenerRule")
TG_OBSERVER_TYPES = ("aws_cloudwatch_metric_alarm", "AWS::CloudWatch::Alarm")

__all__ = ["TARGET_GROUP_TYPES", "TG_PROTOCOL", "TG_TARGET_TYPE", "TG_PROTOCOL_VERSION", "TG_HC_ENABLED",
           "TG_HC_PROTOCOL", "TG_HC_PATH", "TG_HC_MATCHER", "TG_CROSS_ZONE", "TG_ATTRIBUTES", "TG_TARGETS",
           "TG_ROUTING_TYPES", "TG_OBSERVER_TYPES", "MQ_ENGINE_TYPE", "MQ_BROKER_TYPES"]
