"""Health checks and failover routing (RL2xx)."""
from .asg_ec2_health_check_behind_lb import AsgEc2HealthCheckBehindLb
from .route53_failover_unpaired import Route53FailoverUnpaired
from .route53_failover_without_health_check import Route53FailoverWithoutHealthCheck

RULES: list = [AsgEc2HealthCheckBehindLb, Route53FailoverWithoutHealthCheck, Route53FailoverUnpaired]

# RL202, RL205-RL209
from .asg_health_check_grace_zero import AsgHealthCheckGraceZero  # noqa: E402
from .route53_evaluate_health_on_cloudfront import Route53EvaluateHealthOnCloudfront  # noqa: E402
from .route53_failover_alias_no_evaluate import Route53FailoverAliasNoEvaluate  # noqa: E402
from .route53_health_check_disabled import Route53HealthCheckDisabled  # noqa: E402
from .route53_multivalue_without_health_check import Route53MultivalueWithoutHealthCheck  # noqa: E402
from .target_group_default_health_check import TargetGroupDefaultHealthCheck  # noqa: E402

RULES += [AsgHealthCheckGraceZero, Route53FailoverAliasNoEvaluate, Route53MultivalueWithoutHealthCheck,
          Route53HealthCheckDisabled, TargetGroupDefaultHealthCheck, Route53EvaluateHealthOnCloudfront]

# RL210-RL214
from .asg_min_size_one import AsgMinSizeOne  # noqa: E402
from .cloudfront_no_origin_failover import CloudfrontNoOriginFailover  # noqa: E402
from .cloudfront_origin_group_unused import CloudfrontOriginGroupUnused  # noqa: E402
from .ecs_service_no_grace_period import EcsServiceNoGracePeriod  # noqa: E402
from .lb_cross_zone_disabled import LbCrossZoneDisabled  # noqa: E402

RULES += [CloudfrontNoOriginFailover, CloudfrontOriginGroupUnused, LbCrossZoneDisabled, AsgMinSizeOne,
          EcsServiceNoGracePeriod]
