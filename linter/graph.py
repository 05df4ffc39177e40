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

    def resolve(self, source: Resource, target: str) -> list:
        """The resources a reference from `source` names: one instance, or every instance of a block."""
        unit = source.meta.get("unit", "")
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
