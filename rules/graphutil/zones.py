"""Availability Zones: what a subnet, a subnet list or an AZ list resolves to, and how many distinct zones.

A zone is known by its name (`eu-west-1a`), its id (`euw1-az1`) or its position in a list resolved at
deploy time (`Fn::Select [1, Fn::GetAZs ""]`, `data.aws_availability_zones.x.names[1]`). Zones are compared
only within one way of naming them: the name of an AZ id or of a list position depends on the account and
the Region, so `eu-west-1a` and `names[0]` may or may not be the same zone. CIDR patterns decide nothing.
A position that `element()` wraps around (an AzWrapped) stays unknown, but `same_zone` compares it with other
positions of its list.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Optional, Union

from rlint.lazy_regex import lazy_regex
from rlint.model import MISSING, AzChoice, AzList, AzToken, AzWrapped, Resource, Unknown, UnknownList

SUBNET_TYPES = ("aws_subnet", "aws_default_subnet", "AWS::EC2::Subnet")
_AZ_NAME = {"terraform": ("availability_zone",), "cloudformation": ("Properties", "AvailabilityZone")}
_AZ_ID = {"terraform": ("availability_zone_id",), "cloudformation": ("Properties", "AvailabilityZoneId")}
_AZ_ATTRS = ("availability_zone", "AvailabilityZone")
# the reasons the evaluators give for a plain reference to another resource (nothing computed around it)
_DIRECT = ("is known only after apply", "is known only after deployment")
# `module.net` (or `module.a["k"].module.b`): the edge a value read from a module's output carries besides the
# resources it names (linter/evaluate/terraform_modules.py); it names the call, not a resource
_MODULE_CALL = lazy_regex(r"module\.[\w-]+(\[[^\]]*\])?(\.module\.[\w-]+(\[[^\]]*\])?)*")


@dataclass(frozen=True)
class Zone:
    kind: str  # "name", "id", or the source of a positional token
    key: object  # the zone name, the zone id, or the index

    @property
    def label(self) -> str:
        if self.kind in ("name", "id"):
            return f"`{self.key}`"
        if self.kind.startswith("${"):  # the Region's zone by letter: `${AWS::Region}a`, `${data.aws_region.x.name}a`
            return f"`{self.kind}{chr(ord('a') + self.key)}`"
        if self.kind.startswith("Parameter:"):
            return f"`Fn::Select [{self.key}, !Ref {self.kind.split(':', 1)[1]}]`"
        if self.kind.startswith("Fn::GetAZs:"):
            region = self.kind.split(":", 3)[-1]
            return f"`Fn::Select [{self.key}, Fn::GetAZs \"{region}\"]`"
        return f"`{self.kind}.names[{self.key}]`"


Resolved = Union[Zone, Unknown]


@dataclass
class ZoneSet:
    """The zones of a list's members (a Zone or an Unknown each).

    `exact` is False when the list was computed as a whole (a splat, a `for` expression, a function): the
    zones are then those of every subnet it refers to, which it may not all contain. `region_wide` marks a
    whole `Fn::GetAZs` list: every zone of the Region.
    """

    zones: list = field(default_factory=list)
    exact: bool = True
    region_wide: bool = False
    reason: str = ""


def _value(res: Resource, path: tuple):
    v = res.attrs
    for key in path:
        if not isinstance(v, dict) or key not in v:
            return MISSING
        v = v[key]
    return v


def direct_reference(value) -> bool:
    """True when the value is a plain reference to another resource's attribute (no condition, no function
    mixing in other values)."""
    return type(value) is Unknown and value.reason.endswith(_DIRECT) and bool(value.refs)


def zone_of(value, kind: str = "name") -> Optional[Resolved]:
    """A zone written as a value: a literal, a positional token. None when absent, Unknown otherwise."""
    if value is MISSING or value is None:
        return None
    if isinstance(value, AzToken):
        return Zone(value.source, value.index)
    if isinstance(value, Unknown):
        return value
    if isinstance(value, str) and value:
        return Zone(kind, value)
    return Unknown(f"{value!r} is not an Availability Zone")


def subnet_zone(subnet: Resource) -> Resolved:
    """The zone of a subnet resource: its AZ name, else its AZ id."""
    for paths, kind in ((_AZ_NAME, "name"), (_AZ_ID, "id")):
        z = zone_of(_value(subnet, paths[subnet.format]), kind)
        if z is not None:
            if isinstance(z, AzWrapped):  # still unknown, but keeps its position for same_zone
                return AzWrapped(z.source, z.index, z.refs,
                                 f"the Availability Zone of {subnet.address} is unknown ({z.reason})")
            if isinstance(z, Unknown):
                return Unknown(f"the Availability Zone of {subnet.address} is unknown ({z.reason})", z.refs)
            return z
    if subnet.meta.get("expansion_unknown"):
        return Unknown(f"{subnet.address} has an unknown number of instances")
    return Unknown(f"{subnet.address} sets no Availability Zone, so AWS picks one")


def same_zone(a, b) -> Optional[bool]:
    """Whether two zones (a Zone or an AzWrapped each) are the same zone; None when that cannot be decided.

    `element(names, i)` is `names[i mod n]` for the list's unknown length n, at least 2 (every Region lists two
    zones) and more than k when `names[k]` is used. The same position is the same zone; two wrapped positions
    differ for every n only when they are neighbours; wrapped `i` and exact `k` differ for every n when
    `i < k` or `i - k <= max(k, 1)` (no n >= 2 above k divides `i - k`).
    """
    if isinstance(a, Zone) and isinstance(b, Zone):
        return a == b if a.kind == b.kind else None
    if isinstance(b, AzWrapped) and not isinstance(a, AzWrapped):
        a, b = b, a
    if not isinstance(a, AzWrapped) or not isinstance(b, (Zone, AzWrapped)):
        return None
    if isinstance(b, AzWrapped):
        if b.source != a.source:
            return None
        return True if a.index == b.index else False if abs(a.index - b.index) == 1 else None
    if b.kind != a.source or not isinstance(b.key, int):
        return None
    i, k = a.index, b.key
    if i == k:
        return True  # names[k] exists, so the list is longer than k and element() does not wrap at i
    return False if i < k or i - k <= max(k, 1) else None


def zone_label(zone) -> str:
    """How a message names a zone (a Zone or an AzWrapped)."""
    if isinstance(zone, AzWrapped):
        return f"`element({zone.source}.names, {zone.index})`"
    return zone.label


def _resource_refs(value: Unknown) -> list:
    """The references of a value that name resources: without the module-call edge of a module output (a subnet
    id passed from one module's output into another module's variable names the subnet and the call)."""
    refs = [(t, a) for t, a in value.refs if a is not None or not _MODULE_CALL().fullmatch(t)]
    return refs or list(value.refs)


def _subnets(graph, res: Resource, value: Unknown) -> Optional[list]:
    """The subnet resources a reference names, or None when it names anything else."""
    found = []
    for target, _attr in _resource_refs(value):
        hits = graph.resolve(res, target)
        if not hits or any(h.type not in SUBNET_TYPES for h in hits):
            return None
        found.extend(h for h in hits if h not in found)
    return found


def _same(zones: list) -> Optional[Resolved]:
    """One zone when every candidate resolves to the same one."""
    if zones and all(isinstance(z, Zone) for z in zones) and len(set(zones)) == 1:
        return zones[0]
    return None


def zone_of_reference(graph, res: Resource, value) -> Optional[Resolved]:
    """A zone value: a literal or token, or a reference to a subnet's own zone (`!GetAtt Subnet.AvailabilityZone`)."""
    if direct_reference(value):
        attrs = {a for _t, a in _resource_refs(value)}
        subnets = _subnets(graph, res, value)
        if subnets and attrs <= set(_AZ_ATTRS):
            z = _same([subnet_zone(s) for s in subnets])
            if z is not None:
                return z
    return zone_of(value)


def element_zone(graph, res: Resource, element) -> Resolved:
    """The zone of one member of a subnet list."""
    if isinstance(element, str):
        if not element.strip():  # `split(",", var.ids)` over an empty default: a placeholder filled at run time
            return Unknown("the subnet list holds an empty subnet id (a placeholder the run replaces?)")
        return Unknown(f"subnet {element} is not declared in this configuration")
    if not direct_reference(element):
        reason = element.reason if isinstance(element, Unknown) else f"{element!r} is not a subnet"
        return Unknown(f"a subnet in the list is computed ({reason})")
    subnets = _subnets(graph, res, element)
    if not subnets:
        return Unknown(f"a subnet in the list is not a subnet declared here ({element.reason})", element.refs)
    zones = [subnet_zone(s) for s in subnets]
    if len(zones) == 1:
        return zones[0]
    same = _same(zones)
    return same if same is not None else Unknown("a subnet reference names several subnets", element.refs)


# `["${split(",", var.subnets)}"]`: a list written as a member of the list (Terraform 0.11's spelling of the list)
NESTED = ("a member of the list is itself a list (Terraform 0.11 merged it into the list around it; Terraform 0.12 "
          "and later reject the configuration)")


def _nested(value: list) -> bool:
    """Whether a member of a written list is a list: the list's length is then not the number of its members."""
    return any(isinstance(e, (list, UnknownList)) for e in value)


def zones_of_subnets(graph, res: Resource, value) -> Optional[Union[ZoneSet, Unknown]]:
    """The zones of a subnet-id list attribute. None when the attribute is absent."""
    if value is MISSING or value is None:
        return None
    if isinstance(value, list):
        zones = [element_zone(graph, res, e) for e in value]
        if _nested(value):
            return ZoneSet(zones, exact=False, reason=NESTED)
        blank = next((z for e, z in zip(value, zones) if isinstance(e, str) and not e.strip()), None)
        if blank is not None:  # a placeholder: the run replaces the whole list, so its length is not known either
            return ZoneSet(zones, exact=False, reason=blank.reason)
        return ZoneSet(zones)
    if isinstance(value, str):
        return ZoneSet([element_zone(graph, res, value)])
    if direct_reference(value):
        subnets = _subnets(graph, res, value)
        if subnets:
            return ZoneSet([subnet_zone(s) for s in subnets], exact=False,
                           reason=f"the subnet list is computed from {', '.join(s.block_address for s in subnets[:1])}")
    if isinstance(value, Unknown):
        return Unknown(f"the subnet list is unknown ({value.reason})", value.refs)
    return Unknown(f"the subnet list is a {type(value).__name__}")


def zones_of_names(graph, res: Resource, value) -> Optional[Union[ZoneSet, Unknown]]:
    """The zones of an AZ-name list attribute (`availability_zones`). None when absent."""
    if value is MISSING or value is None:
        return None
    if isinstance(value, AzChoice):
        return Unknown(f"the zone list is the deployment's choice ({value.reason})", value.refs)
    if isinstance(value, AzList):
        return ZoneSet(region_wide=True)
    if isinstance(value, list):
        zones = [zone_of_reference(graph, res, v) for v in value]
        return ZoneSet([Unknown("an empty zone") if z is None else z for z in zones], exact=not _nested(value),
                       reason=NESTED)
    if isinstance(value, Unknown):
        return Unknown(f"the zone list is unknown ({value.reason})", value.refs)
    return Unknown(f"the zone list is a {type(value).__name__}")


def count_zones(zs: Union[ZoneSet, Unknown]) -> Union[int, Unknown]:
    """How many distinct zones (a lower bound once it reaches 2), or Unknown when it cannot be decided."""
    if isinstance(zs, Unknown):
        return zs
    if zs.region_wide:
        return 2  # every Region has at least two (most three or more)
    by_kind: dict = defaultdict(set)
    unknowns = []
    for z in zs.zones:
        if isinstance(z, Zone):
            by_kind[z.kind].add(z.key)
        else:
            unknowns.append(z)
    best = max((len(keys) for keys in by_kind.values()), default=0)
    if best >= 2:
        return best
    if not zs.exact:
        return Unknown(zs.reason + ", so its members cannot be counted")
    if len(zs.zones) == 1:
        return 1  # a list of one subnet (or zone) is one zone, whichever it is
    if unknowns:
        u = unknowns[0]
        return Unknown(u.reason, u.refs)
    if len(by_kind) > 1:
        return Unknown("the zones are named in different ways (names, ids, positions) that cannot be compared")
    return best


def known_zones(zs: Union[ZoneSet, Unknown]) -> list:
    """The distinct known zones, in order of appearance."""
    if isinstance(zs, Unknown):
        return []
    out = []
    for z in zs.zones:
        if isinstance(z, Zone) and z not in out:
            out.append(z)
    return out


def labels(zones) -> str:
    return ", ".join(z.label for z in zones)
