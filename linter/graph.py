"""The resource graph: every resource of every unit, and the references between them.

References resolve inside their own unit (a Terraform module directory or a CloudFormation template);
`by_type` spans all units, so a tag-based AWS Backup selection in one stack can cover a table in another.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable, Iterator, Optional

from .model import Resource

_INSTANCE_SUFFIX = re.compile(r"\[[^\[\]]*\]$")


def _strip_instance(address: str) -> str:
    return _INSTANCE_SUFFIX.sub("", address)


class ResourceGraph:
    def __init__(self, resources: Iterable[Resource] = ()):
        self.resources: list = []
        self._by_type: dict = defaultdict(list)
        self._by_address: dict = {}  # (unit, address) -> Resource
        self._by_block: dict = defaultdict(list)  # (unit, block address) -> [Resource]
        self._referrers: dict = defaultdict(list)  # id(target) -> [(source, attr path, target attr)]
        self._by_unit_type: dict = defaultdict(list)  # (unit, type) -> [Resource]
        self._by_unit: dict = defaultdict(list)  # unit -> [Resource]
        self._memo: dict = {}
        for r in resources:
            self.add(r)
        self._link()

    def add(self, res: Resource) -> None:
        unit = res.meta.get("unit", "")
        self.resources.append(res)
        self._by_type[res.type].append(res)
        self._by_address[(unit, res.address)] = res
        self._by_block[(unit, res.block_address or res.address)].append(res)
        self._by_unit_type[(unit, res.type)].append(res)
        self._by_unit[unit].append(res)

    def _link(self) -> None:
        for res in self.resources:
            for path, target, attr in res.refs:
                for t in self.resolve(res, target):
                    if t is not res:
                        self._referrers[id(t)].append((res, path, attr))

    # -- queries ------------------------------------------------------------------------------------
    def by_type(self, *types: str) -> list:
        if len(types) == 1:
            return list(self._by_type.get(types[0], ()))
        out = []
        for t in types:
            out.extend(self._by_type.get(t, ()))
        return out

    def in_unit_of_type(self, res: Resource, *types: str) -> list:
        """`by_type` restricted to the unit of `res` (same order), from an index instead of a scan."""
        unit = res.meta.get("unit", "")
        out: list = []
        for t in types:
            out.extend(self._by_unit_type.get((unit, t), ()))
        return out

    def memo(self, key, build):
        """`build()` once per graph: rules share what they derive from the whole graph (selections,
        indexes) instead of re-deriving it for every resource they check. `build` must not depend on
        rule options."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def forget(self) -> None:
        """Drop what the rules derived from the graph, once it is not read again: what they keep often holds its
        context, and so the graph, in a cycle that only a full collection would free."""
        self._memo.clear()

    def resolve(self, source: Resource, target: str) -> list:
        """The resources a reference from `source` names: one instance, or every instance of a block."""
        unit = source.meta.get("unit", "")
        if source.meta.get("nested_stack") and "." not in target:
            # a nested stack's values name its own logical ids (`Db`); the scan addresses them `Stack.Db`
            local = source.address.rsplit(".", 1)[-1]
            nested = self._by_address.get((unit, source.address[:len(source.address) - len(local)] + target))
            if nested is not None:
                return [nested]
        exact = self._by_address.get((unit, target))
        if exact is not None:
            return [exact]
        block = self._by_block.get((unit, target))
        if block:
            return list(block)
        stripped = _strip_instance(target)
        if stripped != target:
            return list(self._by_block.get((unit, stripped), ()))
        return []

    def targets(self, res: Resource, attr: Optional[tuple] = None, type: Optional[str] = None) -> list:
        """Resources referenced from `res` (under the attribute path prefix `attr` when given)."""
        out = []
        seen = set()
        for path, target, _tattr in res.refs:
            if attr is not None and tuple(path[:len(attr)]) != tuple(attr):
                continue
            for t in self.resolve(res, target):
                if (type is None or t.type == type) and id(t) not in seen:
                    seen.add(id(t))
                    out.append(t)
        return out

    def looked_up(self, res: Resource, attr: Optional[tuple] = None) -> list:
        """Resources that the Terraform data sources `res` reads (under `attr`) name in their arguments: what a
        looked-up value belongs to (meta `data_reads`, recorded by the evaluator)."""
        reads = res.meta.get("data_reads")
        if not reads:
            return []
        out, seen = [], set()
        for path, target, _tattr in res.refs:
            if target not in reads or (attr is not None and tuple(path[:len(attr)]) != tuple(attr)):
                continue
            for address in reads[target]:
                for t in self.resolve(res, address):
                    if id(t) not in seen:
                        seen.add(id(t))
                        out.append(t)
        return out

    def referrers(self, res: Resource, type: Optional[str] = None, attr: Optional[tuple] = None) -> list:
        """Resources whose configuration references `res` (optionally of a type, from an attribute path)."""
        out = []
        seen = set()
        for source, path, _tattr in self._referrers.get(id(res), ()):
            if type is not None and source.type != type:
                continue
            if attr is not None and tuple(path[:len(attr)]) != tuple(attr):
                continue
            if id(source) not in seen:
                seen.add(id(source))
                out.append(source)
        return out

    def references(self, source: Resource, target: Resource, attr: Optional[tuple] = None) -> bool:
        return any(t is target for t in self.targets(source, attr))

    def in_unit(self, res: Resource) -> Iterator[Resource]:
        return iter(self._by_unit.get(res.meta.get("unit", ""), ()))

    def __len__(self) -> int:
        return len(self.resources)


class ScenarioGraph(ResourceGraph):
    """One deployment scenario of a template (linter/evaluate/scenarios.py), as a thin layer over the scan's graph:
    the template's resources that the scenario re-evaluated (`swapped`: logical id -> Resource, or None where
    the resource does not exist in it) replace their default versions; everything else is read from `base`.

    `scenario` lists the assignments ({parameter: value}) that give this shape; `alternatives` holds the graphs of
    the group's other shapes, for rules that pair resources across the deployments of one template (RL204).
    """

    def __init__(self, base: ResourceGraph, unit, swapped: dict, scenario: list):
        self.base = base
        self.unit = unit
        self.scenario = scenario
        self.alternatives: tuple = ()
        self._swapped = set(swapped)
        self._present = [r for r in swapped.values() if r is not None]
        super().__init__(self._present)

    def label(self) -> str:
        """The parameter values common to this shape's assignments, e.g. "Role is 'SECONDARY'"."""
        from .evaluate.scenarios import show_value

        first = self.scenario[0] if self.scenario else {}
        fixed = [(p, v) for p, v in sorted(first.items()) if all(a.get(p) == v for a in self.scenario)]
        return " and ".join(f"{p} is {show_value(v)}" for p, v in fixed) or "another set of parameter values"

    def _mine(self, res: Resource) -> bool:
        return res.meta.get("unit", "") == self.unit

    def _kept(self, res: Resource) -> bool:
        """A resource of the base graph that this scenario did not re-evaluate."""
        return not (res.address in self._swapped and self._mine(res))

    def _base_version(self, res: Resource) -> Optional[Resource]:
        return self.base._by_address.get((self.unit, res.address))

    def by_type(self, *types: str) -> list:
        return [r for r in self.base.by_type(*types) if self._kept(r)] + super().by_type(*types)

    def in_unit_of_type(self, res: Resource, *types: str) -> list:
        if not self._mine(res):
            return self.base.in_unit_of_type(res, *types)
        return [r for r in self.base.in_unit_of_type(res, *types) if self._kept(r)] + \
            super().in_unit_of_type(res, *types)

    def resolve(self, source: Resource, target: str) -> list:
        if not self._mine(source):
            return self.base.resolve(source, target)
        if target in self._swapped:
            return super().resolve(source, target)
        return self.base.resolve(source, target)

    def referrers(self, res: Resource, type: Optional[str] = None, attr: Optional[tuple] = None) -> list:
        if not self._mine(res):
            return self.base.referrers(res, type, attr)
        original = self._base_version(res) if res.address in self._swapped else res
        out = [r for r in self.base.referrers(original, type, attr) if self._kept(r)] if original is not None \
            else []
        seen = {id(r) for r in out}
        return out + [r for r in super().referrers(res, type, attr) if id(r) not in seen]

    def in_unit(self, res: Resource) -> Iterator[Resource]:
        if not self._mine(res):
            return self.base.in_unit(res)
        return iter([r for r in self.base.in_unit(res) if self._kept(r)] + self._present)
