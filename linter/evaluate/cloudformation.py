"""Evaluate a CloudFormation template into graph resources.

Resolves what CloudFormation resolves at deploy time from the template and its parameters: `Ref` to
parameters (given value, else Default, else Unknown), `Conditions` and `Fn::If`, `Fn::Sub`, `Fn::Join`,
`Fn::Select`, `Fn::Split`, `Fn::FindInMap`, `Fn::GetAZs`. `Ref`/`Fn::GetAtt` to resources are graph edges with
unknown values; pseudo-parameters are unknown unless given. `AWS::NoValue` removes the property.
"""
from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from typing import Any, Optional

from ..inputs import CfnInputs  # noqa: F401  (re-exported: callers import it from here)
from ..model import AzChoice, AzList, AzToken, PartialString, Resource, Span, Unknown, collect_refs, first_unknown, parameter_refs
from ..parsers.cloudformation import CfnDocument
from .attr_paths import shared_path as _attr_path
from .cfn_origins import TemplateOrigins, WrittenTemplate

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"  # the transform rlint expands itself (.sam, imported only then)
PSEUDO_PARAMETERS = {"AWS::AccountId", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix",
                     "AWS::Partition", "AWS::NotificationARNs"}


FOREACH_DEPTH = 9  # Fn::ForEach loops inside loops that rlint expands (docs/cloudformation.md)


class OtherValue(Unknown):
    """In one deployment scenario (linter/evaluate/scenarios.py): a parameter's value that is none of the literals
    the template compares it with. Unknown as a value, but `Fn::Equals` with any of those literals is false."""

    def __init__(self, parameter: str):
        super().__init__(f"parameter {parameter} takes a value the template's conditions do not name")
        self.parameter = parameter


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE = _NoValue()


class ParametersFileError(ValueError):
    pass


def read_parameters_file(path) -> dict:
    """The two shapes people keep parameters in: the AWS CLI's [{"ParameterKey", "ParameterValue"}] list
    (also as {"Parameters": [...]}) and a plain {"Name": "value"} map. Values become strings, lists are
    joined with commas as the CLI expects for List<> parameters."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        raise ParametersFileError(f"cannot read parameters file {path}: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("Parameters"), list):
        data = data["Parameters"]
    out = {}
    if isinstance(data, list):
        for i, item in enumerate(data):
            if not isinstance(item, dict) or "ParameterKey" not in item:
                raise ParametersFileError(f"{path}: entry {i} has no ParameterKey")
            if item.get("UsePreviousValue") and "ParameterValue" not in item:
                continue  # the deployed stack's value: not knowable from here
            out[str(item["ParameterKey"])] = _param_text(item.get("ParameterValue", ""))
    elif isinstance(data, dict):
        out = {str(k): _param_text(v) for k, v in data.items()}
    else:
        raise ParametersFileError(f"{path}: expected a list of ParameterKey/ParameterValue or a map")
    return out


def _param_text(v) -> str:
    if isinstance(v, list):
        return ",".join(_to_str(x) or "" for x in v)
    return _to_str(v) if _to_str(v) is not None else json.dumps(v)


def _to_str(v) -> Optional[str]:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float, str)):
        return str(v)
    return None


def _number(raw):
    f = float(raw)
    return int(f) if f.is_integer() else f


def _safe_number(raw):
    try:
        return _number(raw)
    except (TypeError, ValueError):
        return None


def _subst_key(key: str, ident: str, value: str) -> str:
    # &{x} is the value with its non-alphanumeric characters removed (logical ids must be alphanumeric)
    return key.replace("${" + ident + "}", value).replace("&{" + ident + "}", "".join(c for c in value if c.isalnum()))


def _subst_body(v, ident: str, value: str, in_sub: bool = False):
    """The loop body with `Ref: Identifier` and `${Identifier}` in Fn::Sub replaced by the item."""
    if isinstance(v, dict):
        if len(v) == 1 and v.get("Ref") == ident:
            return value
        return {(_subst_key(k, ident, value) if isinstance(k, str) else k):
                _subst_body(x, ident, value, in_sub or k == "Fn::Sub") for k, x in v.items()}
    if isinstance(v, list):
        return [_subst_body(x, ident, value, in_sub) for x in v]
    if isinstance(v, str) and in_sub:
        return _subst_key(v, ident, value)
    return v


class TemplateEvaluator:
    def __init__(self, doc: CfnDocument, inputs: Optional[CfnInputs] = None):
        self.doc = doc
        self.template = doc.value if isinstance(doc.value, dict) else {}
        self.inputs = inputs or CfnInputs()
        resources = self.template.get("Resources")
        self.resources = resources if isinstance(resources, dict) else {}
        params = self.template.get("Parameters")
        self.parameters = params if isinstance(params, dict) else {}
        conditions = self.template.get("Conditions")
        self.conditions = conditions if isinstance(conditions, dict) else {}
        mappings = self.template.get("Mappings")
        self.mappings = mappings if isinstance(mappings, dict) else {}
        self.input_errors: list = []  # user-given parameter values the template refuses (usage errors)
        self.param_values = {name: self._checked_parameter(name, spec) for name, spec in self.parameters.items()}
        self.parameter_choices = {name: self._choices(name, spec) for name, spec in self.parameters.items()}
        self.parameter_uses = ParameterUses(self.template, set(self.parameters))
        self._condition_cache: dict = {}
        self._condition_stack: set = set()
        self._refs: Optional[set] = None
        # logical id -> the document path its body was read from (differs for Fn::ForEach output)
        self.resource_paths: dict = {}
        self.notes: list = []  # (path tuple, text) about what was not analysed
        self._span_index: Optional[dict] = None
        self._spans_cache: dict = {}
        self._for_origins: Optional[TemplateEvaluator] = None  # origins_source(), built on first use
        self._origin_parts: Optional[tuple] = None  # what every copy for origins shares (variants too)
        self._exported: Optional[set] = None  # the logical ids Outputs read: parameters do not change them
        self._transforms = _transforms(self.template.get("Transform"))
        self.resources = self._expand_foreach(self.resources, {k: ("Resources", k) for k in self.resources})
        # logical id -> (SAM logical id, path of the settings it came from, {generated path: source path})
        self.sam_sources: dict = {}
        if SAM_TRANSFORM in self.transforms():
            self._expand_sam()

    # -- Fn::ForEach (AWS::LanguageExtensions) ------------------------------------------------------
    def _expand_foreach(self, mapping: dict, paths: dict, depth: int = 0) -> dict:
        """Replace each `Fn::ForEach::Name: [Identifier, Collection, {OutputKey: Body}]` entry with the
        entries it generates, when the collection is known; record a note when it is not. `paths` gives
        each key's document path, so generated resources point at their template in the loop."""
        out: dict = {}
        for key, body in mapping.items():
            here = paths[key]
            if not (isinstance(key, str) and key.startswith("Fn::ForEach::")):
                out[key] = body
                self.resource_paths.setdefault(key, here)
                continue
            if depth >= FOREACH_DEPTH:  # a bound on rlint's recursion, far above what templates nest
                self.notes.append((here, f"{key} is nested more than {FOREACH_DEPTH} Fn::ForEach deep, where rlint "
                                         "stops reading; its resources are not analysed"))
                continue
            if not (isinstance(body, list) and len(body) == 3 and isinstance(body[0], str)
                    and isinstance(body[2], dict)):
                self.notes.append((here, f"{key} is malformed; its resources are not analysed"))
                continue
            ident, collection, templates = body
            items = self.value(collection)
            if isinstance(items, Unknown) or not isinstance(items, list) or \
                    any(_to_str(i) is None for i in items):
                reason = items.reason if isinstance(items, Unknown) else "not a list of strings"
                self.notes.append((here, f"{key}: collection is unknown ({reason}); its resources are not analysed"))
                continue
            # an inner loop's keys were rewritten by the outer loop: positions use the keys as written
            written = self._doc_at(here + (2,))
            written_keys = list(written) if isinstance(written, dict) and len(written) == len(templates) \
                else list(templates)
            for item in items:
                text = _to_str(item)
                generated = {}
                sources = {}
                for (out_key, tmpl), doc_key in zip(templates.items(), written_keys):
                    new_key = _subst_key(out_key, ident, text) if isinstance(out_key, str) else out_key
                    generated[new_key] = _subst_body(tmpl, ident, text)
                    sources[new_key] = here + (2, doc_key)
                out.update(self._expand_foreach(generated, sources, depth + 1))
        return out

    def _expand_sam(self) -> None:
        from .sam import Generated as SamGenerated, expand as sam_expand  # only a SAM template needs it

        expanded = sam_expand({k: v for k, v in self.resources.items()}, self.template)
        resources = {}
        for lid, v in expanded.items():
            if isinstance(v, SamGenerated):
                resources[lid] = v.body
                source_path = self.resource_paths.get(v.source, ("Resources", v.source))
                self.resource_paths[lid] = source_path
                self.sam_sources[lid] = (v.source, source_path, v.base_path, v.prefix, v.renames)
            else:
                resources[lid] = v
        self.resources = resources

    def _doc_at(self, path: tuple):
        node = self.doc.value
        for p in path:
            try:
                node = node[p]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    def _span_group(self, path: tuple) -> list:
        """The spans under path[:2] (one resource entry), indexed once: a template with thousands of
        resources would otherwise scan every span for every resource."""
        if self._span_index is None:
            self._span_index = {}
            for k, s in self.doc.spans.items():
                if len(k) > 2:
                    self._span_index.setdefault(k[:2], []).append((k, s))
        return self._span_index.get(path[:2], [])

    def _spans(self, logical_id: str, path: tuple) -> dict:
        """attr path -> span for one resource (read once: scenario variants of the evaluator share the cache)."""
        found = self._spans_cache.get(logical_id)
        if found is None:
            found = self._spans_cache[logical_id] = self._read_spans(logical_id, path)
        return found

    def _read_spans(self, logical_id: str, path: tuple) -> dict:
        """attr path -> span for one resource: read under its document path, or for a SAM-generated
        resource under the SAM settings it came from (with renamed settings mapped back)."""
        if logical_id not in self.sam_sources:
            n = len(path)
            group = self._span_group(path)
            if n == 2:  # ("Resources", id): its group is exactly the spans under it
                return {_attr_path(k[2:]): s for k, s in group}
            return {_attr_path(k[n:]): s for k, s in group if k[:n] == path and len(k) > n}
        _src, sam_path, base_path, prefix, renames = self.sam_sources[logical_id]
        base = sam_path + base_path
        n = len(base)
        spans = {prefix + k[n:]: s for k, s in self._span_group(base) if k[:n] == base and len(k) > n}
        for attr in ("DeletionPolicy", "UpdateReplacePolicy", "Condition", "DependsOn"):  # copied from SAM's
            if sam_path + (attr,) in self.doc.spans:
                spans[(attr,)] = self.doc.spans[sam_path + (attr,)]
        for gen_path, src_rel in renames.items():
            s = self.doc.spans.get(base + tuple(src_rel))
            if s is not None:
                spans[gen_path] = s
        return spans

    # -- parameters and conditions ------------------------------------------------------------------
    def _checked_parameter(self, name: str, spec: Any) -> Any:
        """A parameter's value; one given by the user that the template refuses is an input error."""
        value = self._parameter(name, spec)
        if self.inputs.from_user and name in self.inputs.parameters and isinstance(value, Unknown):
            self.input_errors.append(f"the value given for parameter {name} cannot be used: {value.reason}")
        return value

    def _parameter(self, name: str, spec: Any) -> Any:
        spec = spec if isinstance(spec, dict) else {}
        ptype = str(spec.get("Type", "String")).strip()
        if name in self.inputs.unknown_parameters:
            return Unknown(f"parameter {name}: {self.inputs.unknown_parameters[name]}")
        if name in self.inputs.parameters:
            raw = self.inputs.parameters[name]
        elif ptype.startswith("AWS::SSM::Parameter::Value<"):
            # the Default names a Parameter Store key; its value is read at deploy time
            return Unknown(f"parameter {name} is read from SSM Parameter Store at deploy time")
        elif "Default" in spec:
            raw = spec["Default"]
        else:
            choice = self._az_choice(name, ptype)
            return choice if choice is not None else Unknown(f"parameter {name} has no default and no value was given")
        if ptype.startswith("AWS::SSM::Parameter::Value<"):
            ptype = ptype[len("AWS::SSM::Parameter::Value<"):-1]
        allowed = spec.get("AllowedValues")
        allowed_text = [_to_str(a) for a in allowed] if isinstance(allowed, list) else None
        if ptype.startswith("List<") or ptype == "CommaDelimitedList":
            if name not in self.inputs.parameters and isinstance(raw, str) and raw.strip() == "":
                # an empty default is a placeholder for the list a parent stack or a deployment passes
                choice = self._az_choice(name, ptype)
                return choice if choice is not None else Unknown(
                    f"parameter {name} defaults to an empty list, a placeholder for the value its deployment passes")
            if isinstance(raw, list):
                items = [_to_str(x) or "" for x in raw]
            else:
                items = [s.strip() for s in str(raw).split(",")] if str(raw) != "" else []
            bad = [i for i in items if allowed_text is not None and i not in allowed_text]
            if bad:
                return Unknown(f"parameter {name} item {bad[0]!r} is not one of its AllowedValues")
            if ptype == "List<Number>":
                try:
                    return [_number(i) for i in items]
                except ValueError:
                    return Unknown(f"parameter {name} value {raw!r} is not a list of numbers")
            return items
        if ptype == "Number":
            try:
                number = _number(raw)
            except (TypeError, ValueError):
                return Unknown(f"parameter {name} value {raw!r} is not a number")
            if allowed_text is not None and _to_str(number) not in allowed_text and \
                    number not in [_safe_number(a) for a in allowed]:
                return Unknown(f"parameter {name} value {raw!r} is not one of its AllowedValues")
            return number
        value = _to_str(raw) if not isinstance(raw, (list, dict)) else raw
        if allowed_text is not None and value is not None and value not in allowed_text:
            return Unknown(f"parameter {name} value {value!r} is not one of its AllowedValues")
        return value

    def _choices(self, name: str, spec: Any) -> Optional[list]:
        """Every value a deployment may give a scalar parameter: the given value, else its AllowedValues;
        None when any value is allowed (the Default is only one of them)."""
        value = self.param_values[name]
        if name in self.inputs.parameters and not isinstance(value, Unknown):
            return [value]
        allowed = spec.get("AllowedValues") if isinstance(spec, dict) else None
        if not isinstance(allowed, list) or not allowed or isinstance(value, list):
            return None
        number = str(spec.get("Type", "String")).strip() == "Number"
        choices = [_safe_number(a) if number else _to_str(a) for a in allowed]
        return None if any(c is None for c in choices) else choices

    @staticmethod
    def _az_choice(name: str, ptype: str) -> Optional[AzChoice]:
        """A zone-list parameter without a value: its positions are still distinct zones (model.AzChoice)."""
        if ptype != "List<AWS::EC2::AvailabilityZone::Name>":
            return None
        return AzChoice(f"Parameter:{name}", reason=f"parameter {name} lists the Availability Zones its deployment "
                                                    f"chooses")

    def condition(self, name: str) -> Any:
        """True, False or Unknown."""
        if name in self._condition_cache:
            return self._condition_cache[name]
        if name in self._condition_stack or name not in self.conditions:
            return Unknown(f"condition {name} is undefined or circular")
        self._condition_stack.add(name)
        try:
            value = self.condition_value(self.conditions[name])
        finally:
            self._condition_stack.discard(name)
        self._condition_cache[name] = value
        return value

    def condition_value(self, expr: Any) -> Any:
        if isinstance(expr, bool):
            return expr
        if isinstance(expr, dict) and len(expr) == 1:
            (fn, arg), = expr.items()
            if fn == "Condition" and isinstance(arg, str):
                return self.condition(arg)
            if fn == "Fn::Equals" and isinstance(arg, list) and len(arg) == 2:
                a, b = self.value(arg[0]), self.value(arg[1])
                for mine, theirs in ((a, b), (b, a)):
                    # a scenario's "any other value" differs from every literal the template compares it with
                    if isinstance(mine, OtherValue) and first_unknown([theirs]) is None:
                        return False
                if first_unknown([a, b]) is not None:
                    u = first_unknown([a, b])
                    return Unknown(f"Fn::Equals depends on {u.reason}", collect_refs([a, b]))
                return _to_str(a) == _to_str(b) if _to_str(a) is not None and _to_str(b) is not None else a == b
            if fn in ("Fn::And", "Fn::Or") and isinstance(arg, list):
                values = [self.condition_value(x) for x in arg]
                decided = [v for v in values if isinstance(v, bool)]
                if fn == "Fn::And" and False in decided:
                    return False
                if fn == "Fn::Or" and True in decided:
                    return True
                unknown = next((v for v in values if isinstance(v, Unknown)), None)
                if unknown is not None:
                    return unknown
                return all(values) if fn == "Fn::And" else any(values)
            if fn == "Fn::Not" and isinstance(arg, list) and len(arg) == 1:
                v = self.condition_value(arg[0])
                return v if isinstance(v, Unknown) else not v
        return Unknown("unsupported condition expression")

    # -- values -------------------------------------------------------------------------------------
    def value(self, v: Any) -> Any:
        """Evaluate a template value; AWS::NoValue entries are dropped from maps and lists."""
        if isinstance(v, dict):
            if len(v) == 1:
                (key, arg), = v.items()
                if key == "Ref" or key.startswith("Fn::"):
                    return self._intrinsic(key, arg)
            out = {}
            for k, item in v.items():
                ev = self.value(item)
                if ev is not NO_VALUE:
                    out[k] = ev
            return out
        if isinstance(v, list):
            return [x for x in (self.value(i) for i in v) if x is not NO_VALUE]
        return v

    def _edge(self, target: str, attr: Optional[str]) -> frozenset:
        ref = (target, attr)
        if self._refs is not None:
            self._refs.add(ref)
        return frozenset({ref})

    def _intrinsic(self, fn: str, arg: Any) -> Any:
        handler = _INTRINSICS.get(fn)
        if handler is None:
            inner = self.value(arg)
            return Unknown(f"{fn} is not evaluated", collect_refs(inner))
        try:
            return handler(self, arg)
        except (TypeError, ValueError, IndexError, KeyError, AttributeError) as exc:
            return Unknown(f"{fn}: malformed arguments ({exc.__class__.__name__})")

    def _ref(self, arg):
        if not isinstance(arg, str):
            return Unknown("Ref to a non-string")
        if arg == "AWS::NoValue":
            return NO_VALUE
        if arg in self.inputs.parameters and arg in PSEUDO_PARAMETERS:
            return self.inputs.parameters[arg]
        if arg in PSEUDO_PARAMETERS:
            other = self.param_values.get(arg)  # a scenario's "any other Region"
            return other if isinstance(other, OtherValue) else Unknown(f"{arg} is known only at deploy time")
        if arg in self.param_values:
            return self.param_values[arg]
        if arg in self.resources:
            return Unknown(f"Ref {arg} is known only after deployment", self._edge(arg, None))
        return Unknown(f"Ref to undefined {arg}")

    def _getatt(self, arg):
        if isinstance(arg, str):
            arg = arg.split(".", 1)
        if not isinstance(arg, list) or len(arg) != 2:
            return Unknown("malformed Fn::GetAtt")
        name = arg[0]
        attr = self.value(arg[1])
        attr_name = attr if isinstance(attr, str) else None
        return Unknown(f"{name}.{attr_name or '?'} is known only after deployment", self._edge(str(name), attr_name))

    def _sub(self, arg):
        if isinstance(arg, str):
            template, variables = arg, {}
        elif isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict):
            template, variables = arg[0], {k: self.value(v) for k, v in arg[1].items()}
        else:
            return Unknown("malformed Fn::Sub")
        if not isinstance(template, str):
            return Unknown("Fn::Sub template is not a string")
        out, unknowns = [], []  # out: the known text and, in their places, the unknown values

        def hole(value) -> None:
            out.append(value)
            unknowns.append(value)

        i = 0
        while i < len(template):
            start = template.find("${", i)
            if start < 0:
                out.append(template[i:])
                break
            out.append(template[i:start])
            end = template.find("}", start)
            if end < 0:
                out.append(template[start:])
                break
            name = template[start + 2:end].strip()
            if name.startswith("!"):
                out.append("${" + name[1:] + "}")  # ${!Literal} is the literal text ${Literal}
            elif name in variables:
                v = variables[name]
                if isinstance(v, Unknown):
                    hole(v)
                elif _to_str(v) is None:
                    hole(Unknown(f"${{{name}}} is not a string"))
                else:
                    out.append(_to_str(v))
            elif "." in name:
                res, _, attr = name.partition(".")
                hole(self._getatt([res, attr]))
            else:
                v = self._ref(name)
                if isinstance(v, Unknown):
                    hole(v)
                elif isinstance(v, list):
                    hole(Unknown(f"${{{name}}} is a list"))
                else:
                    out.append(_to_str(v) or "")
            i = end + 1
        if unknowns:
            zone = _region_zone(template) if not variables else None
            if zone is not None and "AWS::Region" not in self.inputs.parameters:
                return zone
            return PartialString.of(out, unknowns[0].reason, collect_refs(unknowns))
        return "".join(out)

    def _join(self, arg):
        sep, items = self.value(arg[0]), self.value(arg[1])
        if first_unknown([sep, items]) is not None:
            u = first_unknown([sep, items])
            return Unknown(u.reason, collect_refs([sep, items]))
        return str(sep).join(_to_str(i) or "" for i in items)

    def _select(self, arg):
        index, items = self.value(arg[0]), self.value(arg[1])
        if isinstance(index, Unknown):
            return index
        if isinstance(items, AzList) and not isinstance(index, bool) and int(index) >= 0:
            return AzToken(items.source, int(index), items.refs)  # the i-th zone: unnamed but distinct by index
        if isinstance(items, Unknown):
            return items
        if not isinstance(items, list):
            return Unknown("Fn::Select from a non-list")
        i = int(index)
        if not 0 <= i < len(items):
            return Unknown(f"Fn::Select index {i} out of range")
        return items[i]

    def _split(self, arg):
        sep, text = self.value(arg[0]), self.value(arg[1])
        if first_unknown([sep, text]) is not None:
            return Unknown(first_unknown([sep, text]).reason, collect_refs([sep, text]))
        return str(text).split(str(sep))

    def _find_in_map(self, arg):
        keys = [self.value(a) for a in arg[:3]]
        if first_unknown(keys) is not None:
            return Unknown(first_unknown(keys).reason, collect_refs(keys))
        m = self.mappings.get(keys[0], {})
        m = m.get(_to_str(keys[1]), {}) if isinstance(m, dict) else {}
        if isinstance(m, dict) and _to_str(keys[2]) in m:
            return self.value(m[_to_str(keys[2])])
        if len(arg) > 3 and isinstance(arg[3], dict) and "DefaultValue" in arg[3]:
            return self.value(arg[3]["DefaultValue"])
        return Unknown(f"Fn::FindInMap {keys} has no entry")

    def _if(self, arg):
        if not isinstance(arg, list) or len(arg) != 3:
            return Unknown("malformed Fn::If")
        cond = self.condition(arg[0]) if isinstance(arg[0], str) else Unknown("Fn::If condition is not a name")
        if isinstance(cond, Unknown):
            a, b = self.value(arg[1]), self.value(arg[2])
            if first_unknown([a, b]) is None and a == b:
                return a
            return Unknown(f"depends on condition {arg[0]}: {cond.reason}", collect_refs([a, b]))
        return self.value(arg[1] if cond else arg[2])

    def _getazs(self, arg):
        region = self.value(arg)
        if region == "" or (isinstance(arg, dict) and arg.get("Ref") == "AWS::Region"):
            region = ""  # the stack's own Region
        elif not isinstance(region, str):
            return Unknown("Fn::GetAZs of an unknown Region")
        return AzList("Fn::GetAZs:" + region)

    def _base64(self, arg):
        v = self.value(arg)
        if isinstance(v, Unknown):
            return v
        import base64

        return base64.b64encode(str(v).encode()).decode()

    def _to_json_string(self, arg):
        v = self.value(arg)
        if first_unknown(v) is not None:
            return Unknown(first_unknown(v).reason, collect_refs(v))
        return json.dumps(v, separators=(",", ":"))

    def _length(self, arg):
        v = self.value(arg)
        if isinstance(v, Unknown):
            return v
        return len(v) if isinstance(v, list) else Unknown("Fn::Length of a non-list")

    def _cidr(self, arg):
        import ipaddress

        block, count, bits = (self.value(a) for a in arg)
        if first_unknown([block, count, bits]) is not None:
            u = first_unknown([block, count, bits])
            return Unknown(u.reason, collect_refs([block, count, bits]))
        net = ipaddress.ip_network(str(block), strict=False)
        count, bits = int(count), int(bits)
        prefix = net.max_prefixlen - bits
        if not 1 <= count <= 256 or prefix < net.prefixlen or bits < 0:
            return Unknown(f"Fn::Cidr cannot split {block} into {count} blocks of {bits} host bits")
        out = []
        for subnet in net.subnets(new_prefix=prefix):
            out.append(str(subnet))
            if len(out) == count:
                break
        if len(out) < count:
            return Unknown(f"Fn::Cidr: {block} holds fewer than {count} blocks of {bits} host bits")
        return out

    def _import_value(self, arg):
        return Unknown("Fn::ImportValue is another stack's export", collect_refs(self.value(arg)))

    # -- resources ----------------------------------------------------------------------------------
    def evaluate_resources(self, only: Optional[set] = None) -> list:
        """Every resource the template creates, or only those whose logical ids are in `only`."""
        out = []
        file = self.doc.path
        entries = self.resources.items() if only is None else \
            [(lid, self.resources[lid]) for lid in self.resources if lid in only] if len(only) > 8 else \
            [(lid, self.resources[lid]) for lid in only if lid in self.resources]
        for logical_id, raw in entries:
            if not isinstance(raw, dict):
                continue
            rtype = raw.get("Type")
            if not isinstance(rtype, str):
                continue
            cond_name = raw.get("Condition")
            if isinstance(cond_name, str):
                cond = self.condition(cond_name)
                if cond is False:
                    continue  # the resource is not created
            else:
                cond = None
            self._refs = set()
            attrs = {}
            invalid = {}
            for key, v in raw.items():
                if key in ("Type", "Condition"):
                    attrs[key] = v
                elif key in _POLICY_ATTRIBUTES and "AWS::LanguageExtensions" not in self._transforms:
                    # CloudFormation takes a plain string here; an intrinsic is rejected at deploy time unless
                    # the LanguageExtensions transform resolves it first. Keep the raw value for rules to judge.
                    attrs[key] = v
                    if not isinstance(v, str):
                        invalid[key] = "intrinsic functions here need Transform AWS::LanguageExtensions"
                elif key == "DependsOn":
                    deps = v if isinstance(v, list) else [v]
                    for d in deps:
                        if isinstance(d, str):
                            self._edge(d, None)
                    attrs[key] = v
                else:
                    ev = self.value(v)
                    if ev is not NO_VALUE:
                        attrs[key] = ev
            refs = self._path_refs(attrs)
            self._refs = None
            path = self.resource_paths.get(logical_id, ("Resources", logical_id))
            key_span = self.doc.key_spans.get(path) or self.doc.spans.get(path) or Span.point(file, 1)
            spans = self._spans(logical_id, path)
            res = Resource(address=logical_id, type=rtype, format="cloudformation", attrs=attrs, span=key_span,
                           attr_spans=spans, block_address=logical_id, refs=refs,
                           end_span=self.doc.spans.get(path))
            res.meta["condition"] = cond_name if isinstance(cond_name, str) else None
            res.meta["condition_value"] = cond
            res.meta["transforms"] = self.transforms()
            res.meta["raw"] = raw  # the entry as written, for rules that must see an intrinsic (Fn::Sub ARNs)
            # where each property's value is written (a parameter default, a mapping entry...), for fixes
            res.meta["origins"] = TemplateOrigins(self.origins_source(), raw,
                                                  None if logical_id in self.sam_sources else path, spans)
            res.meta["parameter_choices"] = self.parameter_choices  # one dict shared by the template's resources
            res.meta["parameter_uses"] = self.parameter_uses
            if self.doc.json:
                res.meta["json"] = True  # fixes are written in JSON, whatever the file's name
            if invalid:
                res.meta["invalid_attributes"] = invalid
            if logical_id in self.sam_sources:
                res.meta["sam_source"] = self.sam_sources[logical_id][0]
            elif path != ("Resources", logical_id):
                res.meta["foreach"] = path[1]
            cdk_path = (raw.get("Metadata") or {}).get("aws:cdk:path") if isinstance(raw.get("Metadata"), dict) \
                else None
            if cdk_path:
                res.meta["cdk_path"] = cdk_path
            out.append(res)
        if self._exported is None:  # read once: scenario variants (copies) evaluate one resource at a time
            self._exported = _output_names(self.template.get("Outputs"))
        exported = self._exported
        for res in out:
            if res.address in exported:
                res.meta["exported"] = True  # another stack or tool may consume it (as a root output in Terraform)
        return out

    def origins_source(self) -> "TemplateEvaluator":
        """A copy of this evaluator for value provenance (cfn_origins.TemplateOrigins): it answers conditions and
        values as this one does, without the document or the resources' bodies. Every resource keeps its origins
        until the report; with the evaluator itself they would keep every template and all its positions. The
        template's value as written stays within reach of the fix writer (WrittenTemplate), not its positions."""
        if self._for_origins is None:
            if self._origin_parts is None:
                self._origin_parts = (
                    CfnDocument(self.doc.path, None, self._origin_spans(), json=self.doc.json),
                    {k: self.template[k] for k in ("Parameters", "Conditions", "Mappings", "Transform")
                     if k in self.template},
                    dict.fromkeys(self.resources),  # Ref and Fn::GetAtt only ask whether a name is a resource
                    WrittenTemplate(self.doc.path, self.doc.value))
            slim = copy.copy(self)
            slim.doc, slim.template, slim.resources, slim.written = self._origin_parts
            slim.resource_paths, slim.sam_sources, slim.notes, slim.input_errors = {}, {}, [], []
            slim._span_index, slim._spans_cache, slim._refs = None, {}, None
            slim._for_origins = slim
            self._for_origins = slim
        return self._for_origins

    def _origin_spans(self) -> dict:
        """The positions origins name outside the resources: parameters, their defaults, mapping entries."""
        spans = self.doc.spans
        keys = [("Parameters", name) for name in self.parameters] + \
            [("Parameters", name, "Default") for name in self.parameters]
        for table, entries in self.mappings.items():
            for top, entry in entries.items() if isinstance(entries, dict) else ():
                if isinstance(entry, dict):
                    keys.extend(("Mappings", table, top, second) for second in entry)
        return {k: spans[k] for k in keys if k in spans}

    def transforms(self) -> list:
        return list(self._transforms)

    def _path_refs(self, attrs: dict) -> list:
        """Edges per attribute path: found by walking the evaluated values for their references."""
        refs = []
        stack = [((), attrs)]
        while stack:
            path, v = stack.pop()
            if isinstance(v, Unknown):
                refs.extend((path, t, a) for t, a in sorted(v.refs, key=str))
            elif isinstance(v, dict):  # plain values hold no reference: only what may is walked
                stack.extend((path + (k,), x) for k, x in v.items() if isinstance(x, _MAY_REFER))
            elif isinstance(v, list):
                stack.extend((path + (i,), x) for i, x in enumerate(v) if isinstance(x, _MAY_REFER))
        depends = attrs.get("DependsOn")
        for d in depends if isinstance(depends, list) else [depends]:
            if isinstance(d, str):
                refs.append((("DependsOn",), d, None))
        refs.sort(key=str)
        return refs


_MAY_REFER = (Unknown, dict, list)


def _transforms(t) -> tuple:
    """The names in a template's `Transform` (one name or a list)."""
    if isinstance(t, str):
        return (t,)
    if isinstance(t, list):
        return tuple(x for x in t if isinstance(x, str))
    return ()


_REGION_ZONE = re.compile(r"^\$\{AWS::Region\}([a-z])$")


def _region_zone(template: str) -> Optional[AzToken]:
    """`!Sub "${AWS::Region}a"`: the stack's Region's zone with that letter. Its name is known only at deploy
    time, but two letters are two zones (source `${AWS::Region}`, the letter's position as index)."""
    m = _REGION_ZONE.match(template)
    return AzToken("${AWS::Region}", ord(m.group(1)) - ord("a")) if m else None


_POLICY_ATTRIBUTES = ("DeletionPolicy", "UpdateReplacePolicy")


def _parameter_uses(template: dict, names: set) -> dict:
    """How many times the template names each parameter (Ref, Fn::Sub), everywhere but its own definition:
    a fix that removes the last use of one leaves it unused (cfn-lint W2001)."""
    return parameter_refs([v for k, v in template.items() if k != "Parameters"], names)


class ParameterUses(Mapping):
    """`_parameter_uses` of a template, counted when first read: only a fix that removes a setting asks
    (rules/graphutil/values.last_uses), and counting walks the whole template. Pickled (to the scan's parent
    process) as the counts."""

    def __init__(self, template: dict, names: set):
        self._template: Optional[dict] = template
        self._names = names
        self._counts: Optional[dict] = None

    def _read(self) -> dict:
        if self._counts is None:
            self._counts = _parameter_uses(self._template, self._names)
            self._template = None  # counted: the template is not kept for it
        return self._counts

    def __getitem__(self, name):
        return self._read()[name]

    def __iter__(self):
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    def __reduce__(self):
        return dict, (self._read(),)


_INTRINSICS = {
    "Ref": TemplateEvaluator._ref,
    "Fn::GetAtt": TemplateEvaluator._getatt,
    "Fn::Sub": TemplateEvaluator._sub,
    "Fn::Join": TemplateEvaluator._join,
    "Fn::Select": TemplateEvaluator._select,
    "Fn::Split": TemplateEvaluator._split,
    "Fn::FindInMap": TemplateEvaluator._find_in_map,
    "Fn::If": TemplateEvaluator._if,
    "Fn::GetAZs": TemplateEvaluator._getazs,
    "Fn::Base64": TemplateEvaluator._base64,
    "Fn::ToJsonString": TemplateEvaluator._to_json_string,
    "Fn::Length": TemplateEvaluator._length,
    "Fn::ImportValue": TemplateEvaluator._import_value,
    "Fn::Cidr": TemplateEvaluator._cidr,
}


def evaluate_template(doc: CfnDocument, inputs: Optional[CfnInputs] = None) -> list:
    return TemplateEvaluator(doc, inputs).evaluate_resources()


_SUB_NAME = re.compile(r"\$\{([A-Za-z0-9]+)[.}]")


def _output_names(outputs) -> set:
    """The logical ids the template's Outputs read through Ref, Fn::GetAtt or Fn::Sub."""
    names: set = set()
    stack = [outputs]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            for key, inner in v.items():
                if key == "Ref" and isinstance(inner, str):
                    names.add(inner)
                elif key == "Fn::GetAtt":
                    target = inner[0] if isinstance(inner, list) and inner else inner.split(".", 1)[0] \
                        if isinstance(inner, str) else None
                    if isinstance(target, str):
                        names.add(target)
                elif key == "Fn::Sub":
                    text = inner[0] if isinstance(inner, list) and inner else inner
                    if isinstance(text, str):
                        names.update(_SUB_NAME.findall(text))
                stack.append(inner)
        elif isinstance(v, list):
            stack.extend(v)
    return names
