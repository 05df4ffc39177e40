"""Several fixes inserting at one place of a CloudFormation template become one insertion that the template
still reads: two fixes that each add a `Properties` mapping to a resource that had none share one, and two
members added to an empty JSON object get a comma between them.
"""
from __future__ import annotations

import json
import re

from .apply import Edit

_JSON_LEAD = re.compile(r"^(\s*,?\s*)")


def merge_yaml(texts: list) -> str:
    """YAML blocks (each a run of whole lines) merged: a mapping key that opens a block in several texts, at
    the same indentation, is written once with the children of each, in order."""
    lead = next((t[:len(t) - len(t.lstrip("\n"))] for t in texts if t.strip()), "")
    roots: list = []
    for text in texts:
        _graft(roots, _tree(text.lstrip("\n").splitlines()))
    return lead + "".join(_lines(roots))


def _tree(lines: list) -> list:
    """[(line, children)] by indentation; a line that is not deeper than the one before starts a sibling."""
    root: list = []
    stack = [(-1, root)]
    for line in lines:
        depth = len(line) - len(line.lstrip(" ")) if line.strip() else stack[-1][0] + 1
        while stack[-1][0] >= depth:
            stack.pop()
        node = (line, [])
        stack[-1][1].append(node)
        stack.append((depth, node[1]))
    return root


def _graft(into: list, nodes: list) -> None:
    for line, children in nodes:
        same = next((n for n in into if n[0] == line and line.rstrip().endswith(":") and n[1]), None)
        if same is not None and children:
            _graft(same[1], children)
        else:
            into.append((line, list(children)))


def _lines(nodes: list) -> list:
    out = []
    for line, children in nodes:
        out.append(line + "\n")
        out.extend(_lines(children))
    return out


def merge_json(texts: list):
    """JSON members inserted at one place (each with its own leading comma or spacing) as one text: members
    with the same key are merged, and commas separate them. None when a text is not a run of members."""
    members: dict = {}
    for text in texts:
        body = text[len(_JSON_LEAD.match(text).group(1)):].rstrip()
        try:
            parsed = json.loads("{" + body + "}")
        except ValueError:
            return None
        for key, value in parsed.items():
            members[key] = _deep_merge(members[key], value) if key in members else value
    first = texts[0]
    lead = _JSON_LEAD.match(first).group(1)
    trail = first[len(first.rstrip()):]
    separator = lead if lead.lstrip(" ").startswith(",") else ", "
    indent = lead.rsplit("\n", 1)[-1] if "\n" in lead else None
    parts = []
    for key, value in members.items():
        rendered = json.dumps(value, indent=2).replace("\n", "\n" + indent) if indent is not None and \
            isinstance(value, (dict, list)) and value else json.dumps(value)
        parts.append(f"{json.dumps(key)}: {rendered}")
    return lead + separator.join(parts) + trail


def _deep_merge(old, new):
    if isinstance(old, dict) and isinstance(new, dict):
        out = dict(old)
        for k, v in new.items():
            out[k] = _deep_merge(old[k], v) if k in old else v
        return out
    return new


def merge_inserts(edits: list, path: str = "", text: str = "") -> list:
    """Insertions at one place become one edit, the most deeply indented text first: in YAML the end of
    `Properties` is also the end of the resource, so a property and a resource attribute (DeletionPolicy)
    inserted there must come in that order or the property would land outside its mapping. In a template,
    mappings several fixes open there are opened once, and JSON members get their commas (inserts)."""
    at_offset: dict = {}
    others = []
    for e in edits:
        if e.start == e.end:
            at_offset.setdefault(e.start, []).append(e)
        elif e not in others:
            others.append(e)
    merged = []
    for start, group in at_offset.items():
        texts = [e.text for e in sorted(group, key=lambda e: -indent_of(e.text))]
        joined = "".join(texts)
        if len(texts) > 1 and not path.endswith((".tf", ".tf.json")):
            from ..parsers.cloudformation import looks_like_json  # loads the YAML parser: templates only

            joined = (merge_json(texts) or joined) if looks_like_json(text) else merge_yaml(texts)
        merged.append(Edit(start, start, joined))
    return others + merged


def indent_of(text: str) -> int:
    first = text.lstrip("\n").split("\n", 1)[0]
    return len(first) - len(first.lstrip(" \t"))
