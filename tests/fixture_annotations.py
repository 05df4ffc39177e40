"""Fixture annotations read from the source text, independently of the code under test.

Each annotation binds to the resource header that follows it, so a resource the evaluator drops cannot take its
expectation with it:

- Terraform (`.tf`): comment lines (`#` or `//`) directly above a `resource "TYPE" "NAME" {` header;
  the address is `TYPE.NAME`.
- CloudFormation YAML: comment lines directly above a logical id under `Resources:` (the id is the address),
  or the resource's `Metadata: {rlint-test: "..."}` entry (a string or a list of strings).
- CloudFormation JSON: the resource's `"Metadata": {"rlint-test": "..."}` entry.

Kinds: `expect:` (a fail), `expect-unknown:` (an unknown), `ok:` (silence), `todo-expect:` (a known false
negative: stays silent), `todo-ok:` (a known false positive: still fails), and `expect-absent:` (the evaluator
must produce no instance of the block, e.g. `count = 0`). Each kind names one or more rule ids, then an optional
reason: `# ok: RL101, RL102 (read replica)`.

A file-level annotation says a fixture is invalid for its engine on purpose, with the reason:
`# rlint-test: invalid -- <reason>` (Terraform, YAML) or a top-level `"Metadata": {"rlint-test": "invalid --
<reason>"}` (JSON templates). tests/test_fixture_engines.py checks that the engine really rejects it.

An annotation-looking comment that binds to no header is an error (`AnnotationError`), not a silent no-op.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml

KINDS = ("expect-unknown", "expect-absent", "expect", "ok", "todo-expect", "todo-ok")
_KIND = "|".join(re.escape(k) for k in KINDS)
# the annotation text itself (after the comment marker or in a Metadata string)
NOTE = re.compile(rf"(?P<kind>{_KIND}):\s*(?P<ids>RL\d{{3}}(?:\s*,\s*RL\d{{3}})*)")
# any comment that looks like an annotation, even a malformed one: it must bind or be reported
LOOSE = re.compile(rf"(?:^|[\s#/])(?:{_KIND})(?:\s*:|\s+RL\d)")
INVALID = re.compile(r"rlint-test:\s*invalid\s*--\s*(?P<reason>\S.*)")

TF_HEADER = re.compile(r'^\s*resource\s+"(?P<type>[^"]+)"\s+"(?P<name>[^"]+)"\s*\{')
YAML_KEY = re.compile(r"""^(?P<indent>\s*)(?P<q>["']?)(?P<key>[A-Za-z0-9_.:-]+)(?P=q)\s*:(?:\s|$)""")


class AnnotationError(ValueError):
    """An annotation that binds to no resource header, or a Metadata entry that is not an annotation."""


@dataclass(frozen=True)
class Annotation:
    rule: str
    address: str  # Terraform block address (TYPE.NAME) or CloudFormation logical id
    kind: str
    line: int  # 1-based line of the annotation (JSON: of the logical id)
    reason: str = ""

    def key(self) -> tuple:
        return (self.rule, self.address, self.kind)


def _notes(text: str, address: str, line: int, where: str) -> list:
    """Annotations in one comment or Metadata string."""
    found = []
    matches = list(NOTE.finditer(text))
    if not matches and LOOSE.search(text):
        raise AnnotationError(f"{where}: malformed annotation {text.strip()!r}")
    for i, m in enumerate(matches):
        tail = text[m.end(): matches[i + 1].start() if i + 1 < len(matches) else len(text)].strip()
        for rule in m["ids"].split(","):
            found.append(Annotation(rule.strip(), address, m["kind"], line, tail))
    return found


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith(("#", "//"))


def _comment_blocks(lines: list) -> list:
    """[(first index, last index)] of runs of consecutive comment lines."""
    blocks, start = [], None
    for i, line in enumerate(lines + [""]):
        if _is_comment(line) and i < len(lines):
            start = i if start is None else start
        elif start is not None:
            blocks.append((start, i - 1))
            start = None
    return blocks


def _bind_comments(path: Path, lines: list, header_at) -> list:
    """Annotations of every comment block, each bound to the header on the line after the block."""
    found = []
    for first, last in _comment_blocks(lines):
        block = [l for l in lines[first:last + 1]]
        if not any((NOTE.search(l) or LOOSE.search(l)) and not INVALID.search(l) for l in block):
            continue
        address = header_at(last + 1) if last + 1 < len(lines) else None
        if address is None:
            where = f"{path}:{first + 1}"
            raise AnnotationError(f"{where}: annotation not directly above a resource header")
        for offset, line in enumerate(block):
            if INVALID.search(line):
                continue
            found += _notes(line, address, first + offset + 1, f"{path}:{first + offset + 1}")
    return found


def _terraform(path: Path, text: str) -> list:
    lines = text.splitlines()

    def header_at(i):
        m = TF_HEADER.match(lines[i])
        return f"{m['type']}.{m['name']}" if m else None

    return _bind_comments(path, lines, header_at)


def _yaml_resource_lines(lines: list) -> dict:
    """{line index: logical id} of the keys directly under the top-level `Resources:` section."""
    out, inside, indent = {}, False, None
    for i, line in enumerate(lines):
        if not line.strip() or _is_comment(line):
            continue
        m = YAML_KEY.match(line)
        if not line[0].isspace():
            inside = bool(m) and m["key"] == "Resources"
            indent = None
            continue
        if inside and m:
            width = len(m["indent"])
            indent = width if indent is None else indent
            if width == indent:
                out[i] = m["key"]
    return out


class _AnyTagLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short-form tags (`!Ref`, `!If` ...) read as plain values."""


_AnyTagLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def _metadata_notes(path: Path, template: dict, line_of) -> list:
    found = []
    resources = template.get("Resources") if isinstance(template, dict) else None
    for logical_id, body in (resources or {}).items():
        meta = body.get("Metadata") if isinstance(body, dict) else None
        notes = meta.get("rlint-test") if isinstance(meta, dict) else None
        if notes is None:
            continue
        for note in notes if isinstance(notes, list) else [notes]:
            if not isinstance(note, str) or not NOTE.search(note):
                raise AnnotationError(f"{path}: {logical_id}: rlint-test Metadata is not an annotation: {note!r}")
            found += _notes(note, logical_id, line_of(logical_id), f"{path}: {logical_id}")
    return found


def _yaml(path: Path, text: str) -> list:
    lines = text.splitlines()
    headers = _yaml_resource_lines(lines)
    found = _bind_comments(path, lines, headers.get)
    by_id = {v: k + 1 for k, v in headers.items()}
    try:
        template = yaml.load(text, Loader=_AnyTagLoader)
    except yaml.YAMLError:  # a broken or multi-document file (robustness fixtures): comments only
        return found
    found += _metadata_notes(path, template or {}, lambda i: by_id.get(i, 0))
    return found


def _json(path: Path, text: str) -> list:
    try:
        template = json.loads(text)
    except ValueError:  # a broken template (robustness fixtures) carries no annotations
        return []

    def line_of(logical_id):
        m = re.search(rf'^\s*"{re.escape(logical_id)}"\s*:', text, re.M)
        return text.count("\n", 0, m.start()) + 1 if m else 0

    return _metadata_notes(path, template, line_of)


def read(path: Path) -> list:
    """Every annotation in a fixture file, in source order; AnnotationError on one that binds to nothing."""
    path = Path(path)
    text = path.read_text(errors="replace")
    if path.suffix == ".tf":
        return _terraform(path, text)
    if path.suffix in (".yaml", ".yml", ".template"):
        return _yaml(path, text)
    if path.suffix == ".json" and not path.name.endswith(".tf.json"):
        return _json(path, text)
    return []


def invalid_reason(path: Path) -> Optional[str]:
    """The reason a fixture is invalid for its engine on purpose, or None."""
    path = Path(path)
    text = path.read_text(errors="replace")
    if path.suffix == ".json":
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        meta = data.get("Metadata") if isinstance(data, dict) else None
        note = meta.get("rlint-test") if isinstance(meta, dict) else None
        m = INVALID.search(f"rlint-test: {note}") if isinstance(note, str) else None
        if m:
            return m["reason"].strip()
        if data is not None:
            return None
    for line in text.splitlines():
        if _is_comment(line) or line.lstrip().startswith("//"):
            m = INVALID.search(line)
            if m:
                return m["reason"].strip()
    return None
