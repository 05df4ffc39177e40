"""Value provenance in CloudFormation: where a property's value is written (model.Origin, as in Terraform).

`MultiAZ: !Ref HaEnabled` takes its value from the parameter's `Default` (or from a deployment's parameter
value, which the template cannot change); `!FindInMap [Ha, !Ref Env, MultiAZ]` from the mapping entry the keys
select; `!If [Prod, true, false]` from the branch the condition chooses; a nested stack's parameter from the
`Parameters` its parent stack passes. The hops run from the property outwards, the last one is where the value
is set (`written`: a literal there can be changed in place). Computed on demand: only fixes ask.
"""
from __future__ import annotations

from typing import Optional

from ..model import Origin, Unknown

INTRINSIC_KEYS = ("Ref", "Condition")


def is_intrinsic(v) -> bool:
    if not (isinstance(v, dict) and len(v) == 1):
        return False
    (key, _arg), = v.items()
    return isinstance(key, str) and (key in INTRINSIC_KEYS or key.startswith("Fn::"))


def _scalar(v) -> bool:
    return isinstance(v, (str, int, float, bool))


class TemplateOrigins:
    """attribute path -> (Origin, ...) for one resource; None where the value is written in the resource itself
    (or not at all). `doc_path`: where the resource's body is in the document (None when generated: SAM)."""

    def __init__(self, evaluator, raw: dict, doc_path: Optional[tuple]):
        self.ev = evaluator
        self.raw = raw
        self.doc_path = doc_path
        self._cache: dict = {}

    def __bool__(self) -> bool:  # callers write `meta.get("origins") or {}`
        return True

    def get(self, path, default=None):
        if path is None:
            return default
        path = tuple(path)
        if path not in self._cache:
            self._cache[path] = self._find(path)
        found = self._cache[path]
        return default if found is None else found

    def _find(self, path: tuple) -> Optional[tuple]:
        node, where = self.raw, self.doc_path
        for i, key in enumerate(path):
            if is_intrinsic(node):
                return self._follow(node, where, path[i:])
            if isinstance(node, dict) and key in node:
                node = node[key]
            elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
                node = node[key]
            else:
                return None  # not written: the fix adds it in the resource
            where = where + (key,) if where is not None else None
        return self._follow(node, where, ()) if is_intrinsic(node) and node != {"Ref": "AWS::NoValue"} else None

    # -- following one intrinsic ---------------------------------------------------------------------
    def _span(self, where: Optional[tuple], fn: str, *rest):
        """The span of an intrinsic's argument: YAML's short form (`!If [...]`) has no key for the function."""
        if where is None:
            return None
        spans = self.ev.doc.spans
        return spans.get(where + (fn,) + rest) or spans.get(where + rest)

    def _follow(self, node, where: Optional[tuple], keys: tuple) -> tuple:
        (fn, arg), = node.items()
        if fn == "Ref" and isinstance(arg, str) and arg in self.ev.parameters:
            return self._parameter(arg, keys)
        if fn == "Fn::If" and isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str):
            return self._branch(arg, where, keys)
        if fn == "Fn::FindInMap" and isinstance(arg, list) and len(arg) >= 3:
            return self._mapping(arg, where, keys)
        return (Origin("computed", fn, self._span(where, fn) or self._whole(where), keys=keys),)

    def _whole(self, where):
        return self.ev.doc.spans.get(where) if where is not None else None

    def _parameter(self, name: str, keys: tuple) -> tuple:
        ev = self.ev
        spec = ev.parameters.get(name)
        spec = spec if isinstance(spec, dict) else {}
        given = ev.inputs.parameters
        if name in getattr(ev.inputs, "origins", {}):  # a parent stack passes it: its hops follow
            return ev.inputs.origins[name]
        if name in ev.inputs.unknown_parameters:
            return (Origin("computed", f"parameter {name}", ev.doc.spans.get(("Parameters", name)),
                           detail=ev.inputs.unknown_parameters[name], keys=keys),)
        if name in given:
            return (Origin("parameter value", name, None, keys=keys, detail="given for this deployment"),)
        if str(spec.get("Type", "")).startswith("AWS::SSM::Parameter::Value<"):
            return (Origin("computed", f"parameter {name}", ev.doc.spans.get(("Parameters", name)), keys=keys,
                           detail="read from SSM Parameter Store at deploy time"),)
        if "Default" not in spec:
            return (Origin("no value", f"Parameters.{name}", ev.doc.spans.get(("Parameters", name)), keys=keys),)
        return (Origin("parameter default", f"Parameters.{name}.Default",
                       ev.doc.spans.get(("Parameters", name, "Default")),
                       written=_scalar(spec["Default"]) and not keys, keys=keys),)

    def _branch(self, arg: list, where: Optional[tuple], keys: tuple) -> tuple:
        cond = self.ev.condition(arg[0])
        if not isinstance(cond, bool):
            reason = cond.reason if isinstance(cond, Unknown) else "unknown"
            return (Origin("computed", f"Fn::If {arg[0]}", self._span(where, "Fn::If", 0), keys=keys,
                           detail=reason),)
        i = 1 if cond else 2
        branch_where = (where + ("Fn::If", i) if where is not None and
                        where + ("Fn::If", i) in self.ev.doc.spans else
                        where + (i,) if where is not None else None)
        name = f"Fn::If {arg[0]} ({'true' if cond else 'false'} branch)"
        node = arg[i]
        for j, key in enumerate(keys):
            if is_intrinsic(node) and node != {"Ref": "AWS::NoValue"}:
                inner = self._follow(node, branch_where, keys[j:])
                return (Origin("condition branch", name, self._whole(branch_where)),) + inner
            if isinstance(node, dict) and key in node:
                node = node[key]
                branch_where = branch_where + (key,) if branch_where is not None else None
            else:  # the branch lacks the setting (or is AWS::NoValue): the fix writes it in the branch
                return (Origin("condition branch", name, self._whole(branch_where), written=True,
                               keys=keys[j:]),)
        if is_intrinsic(node) and node != {"Ref": "AWS::NoValue"}:
            inner = self._follow(node, branch_where, ())
            return (Origin("condition branch", name, self._whole(branch_where)),) + inner
        return (Origin("condition branch", name, self._whole(branch_where),
                       written=_scalar(node) or node == {"Ref": "AWS::NoValue"}),)

    def _mapping(self, arg: list, where: Optional[tuple], keys: tuple) -> tuple:
        from .cloudformation import _to_str

        names = [self.ev.value(a) for a in arg[:3]]
        if any(isinstance(n, Unknown) or _to_str(n) is None for n in names):
            return (Origin("computed", "Fn::FindInMap", self._span(where, "Fn::FindInMap", 0), keys=keys,
                           detail="its keys are known only at deploy time"),)
        names = [_to_str(n) for n in names]
        table = self.ev.mappings.get(names[0])
        entry = table.get(names[1]) if isinstance(table, dict) else None
        if not (isinstance(entry, dict) and names[2] in entry):
            return (Origin("computed", "Fn::FindInMap", self._span(where, "Fn::FindInMap", 0), keys=keys,
                           detail=f"Mappings.{'.'.join(names)} is not written"),)
        return (Origin("mapping entry", "Mappings." + ".".join(names),
                       self.ev.doc.spans.get(("Mappings", *names)),
                       written=_scalar(entry[names[2]]) and not keys, keys=keys),)
