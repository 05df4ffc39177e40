"""References a template makes to names it does not define, and dependency cycles. CloudFormation rejects
such a template (unresolved dependencies, circular dependencies), so each is an RL001 finding at the
reference, not a silent unknown value:
- `Ref` to an undefined parameter or resource, `Fn::GetAtt` and `DependsOn` to an undefined resource;
- a `Condition` (on a resource or output, in `Fn::If` or inside `Conditions`) that names no condition;
- resources that depend on each other in a cycle (through `Ref`, `Fn::GetAtt` and `DependsOn`), and
  conditions that refer to each other in a cycle.

Templates with a `Transform` are left alone: SAM and macros create resources (a function's role, an API's
stage) and loop identifiers (`Fn::ForEach`) that the file never spells.
"""
from __future__ import annotations

from ..model import ParseProblem

SECTIONS = ("Resources", "Outputs", "Conditions")
UNRESOLVED = "CloudFormation rejects the template (unresolved dependency)"


def undefined_references(doc, evaluator) -> list:
    template = evaluator.template
    if "Transform" in template:
        return []
    return _Checker(doc, evaluator).run()


class _Checker:
    def __init__(self, doc, evaluator):
        from .cloudformation import PSEUDO_PARAMETERS

        self.doc = doc
        self.template = evaluator.template
        self.parameters = set(evaluator.parameters)
        self.resources = set(evaluator.resources)
        self.conditions = set(evaluator.conditions)
        self.pseudo = PSEUDO_PARAMETERS
        self.problems: list = []
        self.edges: dict = {}  # ("Resources"|"Conditions", name) -> {names it depends on}

    def run(self) -> list:
        for section in SECTIONS:
            body = self.template.get(section)
            if isinstance(body, dict):
                for name, entry in body.items():
                    self._entry(section, name, entry)
        for section, what in (("Resources", "resources"), ("Conditions", "conditions")):
            self._cycles(section, what)
        return self.problems

    def _report(self, path: tuple, message: str) -> None:
        """At the deepest part of `path` that has a position (a short form `!Ref X` has none for `Ref`)."""
        for n in range(len(path), 0, -1):
            span = self.doc.spans.get(path[:n])
            if span is not None:
                self.problems.append(ParseProblem(span, message))
                return

    def _entry(self, section: str, name: str, entry) -> None:
        here = (section, name)
        depends = self.edges.setdefault(here, set())
        if isinstance(entry, dict) and section != "Conditions":
            condition = entry.get("Condition")
            if isinstance(condition, str) and condition not in self.conditions:
                self._report(here + ("Condition",), f"Condition names undefined condition {condition!r}: "
                                                    f"{UNRESOLVED}")
        if isinstance(entry, dict) and section == "Resources":
            targets = entry.get("DependsOn")
            for i, target in enumerate(targets if isinstance(targets, list) else [targets]):
                if not isinstance(target, str):
                    continue
                if target in self.resources:
                    depends.add(target)
                else:
                    path = here + ("DependsOn",) + ((i,) if isinstance(targets, list) else ())
                    self._report(path, f"DependsOn names undefined resource {target!r}: {UNRESOLVED}")
        for where, fn, target in _references(entry, here):
            self._reference(section, here, where, fn, target, depends)

    def _reference(self, section, here, path, fn, target, depends) -> None:
        if fn == "Condition" or fn == "Fn::If":
            if target in self.conditions:
                if section == "Conditions" and fn == "Condition":
                    depends.add(target)
                return
            self._report(_path(path) + (fn,), f"{fn} names undefined condition {target!r}: {UNRESOLVED}")
            return
        if target in self.resources:
            depends.add(target)
            return
        if fn == "Ref" and (target in self.parameters or target in self.pseudo or target == "AWS::NoValue"):
            return
        what = "parameter or resource" if fn == "Ref" else "resource"
        self._report(_path(path) + (fn,), f"{fn} to undefined {what} {target!r}: {UNRESOLVED}")

    def _cycles(self, section: str, what: str) -> None:
        graph = {name: {d for d in deps} for (sec, name), deps in self.edges.items() if sec == section}
        reported: set = set()
        for start in graph:
            cycle = _cycle_from(start, graph)
            if cycle and not reported & set(cycle):
                reported |= set(cycle)
                self._report((section, cycle[0]), f"circular dependency between {what} "
                                                  f"{' -> '.join(cycle + [cycle[0]])}: CloudFormation rejects the "
                                                  f"template")


def _cycle_from(start: str, graph: dict) -> list:
    """The names of a cycle through `start`, in order, or []."""
    stack = [(start, [start])]
    seen = set()
    while stack:
        node, trail = stack.pop()
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                return trail
            if nxt not in seen and nxt in graph:
                seen.add(nxt)
                stack.append((nxt, trail + [nxt]))
    return []


def _references(value, path: tuple):
    """(where the function's mapping is, function, name) for every Ref, Fn::GetAtt, Condition and Fn::If. `where`
    is a chain (parent, key) from `path` down, made a path by `_path` only for a reference that is reported:
    building every node's path tuple cost more than the check itself."""
    stack = [(value, path)]
    pop, push = stack.pop, stack.append
    while stack:
        v, p = pop()
        if isinstance(v, dict):
            if len(v) == 1:
                (fn, arg), = v.items()
                name = _named(fn, arg)
                if name is not None:
                    yield p, fn, name
                    if fn != "Fn::If":
                        continue
            for k, child in v.items():  # a scalar names nothing: only containers are walked
                if isinstance(child, (dict, list)):
                    push((child, (p, k)))
        elif isinstance(v, list):
            for i, child in enumerate(v):
                if isinstance(child, (dict, list)):
                    push((child, (p, i)))


def _path(where) -> tuple:
    """The document path of a `_references` chain: its root path, then the keys down to the node."""
    keys = []
    while isinstance(where, tuple) and len(where) == 2 and isinstance(where[0], tuple):
        where, key = where
        keys.append(key)
    return where + tuple(reversed(keys))


def _named(fn: str, arg):
    if fn in ("Ref", "Condition"):
        return arg if isinstance(arg, str) else None
    if fn == "Fn::GetAtt":
        if isinstance(arg, str):
            return arg.split(".", 1)[0]
        return arg[0] if isinstance(arg, list) and arg and isinstance(arg[0], str) else None
    if fn == "Fn::If":
        return arg[0] if isinstance(arg, list) and arg and isinstance(arg[0], str) else None
    return None
