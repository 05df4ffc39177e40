"""Health checks and failover routing (RL2xx)."""
from .asg_ec2_health_check_behind_lb import AsgEc2HealthCheckBehindLb

RULES: list = [AsgEc2HealthCheckBehindLb]
