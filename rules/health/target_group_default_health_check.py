from rlint.model import MISSING, Severity, Unknown
from rlint.rules.attrs.target_groups import (MQ_BROKER_TYPES, MQ_ENGINE_TYPE, TARGET_GROUP_TYPES, TG_HC_ENABLED,
                                             TG_HC_MATCHER, TG_HC_PATH, TG_HC_PROTOCOL, TG_PROTOCOL,
                                             TG_PROTOCOL_VERSION, TG_TARGET_TYPE, TG_TARGETS)
from rlint.rules.base import Fix, Rule, SetAttribute, describe, manual_fix
from rlint.rules.graphutil.target_registration import may_have_targets, registrars
from rlint.rules.graphutil.values import as_bool

HTTP_PROTOCOLS = ("HTTP", "HTTPS")
SUGGESTED_PATH = "/health"
# Targets that are AWS services rather than the user's application: they serve no `/health` of the user's,
# so the suggested path would fail every one of them (an Amazon MQ broker's console, an OpenSearch domain ...)
MANAGED_TARGETS = {
    "aws_mq_broker": "Amazon MQ brokers", "AWS::AmazonMQ::Broker": "Amazon MQ brokers",
    "aws_opensearch_domain": "OpenSearch domains", "aws_elasticsearch_domain": "OpenSearch domains",
    "AWS::OpenSearchService::Domain": "OpenSearch domains", "AWS::Elasticsearch::Domain": "OpenSearch domains",
    "aws_lb": "load balancers", "aws_alb": "load balancers",
    "AWS::ElasticLoadBalancingV2::LoadBalancer": "load balancers",
    "aws_vpc_endpoint": "VPC endpoints", "AWS::EC2::VPCEndpoint": "VPC endpoints",
    "aws_db_instance": "RDS databases", "aws_rds_cluster": "RDS databases", "AWS::RDS::DBInstance": "RDS databases",
    "aws_api_gateway_rest_api": "API Gateway APIs", "aws_msk_cluster": "MSK brokers",
}
ATTACHMENT = "aws_lb_target_group_attachment"
# Of those, the services that sit behind a load balancer of their own, which checks their nodes: the group's
# check reaches that load balancer's front (as with `target_type = "alb"`). Amazon MQ runs each RabbitMQ broker
# behind a Network Load Balancer of its own, whose front is the broker's VPC endpoint (MQ_BROKER_TYPES).
FRONTED_TARGETS = ("aws_lb", "aws_alb", "AWS::ElasticLoadBalancingV2::LoadBalancer", "aws_vpc_endpoint",
                   "AWS::EC2::VPCEndpoint")


class TargetGroupDefaultHealthCheck(Rule):
    """## What it does
    Flags HTTP and HTTPS target groups (`aws_lb_target_group`, `aws_alb_target_group`,
    `AWS::ElasticLoadBalancingV2::TargetGroup`) whose health check relies on the defaults: the path `/`
    (`health_check.path` / `HealthCheckPath` not set, or set to `/`) and no matcher (`health_check.matcher` /
    `Matcher`). The health check's protocol is its own `protocol` / `HealthCheckProtocol` when set, else the
    target group's protocol.

    ## Why is this bad?
    The root page usually answers 200 as long as the web server runs: it says nothing about the database,
    the cache or the downstream services the instance needs. When a dependency fails on some instances (a
    broken connection pool, a full disk, a lost credential), the load balancer keeps sending them traffic,
    and Auto Scaling never replaces them, because the check they pass does not look at what broke. Users get
    errors from instances that every health check calls healthy.

    ## Example
    ```hcl
    resource "aws_lb_target_group" "web" {
      name     = "web"
      port     = 8080
      protocol = "HTTP"
      vpc_id   = aws_vpc.main.id
    }
    ```
    ```yaml
    WebTargetGroup:
      Type: AWS::ElasticLoadBalancingV2::TargetGroup
      Properties:
        VpcId: !Ref Vpc
        Port: 8080
        Protocol: HTTP
    ```

    ## Use instead
    ```hcl
    resource "aws_lb_target_group" "web" {
      name     = "web"
      port     = 8080
      protocol = "HTTP"
      vpc_id   = aws_vpc.main.id
      health_check {
        path    = "/healthz"
        matcher = "200"
      }
    }
    ```
    ```yaml
    WebTargetGroup:
      Type: AWS::ElasticLoadBalancingV2::TargetGroup
      Properties:
        VpcId: !Ref Vpc
        Port: 8080
        Protocol: HTTP
        HealthCheckPath: /healthz
        Matcher:
          HttpCode: "200"
    ```

    ## Known problems
    Not flagged: TCP, TLS, UDP, TCP_UDP and GENEVE target groups whose health check protocol is not HTTP or HTTPS
    (no path is used); Lambda targets (health checks are off by default and the path has no default meaning there);
    Application Load Balancer targets (`target_type` / `TargetType` `alb`: the health check reaches the ALB, whose
    own target groups check the application), and likewise target groups whose every registered target is a service
    behind a load balancer of its own: a load balancer, a VPC endpoint, or an Amazon MQ for RabbitMQ broker (Amazon
    MQ runs each such broker behind its own Network Load Balancer; a private broker is reached through its VPC
    endpoint's interfaces, which a Terraform attachment often looks up with data sources: `aws_network_interface` of
    the `aws_vpc_endpoint` that names the broker, followed to the broker); target groups nothing registers targets
    into (only listeners, listener rules or alarms refer to them, CloudFormation lists no `Targets`, and the group
    leaves through no output and no unread module: an empty "black hole" default action); gRPC target groups
    (`protocol_version` / `ProtocolVersion` `GRPC`, whose defaults are `/AWS.ALB/healthcheck` and gRPC code 12); a
    health check turned off. A target group without a protocol is left alone (it is a Lambda target group, or the
    API rejects it). An explicit matcher is read as a deliberate choice even on `/`; an explicit path other than `/`
    always passes, since rlint cannot see what the endpoint checks. A protocol, target type, path or matcher from a
    variable or parameter without default gives `unknown` when it could decide the outcome.

    ## Fix safety
    Needs review: the application must serve the new path, answer it quickly, and report its own critical
    dependencies there (not every downstream service, or one shared outage fails every target at once). A
    path that does not exist fails every target and, with ELB health checks on the group, makes Auto
    Scaling replace all instances. Targets that are other AWS services, not the application (OpenSearch
    domains, databases, API Gateway APIs, MSK brokers, registered through `aws_lb_target_group_attachment`,
    directly or through the data sources it reads, or `Targets`), get no automatic fix: they serve no such
    path.

    ## References
    - https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
    - https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticloadbalancingv2-targetgroup.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb_target_group#health_check
    """

    id = "RL208"
    name = "target-group-default-health-check"
    severity = Severity.LOW
    resource_types = TARGET_GROUP_TYPES
    checkov_ids = ("CKV_AWS_261",)

    def check(self, res, ctx):
        undecided = []

        def read(attr):
            value = ctx.get(res, attr)
            if isinstance(value, Unknown):
                undecided.append((value, attr))
            return value

        target_type, version = read(TG_TARGET_TYPE), read(TG_PROTOCOL_VERSION)
        if isinstance(target_type, str) and target_type.lower() in ("lambda", "alb"):
            return  # Lambda: no default path; ALB targets: the ALB's own target groups check the application
        if isinstance(version, str) and version.upper() == "GRPC":
            return
        if as_bool(read(TG_HC_ENABLED)) is False:
            return
        protocol = read(TG_HC_PROTOCOL) if ctx.has(res, TG_HC_PROTOCOL) else read(TG_PROTOCOL)
        if protocol is MISSING or (isinstance(protocol, str) and protocol.upper() not in HTTP_PROTOCOLS):
            return
        path, matcher = read(TG_HC_PATH), read(TG_HC_MATCHER)
        if isinstance(path, str) and path.strip() not in ("", "/"):
            return
        if matcher is not MISSING and not isinstance(matcher, Unknown):
            return  # a matcher chosen on purpose
        if not may_have_targets(ctx, res):
            return  # nothing registers targets (a "black hole" default action): the check never runs
        if self._only_fronted_targets(ctx, res):
            return  # another load balancer checks the nodes behind the targets
        if undecided:
            because, attr = undecided[0]
            yield self.unknown(res, because, at=attr)
            return
        spelled = TG_HC_PATH.spelling(res.format)
        given = describe(path) if ctx.has(res, TG_HC_PATH) else "not set (default `/`)"
        managed = self._managed_targets(ctx, res)
        yield self.fail(
            res,
            f"{res.address} health-checks its {protocol.upper()} targets on `/` with the default matcher "
            f"(`{spelled}` is {given}, `{TG_HC_MATCHER.spelling(res.format)}` not set): a target whose "
            f"dependencies fail still passes",
            at=TG_HC_PATH,
            fix=manual_fix(f"Set `{spelled}` and a matcher the targets answer",
                           f"the targets are {managed}: they serve no `{SUGGESTED_PATH}`, which would fail every one "
                           f"of them; which path and codes they answer is the author's choice") if managed else
            Fix(f'Set `{spelled}` to "{SUGGESTED_PATH}"', (SetAttribute(TG_HC_PATH, SUGGESTED_PATH),),
                safety="review", note="the application must serve this path and check its own dependencies"),
        )

    @staticmethod
    def _registered(ctx, res) -> list:
        """What each registration names: [resources] per Terraform attachment (its `target_id`, and what the
        data sources it reads look up), per resource a CloudFormation group's `Targets` name."""
        if res.format != "terraform":
            listed = ctx.get(res, TG_TARGETS)
            return [ctx.graph.targets(res, ("Properties", "Targets", i)) for i in range(len(listed))] \
                if isinstance(listed, list) else []
        return [ctx.graph.targets(att, ("target_id",)) + ctx.graph.looked_up(att, ("target_id",))
                for att in ctx.graph.referrers(res, type=ATTACHMENT)]

    def _only_fronted_targets(self, ctx, res) -> bool:
        """Every registration names a service behind its own load balancer, and nothing else registers."""
        if res.meta.get("exported"):
            return False
        others = [r for r in registrars(ctx, res) if r.type != ATTACHMENT]
        named = self._registered(ctx, res)
        return not others and bool(named) and all(any(self._fronted(ctx, t) for t in group) for group in named)

    @staticmethod
    def _fronted(ctx, target) -> bool:
        if target.type in MQ_BROKER_TYPES:
            engine = ctx.get(target, MQ_ENGINE_TYPE)
            return isinstance(engine, str) and engine.lower() == "rabbitmq"
        return target.type in FRONTED_TARGETS

    def _managed_targets(self, ctx, res):
        """What the target group's registered targets are, when they are AWS services (else None)."""
        kinds = sorted({MANAGED_TARGETS[t.type] for group in self._registered(ctx, res) for t in group
                        if t.type in MANAGED_TARGETS})
        return " and ".join(kinds) or None
