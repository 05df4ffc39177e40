"""`rlint graph`: what rlint read, as data (JSON, validated against graph.schema.json) or as a picture (DOT, Mermaid).

The JSON answers "why did rlint think that": every resource instance after count/for_each/module expansion with
its evaluated attributes, where an undecided value is `{"$unknown": reason}` in place (and listed under the
resource's `unknowns` with its path), and the references between resources. The differential tests hold this
document against Terraform's own plan, so it shows exactly what the rules see.
"""
from __future__ import annotations

import json
import math
from typing import Any

from . import __version__
from .model import AzList, AzToken, Missing, Unknown

GRAPH_VERSION = 1
UNKNOWN_KEY = "$unknown"


# -- values ------------------------------------------------------------------------------------------------
def unknown_marker(value: Unknown) -> dict:
    out: dict = {UNKNOWN_KEY: value.reason}
    if isinstance(value, AzToken):
        out["zone"] = {"list": value.source, "index": value.index}
    elif isinstance(value, AzList):
        out["zones"] = {"list": value.source}
    if value.refs:
        out["refs"] = sorted(_ref_text(a, t) for a, t in value.refs)
    return out


def _ref_text(address: str, attr) -> str:
    return f"{address}.{attr}" if attr else address


def to_json_value(value: Any, path: tuple = (), unknowns: list | None = None) -> Any:
    """A plain JSON value; Unknown becomes its marker and, when `unknowns` is given, is listed with its path."""
    if isinstance(value, Unknown):
        if unknowns is not None:
            unknowns.append({"path": list(path), "reason": value.reason})
        return unknown_marker(value)
    if isinstance(value, dict):
        return {str(k): to_json_value(v, path + (str(k),), unknowns) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json_value(v, path + (i,), unknowns) for i, v in enumerate(value)]
    if isinstance(value, Missing):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


# -- the document ----------------------------------------------------------------------------------------
def _instance_key(res) -> Any:
    suffix = res.meta.get("instance_key") or ""
    if res.format != "terraform" or not suffix.startswith("["):
        return None
    try:
        return json.loads(suffix[1:-1])
    except ValueError:
        return suffix[1:-1]


def _module_path(res) -> str:
    """`module.a["x"].module.b` for a Terraform resource inside modules, "" in the root module."""
    if res.format != "terraform":
        return ""
    block = res.block_address or res.address
    own = f"{res.type}.{res.meta.get('name')}"
    if block.startswith("data."):
        own = "data." + own
    return block[: -len(own)].rstrip(".") if block.endswith(own) else ""


def resource_dict(res, root: str) -> dict:
    unknowns: list = []
    attrs = to_json_value(res.attrs, (), unknowns)
    span = res.span
    out = {
        "root": root,
        "address": res.address,
        "block_address": res.block_address or res.address,
        "type": res.type,
        "format": res.format,
        "module": _module_path(res),
        "instance_key": _instance_key(res),
        "expansion": _expansion(res),
        "file": span.file,
        "line": span.line,
        "column": span.column,
        "attributes": attrs,
        "unknowns": unknowns,
    }
    meta = res.meta
    if meta.get("provider"):
        out["provider"] = meta["provider"]
    if "provider_region" in meta:
        out["region"] = to_json_value(meta["provider_region"])
    if meta.get("cdk_path"):
        out["cdk_path"] = meta["cdk_path"]
    return out


def _expansion(res) -> dict:
    if res.meta.get("expansion_unknown"):
        return {"decided": False, "reason": res.meta.get("expansion_reason") or "count or for_each is unknown"}
    return {"decided": True}


def _data_class(res, graph) -> dict:
    """The resource's class in the data-value model (rules/data_value.py): why the rules that judge data judge
    it or leave it out."""
    from rlint.rules.data_value import data_value

    value = data_value(res, graph)
    if isinstance(value, Unknown):
        return {"class": None, "reason": value.reason}
    return {"class": value.kind, "reason": value.reason}


def graph_dict(loaded) -> dict:
    """The whole document for a loaded scan (engine.load)."""
    units = loaded.units
    resources, edges = [], []
    graph = loaded.graph
    from .declare import judged_types

    judged = judged_types()
    for res in loaded.resources:
        root = units[res.meta.get("unit", 0)].name if units else ""
        entry = resource_dict(res, root)
        if res.type in judged:
            entry["data_class"] = _data_class(res, graph)
        resources.append(entry)
        for path, target, tattr in res.refs:
            resolved = [t.address for t in graph.resolve(res, target)]
            edges.append({"root": root, "from": res.address, "attribute": [p for p in path],
                          "to": target, "to_attribute": tattr, "resolved": resolved})
    problems = []
    for p in list(loaded.found.problems) + [p for u in units for p in u.problems]:
        problems.append({"file": p.span.file, "line": p.span.line, "column": p.span.column, "message": p.message})
    return {
        "version": GRAPH_VERSION,
        "rlint_version": __version__,
        "roots": [{"name": u.name, "kind": u.kind, "files": list(u.files), "resources": len(u.resources),
                   "notes": list(u.notes)} for u in units],
        "resources": resources,
        "edges": edges,
        "problems": problems,
    }


def render_json(loaded) -> str:
    return json.dumps(graph_dict(loaded), indent=2) + "\n"


# -- pictures --------------------------------------------------------------------------------------------
def _pairs(loaded):
    """(root index, node id per resource, [(from id, to id, label)]) shared by the picture formats."""
    ids = {id(res): f"n{i}" for i, res in enumerate(loaded.resources)}
    links = []
    seen = set()
    for res in loaded.resources:
        for path, target, _tattr in res.refs:
            for t in loaded.graph.resolve(res, target):
                if t is res:
                    continue
                label = ".".join(str(p) for p in path[:1])
                key = (ids[id(res)], ids[id(t)], label)
                if key not in seen:
                    seen.add(key)
                    links.append(key)
    return ids, links


def _by_root(loaded) -> dict:
    groups: dict = {}
    for res in loaded.resources:
        root = loaded.units[res.meta.get("unit", 0)].name if loaded.units else ""
        groups.setdefault(root, []).append(res)
    return groups


def _dot_quote(*lines: str) -> str:
    """A DOT string of one or more lines (DOT's own \\n escape between them)."""
    return '"' + "\\n".join(t.replace("\\", "\\\\").replace('"', '\\"') for t in lines) + '"'


def render_dot(loaded) -> str:
    ids, links = _pairs(loaded)
    lines = ["digraph rlint {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];']
    for i, (root, members) in enumerate(_by_root(loaded).items()):
        lines.append(f"  subgraph cluster_{i} {{")
        lines.append(f"    label={_dot_quote(root)};")
        for res in members:
            style = ", style=dashed" if res.meta.get("expansion_unknown") else ""
            lines.append(f"    {ids[id(res)]} [label={_dot_quote(res.address, res.type)}{style}];")
        lines.append("  }")
    for a, b, label in links:
        lines.append(f"  {a} -> {b} [label={_dot_quote(label)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_label(text: str) -> str:
    # quoted labels take any text but a double quote; Mermaid's entity code shows one
    return '"' + text.replace('"', "#quot;") + '"'


def render_mermaid(loaded) -> str:
    ids, links = _pairs(loaded)
    lines = ["flowchart LR"]
    for i, (root, members) in enumerate(_by_root(loaded).items()):
        lines.append(f"  subgraph r{i}[{_mermaid_label(root)}]")
        for res in members:
            shape = ("[/", "/]") if res.meta.get("expansion_unknown") else ("[", "]")
            lines.append(f"    {ids[id(res)]}{shape[0]}{_mermaid_label(res.address + ' (' + res.type + ')')}"
                         f"{shape[1]}")
        lines.append("  end")
    for a, b, label in links:
        lines.append(f"  {a} -->|{_mermaid_label(label)}| {b}" if label else f"  {a} --> {b}")
    return "\n".join(lines) + "\n"


RENDERERS = {"json": render_json, "dot": render_dot, "mermaid": render_mermaid}
