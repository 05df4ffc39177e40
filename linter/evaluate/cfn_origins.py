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


def _to_str(v) -> Optional[str]:
    """A map key as CloudFormation reads it (Fn::FindInMap keys are strings)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v) if isinstance(v, (int, float, str)) else None


def _scalar(v) -> bool:
    return isinstance(v, (str, int, float, bool))


class WrittenTemplate:
    """A template's parsed value as written, for the fix writer of the process that parsed it: a value changed in
    a mapping entry is checked against the whole template, which would otherwise be read again. Pickled empty
    (a worker's resources reach the scan's parent without it; the fix writer then reads the file)."""

    __slots__ = ("path", "value")

    def __init__(self, path: str, value):
        self.path = path
        self.value = value

    def __reduce__(self):
        return WrittenTemplate, (self.path, None)


class TemplateOrigins:
    """attribute path -> (Origin, ...) for one resource; None where the value is written in the resource itself
    (or not at all). `doc_path`: where the resource's body is in the document (None when generated: SAM).

    `get` gives the chain of the deployment with the template's defaults (value provenance in reports);
    `every` gives one chain per place a deployment may take the value from: both branches of an `Fn::If` whose
    condition depends on the deployment, the mapping entries of every key a parameter allows. A fix that
    must hold in every deployment changes each of them."""

    def __init__(self, evaluator, raw: dict, doc_path: Optional[tuple], spans: dict):
        self.ev = evaluator  # TemplateEvaluator.origins_source(): no document, no resource bodies
        self.raw = raw
        self.doc_path = doc_path
        self.spans = spans  # the resource's own positions, relative to doc_path (its attr_spans)
        self._cache: dict = {}

    def __bool__(self) -> bool:  # callers write `meta.get("origins") or {}`
        return True

    def written(self, file: str):
        """The parsed value of `file` when it is this resource's template and it is at hand, else None."""
        written = getattr(self.ev, "written", None)
        return written.value if written is not None and written.path == file else None

    def get(self, path, default=None):
        found = self.every(path)
        return found[0] if found else default

    def every(self, path) -> list:
        if path is None:
            return []
        path = tuple(path)
        if path not in self._cache:
            self._cache[path] = self._find(path)
        return self._cache[path]

    def _find(self, path: tuple) -> list:
        node, where = self.raw, self.doc_path
        for i, key in enumerate(path):
            if is_intrinsic(node):
                return self._follow(node, where, path[i:])
            if isinstance(node, dict) and key in node:
                node = node[key]
            elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
                node = node[key]
            else:
                return []  # not written: the fix adds it in the resource
            where = where + (key,) if where is not None else None
        return self._follow(node, where, ()) if is_intrinsic(node) and node != NO_VALUE else []

    # -- following one intrinsic ---------------------------------------------------------------------
    def _span(self, where: Optional[tuple], fn: str, *rest):
        """The span of an intrinsic's argument: YAML's short form (`!If [...]`) has no key for the function."""
        if where is None:
            return None
        return self._whole(where + (fn,) + rest) or self._whole(where + rest)

    def _arg_path(self, where: Optional[tuple], fn: str, *rest) -> Optional[tuple]:
        if where is None:
            return None
        return where + (fn,) + rest if self._whole(where + (fn,) + rest) is not None else where + rest

    def _whole(self, where):
        """The span at a document path under the resource (`where` only ever extends doc_path)."""
        return self.spans.get(where[len(self.doc_path):]) if where is not None else None

    def _follow(self, node, where: Optional[tuple], keys: tuple) -> list:
        (fn, arg), = node.items()
        if fn == "Ref" and isinstance(arg, str) and arg in self.ev.parameters:
            return [self._parameter(arg, keys)]
        if fn == "Fn::If" and isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str):
            return self._branches(arg, where, keys)
        if fn == "Fn::FindInMap" and isinstance(arg, list) and len(arg) >= 3:
            return self._mapping(arg, where, keys)
        return [(Origin("computed", fn, self._span(where, fn) or self._whole(where), keys=keys),)]

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

    def _branches(self, arg: list, where: Optional[tuple], keys: tuple) -> list:
        """The chosen branch first; the other one too when the condition depends on the deployment."""
        cond = self.ev.condition(arg[0])
        if not isinstance(cond, bool):
            chosen = [1, 2]
        else:
            chosen = [1 if cond else 2] + ([2 if cond else 1] if self._varies(arg[0]) else [])
        out = []
        for i in chosen:
            label = f"Fn::If {arg[0]} ({'true' if i == 1 else 'false'} branch)"
            out.extend(self._branch(arg[i], self._arg_path(where, "Fn::If", i), label, keys))
        return out

    def _branch(self, node, where: Optional[tuple], label: str, keys: tuple) -> list:
        for j, key in enumerate(keys):
            if is_intrinsic(node) and node != NO_VALUE:
                return [(Origin("condition branch", label, self._whole(where)),) + chain
                        for chain in self._follow(node, where, keys[j:])]
            if isinstance(node, dict) and key in node:
                node = node[key]
                where = where + (key,) if where is not None else None
            else:  # the branch lacks the setting (or is AWS::NoValue): the fix writes it in the branch
                return [(Origin("condition branch", label, self._whole(where), written=True, keys=keys[j:]),)]
        if is_intrinsic(node) and node != NO_VALUE:
            return [(Origin("condition branch", label, self._whole(where)),) + chain
                    for chain in self._follow(node, where, ())]
        return [(Origin("condition branch", label, self._whole(where), written=_scalar(node) or node == NO_VALUE),)]

    def _varies(self, condition: str, seen: frozenset = frozenset()) -> bool:
        """Whether a condition reads a parameter or a pseudo parameter that this deployment does not give,
        itself or through the conditions it names however deep (else every deployment this scan judged takes one
        branch); a cycle (CloudFormation rejects one) ends the walk. A parameter given for the deployment
        (`--parameter`, a parameters file, a parent stack, Terraform's `parameters`) pins its branch: the other
        one is another deployment's, which this scan did not judge, and a fix must not change it (`!If [Prod,
        14, 1]` given a non-production value would have had production's 14 days set to the 7 the rule asks)."""
        seen = seen | {condition}
        stack = [self.ev.conditions.get(condition)]
        given = self._pinned()
        while stack:
            v = stack.pop()
            if isinstance(v, dict):
                if isinstance(v.get("Ref"), str) and v["Ref"] not in given:
                    return True
                named = v.get("Condition")
                if isinstance(named, str) and named not in seen and self._varies(named, seen):
                    return True
                stack.extend(v.values())
            elif isinstance(v, list):
                stack.extend(v)
        return False

    def _pinned(self):
        """The parameters the deployment gives (not those a scenario sets to judge every deployment)."""
        inputs = self.ev.inputs
        return inputs.parameters.keys() - inputs.scenario if inputs.scenario else inputs.parameters

    def _mapping(self, arg: list, where: Optional[tuple], keys: tuple) -> list:
        """The entry the keys select; with a key a parameter chooses among its AllowedValues, every entry."""
        options = [self._key_options(a) for a in arg[1:3]]
        table_name = _to_str(self.ev.value(arg[0]))
        if table_name is None or any(o is None for o in options):
            return [(Origin("computed", "Fn::FindInMap", self._span(where, "Fn::FindInMap", 0), keys=keys,
                            detail="its keys are known only at deploy time"),)]
        table = self.ev.mappings.get(table_name)
        out = []
        for top in options[0]:
            for second in options[1]:
                entry = table.get(top) if isinstance(table, dict) else None
                names = (table_name, top, second)
                if not (isinstance(entry, dict) and second in entry):
                    out.append((Origin("computed", "Fn::FindInMap", self._span(where, "Fn::FindInMap", 0), keys=keys,
                                       detail=f"Mappings.{'.'.join(names)} is not written"),))
                    continue
                out.append((Origin("mapping entry", "Mappings." + ".".join(names),
                                   self.ev.doc.spans.get(("Mappings", *names)),
                                   written=_scalar(entry[second]) and not keys, keys=keys),))
        return out

    def _key_options(self, arg) -> Optional[list]:
        """The values a FindInMap key takes: the evaluated one first, then any other a parameter allows."""
        value = _to_str(self.ev.value(arg)) if not isinstance(self.ev.value(arg), Unknown) else None
        if value is None:
            return None
        if isinstance(arg, dict) and isinstance(arg.get("Ref"), str) and arg["Ref"] not in self._pinned():
            choices = self.ev.parameter_choices.get(arg["Ref"]) or []  # given for the deployment: its entry only
            return [value] + [c for c in (_to_str(x) for x in choices) if c is not None and c != value]
        return [value]


NO_VALUE = {"Ref": "AWS::NoValue"}
