"""Deployment scenarios of a CloudFormation template: the assignments of its parameters that its conditions and
choices allow, each evaluated, so that a rule's verdict can be required to hold in every deployment.

A template whose conditions or settings come from parameters (`Env: dev | prod`, `FailoverType: PRIMARY |
SECONDARY`, an optional input compared with "") is deployed in several shapes. Judging it from the defaults
alone reports what only one shape does. Here each parameter that matters gets a finite *domain*:

- a parameter compared in `Conditions`: its default, the literals it is compared with (within its
  AllowedValues), and one more value that makes every such comparison false (an allowed value the conditions
  do not name, or "any other value" when it takes free text);
- a parameter with at most MAX_CHOICES AllowedValues, written into resource properties: every allowed value;
- the Region (`AWS::Region` compared in conditions): the Regions named, and any other one.

Parameters given a value (`--parameter`, parameter files, a parent stack) are fixed and not enumerated; so are
lists, SSM parameters, and parameters with a default or many allowed values that no condition compares (their
default decides, as before).

The product of all domains explodes on large templates, and most resources depend on one or two parameters,
so scenarios are enumerated per *group*: the resources whose verdicts depend on the same parameters (their own,
and those of the resources they reference or are referenced by; Route 53 records also those of the other
records, which they pair with by name). Each group's product is walked in a fixed order (defaults first) up to
CAP assignments; beyond that the group is `capped` and the engine reports its failures as unknown ("too many
condition combinations"), never a sample. Assignments that evaluate the group's resources identically are
merged, so a rule runs once per distinct shape.
"""
from __future__ import annotations

import copy
import itertools
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from ..inputs import CfnInputs
from ..lazy_regex import lazy_regex

CAP = 128
MAX_CHOICES = 8
REGION = "AWS::Region"
OTHER = "\x00other"  # the domain entry for "a value none of the conditions name"
_SUB_NAME = re.compile(r"\$\{([^}!][^}]*)\}")
_REGION_NAME = lazy_regex(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$")
_RECORD_TYPES = ("AWS::Route53::RecordSet", "AWS::Route53::RecordSetGroup")


@dataclass
class Shape:
    """One distinct evaluation of a group: the assignments that produce it and the group's affected resources
    as they come out (logical id -> Resource; a resource absent from the map does not exist in this shape)."""

    assignments: list
    resources: dict


@dataclass
class ScenarioGroup:
    params: tuple  # the parameters enumerated, sorted
    domains: dict  # parameter -> its values (OTHER for "any other value")
    members: tuple  # logical ids whose findings are judged across the shapes
    affected: tuple  # logical ids re-evaluated per shape (their own parameters meet the group's)
    total: int  # assignments in the product
    capped: bool = False
    shapes: list = field(default_factory=list)  # emptied once the engine has judged the group (linter/scenarios.py)
    # the shape that holds the defaults (the scan's default evaluation of the group), when every parameter has one
    base_shape: Optional[int] = None


def show_value(value: str) -> str:
    return "another value" if value == OTHER else repr(value)


_READ: frozenset = frozenset()
_TYPES: frozenset = frozenset()
# Over the rules' source as bytes (UTF-8 never puts an ASCII byte inside a multi-byte character): a CamelCase
# name between quotes or dots, one pattern per opening character (a literal first character is searched fast) ...
_READ_NAMES = tuple(re.compile(opening + rb"([A-Z][A-Za-z0-9]+)(?=[\"'.])") for opening in (rb'"', rb"'", rb"\."))
# ... and a resource type, found by its literal prefix (fast) and kept when it stands between quotes
_TYPE_NAME = re.compile(rb"AWS::[A-Za-z0-9]+::[A-Za-z0-9]+")
_QUOTES = (b'"', b"'")


def _rules_source() -> None:
    """Every name a rule could read in a CloudFormation resource (the segments of the logical attributes' paths
    and every CamelCase string the rules' code spells), and every resource type it names. Generous on purpose: a
    name too many only costs a rule run, a name too few would merge deployments a rule tells apart.
    Read at every run that judges scenarios (so it can never disagree with the rules installed): one pass over
    the files joined by a newline, which no name crosses."""
    import os

    import rlint.rules as rules_pkg

    global _READ, _TYPES
    texts = []
    for folder, _, files in os.walk(os.path.dirname(rules_pkg.__file__)):
        for name in files:
            if name.endswith(".py"):
                with open(os.path.join(folder, name), "rb") as handle:
                    texts.append(handle.read())
    text = b"\n".join(texts)
    read = {name.decode() for pattern in _READ_NAMES for name in pattern.findall(text)}
    types: set = set()
    closed = -1  # where the last quoted type's closing quote was: that quote opens no other name
    for match in _TYPE_NAME.finditer(text):
        start, end = match.span()
        if start - 1 != closed and text[start - 1:start] in _QUOTES and text[end:end + 1] in _QUOTES:
            types.add(match.group().decode())
            closed = end
    read.update(("DeletionPolicy", "UpdateReplacePolicy", "Condition", "Type", "DependsOn", "UpdatePolicy",
                 "CreationPolicy"))
    _READ, _TYPES = frozenset(read), frozenset(types)


def properties_rules_read() -> frozenset:
    if not _READ:
        _rules_source()
    return _READ


def types_rules_read() -> frozenset:
    if not _TYPES:
        _rules_source()
    return _TYPES


# -- what a template's resources and conditions read ----------------------------------------------------------
class _Reader:
    def __init__(self, ev):
        self.ev = ev
        self.params = set(ev.parameters)
        self._cond_params: dict = {}
        self.region_maps: set = set()  # maps that Fn::FindInMap reads with the Region as its top-level key

    def resource_reads(self, body: dict) -> tuple:
        """`reads` of what the rules can see of a resource: its policies, condition and the properties they
        read (a parameter that only sets an AMI or a description changes no verdict)."""
        read = properties_rules_read()
        shown = {k: v for k, v in body.items() if k not in ("Properties", "Metadata")}
        props = body.get("Properties")
        shown["Properties"] = {k: v for k, v in props.items() if k in read} if isinstance(props, dict) else props
        return self.reads(shown)

    def condition_params(self, name: str, seen: frozenset = frozenset()) -> frozenset:
        if name in self._cond_params:
            return self._cond_params[name]
        if name in seen or name not in self.ev.conditions:
            return frozenset()
        found = self.params_of(self.ev.conditions[name], seen | {name})
        self._cond_params[name] = found
        return found

    def params_of(self, value: Any, seen: frozenset = frozenset()) -> frozenset:
        return self.reads(value, seen)[0]

    def reads(self, value: Any, seen: frozenset = frozenset()) -> tuple:
        """(the parameters a value depends on, through conditions too; the logical ids it references by Ref,
        GetAtt, Sub or DependsOn), in one walk."""
        params, ids = self.params, self.ev.resources
        found: set = set()
        linked: set = set()
        stack = [value]
        while stack:
            v = stack.pop()
            if isinstance(v, dict):
                if len(v) == 1:
                    (k, arg), = v.items()
                    if k == "Ref" and isinstance(arg, str):
                        if arg in params or arg == REGION:
                            found.add(arg)
                        elif arg in ids:
                            linked.add(arg)
                        continue
                    if k == "Condition" and isinstance(arg, str):
                        found |= self.condition_params(arg, seen)
                        continue
                    if k == "Fn::If" and isinstance(arg, list) and arg and isinstance(arg[0], str):
                        found |= self.condition_params(arg[0], seen)
                        stack.extend(arg[1:])
                        continue
                    if k == "Fn::FindInMap" and isinstance(arg, list) and len(arg) >= 2 \
                            and arg[1] == {"Ref": REGION} and isinstance(arg[0], str):
                        self.region_maps.add(arg[0])
                    if k == "Fn::GetAtt":
                        name = arg.split(".", 1)[0] if isinstance(arg, str) else \
                            arg[0] if isinstance(arg, list) and arg else None
                        if isinstance(name, str) and name in ids:
                            linked.add(name)
                        continue
                    if k == "Fn::Sub":
                        text = arg[0] if isinstance(arg, list) and arg else arg
                        if isinstance(text, str) and "${" in text:
                            for n in _SUB_NAME.findall(text):
                                n = n.strip()
                                if n in params or n == REGION:
                                    found.add(n)
                                elif n.split(".", 1)[0] in ids:
                                    linked.add(n.split(".", 1)[0])
                        if isinstance(arg, list):
                            stack.extend(arg[1:])
                        continue
                for k, x in v.items():
                    if k == "Condition" and isinstance(x, str):  # a resource's own Condition
                        found |= self.condition_params(x, seen)
                    elif k == "DependsOn":
                        deps = x if isinstance(x, list) else [x]
                        linked.update(d for d in deps if isinstance(d, str) and d in ids)
                    elif isinstance(x, (dict, list)):
                        stack.append(x)
            elif isinstance(v, list):
                stack.extend(x for x in v if isinstance(x, (dict, list)))
        return frozenset(found), linked

    def compared(self) -> dict:
        """parameter -> the literals `Fn::Equals` compares it with, in the order written."""
        out: dict = {}
        stack = [self.ev.conditions]
        while stack:
            v = stack.pop(0)
            if isinstance(v, dict):
                if len(v) == 1 and "Fn::Equals" in v and isinstance(v["Fn::Equals"], list) \
                        and len(v["Fn::Equals"]) == 2:
                    a, b = v["Fn::Equals"]
                    for ref, lit in ((a, b), (b, a)):
                        if isinstance(ref, dict) and set(ref) == {"Ref"} and isinstance(ref["Ref"], str):
                            text = _text(lit)
                            if text is not None:
                                out.setdefault(ref["Ref"], [])
                                if text not in out[ref["Ref"]]:
                                    out[ref["Ref"]].append(text)
                stack.extend(v.values())
            elif isinstance(v, list):
                stack.extend(v)
        return out


def _text(v) -> Optional[str]:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float, str)):
        return str(v)
    return None


def domains(ev, reader: _Reader, in_resources: frozenset) -> dict:
    """parameter -> the values its scenarios take (two or more), for the parameters that matter."""
    compared = reader.compared()
    in_conditions: set = set()
    for name in ev.conditions:
        in_conditions |= reader.condition_params(name)
    given = set(ev.inputs.parameters) | set(ev.inputs.unknown_parameters)
    out: dict = {}
    for name, spec in ev.parameters.items():
        if name in given or not isinstance(spec, dict):
            continue
        ptype = str(spec.get("Type", "String")).strip()
        if ptype.startswith(("List<", "AWS::SSM::", "CommaDelimitedList")):
            continue
        allowed = [t for t in (_text(a) for a in spec.get("AllowedValues") or []) if t is not None] \
            if isinstance(spec.get("AllowedValues"), list) else None
        default = _text(spec.get("Default")) if "Default" in spec else None
        values: list = [default] if default is not None and (allowed is None or default in allowed) else []
        if name in in_conditions:
            lits = compared.get(name, [])
            values += [c for c in lits if allowed is None or c in allowed]
            if allowed is not None:
                values += [a for a in allowed if a not in lits][:1]
            elif default is None or default in lits:
                values.append(OTHER)
        elif allowed is not None and len(allowed) <= MAX_CHOICES and name in in_resources:
            values += allowed
        else:
            continue
        values = list(dict.fromkeys(values))
        if len(values) >= 2:
            out[name] = values
    if REGION not in given:
        mapped = [k for m in sorted(reader.region_maps) if isinstance(ev.mappings.get(m), dict)
                  for k in ev.mappings[m] if isinstance(k, str) and _REGION_NAME().match(k)]
        if mapped and REGION in in_resources:
            # a stack deploys only in the Regions its maps name; the Regions the conditions name are among them
            out[REGION] = list(dict.fromkeys(mapped))
        elif REGION in in_conditions and compared.get(REGION):
            out[REGION] = compared[REGION] + [OTHER]
    return out


# -- the groups -----------------------------------------------------------------------------------------------
def scenario_groups(ev, base: list) -> list:
    """The template's scenario groups, each with its distinct shapes evaluated (empty when no parameter
    matters). `base` is the default evaluation: its resources get `exists_when` where that is decided."""
    reader = _Reader(ev)
    bodies = {lid: raw for lid, raw in ev.resources.items() if isinstance(raw, dict)}
    read = {lid: reader.resource_reads(raw) for lid, raw in bodies.items()}
    own = {lid: r[0] for lid, r in read.items()}
    doms = domains(ev, reader, frozenset().union(*own.values()) if own else frozenset())
    if not doms:
        return []
    own = {lid: ps & set(doms) for lid, ps in own.items()}
    links: dict = {lid: set() for lid in bodies}
    for lid in bodies:
        for n in read[lid][1]:
            if n in links and n != lid:
                links[lid].add(n)
                links[n].add(lid)
    records = frozenset().union(*(own[lid] for lid, raw in bodies.items() if raw.get("Type") in _RECORD_TYPES)) \
        if any(raw.get("Type") in _RECORD_TYPES for raw in bodies.values()) else frozenset()
    keys: dict = {}
    for lid, raw in bodies.items():
        key = set(own[lid])
        for n in links[lid]:
            key |= own[n]
        if raw.get("Type") in _RECORD_TYPES:
            key |= records
        if key:
            keys.setdefault(tuple(sorted(key)), []).append(lid)
    base_by_id = {r.address: r for r in base}
    defaults = {}
    for name, values in doms.items():
        spec = ev.parameters.get(name)
        if isinstance(spec, dict) and "Default" in spec and _text(spec["Default"]) == values[0]:
            defaults[name] = values[0]
    cache = _Evaluations(ev, own, base_by_id, defaults)
    groups = []
    for params, members in sorted(keys.items()):
        group = _group(cache, params, members, doms, own)
        base = {p: defaults[p] for p in params if p in defaults}
        if len(base) == len(params):
            group.base_shape = next((i for i, shape in enumerate(group.shapes) if base in shape.assignments), None)
        if not group.capped:
            _record_existence(group, base_by_id)
        groups.append(group)
    return groups


class _Evaluations:
    """Each resource evaluated once per assignment of its own parameters, whichever groups ask for it."""

    def __init__(self, ev, own: dict, base_by_id: dict, defaults: dict):
        self.ev = ev
        self.own = own
        self.base_by_id = base_by_id  # the default evaluation: reused where an assignment gives the defaults
        self.defaults = defaults
        self._variants: dict = {}
        self._resources: dict = {}
        self._prints: dict = {}

    def resource(self, lid: str, assignment: dict) -> tuple:
        """The resource as evaluated under `assignment` (only its own parameters matter), or None when its
        condition is false there, and a number that is the same for equal evaluations."""
        key = (lid,) + tuple((p, assignment[p]) for p in sorted(self.own[lid]) if p in assignment)
        if key not in self._resources:
            projected = tuple(kv for kv in key[1:])
            if all(self.defaults.get(p) == v for p, v in projected):
                res = self.base_by_id.get(lid)
            else:
                clone = self._variants.get(projected)
                if clone is None:
                    clone = self._variants[projected] = variant(self.ev, dict(projected))
                found = clone.evaluate_resources(only={lid})
                res = found[0] if found else None
            # equal evaluations share one number, so shapes that differ only in values no setting shows merge
            shown = repr(res.attrs) if res is not None else None
            self._resources[key] = (res, self._prints.setdefault(shown, len(self._prints)))
        return self._resources[key]


def _group(cache: _Evaluations, params: tuple, members: list, doms: dict, own: dict) -> ScenarioGroup:
    total = 1
    for p in params:
        total *= len(doms[p])
    # re-evaluated per shape: every resource whose own parameters meet the group's (a NAT gateway's verdict reads
    # subnets three references away); the rest of the template keeps its default evaluation
    affected = tuple(lid for lid, ps in own.items() if ps & set(params))
    group = ScenarioGroup(params, {p: doms[p] for p in params}, tuple(members), affected, total, total > CAP)
    if group.capped:
        return group
    seen: dict = {}
    for values in itertools.product(*(doms[p] for p in params)):
        assignment = dict(zip(params, values))
        resources, prints = {}, []
        for lid in affected:
            res, shown = cache.resource(lid, assignment)
            prints.append(shown)
            if res is not None:
                resources[lid] = res
        fingerprint = tuple(prints)
        if fingerprint in seen:
            seen[fingerprint].assignments.append(assignment)
            continue
        shape = Shape([assignment], resources)
        seen[fingerprint] = shape
        group.shapes.append(shape)
    return group


def variant(ev, assignment: dict):
    """A copy of the evaluator with the parameters of `assignment` set (OTHER: a value no condition names)."""
    from .cloudformation import OtherValue

    clone = copy.copy(ev)
    clone.param_values = dict(ev.param_values)
    clone._condition_cache = {}
    clone._condition_stack = set()
    clone._refs = None
    clone._for_origins = None  # its own parameter values: origins_source() copies the clone
    given = dict(ev.inputs.parameters)
    for name, value in assignment.items():
        if value != OTHER:
            given[name] = value
    clone.inputs = CfnInputs(parameters=given, unknown_parameters=ev.inputs.unknown_parameters,
                             scenario=frozenset(n for n, v in assignment.items() if v != OTHER) | ev.inputs.scenario)
    for name, value in assignment.items():
        if value == OTHER:
            clone.param_values[name] = OtherValue(name)  # for AWS::Region too: _ref looks here first
        elif name != REGION:  # a named Region is read from inputs.parameters, like --parameter AWS::Region=...
            clone.param_values[name] = clone._parameter(name, ev.parameters.get(name))
    return clone


def _record_existence(group: ScenarioGroup, base_by_id: dict) -> None:
    """For each member that exists under only some values of a parameter: meta `exists_when` {param: values},
    on its base resource and on every shape's copy (the data-value model reads it: rules/data_value.py)."""
    for lid in group.members:
        where = [a for shape in group.shapes if lid in shape.resources for a in shape.assignments]
        if not where or lid not in group.affected:
            continue
        limits = {}
        for p in group.params:
            values = [v for v in group.domains[p] if any(a[p] == v for a in where)]
            if len(values) < len(group.domains[p]):
                limits[p] = [show_value(v) if v == OTHER else v for v in values]
        if not limits:
            continue
        for res in [base_by_id.get(lid)] + [s.resources.get(lid) for s in group.shapes]:
            if res is not None:
                res.meta["exists_when"] = limits


__all__ = ["CAP", "MAX_CHOICES", "OTHER", "Shape", "ScenarioGroup", "scenario_groups", "variant", "show_value"]
