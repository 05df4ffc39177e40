"""Terraform verdicts that a named var file decides (the Terraform twin of scenarios.py).

A root module often keeps one var file per environment that Terraform does not load by itself (`prod.tfvars`,
`env/dev.tfvars`: `terraform plan -var-file ...`). A scan without `--var-file` evaluates the run without them.
When a failing finding's value is written at a root variable (its default, or an automatically loaded tfvars
entry: the value provenance says so) and one of those files sets the variable to a value under which the rule
no longer fails on that resource, the failure holds only in some of the runs the repository spells out: the
finding becomes unknown, naming the variable and the files. A file that sets a value that fails too, or no file
setting it, leaves the failure as it is. When the user names the run (`--var-file`, `--var`, configured
deployments), the run is what they named and nothing changes here.
"""
from __future__ import annotations

import json
import posixpath
from dataclasses import replace
from typing import Any, Callable, Optional

from .model import Outcome, Unknown


def judge_var_files(pairs: list, options, sources, attr_path: Callable, rerun: Callable) -> list:
    """The pairs (finding, resource, result, covered) with the failures a named var file would lift turned
    into unknowns. `rerun(rule_id, resource)` yields the rule's pairs on a (patched) resource alone."""
    if options.terraform.var_files or options.terraform.variables:
        return pairs
    setting = None
    values: dict = {}  # tfvars display path -> {name: value}
    out = list(pairs)
    for i, pair in enumerate(pairs):
        finding, res, result = pair[0], pair[1], pair[2]
        if finding.outcome is not Outcome.FAIL or result is None or res.format != "terraform" \
                or res.meta.get("deployment") or finding.rule_id.startswith("RL0") or not res.meta.get("origins"):
            continue
        path = attr_path(res, result)
        origin = _root_variable(res, path)
        if origin is None:
            continue
        directory, name, keys = origin
        if setting is None:
            from .fixes.terraform_place import var_files

            setting = var_files(sources)
        sets, lacks = setting(directory, name)
        named = [f for f in sets if not _auto_loaded(f, directory)]
        if not named:
            continue
        lifted, kept = [], []
        for display in named:
            entries = values.get(display)
            if entries is None:
                entries = values[display] = _entries(sources.text(display) or "", display)
            if name not in entries:
                lacks.append(display)
                continue
            value = _at(entries[name], keys, lambda key: Unknown(f"the var file does not set {key}"))
            current = _at(res.attrs, path)
            value = _like(value, current)
            patched = replace(res, attrs=_patched(res.attrs, path, value), meta=dict(res.meta))
            # a rule that breaks on the file's value (RL002, no result) keeps the failure
            fails = any(q[0].outcome is Outcome.FAIL and q[1] is patched and
                        (q[2] is None or attr_path(patched, q[2]) == path) for q in rerun(finding.rule_id, patched))
            (kept if fails else lifted).append((display, value))
        if not lifted:
            continue
        shown_name = ".".join([name] + [str(k) for k in keys])
        unset = sorted(f for f in lacks if not _auto_loaded(f, directory))
        message = f"{finding.message} -- {_reason(shown_name, lifted, kept, unset, _at(res.attrs, path))}"
        out[i] = (replace(finding, outcome=Outcome.UNKNOWN, message=message),) + tuple(pair[1:])
    return out


def _root_variable(res, path) -> Optional[tuple]:
    """(root module dir, variable, keys inside it) when the value at `path` is written at a variable of the
    resource's root module: its default or an automatically loaded tfvars entry."""
    hops = res.meta["origins"].get(path) if path else None
    if not hops:
        return None
    last = hops[-1]
    if not last.written or last.span is None or not last.name.startswith("var.") or \
            last.kind not in ("variable default", "tfvars") or \
            (last.kind == "tfvars" and last.detail != "automatically loaded"):
        return None
    directory = posixpath.dirname(last.span.file) or "."
    if posixpath.normpath(directory) != posixpath.normpath(res.meta.get("root") or "."):
        return None  # a called module's own default: no var file reaches it
    return directory, last.name[4:], last.path


def _auto_loaded(display: str, directory: str) -> bool:
    from .discover import is_auto_loaded_tfvars

    return posixpath.normpath(posixpath.dirname(display) or ".") == posixpath.normpath(directory) and \
        is_auto_loaded_tfvars(posixpath.basename(display))


def _entries(text: str, display: str) -> dict:
    """A tfvars file's values (literals; anything else is unknown); {} when it does not read."""
    from .evaluate.terraform import tfvars_values

    values, problems, _parsed = tfvars_values(text.encode(), display)
    return {} if problems else values


def _at(value: Any, keys: tuple, missing: Callable = lambda key: None) -> Any:
    """The value at `keys` (map keys, list indexes) inside `value`; `missing(key)` where the way stops."""
    for key in keys:
        if isinstance(value, dict) and key in value:
            value = value[key]
        elif isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
            value = value[key]
        else:
            return missing(key)
    return value


def _like(value: Any, current: Any) -> Any:
    """The file's value converted as the variable's type converts it: to the evaluated value's primitive type
    (`"true"` for a bool); anything that does not convert is unknown."""
    from .evaluate.terraform_types import convert_to

    if isinstance(current, bool):
        return convert_to(value, ("bool",))
    if isinstance(current, (int, float)):
        return convert_to(value, ("number",))
    if isinstance(current, str):
        return convert_to(value, ("string",))
    return value


def _patched(attrs: Any, path: tuple, value: Any) -> Any:
    """A copy of `attrs` with `value` at `path`, sharing everything off the path."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(attrs, dict):
        return {**attrs, head: _patched(attrs.get(head), rest, value)}
    if isinstance(attrs, list) and isinstance(head, int) and 0 <= head < len(attrs):
        return attrs[:head] + [_patched(attrs[head], rest, value)] + attrs[head + 1:]
    return attrs


def _show(value: Any) -> str:
    if isinstance(value, Unknown):
        return "a value rlint cannot decide"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return str(value)
    text = json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _reason(name: str, lifted: list, kept: list, lacks: list, current: Any) -> str:
    """`depends on the var file: prod.tfvars, preprod.tfvars set x = true; dev.tfvars and runs without a var
    file keep false`."""
    parts = []
    by_value: dict = {}
    for display, value in lifted + kept:
        by_value.setdefault(_show(value), []).append(display)
    for shown, files in by_value.items():
        verb = "sets" if len(files) == 1 else "set"
        fails = all(f in {d for d, _v in kept} for f in files)
        parts.append(f"{', '.join(files)} {verb} {name} = {shown}" + (", which fails too" if fails else ""))
    keep = lacks + ["runs without a var file"]
    parts.append(f"{', '.join(keep[:-1]) + ' and ' if len(keep) > 1 else ''}{keep[-1]} keep {_show(current)}")
    return "depends on the var file: " + "; ".join(parts)
