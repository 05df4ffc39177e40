import weakref
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Optional

from rlint.model import Outcome, Severity, Unknown
from rlint.rules.attrs.route53 import FAILOVER, RECORD_NAME, RECORD_TYPES, SET_IDENTIFIER
from rlint.rules.base import TERRAFORM, AddResource, Attr, Fix, Rule, RuleContext, manual_fix
from rlint.rules.graphutil.route53 import PRIMARY, SECONDARY, all_records, record_sets_unknown


@dataclass
class _Problem:
    keyed: Any
    outcome: Outcome
    message: str
    attr: Optional[Attr]
    because: Optional[Unknown] = None
    missing: Optional[str] = None  # the role the group lacks


_PROBLEMS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


class Route53FailoverUnpaired(Rule):
    """## What it does
    Checks every failover group -- the records that share a hosted zone, a name and a type -- across
    `aws_route53_record`, `AWS::Route53::RecordSet` and the entries of `AWS::Route53::RecordSetGroup`:
    it needs exactly one PRIMARY, at least one SECONDARY, a distinct set identifier on each record, and
    no record without failover routing under the same name and type.

    ## Why is this bad?
    A PRIMARY without a SECONDARY has nothing to fail over to: when the primary's health check fails,
    Route 53 keeps answering with the failed endpoint (or nothing), and the disaster-recovery site that was
    built for this moment never receives traffic. A SECONDARY without a PRIMARY serves the standby all the
    time. A second PRIMARY, a repeated set identifier or a plain record beside failover records is rejected
    by Route 53 when the change is applied, often in the middle of a failover rehearsal.

    ## Example
    ```hcl
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

    ## Use instead
    ```hcl
    resource "aws_route53_record" "app_secondary" {
      zone_id        = aws_route53_zone.main.zone_id
      name           = "app.example.com"
      type           = "A"
      set_identifier = "secondary"
      failover_routing_policy {
        type = "SECONDARY"
      }
      alias {
        name                   = aws_lb.dr.dns_name
        zone_id                = aws_lb.dr.zone_id
        evaluate_target_health = true
      }
    }
    ```
    ```yaml
    AppSecondary:
      Type: AWS::Route53::RecordSet
      Properties:
        HostedZoneId: !Ref HostedZone
        Name: app.example.com.
        Type: A
        SetIdentifier: secondary
        Failover: SECONDARY
        AliasTarget:
          DNSName: !GetAtt DrLoadBalancer.DNSName
          HostedZoneId: !GetAtt DrLoadBalancer.CanonicalHostedZoneID
          EvaluateTargetHealth: true
    ```

    ## Known problems
    Names are compared in lower case without the trailing dot; Terraform's relative names are qualified
    with the zone's name when the zone is in the configuration. Zones match by literal id or name, by the
    hosted zone resource, by the data source or module output referenced, or by the same variable or
    parameter. A record whose zone, name, type or failover role cannot be decided gives `unknown`, and so
    does a group missing its PRIMARY or SECONDARY when a record elsewhere in the scan (another stack or
    module, a zone written differently) could complete it. Groups are formed within one module or
    template, or across the deployments configured in `deployments:` (when the zone is a literal id or name, or
    a parameter each deployment sets): a template deployed as PRIMARY in one Region and as SECONDARY in
    another is paired, and a PRIMARY whose SECONDARY no deployment creates is reported. A pair split across
    stacks that are neither scanned together nor configured as deployments is reported: configure the
    deployments, or suppress it with a reason. Conflicts inside a group whose zone comes from a variable or parameter are `unknown`, since
    two zones could hide behind one input.

    ## Fix safety
    Needs review: adding the missing SECONDARY means deciding where traffic goes in a disaster (a standby
    Region, a static S3 site); removing a duplicate PRIMARY or a conflicting plain record changes what the
    name answers today. Choose distinct set identifiers before applying. In Terraform, `rlint fix` adds
    the SECONDARY record in the primary's zone under its name and type, answering with a new variable
    without default, so the standby is chosen by the author. In CloudFormation the SECONDARY is shown, not
    written (a new parameter would break deployments that do not pass it); the other problems are left to
    the author.

    ## References
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-types.html
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-configuring.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-route53-recordset.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-route53-recordsetgroup.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_record#failover-routing-policy
    """

    id = "RL204"
    name = "route53-failover-unpaired"
    severity = Severity.HIGH
    resource_types = RECORD_TYPES
    graph_rule = True
    reads_alternatives = True

    def check(self, res, ctx):
        if record_sets_unknown(res) is not None:
            return  # nothing to group; the entries may not even use failover
        for p in _problems(ctx).get(id(res), ()):
            rec = p.keyed.record
            at = rec.attr(p.attr) if p.attr is not None else None
            path = None if at is not None or rec.index is None else ("Properties", "RecordSets", rec.index)
            if p.outcome is Outcome.FAIL:
                fix = _secondary_skeleton(res) if p.missing == SECONDARY and rec.index is None else None
                yield self.fail(res, p.message, at=at, path=path, fix=fix or _by_hand(p))
            else:
                yield self.unknown(res, p.because, at=at, path=path, what=p.message)


def _problems(ctx) -> dict:
    found = _PROBLEMS.get(ctx.graph)
    if found is None:
        found = defaultdict(list)
        for p in _analyse(ctx):
            found[id(p.keyed.record.holder)].append(p)
        _PROBLEMS[ctx.graph] = found
    return found


def _describe(k) -> str:
    return f"`{k.name}` {k.type} in zone {k.zone.label}"


def _deployed_elsewhere(ctx):
    """A lookup (keyed record, role) -> the label of another deployment of the same template that creates a record
    of that role in the same group, or None: a template deployed once per role (`Failover: !Ref Role`, or each
    record under its own condition) pairs across its deployments (ScenarioGraph.alternatives)."""
    alternatives = [g for g in getattr(ctx.graph, "alternatives", ()) if g is not ctx.graph]
    if not alternatives:
        return lambda k, role: None
    decided = [(g, [o for o in all_records(RuleContext(g, ctx.options, ctx.settings)) if o.decided])
               for g in alternatives]

    def find(k, role):
        for g, others in decided:
            roles = {o.role for o in others if o.record.unit == k.record.unit and o.key == k.key}
            if role in roles and k.role not in roles:  # the other half, not the same pair complete
                return g.label()
        return None
    return find


def _analyse(ctx):
    records = all_records(ctx)
    elsewhere = _deployed_elsewhere(ctx)
    groups = defaultdict(list)
    for k in records:
        if k.decided:
            groups[(_scope(k),) + k.key].append(k)
        elif k.role in (PRIMARY, SECONDARY):
            yield _Problem(k, Outcome.UNKNOWN, f"the failover group of {k.record.label}", None, k.why_undecided())
        if isinstance(k.role, Unknown):
            # failover routing whose role is an input: typically one half of a pair deployed per Region
            yield _Problem(k, Outcome.UNKNOWN, f"whether {k.record.label} completes a failover pair", FAILOVER, k.role)
    for members in groups.values():
        failover = [k for k in members if k.role in (PRIMARY, SECONDARY)]
        if not failover:
            continue
        yield from _check_group(records, members, failover, elsewhere)


def _scope(k) -> Any:
    """Records pair within one module or template; with `deployments:` configured, records of any deployment
    pair when their hosted zone is written as a literal id or name (the same zone whichever deployment names
    it): a template deployed as PRIMARY in one Region and as SECONDARY in another is one failover group."""
    if k.record.holder.meta.get("deployment") and k.zone.kind in ("id", "name"):
        return "deployments"
    return k.record.unit


def _fillers(records, members, like, role) -> list:
    """Records outside the group (any unit) that might complete it with `role`."""
    inside = {id(k) for k in members}
    return [k for k in records if id(k) not in inside and (k.role == role or isinstance(k.role, Unknown))
            and like.may_share_group(k)]


def _check_group(records, members, failover, elsewhere):
    primaries = [k for k in failover if k.role == PRIMARY]
    secondaries = [k for k in failover if k.role == SECONDARY]
    undecided_roles = [k for k in members if isinstance(k.role, Unknown)]
    plain = [k for k in members if k.role is None]
    first = failover[0]
    opaque = first.zone.opaque
    what = _describe(first)
    for missing, present, role in ((not primaries, secondaries, PRIMARY), (not secondaries, primaries, SECONDARY)):
        if not missing:
            continue
        k = present[0]
        maybe = undecided_roles or _fillers(records, members, k, role)
        other_deployment = elsewhere(k, role)
        if other_deployment is not None:
            yield _Problem(k, Outcome.UNKNOWN, f"whether the failover group {what} has a {role}", FAILOVER,
                           Unknown(f"this template creates the {role} in another deployment, where "
                                   f"{other_deployment}; whether that deployment shares the zone is not known here"))
        elif maybe:
            other = maybe[0]
            why = other.why_undecided()
            because = other.role if isinstance(other.role, Unknown) else Unknown(
                f"{other.record.label} may be its {role} ({why.reason if why is not None else 'the zone is written differently'})")
            yield _Problem(k, Outcome.UNKNOWN, f"whether the failover group {what} has a {role}", FAILOVER, because)
        elif role == SECONDARY:
            yield _Problem(k, Outcome.FAIL,
                           f"{k.record.label} is the PRIMARY failover record of {what} but the group has no SECONDARY: "
                           f"when the primary fails, Route 53 has nowhere to fail over to", FAILOVER,
                           missing=SECONDARY)
        else:
            yield _Problem(k, Outcome.FAIL,
                           f"{k.record.label} is a SECONDARY failover record of {what} but the group has no PRIMARY: "
                           f"the standby answers all the time and nothing fails back", FAILOVER)
    for extra in primaries[1:]:
        yield _conflict(extra, opaque, what,
                        f"{extra.record.label} is a second PRIMARY of {what} (after {primaries[0].record.label}): "
                        f"a failover group takes exactly one PRIMARY", FAILOVER)
    seen = {}
    for k in failover:
        sid = k.set_id
        if isinstance(sid, Unknown):
            if len(failover) > 1:
                yield _Problem(k, Outcome.UNKNOWN, "whether its set identifier is unique in its failover group",
                               SET_IDENTIFIER, sid)
            continue
        if sid is not None and sid in seen:
            yield _conflict(k, opaque, what,
                            f"{k.record.label} repeats the set identifier \"{sid}\" of {seen[sid].record.label} in "
                            f"{what}: Route 53 rejects the change", SET_IDENTIFIER)
        elif sid is not None:
            seen[sid] = k
    for k in plain:
        yield _conflict(k, opaque, what,
                        f"{k.record.label} has no failover routing but shares the name and type of the failover "
                        f"records {', '.join(f.record.label for f in failover)} ({what}): Route 53 rejects the change",
                        RECORD_NAME)


def _by_hand(p) -> Fix:
    """What the author decides: where traffic goes when the PRIMARY fails, or which record to keep."""
    if p.missing == SECONDARY:
        return manual_fix("Add a SECONDARY record beside the PRIMARY",
                          "where traffic goes in a disaster (a standby Region, a static site) is a decision, and a "
                          "record set group's entries are added by hand",
                          note="same name, type and zone as the PRIMARY, its own set identifier")
    if p.missing == PRIMARY:
        return manual_fix("Add the PRIMARY record this SECONDARY backs up, or remove the SECONDARY",
                          "which endpoint serves the name normally is the author's choice")
    return manual_fix("Give each failover record its own role and set identifier, and move plain records with the "
                      "same name and type elsewhere", "which of the conflicting records stays is the author's "
                      "choice: Route 53 rejects the change until one of them goes")


def _secondary_skeleton(res) -> Optional[Fix]:
    """Terraform: the SECONDARY beside the primary, in its zone under its name and type, answering with
    records the author must choose (a variable without default, so nothing is deployed by accident).
    CloudFormation would need a new parameter, which breaks every deployment that does not pass it: the
    record is shown, with the address to fill in, not written."""
    if res.format != TERRAFORM:
        raw = (res.meta.get("raw") or {}).get("Properties") or {}
        name = res.address.removesuffix("Primary") + "Secondary"
        props = {k: raw[k] for k in ("HostedZoneId", "HostedZoneName", "Name", "Type") if k in raw}
        props.update({"TTL": "60", "SetIdentifier": "secondary", "Failover": SECONDARY,
                      "ResourceRecords": ["<the standby's address>"]})
        return manual_fix(f"Add a SECONDARY record `{name}`",
                          "where traffic goes in a disaster (a standby Region, a static site) is a decision rlint "
                          "cannot make, and a template parameter for it would break every deployment that does "
                          "not pass one: fill in the standby's address",
                          (AddResource("AWS::Route53::RecordSet", name, props),))
    local = res.meta.get("name") or res.block_address.rsplit(".", 1)[-1]
    name = f"{local.removesuffix('_primary')}_secondary"
    variable = f"{name}_records"
    primary = res.block_address
    return Fix(f"Add a SECONDARY record `{name}`", (
        AddResource("variable", variable, {"type": "${list(string)}", "description":
                    f"Where {primary} fails over to: the standby's addresses or host name"}, kind="variable"),
        AddResource("aws_route53_record", name, {
            "zone_id": f"${{{primary}.zone_id}}", "name": f"${{{primary}.name}}", "type": f"${{{primary}.type}}",
            "ttl": 60, "set_identifier": "secondary", "records": f"${{var.{variable}}}",
            "failover_routing_policy": [{"__block__": True, "type": SECONDARY}]}),
    ), safety="review", note="choose the standby it answers with (variable " + variable + ")")


def _conflict(k, opaque, what, message, attr):
    if opaque:
        return _Problem(k, Outcome.UNKNOWN, f"whether {k.record.label} conflicts in {what}", attr,
                        Unknown("the zone comes from an input that could stand for several zones"))
    return _Problem(k, Outcome.FAIL, message, attr)
