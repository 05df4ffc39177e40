"""Health checks and failover routing (RL2xx)."""
from .asg_ec2_health_check_behind_lb import AsgEc2HealthCheckBehindLb
from .route53_failover_unpaired import Route53FailoverUnpaired
from .route53_failover_without_health_check import Route53FailoverWithoutHealthCheck

RULES: list = [AsgEc2HealthCheckBehindLb, Route53FailoverWithoutHealthCheck, Route53FailoverUnpaired]
