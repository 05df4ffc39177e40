from typing import Optional

from rlint.model import Severity, Unknown
from rlint.rules.attrs.route53 import (ALIAS, ALIAS_NAME, ALIAS_ZONE, CLOUDFRONT_ZONE_ID, EVALUATE_TARGET_HEALTH,
                                       FAILOVER, HEALTH_CHECK_ID, RECORD_TYPE, RECORD_TYPES, RECORDS)
from rlint.rules.base import AddResource, Fix, Rule, SetAttribute
from rlint.rules.graphutil.route53 import (PRIMARY, evaluates_health, failover_role, health_check, record_sets_unknown,
                                           records_in)

CLOUDFRONT_TYPES = ("aws_cloudfront_distribution", "AWS::CloudFront::Distribution")


class Route53FailoverWithoutHealthCheck(Rule):
    """## What it does
    Flags PRIMARY failover records (`failover_routing_policy { type = "PRIMARY" }`, `Failover: PRIMARY`,
    also inside a RecordSetGroup) that have neither a health check (`health_check_id` / `HealthCheckId`)
    nor an alias that evaluates its target's health (`evaluate_target_health` / `EvaluateTargetHealth`).

    ## Why is this bad?
    Route 53 fails over only when the primary is unhealthy, and without a health check the primary is
    always considered healthy. When the primary site goes down, the name keeps pointing at it and the
    secondary that was built for this moment never receives traffic: the failover setup does nothing.

    ## Example
    ```hcl
    resource "aws_route53_record" "app_primary" {
      zone_id        = aws_route53_zone.main.zone_id
      name           = "app.example.com"
      type           = "A"
      ttl            = 60
      records        = ["203.0.113.10"]
      set_identifier = "primary"
      failover_routing_policy {
        type = "PRIMARY"
      }
    }
    ```
    ```yaml
    AppPrimary:
      Type: AWS::Route53::RecordSet
      Properties:
        HostedZoneId: !Ref HostedZone
        Name: app.example.com.
        Type: A
        TTL: "60"
        ResourceRecords: [203.0.113.10]
        SetIdentifier: primary
        Failover: PRIMARY
    ```

    ## Use instead
    ```hcl
    resource "aws_route53_health_check" "primary" {
      ip_address        = "203.0.113.10"
      port              = 443
      type              = "HTTPS"
      resource_path     = "/healthz"
      failure_threshold = 3
      request_interval  = 30
    }

    resource "aws_route53_record" "app_primary" {
      zone_id         = aws_route53_zone.main.zone_id
      name            = "app.example.com"
      type            = "A"
      ttl             = 60
      records         = ["203.0.113.10"]
      set_identifier  = "primary"
      health_check_id = aws_route53_health_check.primary.id
      failover_routing_policy {
        type = "PRIMARY"
      }
    }
    ```
    ```yaml
    PrimaryHealthCheck:
      Type: AWS::Route53::HealthCheck
      Properties:
        HealthCheckConfig:
          Type: HTTPS
          IPAddress: 203.0.113.10
          Port: 443
          ResourcePath: /healthz
          RequestInterval: 30
          FailureThreshold: 3
    AppPrimary:
      Type: AWS::Route53::RecordSet
      Properties:
        HostedZoneId: !Ref HostedZone
        Name: app.example.com.
        Type: A
        TTL: "60"
        ResourceRecords: [203.0.113.10]
        SetIdentifier: primary
        Failover: PRIMARY
        HealthCheckId: !Ref PrimaryHealthCheck
    ```

    ## Known problems
    A health check id from a variable or parameter without default, an evaluate-target-health flag that
    cannot be decided, or a failover role that cannot be decided gives `unknown`. An alias to a CloudFront
    distribution cannot evaluate target health (RL209): it needs a health check. A failover alias with
    `evaluate_target_health = false` is also RL205's business. SECONDARY records without health checks are
    legitimate (a static fallback) and not flagged. Whether the health check is disabled is RL207's business.

    ## Fix safety
    Needs review: a Route 53 health check is billed per month, and it must probe the primary endpoint
    itself (its IP address or its own host name), never the failover name, which would follow the failover.
    For an alias to a load balancer, turning on evaluate target health is free; the alias then counts as
    unhealthy when no target group behind the load balancer has a healthy target. `rlint fix` adds an HTTPS
    check of `/health` on the record's own answer (the address of an A/AAAA record, the host a CNAME
    names); when the record has no literal answer, Terraform gets a new variable for the host name to
    probe, and a template gets no automatic fix (it would need a new parameter).

    ## References
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-configuring.html
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-route53-recordset.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-route53-recordset-aliastarget.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_record#health_check_id
    """

    id = "RL203"
    name = "route53-failover-without-health-check"
    severity = Severity.HIGH
    resource_types = RECORD_TYPES
    graph_rule = True

    def check(self, res, ctx):
        if record_sets_unknown(res) is not None:
            return
        for rec in records_in(ctx, res):
            role = failover_role(ctx, rec)
            if not isinstance(role, Unknown) and role != PRIMARY:
                continue  # no failover routing, or a secondary
            checked = health_check(ctx, rec)
            evaluated = evaluates_health(ctx, rec)
            if checked is True or evaluated is True:
                continue
            path = None if rec.index is None else ("Properties", "RecordSets", rec.index)
            undecided = next((v for v in (role, checked, evaluated) if isinstance(v, Unknown)), None)
            if undecided is not None:
                at = rec.attr(FAILOVER if undecided is role else
                              HEALTH_CHECK_ID if undecided is checked else EVALUATE_TARGET_HEALTH)
                yield self.unknown(res, undecided, at=at, what=f"whether {rec.label} has a working health check")
                continue
            alias = rec.has(ctx, ALIAS)
            how = ("an alias with `" + EVALUATE_TARGET_HEALTH.spelling(res.format).rsplit(".", 1)[-1] +
                   "` off" if alias else "no alias")
            yield self.fail(
                res,
                f"{rec.label} is a PRIMARY failover record without a health check (`"
                f"{HEALTH_CHECK_ID.spelling(res.format).rsplit('.', 1)[-1]}` not set, {how}): Route 53 treats it as "
                f"always healthy and never fails over",
                at=rec.attr(FAILOVER), path=path, fix=self._fix(ctx, res, rec, alias),
            )

    @staticmethod
    def _cloudfront(ctx, rec) -> bool:
        zone = rec.get(ctx, ALIAS_ZONE)
        name = rec.get(ctx, ALIAS_NAME)
        if zone == CLOUDFRONT_ZONE_ID or (isinstance(name, str) and name.rstrip(".").endswith(".cloudfront.net")):
            return True
        return any(t.type in CLOUDFRONT_TYPES for t in ctx.graph.targets(rec.holder, rec.path(ALIAS)))

    def _fix(self, ctx, res, rec, alias: bool) -> Optional[Fix]:
        if alias and not self._cloudfront(ctx, rec):
            return Fix("Evaluate the alias target's health", (SetAttribute(rec.attr(EVALUATE_TARGET_HEALTH), True),),
                       safety="review", note="free; the alias fails when its target has no healthy endpoint")
        note = "probe the primary endpoint itself (its IP address or own host name), not the failover name"
        target = _probe_target(ctx, rec)
        if res.format == "terraform":
            local = res.meta.get("name") or res.block_address.rsplit(".", 1)[-1]
            name = f"{local}_health"
            ref = f"${{aws_route53_health_check.{name}.id}}"
            extra = ()
            if target is None:  # nothing literal to probe: the author names it
                target = ("fqdn", f"${{var.{name}_fqdn}}")
                extra = (AddResource("variable", f"{name}_fqdn", {"type": "${string}", "description":
                         f"The host name the health check of {res.block_address} probes (not the failover name)"},
                         kind="variable"),)
            add = AddResource("aws_route53_health_check", name,
                              {target[0]: target[1], "type": "HTTPS", "port": 443, "resource_path": "/health",
                               "failure_threshold": 3, "request_interval": 30})
            changes = (SetAttribute(rec.attr(HEALTH_CHECK_ID), ref),) + extra + (add,)
        elif target is None:
            return None  # a template would need a new parameter for the endpoint: the message stands alone
        else:
            name = f"{res.address}HealthCheck" if rec.index is None else f"{res.address}HealthCheck{rec.index}"
            ref = {"Ref": name}
            probe = {"FullyQualifiedDomainName" if target[0] == "fqdn" else "IPAddress": target[1]}
            add = AddResource("AWS::Route53::HealthCheck", name,
                              {"HealthCheckConfig": {**probe, "Type": "HTTPS", "Port": 443,
                                                     "ResourcePath": "/health", "FailureThreshold": 3,
                                                     "RequestInterval": 30}})
            changes = (SetAttribute(rec.attr(HEALTH_CHECK_ID), ref), add)
        return Fix(f"Add a health check `{name}` and associate it with the primary", changes, safety="review",
                   note=note)


def _probe_target(ctx, rec) -> Optional[tuple]:
    """What the health check probes: the record's own literal answer (an address for A/AAAA, the host
    name a CNAME points at), or None."""
    records, rtype = rec.get(ctx, RECORDS), rec.get(ctx, RECORD_TYPE)
    if not (isinstance(records, list) and records and isinstance(records[0], str)):
        return None
    if rtype in ("A", "AAAA"):
        return ("ip_address", records[0]) if rec.holder.format == "terraform" else ("ip", records[0])
    if rtype == "CNAME":
        return "fqdn", records[0]
    return None
