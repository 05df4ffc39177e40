"""A CloudFront distribution as origins, origin groups and cache behaviors, the same for both formats.

Terraform writes `origin`, `origin_group { origin_id, member { origin_id } }`, `default_cache_behavior` and
`ordered_cache_behavior` blocks; CloudFormation `Origins`, `OriginGroups.Items[{Id, Members.Items}]`,
`DefaultCacheBehavior` and `CacheBehaviors`. Entries that cannot be decided (a dynamic block over an
unknown collection, an `Fn::If` on an undecidable condition) are kept apart as one Unknown per list.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from rlint.model import MISSING, Resource, Unknown
from rlint.rules.attrs.cloudfront import DEFAULT_BEHAVIOR, ORDERED_BEHAVIORS, ORIGIN_GROUPS, ORIGINS
from rlint.rules.base import RuleContext

# the only methods an origin group can serve: CloudFront rejects a behavior that targets a group and allows
# POST, PUT, PATCH or DELETE, and fails over only GET, HEAD and OPTIONS requests
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CFN_DEFAULT_METHODS = frozenset({"GET", "HEAD"})

_KEYS = {
    "terraform": {"origin_id": "origin_id", "domain": "domain_name", "group_id": "origin_id", "target": "target_origin_id",
                  "methods": "allowed_methods", "pattern": "path_pattern", "functions": "function_association",
                  "event": "event_type"},
    "cloudformation": {"origin_id": "Id", "domain": "DomainName", "group_id": "Id", "target": "TargetOriginId",
                       "methods": "AllowedMethods", "pattern": "PathPattern", "functions": "FunctionAssociations",
                       "event": "EventType"},
}


@dataclass
class Behavior:
    label: str          # how a message names it
    path: tuple         # where it is, in the resource's own format
    target: Any         # the origin or group id it targets: str, Unknown or MISSING
    methods: Any        # frozenset of allowed methods, or Unknown
    runtime_origin: Any  # a viewer-request CloudFront Function may switch the origin: bool or Unknown
    is_default: bool = False

    @property
    def read_only(self) -> Any:
        """True when the behavior could target an origin group (it allows no write method)."""
        if isinstance(self.methods, Unknown):
            return self.methods
        return self.methods <= READ_METHODS


@dataclass
class OriginGroup:
    id: Any        # str or Unknown
    members: list  # origin ids, primary first
    path: tuple


@dataclass
class Distribution:
    origins: list = field(default_factory=list)  # origin ids
    domains: list = field(default_factory=list)  # their domain names, in the same order
    groups: list = field(default_factory=list)
    behaviors: list = field(default_factory=list)
    origins_unknown: Optional[Unknown] = None
    groups_unknown: Optional[Unknown] = None
    behaviors_unknown: Optional[Unknown] = None


def _entries(value: Any) -> tuple:
    """(index, entry) pairs of a list of blocks or maps, and the first Unknown in place of the list or an entry."""
    if isinstance(value, Unknown):
        return [], value
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return [], None
    unknown = next((e for e in value if isinstance(e, Unknown)), None)
    return [(i, e) for i, e in enumerate(value) if isinstance(e, dict)], unknown


def _methods(entry: dict, fmt: str) -> Any:
    raw = entry.get(_KEYS[fmt]["methods"], MISSING)
    if raw is MISSING or raw is None:
        # required in Terraform; CloudFormation defaults to GET and HEAD
        return CFN_DEFAULT_METHODS if fmt == "cloudformation" else Unknown("`allowed_methods` is not set")
    if isinstance(raw, Unknown):
        return raw
    if not isinstance(raw, list):
        return Unknown("the allowed methods are not a list")
    bad = next((m for m in raw if not isinstance(m, str)), None)
    if bad is not None:
        return bad if isinstance(bad, Unknown) else Unknown("an allowed method is not a string")
    return frozenset(m.upper() for m in raw)


def _runtime_origin(entry: dict, fmt: str) -> Any:
    keys = _KEYS[fmt]
    found, unknown = _entries(entry.get(keys["functions"], MISSING))
    for _i, assoc in found:
        event = assoc.get(keys["event"], MISSING)
        if isinstance(event, Unknown):
            return event
        if isinstance(event, str) and event.lower() == "viewer-request":
            return True
    return unknown if unknown is not None else False


def _behavior(entry: dict, fmt: str, path: tuple, default: bool) -> Behavior:
    keys = _KEYS[fmt]
    if default:
        label = "the default cache behavior"
    else:
        pattern = entry.get(keys["pattern"], MISSING)
        label = f'the cache behavior for "{pattern}"' if isinstance(pattern, str) else "an ordered cache behavior"
    return Behavior(label, path, entry.get(keys["target"], MISSING), _methods(entry, fmt), _runtime_origin(entry, fmt),
                    is_default=default)


def _members(group: dict, fmt: str) -> list:
    if fmt == "terraform":
        found, unknown = _entries(group.get("member", MISSING))
        members = [m.get("origin_id", MISSING) for _i, m in found]
    else:
        holder = group.get("Members", MISSING)
        found, unknown = _entries(holder.get("Items", MISSING) if isinstance(holder, dict) else holder)
        members = [m.get("OriginId", MISSING) for _i, m in found]
    return members + ([unknown] if unknown is not None else [])


def distribution(ctx: RuleContext, res: Resource) -> Distribution:
    fmt = res.format
    keys = _KEYS[fmt]
    out = Distribution()
    found, out.origins_unknown = _entries(ctx.get(res, ORIGINS))
    out.origins = [o.get(keys["origin_id"], MISSING) for _i, o in found]
    out.domains = [o.get(keys["domain"], MISSING) for _i, o in found]
    groups_path = ORIGIN_GROUPS.path(fmt)
    found, out.groups_unknown = _entries(ctx.get(res, ORIGIN_GROUPS))
    out.groups = [OriginGroup(g.get(keys["group_id"], MISSING), _members(g, fmt), groups_path + (i,))
                  for i, g in found]
    default_path = DEFAULT_BEHAVIOR.path(fmt)
    found, default_unknown = _entries(ctx.get(res, DEFAULT_BEHAVIOR))
    out.behaviors = [_behavior(b, fmt, default_path, default=True) for _i, b in found[:1]]
    ordered_path = ORDERED_BEHAVIORS.path(fmt)
    found, ordered_unknown = _entries(ctx.get(res, ORDERED_BEHAVIORS))
    out.behaviors += [_behavior(b, fmt, ordered_path + (i,), default=False) for i, b in found]
    out.behaviors_unknown = default_unknown if default_unknown is not None else ordered_unknown
    return out


def placeholder_domain(domain: Any) -> bool:
    """A domain in the reserved top-level domain `.invalid` (RFC 6761, section 6.4): it never resolves, so an
    origin with it is a placeholder that CloudFront never reaches (edge functions answer every request)."""
    return isinstance(domain, str) and domain.strip().rstrip(".").lower().rsplit(".", 1)[-1] == "invalid"
