"""CloudFormation conditions in fixes: a resource that references a conditional resource must carry the same
`Condition`, or make the reference only under it (`Fn::If` with `AWS::NoValue` in the other branch).
Otherwise the template is rejected before deployment ("Unresolved resource dependencies"); cfn-lint calls it
W1001 (Ref, GetAtt, Sub) and E3005 (DependsOn).

`condition_additions` gives the resources a fix adds the condition of what they reference; `new_unguarded`
is the check run on every fixed template before it is written, for what the first cannot see (a setting a
fix writes into an existing resource).
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Iterator, Optional

from .apply import FixNotApplicable

_SUB_NAME = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.[^}]*)?\}")
NO_VALUE = {"Ref": "AWS::NoValue"}


def references(value: Any, guards: frozenset = frozenset()) -> Iterator[tuple]:
    """(logical id, conditions whose true branch encloses the reference) for every Ref, GetAtt and Sub."""
    if isinstance(value, dict):
        if len(value) == 1:
            (fn, arg), = value.items()
            if fn == "Ref" and isinstance(arg, str):
                yield arg, guards
                return
            if fn == "Fn::GetAtt":
                name = arg.split(".", 1)[0] if isinstance(arg, str) else arg[0] if isinstance(arg, list) and arg \
                    else None
                if isinstance(name, str):
                    yield name, guards
                return
            if fn == "Fn::Sub":
                text = arg if isinstance(arg, str) else arg[0] if isinstance(arg, list) and arg else ""
                local = set(arg[1]) if isinstance(arg, list) and len(arg) > 1 and isinstance(arg[1], dict) else set()
                for name in _SUB_NAME.findall(text if isinstance(text, str) else ""):
                    if name not in local:
                        yield name, guards
                if local:
                    yield from references(arg[1], guards)
                return
            if fn == "Fn::If" and isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str):
                yield from references(arg[1], guards | {arg[0]})
                yield from references(arg[2], guards)
                return
        for v in value.values():
            yield from references(v, guards)
    elif isinstance(value, list):
        for v in value:
            yield from references(v, guards)


def _depends(entry: dict) -> list:
    deps = entry.get("DependsOn")
    return [d for d in (deps if isinstance(deps, list) else [deps]) if isinstance(d, str)]


def unguarded(template: Any) -> set:
    """(source, target, condition): references from `source` to a resource created only under `condition`,
    made neither under that condition nor inside an Fn::If on it."""
    resources = template.get("Resources") if isinstance(template, dict) else None
    if not isinstance(resources, dict):
        return set()
    condition_of = {k: v.get("Condition") for k, v in resources.items()
                    if isinstance(v, dict) and isinstance(v.get("Condition"), str)}
    out = set()
    for source, entry in resources.items():
        if not isinstance(entry, dict):
            continue
        own = entry.get("Condition")
        refs = list(references({k: v for k, v in entry.items() if k not in ("DependsOn", "Condition")}))
        refs += [(d, frozenset()) for d in _depends(entry)]
        for target, guards in refs:
            needed = condition_of.get(target)
            if needed is not None and target != source and needed != own and needed not in guards:
                out.add((source, target, needed))
    return out


def new_unguarded(before: Any, after: Any) -> set:
    """The unguarded references a fix introduced."""
    return unguarded(after) - unguarded(before)


def condition_additions(additions: list, existing: dict) -> list:
    """Each added CloudFormation resource whose references all name resources under one condition gets that
    condition; one that also names resources under another condition, or under none, keeps its own and has
    each list item naming a conditional resource wrapped in Fn::If. `existing`: logical id -> condition (None
    for none) of every resource of the template."""
    conditions = {k: v for k, v in existing.items() if v}
    names = set(existing) | {a.name for a in additions}
    for add in additions:
        own = dict(add.resource_attributes).get("Condition")
        if own:
            conditions[add.name] = own
    out = []
    for add in additions:
        attributes = dict(add.resource_attributes)
        own = attributes.get("Condition")
        named = {t for t, _g in references(add.attrs) if t in names and t != add.name} | \
            {d for d in _depends(attributes) if d in names}
        needed = {conditions.get(t) for t in named}
        if own is None and len(needed) == 1 and None not in needed:
            own = next(iter(needed))
            conditions[add.name] = own
            add = replace(add, resource_attributes=tuple(add.resource_attributes) + (("Condition", own),))
        if needed - {own, None}:
            add = replace(add, attrs=_guard_items(add.attrs, conditions, own, add.name))
        out.append(add)
    return out


def _guard_items(value: Any, conditions: dict, own: Optional[str], name: str) -> Any:
    """List items naming a resource under another condition than `own` become Fn::If on its condition."""
    if isinstance(value, list):
        out = []
        for item in value:
            needed = {conditions[t] for t, g in references(item) if t in conditions and conditions[t] not in g}
            needed.discard(own)
            if len(needed) > 1:
                raise FixNotApplicable(f"{name} would name resources created under different conditions")
            out.append({"Fn::If": [needed.pop(), item, NO_VALUE]} if needed else _guard_items(item, conditions,
                                                                                             own, name))
        return out
    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)) in ("Ref", "Fn::GetAtt", "Fn::Sub"):
            if any(conditions.get(t) not in (None, own) and conditions[t] not in g for t, g in references(value)):
                raise FixNotApplicable(f"{name} would reference a resource created only under a condition")
            return value
        return {k: _guard_items(v, conditions, own, name) for k, v in value.items()}
    return value
