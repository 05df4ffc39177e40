from rlint.model import Severity, Unknown
from rlint.rules.attrs.route53 import ALIAS, HEALTH_CHECK_ID, RECORD_TYPES, WEIGHT
from rlint.rules.base import Rule
from rlint.rules.graphutil.route53 import (LATENCY, MULTIVALUE_POLICY, WEIGHTED, all_records, evaluates_health,
                                           health_check, health_signal_fix, keyed_records_of, leaf, record_groups)
from rlint.rules.graphutil.values import as_int

ACTIVE_ACTIVE = (MULTIVALUE_POLICY, WEIGHTED, LATENCY)


class Route53MultivalueWithoutHealthCheck(Rule):
    """## What it does
    Flags records that share traffic with other records of the same hosted zone, name and type -- multivalue
    answer records, weighted records with a non-zero weight, latency records -- but have no health signal:
    no `health_check_id` / `HealthCheckId`, and no alias that evaluates its target's health. Records are
    grouped across `aws_route53_record`, `AWS::Route53::RecordSet` and the entries of
    `AWS::Route53::RecordSetGroup`, as RL204 groups failover records.

    ## Why is this bad?
    Route 53 considers a record without a health check healthy, always. When the endpoint behind it dies,
    Route 53 keeps returning it: a multivalue answer keeps listing the dead address, a weighted group keeps
    sending that record's share of clients to it, and latency routing keeps sending a whole Region's users
    to the failed Region. The redundancy of several endpoints is there, but a failure of one is still an
    outage for the clients it is handed to.

    ## Example
    ```hcl
    resource "aws_route53_record" "api" {
      count          = 2
      zone_id        = aws_route53_zone.main.zone_id
      name           = "api.example.com"
      type           = "A"
      ttl            = 60
      records        = [var.api_ips[count.index]]
      set_identifier = "api-${count.index}"
      multivalue_answer_routing_policy = true
    }
    ```
    ```yaml
    ApiOne:
      Type: AWS::Route53::RecordSet
      Properties:
        HostedZoneId: !Ref HostedZone
        Name: api.example.com.
        Type: A
        TTL: "60"
        ResourceRecords: [203.0.113.10]
        SetIdentifier: api-1
        MultiValueAnswer: true
    ```

    ## Use instead
    ```hcl
    resource "aws_route53_health_check" "api" {
      count             = 2
      ip_address        = var.api_ips[count.index]
      port              = 443
      type              = "HTTPS"
      resource_path     = "/healthz"
      failure_threshold = 3
      request_interval  = 30
    }

    resource "aws_route53_record" "api" {
      count           = 2
      zone_id         = aws_route53_zone.main.zone_id
      name            = "api.example.com"
      type            = "A"
      ttl             = 60
      records         = [var.api_ips[count.index]]
      set_identifier  = "api-${count.index}"
      health_check_id = aws_route53_health_check.api[count.index].id
      multivalue_answer_routing_policy = true
    }
    ```
    ```yaml
    ApiOneHealthCheck:
      Type: AWS::Route53::HealthCheck
      Properties:
        HealthCheckConfig:
          Type: HTTPS
          IPAddress: 203.0.113.10
          Port: 443
          ResourcePath: /healthz
    ApiOne:
      Type: AWS::Route53::RecordSet
      Properties:
        HostedZoneId: !Ref HostedZone
        Name: api.example.com.
        Type: A
        TTL: "60"
        ResourceRecords: [203.0.113.10]
        SetIdentifier: api-1
        MultiValueAnswer: true
        HealthCheckId: !Ref ApiOneHealthCheck
    ```

    ## Known problems
    A record alone in its group is not flagged: with nothing to choose from, a health check changes no
    answer. It gives `unknown` when another record could join its group: one of another module or template
    whose zone is written differently, or one of its own module or template whose zone, name or type comes
    from an input. So does a group whose zone comes from a variable or parameter, since one input can stand
    for several zones. A weighted record with weight 0 is a standby that only answers when the others are
    unhealthy, and is not flagged; a weight, health check id or evaluate flag that cannot be decided gives
    `unknown`. Geolocation, geoproximity and IP-based
    records serve distinct clients rather than sharing them, and failover records have their own rules
    (RL203 to RL205); neither is checked here. A routing policy from a variable or parameter without default
    is not checked.

    ## Fix safety
    Needs review: each Route 53 health check is billed per month, and it must probe the record's own
    endpoint (its IP address or host name), never the shared name. For an alias to a load balancer, turning
    on evaluate target health is free.

    ## References
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-multivalue.html
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-types.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-route53-recordset.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_record#multivalue_answer_routing_policy
    """

    id = "RL206"
    name = "route53-multivalue-without-health-check"
    severity = Severity.MEDIUM
    resource_types = RECORD_TYPES
    graph_rule = True

    def check(self, res, ctx):
        for k in keyed_records_of(ctx, res):  # none when a RecordSetGroup's records cannot be read
            if k.policy not in ACTIVE_ACTIVE or _weight(ctx, k) == 0:
                continue
            rec = k.record
            checked, evaluated = health_check(ctx, rec), evaluates_health(ctx, rec)
            if checked is True or evaluated is True:
                continue
            peers = _peers(ctx, k)
            undecided = next((v for v in (checked, evaluated, _weight(ctx, k)) if isinstance(v, Unknown)), None)
            what = f"whether {rec.label} shares its name with other {k.policy} records"
            if not peers:
                maybe = _maybe_peer(ctx, k)
                if maybe is not None:
                    yield self.unknown(res, maybe, at=rec.attr(HEALTH_CHECK_ID), what=what)
                continue
            if k.zone.opaque:
                undecided = undecided or Unknown("the zone comes from an input that could stand for several zones")
            if undecided is not None:
                yield self.unknown(res, undecided, at=rec.attr(HEALTH_CHECK_ID),
                                   what=f"whether {rec.label} has a health check")
                continue
            alias = rec.has(ctx, ALIAS)
            spelled = leaf(HEALTH_CHECK_ID, res.format)
            how = f"`{spelled}` not set" + (", alias not evaluating its target" if alias else "")
            yield self.fail(
                res,
                f"{rec.label} is one of {len(peers) + 1} {k.policy} records answering `{k.name}` {k.type} but has "
                f"no health check ({how}): Route 53 treats it as always healthy and keeps answering with it when its "
                f"endpoint is down",
                at=rec.attr(HEALTH_CHECK_ID),
                fix=health_signal_fix(ctx, rec, alias, "the record"),
            )


def _weight(ctx, k):
    """A weighted record's weight (int or Unknown); None for other policies."""
    if k.policy != WEIGHTED:
        return None
    value = as_int(k.record.get(ctx, WEIGHT))
    return value if isinstance(value, (int, Unknown)) else None


def _peers(ctx, k) -> list:
    if not k.decided:
        return []
    members = record_groups(ctx).get((k.record.unit,) + k.key, [])
    return [o for o in members if o is not k and o.policy == k.policy and _weight(ctx, o) != 0]


def _maybe_peer(ctx, k):
    """An Unknown naming a record outside the group that could share it, or None: a record of another module or
    template with a zone written differently, or one of the same unit whose zone, name or type is undecided."""
    if not k.decided:
        return k.why_undecided()
    members = record_groups(ctx).get((k.record.unit,) + k.key, [])
    for o in all_records(ctx):
        if o is k or any(o is m for m in members) or (not o.decided and o.record.unit != k.record.unit):
            continue
        if (o.policy == k.policy or isinstance(o.policy, Unknown)) and k.may_share_group(o):
            why = o.why_undecided()
            where = why.reason if why is not None else "in another module or template, its zone written differently"
            return Unknown(f"{o.record.label} may share its group ({where})")
    return None
