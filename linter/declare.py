"""Declarations that a resource's data is recreatable, bound to the resources before any rule runs.

What a store holds is sometimes known only to its team: a table copying reference data kept upstream, the
working state of a CI tool, a throwaway conversion database. The team says it once and every rule that judges
data (rules/data_value.py) treats the resource as the class `declared`, like the other recreatable classes:

- inline, Terraform and CloudFormation YAML: `# rlint:recreatable -- reason` (also `//`), placed like
  `# rlint:ignore` (directly above a resource header or inside its block; on a module call block it covers
  every resource of the call);
- CloudFormation (the only way in JSON): `Metadata: {rlint: {recreatable: "reason"}}`;
- the configuration: `stateful: {recreatable: [{resource: GLOB, file: GLOB, reason: ...}]}`.

The directives are parsed with the suppressions (suppress.py); a declaration inside a module reaches every
instance of the block, in every call of the module. A declaration without a reason declares nothing (RL003);
one on nothing a data rule reads, or a configuration entry that matches nothing, is RL004 (engine.py).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from fnmatch import fnmatch

from . import suppress as sup
from .lazy_regex import lazy_regex
from .model import Declared, Resource, Span

# the instance keys of an address (`module.env["dev"].aws_x.y[0]`): an entry may name every instance at once
_INSTANCE_KEYS = lazy_regex(r'\[(?:"(?:[^"\\]|\\.)*"|[^\]"]*)\]')


@dataclass(frozen=True)
class ConfigEntry:
    """One `stateful.recreatable` entry: globs on the address and on the file (as reported; "" for any file),
    the reason, and where the entry is written."""

    resource: str
    file: str
    reason: str
    span: Span


@dataclass(eq=False)
class Declaration:
    """One written declaration and the resources it declares (every instance it reaches)."""

    kind: str  # inline | metadata | config
    span: Span
    reason: str
    on: str = ""  # what it is written on: an address, a module call, or the configuration entry's pattern
    on_type: str = ""
    root: str = ""
    problem: str = ""  # non-empty: invalid, declares nothing (RL003)
    targets: list = field(default_factory=list)
    judged: bool = True  # a configuration entry whose file glob names no scanned file is not judged (RL004)


def bind(units: list, resources: list, entries: list = ()) -> list:
    """Read every declaration of the units and the configuration, set meta `declared` (model.Declared) on the
    resources each valid one declares, scenario copies included, and return the declarations. An inline or
    Metadata declaration wins over a configuration entry for the same resource."""
    everything = resources + [r for unit in units for g in getattr(unit, "scenario_groups", None) or ()
                              for shape in g.shapes for r in shape.resources.values()]
    out = _inline(units, everything) + _metadata(everything) + _configured(units, resources, entries)
    for d in out:
        if d.problem:
            continue
        declared = Declared(d.reason, f"{d.span.file}:{d.span.line}")
        for res in d.targets:
            res.meta.setdefault("declared", declared)
    return out


def _inline(units: list, everything: list) -> list:
    comments, first_block = sup.unit_comments(units)
    found = [d for c in comments if "recreatable" in c.text for d in [sup.parse_declaration(c)] if d is not None]
    if not found:
        return []
    sup.attach(found, everything, first_block, sup.comment_runs(comments))
    out = []
    for d in found:
        if d.resource is not None:
            # every instance of the block (count, for_each, each call of its module) shares the block's header
            targets = [r for r in everything if r.file == d.resource.file and r.span == d.resource.span]
            on, on_type, root = d.resource.address, d.resource.type, d.resource.meta.get("root", "")
        elif d.module_call is not None:
            targets = [r for r in everything
                       if d.module_call[1] in (span for _address, span in r.meta.get("module_calls", ()))]
            on, on_type, root = d.module_call[0], "module", targets[0].meta.get("root", "") if targets else ""
        else:
            targets, on, on_type, root = [], "", "", _root_of(units, d.span.file)
        out.append(Declaration("inline", d.span, d.reason, on, on_type, root, d.problem, targets))
    return out


def _metadata(everything: list) -> list:
    by_block: dict = {}  # (file, span) -> Declaration: a template's scenario copies share one
    for res in everything:
        if res.format != "cloudformation" or "Metadata" not in res.attrs:
            continue
        d = sup.metadata_declaration(res)
        if d is None:
            continue
        key = (res.file, res.span)
        if key not in by_block:
            by_block[key] = Declaration("metadata", d.span, d.reason, res.address, res.type,
                                        res.meta.get("root", ""), d.problem)
        by_block[key].targets.append(res)
    return list(by_block.values())


def _configured(units: list, resources: list, entries) -> list:
    if not entries:
        return []
    scanned = {f for unit in units for f in unit.files}
    out = []
    for e in entries:
        targets = [r for r in resources if _names(e, r)]
        judged = not e.file or any(_in_file(f, e.file) for f in scanned)
        out.append(Declaration("config", e.span, e.reason, e.resource, "", e.span.file, "", targets, judged))
    return out


def _names(entry: ConfigEntry, res: Resource) -> bool:
    if entry.file and not _in_file(res.file, entry.file):
        return False
    return fnmatch(res.address, entry.resource) or (
        res.format == "terraform" and fnmatch(_INSTANCE_KEYS().sub("", res.address), entry.resource))


def _in_file(path: str, pattern: str) -> bool:
    return fnmatch(path, pattern) or path.startswith(pattern.rstrip("/") + "/")


@functools.lru_cache(maxsize=None)
def judged_types() -> frozenset:
    """The resource types whose data some rule judges (rules consulting rules/data_value.py, and the DR table);
    the catalogue is fixed, so it is worked out once."""
    from rlint.rules import all_rules
    from rlint.rules.data_value import judges_data
    from rlint.rules.dr.stores import STORE_TYPES

    return frozenset({t for r in all_rules() if judges_data(r) for t in r.resource_types} | set(STORE_TYPES))


def _root_of(units: list, file: str) -> str:
    return next((unit.name for unit in units if file in unit.files), file)


__all__ = ["ConfigEntry", "Declaration", "bind", "judged_types"]
