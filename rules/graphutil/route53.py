"""Route 53 records as one view over three shapes, and their grouping by (zone, name, type).

`records_in(ctx, res)` turns an `aws_route53_record`, an `AWS::Route53::RecordSet` or every entry of an
`AWS::Route53::RecordSetGroup` into `Record`s. `record_key(ctx, rec)` gives the grouping key: a zone
identity, the normalised name (lower case, trailing dot stripped, `\\052` read as `*`, Terraform's relative
names qualified with the zone's name when it is known) and the type -- or an Unknown when one of them
cannot be decided.

Zone identities: a literal hosted zone id or name; a hosted zone resource in the configuration; a reference
to something outside it (a data source, a module output) by its address; or, for a variable or parameter,
the undecidable value itself ("opaque": the same input means the same zone, but a composed value could hide
two zones behind one reason). `zones_may_match` tells whether two identities could name the same zone.
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from typing import Any, Optional

from rlint.model import MISSING, Resource, Unknown
from rlint.rules.attrs.route53 import (ALIAS, ALIAS_NAME, ALIAS_ZONE, CIDR_BLOCK, CLOUDFRONT_TYPES, CLOUDFRONT_ZONE_ID,
                                       EVALUATE_TARGET_HEALTH, FAILOVER, FAILOVER_BLOCK, GEOLOCATION_BLOCK,
                                       GEOPROXIMITY_BLOCK, HEALTH_CHECK_ID, HOSTED_ZONE_NAME, LATENCY_BLOCK, MULTIVALUE,
                                       RECORD_NAME, RECORD_SET_GROUP, RECORD_TYPE, RECORDS, SET_IDENTIFIER,
                                       WEIGHTED_BLOCK, ZONE_ID, ZONE_NAME, ZONE_TYPES, entry_attr)
from rlint.rules.graphutil.values import as_bool
from rlint.rules.base import AddResource, Attr, Fix, RuleContext, SetAttribute, lookup, manual_fix

PRIMARY, SECONDARY = "PRIMARY", "SECONDARY"
# routing policies (what `routing_policy` returns)
SIMPLE, FAILOVER_POLICY, MULTIVALUE_POLICY = "simple", "failover", "multivalue"
WEIGHTED, LATENCY = "weighted", "latency"


@dataclass
class Record:
    holder: Resource
    index: Optional[int] = None  # position in a RecordSetGroup's RecordSets

    @property
    def label(self) -> str:
        return self.holder.address if self.index is None else f"{self.holder.address} RecordSets[{self.index}]"

    def attr(self, attr: Attr) -> Attr:
        return attr if self.index is None else entry_attr(attr, self.index)

    def get(self, ctx: RuleContext, attr: Attr) -> Any:
        return ctx.get(self.holder, self.attr(attr))

    def has(self, ctx: RuleContext, attr: Attr) -> bool:
        return ctx.has(self.holder, self.attr(attr))

    def path(self, attr: Attr) -> Optional[tuple]:
        return self.attr(attr).path(self.holder.format)

    @property
    def unit(self) -> str:
        return self.holder.meta.get("unit", "")


def records_in(ctx: RuleContext, res: Resource) -> list:
    if res.type != RECORD_SET_GROUP:
        return [Record(res)]
    entries = lookup(res.attrs, ("Properties", "RecordSets"))
    if not isinstance(entries, list):
        return []
    return [Record(res, i) for i, e in enumerate(entries) if isinstance(e, dict)]


def checkable_records(ctx: RuleContext, res: Resource) -> list:
    """`records_in`, or none when a RecordSetGroup's list of records cannot be read (nothing to judge)."""
    return [] if record_sets_unknown(res) is not None else records_in(ctx, res)


def leaf(attr: Attr, fmt: str) -> str:
    """The last part of an attribute's spelling, as messages name it inside a record (`evaluate_target_health`)."""
    return attr.spelling(fmt).rsplit(".", 1)[-1]


def record_sets_unknown(res: Resource) -> Optional[Unknown]:
    """A RecordSetGroup whose list of records cannot be read."""
    if res.type != "AWS::Route53::RecordSetGroup":
        return None
    entries = lookup(res.attrs, ("Properties", "RecordSets"))
    return entries if isinstance(entries, Unknown) else None


# -- routing role ---------------------------------------------------------------------------------------
def failover_role(ctx: RuleContext, rec: Record) -> Any:
    """PRIMARY, SECONDARY, None for a record without failover routing, or an Unknown."""
    block = rec.get(ctx, FAILOVER_BLOCK)
    if isinstance(block, Unknown):
        return block
    if block is MISSING or block is None or block == []:
        return None
    role = rec.get(ctx, FAILOVER)
    if isinstance(role, Unknown):
        return role
    return role.upper() if isinstance(role, str) else None


def _present(value: Any) -> bool:
    return value is not MISSING and value is not None and value != [] and value is not False


_POLICY_BLOCKS = ((FAILOVER_BLOCK, FAILOVER_POLICY), (WEIGHTED_BLOCK, WEIGHTED), (LATENCY_BLOCK, LATENCY),
                  (GEOLOCATION_BLOCK, "geolocation"), (GEOPROXIMITY_BLOCK, "geoproximity"), (CIDR_BLOCK, "cidr"))


def routing_policy(ctx: RuleContext, rec: Record) -> Any:
    """The record's routing policy (SIMPLE, FAILOVER_POLICY, MULTIVALUE_POLICY, WEIGHTED, LATENCY, "geolocation",
    "geoproximity", "cidr"), or an Unknown when the setting that decides it cannot be read."""
    for attr, policy in _POLICY_BLOCKS:
        value = rec.get(ctx, attr)
        if isinstance(value, Unknown):
            return value
        if _present(value):
            return policy
    multivalue = as_bool(rec.get(ctx, MULTIVALUE))
    if isinstance(multivalue, Unknown):
        return multivalue
    return MULTIVALUE_POLICY if multivalue is True else SIMPLE


def cloudfront_alias(ctx: RuleContext, rec: Record) -> bool:
    """True when the record is an alias to a CloudFront distribution: a reference to a distribution in the
    configuration, CloudFront's fixed hosted zone id, or a `*.cloudfront.net` name."""
    if not _present(rec.get(ctx, ALIAS)):
        return False
    zone = rec.get(ctx, ALIAS_ZONE)
    name = rec.get(ctx, ALIAS_NAME)
    if isinstance(zone, str) and zone.strip().upper() == CLOUDFRONT_ZONE_ID:
        return True
    if isinstance(name, str) and name.lower().rstrip(".").endswith(".cloudfront.net"):
        return True
    return any(t.type in CLOUDFRONT_TYPES for t in ctx.graph.targets(rec.holder, rec.path(ALIAS)))


def maybe_cloudfront_alias(ctx: RuleContext, rec: Record) -> Any:
    """`cloudfront_alias`, or an Unknown when the alias target's zone and name both come from inputs without a
    value (a `HostedZoneId` parameter without default may well be CloudFront's)."""
    if cloudfront_alias(ctx, rec):
        return True
    if not _present(rec.get(ctx, ALIAS)):
        return False
    zone, name = rec.get(ctx, ALIAS_ZONE), rec.get(ctx, ALIAS_NAME)
    if isinstance(name, str) or not isinstance(zone, Unknown) or ctx.graph.targets(rec.holder, rec.path(ALIAS)):
        return False  # a literal name, a literal zone, or a target in the configuration that is not CloudFront
    return Unknown(f"the alias target's hosted zone is undecided ({zone.reason}) and may be CloudFront's "
                   f"({CLOUDFRONT_ZONE_ID})", zone.refs)


def health_signal_fix(ctx: RuleContext, rec: Record, alias: bool, subject: str) -> Optional[Fix]:
    """Give a record a health signal: evaluate an alias target's health (free) where that is allowed, else add an
    HTTPS health check of `/health` on the record's own answer and associate it with `subject` (the record, as the
    message calls it). Terraform without a literal answer gets a new variable for the host name to probe; a
    template probes its answer as written (`!GetAtt Lb.DNSName`), else the fix is shown with the host name to
    fill in (a new parameter would break deployments that do not pass it)."""
    res = rec.holder
    if alias and not cloudfront_alias(ctx, rec):
        return Fix("Evaluate the alias target's health", (SetAttribute(rec.attr(EVALUATE_TARGET_HEALTH), True),),
                   safety="review", note="free; the alias fails when its target has no healthy endpoint")
    note = "probe the record's endpoint itself (its IP address or own host name), not the record's name"
    target = _probe_target(ctx, rec)
    if res.format == "terraform" and res.meta.get("expansion") and target is not None and \
            len({_probe_target(ctx, Record(i)) for i in ctx.graph.resolve(res, res.block_address)}) > 1:
        return manual_fix(f"Add a health check per instance of {res.block_address} and associate each with its "
                          f"record", "the instances answer with different addresses: each needs a health check "
                          "probing its own, which only the author can write (a shared one would probe one "
                          "instance for all)", note=note)
    if res.format == "terraform":
        local = res.meta.get("name") or res.block_address.rsplit(".", 1)[-1]
        name = f"{local}_health"
        ref = f"${{aws_route53_health_check.{name}.id}}"
        extra = ()
        if target is None:  # nothing literal to probe: the author names it
            target = ("fqdn", f"${{var.{name}_fqdn}}")
            extra = (AddResource("variable", f"{name}_fqdn", {"type": "${string}", "description":
                     f"The host name the health check of {res.block_address} probes (not the record's name)"},
                     kind="variable"),)
        add = AddResource("aws_route53_health_check", name,
                          {target[0]: target[1], "type": "HTTPS", "port": 443, "resource_path": "/health",
                           "failure_threshold": 3, "request_interval": 30})
        changes = (SetAttribute(rec.attr(HEALTH_CHECK_ID), ref),) + extra + (add,)
    else:
        name = f"{res.address}HealthCheck" if rec.index is None else f"{res.address}HealthCheck{rec.index}"
        ref = {"Ref": name}
        written = target or _written_target(ctx, rec)  # the answer as the template writes it (!GetAtt ...)
        kind, value = written or ("fqdn", "<the endpoint's host name>")
        probe = {"FullyQualifiedDomainName" if kind == "fqdn" else "IPAddress": value}
        add = AddResource("AWS::Route53::HealthCheck", name,
                          {"HealthCheckConfig": {**probe, "Type": "HTTPS", "Port": 443, "ResourcePath": "/health",
                                                 "FailureThreshold": 3, "RequestInterval": 30}})
        changes = (SetAttribute(rec.attr(HEALTH_CHECK_ID), ref), add)
        if written is None:
            return manual_fix(f"Add a health check `{name}` and associate it with {subject}",
                              "the record answers with nothing the health check could probe as written (an alias "
                              "or a list), and a template parameter for it would break every deployment that does "
                              "not pass one: fill in the endpoint's host name", changes, note=note)
    return Fix(f"Add a health check `{name}` and associate it with {subject}", changes, safety="review", note=note)


def _written_target(ctx: RuleContext, rec: Record) -> Optional[tuple]:
    """A CloudFormation record's first answer as written, when it is a function (`!GetAtt Lb.DNSName`) of a
    CNAME, A or AAAA record: the health check probes the same expression."""
    rtype = rec.get(ctx, RECORD_TYPE)
    raw = (rec.holder.meta.get("raw") or {}).get("Properties") or {}
    if rec.index is not None:
        sets = raw.get("RecordSets")
        raw = sets[rec.index] if isinstance(sets, list) and rec.index < len(sets) else {}
    answers = raw.get("ResourceRecords") if isinstance(raw, dict) else None
    if rtype not in ("A", "AAAA", "CNAME") or not isinstance(answers, list) or len(answers) != 1 \
            or not isinstance(answers[0], dict):
        return None
    return ("fqdn" if rtype == "CNAME" else "ip"), answers[0]


def _probe_target(ctx: RuleContext, rec: Record) -> Optional[tuple]:
    """What a health check probes: the record's own literal answer (an address for A/AAAA, the host name a
    CNAME points at), or None."""
    records, rtype = rec.get(ctx, RECORDS), rec.get(ctx, RECORD_TYPE)
    if not (isinstance(records, list) and records and isinstance(records[0], str)):
        return None
    if rtype in ("A", "AAAA"):
        return ("ip_address", records[0]) if rec.holder.format == "terraform" else ("ip", records[0])
    if rtype == "CNAME":
        return "fqdn", records[0]
    return None


def evaluates_health(ctx: RuleContext, rec: Record) -> Any:
    """True when the record is an alias that evaluates its target's health, False when not, or an Unknown."""
    alias = rec.get(ctx, ALIAS)
    if isinstance(alias, Unknown):
        return alias
    if alias is MISSING or alias is None or alias == []:
        return False
    value = rec.get(ctx, EVALUATE_TARGET_HEALTH)
    if isinstance(value, str) and value.lower() in ("true", "false"):
        value = value.lower() == "true"
    return value if isinstance(value, Unknown) else value is True


def health_check(ctx: RuleContext, rec: Record) -> Any:
    """True when a health check is associated, False when none, or an Unknown (a value that may be empty)."""
    value = rec.get(ctx, HEALTH_CHECK_ID)
    if isinstance(value, Unknown):
        if ctx.graph.targets(rec.holder, rec.path(HEALTH_CHECK_ID)):
            return True  # a reference to a health check resource
        return value
    return isinstance(value, str) and value.strip() != ""


# -- zones and names --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Zone:
    kind: str          # id | name | resource | ref | opaque
    key: Any
    label: str
    name: Optional[str] = None  # the zone's DNS name when known (qualifies relative record names)

    @property
    def opaque(self) -> bool:
        return self.kind == "opaque"


def normalise(name: str) -> str:
    return name.strip().lower().rstrip(".").replace("\\052", "*")


def zone_of(ctx: RuleContext, rec: Record) -> Any:
    """The record's Zone, or an Unknown when nothing identifies it."""
    res = rec.holder
    attrs = [ZONE_ID, ZONE_NAME] if res.format == "cloudformation" else [ZONE_ID]
    holders = [rec] if rec.index is None else [rec, Record(res)]  # an entry's own zone, else the group's
    for holder in holders:
        for attr in attrs:
            if not holder.has(ctx, attr):
                continue
            return _zone(ctx, holder, attr)
    return Unknown(f"{rec.label} names no hosted zone")


def _zone(ctx: RuleContext, rec: Record, attr: Attr) -> Any:
    value = rec.get(ctx, attr)
    path = rec.path(attr)
    if isinstance(value, str):
        if attr is ZONE_NAME:
            return Zone("name", normalise(value), value, normalise(value))
        zid = value.strip().rsplit("/", 1)[-1].upper()  # "/hostedzone/Z123" and "Z123" are one zone
        return Zone("id", zid, value)
    if not isinstance(value, Unknown):
        return Unknown(f"the hosted zone of {rec.label} is {value!r}")
    zones = [t for t in ctx.graph.targets(rec.holder, path) if t.type in ZONE_TYPES]
    if len(zones) == 1:
        zone = zones[0]
        name = ctx.get(zone, HOSTED_ZONE_NAME)
        return Zone("resource", (rec.unit, zone.address), zone.address,
                    normalise(name) if isinstance(name, str) else None)
    addresses = {addr for addr, _attr in value.refs}
    if len(zones) > 1 or len(addresses) > 1:
        return value  # a choice between zones
    if len(addresses) == 1 and ctx.graph.resolve(rec.holder, next(iter(addresses))) == []:
        address = next(iter(addresses))
        return Zone("ref", (rec.unit, address), address)
    if not addresses:
        named = re.match(r"(var\.[\w-]+|parameter [\w]+)", value.reason)
        return Zone("opaque", (rec.unit, value.reason), named.group(1) if named else f"({value.reason})")
    return value


def zones_may_match(a: Zone, b: Zone) -> bool:
    if a.kind == b.kind and a.kind in ("id", "name", "resource"):
        return a.key == b.key
    if a.name and b.name and a.name != b.name:
        return False
    return True


def record_name(ctx: RuleContext, rec: Record, zone: Optional[Zone]) -> Any:
    name = rec.get(ctx, RECORD_NAME)
    if isinstance(name, Unknown) or not isinstance(name, str):
        return name if isinstance(name, Unknown) else Unknown(f"{rec.label} has no name")
    name = normalise(name)
    if zone is not None and zone.name and name != zone.name and not name.endswith("." + zone.name):
        name = f"{name}.{zone.name}" if name not in ("", "@") else zone.name  # a relative name
    return name


def names_may_match(a: str, b: str) -> bool:
    """Equal, or one may be the other written relative to an unknown zone name."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def record_type(ctx: RuleContext, rec: Record) -> Any:
    value = rec.get(ctx, RECORD_TYPE)
    if isinstance(value, str):
        return value.strip().upper()
    return value if isinstance(value, Unknown) else Unknown(f"{rec.label} has no type")


def set_identifier(ctx: RuleContext, rec: Record) -> Any:
    value = rec.get(ctx, SET_IDENTIFIER)
    return value if isinstance(value, (str, Unknown)) else (str(value) if value not in (MISSING, None) else None)


# -- every record of the scan, keyed ------------------------------------------------------------------------
@dataclass
class Keyed:
    record: Record
    zone: Any      # Zone or Unknown
    name: Any      # str or Unknown
    type: Any      # str or Unknown
    role: Any      # PRIMARY | SECONDARY | None | Unknown
    set_id: Any = None  # str, None or Unknown
    policy: Any = None  # routing_policy(...)

    @property
    def decided(self) -> bool:
        return not any(isinstance(v, Unknown) for v in (self.zone, self.name, self.type))

    @property
    def key(self) -> tuple:
        return (self.zone.key, self.name, self.type) if self.decided else ()

    def why_undecided(self) -> Optional[Unknown]:
        return next((v for v in (self.zone, self.name, self.type) if isinstance(v, Unknown)), None)

    def may_share_group(self, other: "Keyed") -> bool:
        """Whether `other` could be in this record's (decided) group."""
        if isinstance(other.type, str) and other.type != self.type:
            return False
        if isinstance(other.zone, Zone) and not zones_may_match(self.zone, other.zone):
            return False
        if isinstance(other.name, str):
            if isinstance(other.zone, Zone) and other.zone.name and self.zone.name:
                return other.name == self.name
            return names_may_match(self.name, other.name)
        return True


_CACHE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def all_records(ctx: RuleContext) -> list:
    """Every record of every unit, keyed (computed once per graph)."""
    found = _CACHE.get(ctx.graph)
    if found is not None:
        return found
    from rlint.rules.attrs.route53 import RECORD_TYPES

    found = []
    for res in ctx.graph.by_type(*RECORD_TYPES):
        for rec in records_in(ctx, res):
            zone = zone_of(ctx, rec)
            name = record_name(ctx, rec, zone if isinstance(zone, Zone) else None)
            found.append(Keyed(rec, zone, name, record_type(ctx, rec), failover_role(ctx, rec),
                               set_identifier(ctx, rec), routing_policy(ctx, rec)))
    found.sort(key=lambda k: (k.record.holder.span, k.record.index or 0))  # "the later one" in file order
    _CACHE[ctx.graph] = found
    return found


def keyed_records_of(ctx: RuleContext, res: Resource) -> list:
    """The keyed records a resource holds (one, or a RecordSetGroup's entries), in order."""
    return [k for k in all_records(ctx) if k.record.holder is res]


def record_groups(ctx: RuleContext) -> dict:
    """(unit, zone key, name, type) -> the decided records of that group, in file order (once per graph)."""
    found = _GROUPS.get(ctx.graph)
    if found is None:
        found = {}
        for k in all_records(ctx):
            if k.decided:
                found.setdefault((k.record.unit,) + k.key, []).append(k)
        _GROUPS[ctx.graph] = found
    return found


_GROUPS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
