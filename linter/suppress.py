"""Suppressions: inline comments, CloudFormation Metadata, checkov skip comments; RL003 and RL004.

Inline (Terraform and YAML):  `# rlint:ignore RL101,rds-single-az -- reason` (also `//`) on a comment
line directly above a resource header, or anywhere inside its block, covers that resource.
`# rlint:ignore-file RL401 -- reason` before the first block covers the whole file.
CloudFormation Metadata: `Metadata: {rlint: {ignore: [{id: RL101, reason: "..."}]}}` or `ignore: [RL101]`.
Checkov: `#checkov:skip=CKV_AWS_157:reason` suppresses the rules that declare that checkov id.
tfsec and trivy: `#tfsec:ignore:aws-dynamodb-enable-recovery` or `#trivy:ignore:AVD-AWS-0024` (several on one
line, an optional `:exp:YYYY-MM-DD` after which it no longer applies, text after the id as the reason) suppress
the rules that declare that check (`trivy_ids`: the AVD id and the long name, in any case). One with a `[...]`
qualifier (a workspace or attribute values) is narrower than a resource and is left to trivy.
Suppressions match (file, resource, rule), never text lines, so they survive reformatting.

Declarations that a resource's data is recreatable are written the same way and parsed here:
`# rlint:recreatable -- reason` (also `//`) above a resource header or inside its block, or CloudFormation
`Metadata: {rlint: {recreatable: "reason"}}`. The engine binds them to resources before the rules run
(linter/declare.py); the data-value model reads them (rules/data_value.py, class `declared`).
"""
from __future__ import annotations

import re
import datetime
from dataclasses import dataclass, field
from typing import Optional

from .lazy_regex import lazy_regex
from .model import Comment, Resource, Span

_INLINE = re.compile(r"^\s*(?:#|//)\s*rlint:\s*(?P<kind>ignore-file|ignore)\b\s*(?P<rest>.*)$")
# checkov reads the id up to the first character that cannot be in one: `:reason`, or a space and free text
_CHECKOV = re.compile(r"^\s*(?:#|//)\s*checkov:skip=(?P<id>[A-Z0-9_]+)(?::(?P<reason>.*)|\s+(?P<text>.*))?$")
_TRIVY_COMMENT = re.compile(r"^\s*(?:#|//)\s*(?:tfsec|trivy):ignore:", re.I)
_TRIVY = lazy_regex(r"(?P<tool>tfsec|trivy):ignore:(?P<id>[A-Za-z0-9_-]+)(?P<qualified>\[)?"
                    r"(?::exp:(?P<exp>\d{4}-\d{2}-\d{2}))?", re.I)
_RECREATABLE = re.compile(r"^\s*(?:#|//)\s*rlint:\s*recreatable\b\s*(?P<rest>.*)$")
_METADATA_KEYS = ("ignore", "recreatable")
# directives of other linters: unknown ids are their business (no RL003), and they are never RL004
FOREIGN = frozenset({"checkov", "trivy"})


@dataclass(eq=False)
class Directive:
    kind: str  # inline | metadata | checkov | trivy (also tfsec's comments) | recreatable (a declaration)
    span: Span
    rule_keys: list  # ids or names as written
    reason: str
    file_level: bool = False
    resource: Optional[Resource] = None  # None: file level or not attached to any resource
    module_call: Optional[tuple] = None  # (address, span) of the module call block it is on, in one root
    rule_ids: set = field(default_factory=set)  # resolved ids
    problem: str = ""  # non-empty: invalid (RL003)
    used: bool = False

    def covers(self, rule_id: str, res: Optional[Resource], file: str) -> bool:
        if self.problem or rule_id not in self.rule_ids:
            return False
        if self.file_level:
            return file == self.span.file
        if res is None:
            return False
        if self.module_call is not None:
            return self.module_call[1] in (span for _address, span in res.meta.get("module_calls", ()))
        if self.resource is None:
            return False
        # every instance of the block (count, for_each, each call of its module) shares the block's header
        return self.resource is res or (res.file == self.resource.file and res.span == self.resource.span)


def _split_reason(rest: str) -> tuple:
    body, sep, reason = rest.partition("--")
    return body, reason.strip() if sep else ""


def parse_comment(comment: Comment) -> Optional[Directive]:
    text = comment.text
    span = Span(comment.file, comment.line, comment.column, comment.line, comment.column + len(text))
    m = _INLINE.match(text)
    if m:
        body, reason = _split_reason(m.group("rest"))
        keys = [k for k in re.split(r"[\s,\[\]]+", body) if k]
        return Directive("inline", span, keys, reason, file_level=m.group("kind") == "ignore-file")
    m = _CHECKOV.match(text)
    if m:
        reason = m.group("reason") if m.group("reason") is not None else (m.group("text") or "").strip().strip("'\"")
        return Directive("checkov", span, [m.group("id")], reason.strip())
    if _TRIVY_COMMENT.match(text):
        return _trivy(text, span)
    return None


def parse_declaration(comment: Comment) -> Optional[Directive]:
    """`# rlint:recreatable -- reason`: the team declares the resource's data recreatable. Without a reason it
    declares nothing (its `problem` becomes RL003)."""
    m = _RECREATABLE.match(comment.text)
    if m is None:
        return None
    span = Span(comment.file, comment.line, comment.column, comment.line, comment.column + len(comment.text))
    body, reason = _split_reason(m.group("rest"))
    d = Directive("recreatable", span, [], reason)
    if body.strip():
        d.problem = ("rlint:recreatable takes no rule ids (it declares the data for every rule that judges data) "
                     "and only a reason after `--`: `# rlint:recreatable -- why the data can be recreated`")
    elif not reason:
        d.problem = ("rlint:recreatable has no reason and declares nothing: write "
                     "`# rlint:recreatable -- why the data can be recreated`")
    return d


def metadata_declaration(res: Resource) -> Optional[Directive]:
    """CloudFormation `Metadata: {rlint: {recreatable: "reason"}}`, bound to its resource, or None."""
    meta = res.attrs.get("Metadata") if res.format == "cloudformation" else None
    if not isinstance(meta, dict) or not isinstance(meta.get("rlint"), dict) or "recreatable" not in meta["rlint"]:
        return None
    reason = meta["rlint"]["recreatable"]
    span = res.attr_spans.get(("Metadata", "rlint", "recreatable")) or res.attr_spans.get(("Metadata", "rlint")) \
        or res.span
    d = Directive("recreatable", span, [], reason.strip() if isinstance(reason, str) else "", resource=res)
    if not d.reason:
        d.problem = ("Metadata rlint.recreatable needs the reason as a string (why the data can be recreated); "
                     "it declares nothing")
    return d


def _trivy(text: str, span: Span, today: Optional[datetime.date] = None) -> Optional[Directive]:
    """A tfsec/trivy ignore comment: the ids it names that are still in force, the text after the last as the
    reason."""
    today = today or datetime.datetime.now(datetime.timezone.utc).date()
    keys, end = [], 0
    for m in _TRIVY().finditer(text):
        end = m.end()
        if m.group("qualified"):
            continue
        if m.group("exp") and datetime.date.fromisoformat(m.group("exp")) < today:
            continue  # expired: tfsec and trivy report the finding again
        keys.append(m.group("id").lower())
    if not keys:
        return None
    reason = text[end:].strip().lstrip(":-\u2014 ").strip().strip("'\"")
    return Directive("trivy", span, keys, reason)


def attach(directives: list, resources: list, first_block_line: dict, runs: dict) -> None:
    """Bind each directive to the resource whose block contains it or whose header follows it."""
    by_file: dict = {}
    calls_by_file: dict = {}  # file -> {span: address} of the module call blocks written in it
    for res in resources:
        by_file.setdefault(res.file, []).append(res)
        for address, span in res.meta.get("module_calls", ()):
            calls_by_file.setdefault(span.file, {}).setdefault(span, address)
    for d in directives:
        if d.kind == "metadata":
            continue
        candidates = by_file.get(d.span.file, [])
        if d.file_level:
            first = first_block_line.get(d.span.file)
            if first is not None and d.span.line > first:
                d.problem = "rlint:ignore-file must come before the first block of the file"
            continue
        run_end = runs.get((d.span.file, d.span.line), d.span.line)
        d.resource = _owner(d.span.line, d.span.column, candidates, run_end)
        if d.resource is None:
            d.module_call = _call_owner(d.span.line, calls_by_file.get(d.span.file, {}), run_end)


def _owner(line: int, column: int, resources: list, run_end: int) -> Optional[Resource]:
    # a directive in the run of comment lines directly above a header, indented no deeper than the header, covers
    # that resource: a YAML resource's block runs on to the next logical id, over the comments above it
    for res in resources:
        if res.span.line == run_end + 1 and column <= res.span.column:
            return res
    for res in resources:
        whole = res.end_span or res.span
        if whole.line <= line <= whole.end_line:
            return res
    # a directive in the run of comment lines directly above a header covers that resource
    for res in resources:
        if res.span.line == run_end + 1:
            return res
    return None


def _call_owner(line: int, calls: dict, run_end: int) -> Optional[tuple]:
    """The module call block containing the line, or whose header follows its comment run: (address, span).
    A call's instances (count, for_each) share its block; the address is shown without the instance key."""
    for span, address in calls.items():
        if span.line <= line <= span.end_line or span.line == run_end + 1:
            return (address.rsplit("[", 1)[0] if address.endswith("]") else address, span)
    return None


def unit_comments(units: list) -> tuple:
    """([Comment] of the units, each once: a module file read by several callers brings its comments once,
    {file: the line of its first block})."""
    comments: list = []
    first_block: dict = {}
    seen: set = set()
    for unit in units:
        for c in unit.comments:
            if (c.file, c.line, c.column) not in seen:
                seen.add((c.file, c.line, c.column))
                comments.append(c)
        first_block.update(unit.first_block_line)
    return comments, first_block


def comment_runs(comments: list) -> dict:
    """(file, line) of each comment -> the last line of the run of consecutive comment lines it is in."""
    lines_by_file: dict = {}
    for c in comments:
        lines_by_file.setdefault(c.file, set()).add(c.line)
    out: dict = {}
    for file, lines in lines_by_file.items():
        for line in sorted(lines, reverse=True):
            out[(file, line)] = out[(file, line + 1)] if line + 1 in lines else line
    return out


def metadata_directives(res: Resource) -> list:
    meta = res.attrs.get("Metadata") if res.format == "cloudformation" else None
    if not isinstance(meta, dict) or not isinstance(meta.get("rlint"), dict):
        return []
    span = res.attr_spans.get(("Metadata", "rlint")) or res.span
    unknown = sorted(str(k) for k in meta["rlint"] if k not in _METADATA_KEYS)
    out = []
    if unknown:
        d = Directive("metadata", span, [], "", problem=f"Metadata rlint has unknown key {', '.join(map(repr, unknown))}"
                      f" (allowed: {', '.join(_METADATA_KEYS)})")
        d.resource = res
        out.append(d)
    if "ignore" not in meta["rlint"] and (out or "recreatable" in meta["rlint"]):
        return out  # only a declaration (metadata_declaration) or an unknown key
    ignore = meta["rlint"].get("ignore")
    for entry in ignore if isinstance(ignore, list) else [ignore]:
        if isinstance(entry, str):
            d = Directive("metadata", span, [entry], "")
        elif isinstance(entry, dict) and isinstance(entry.get("id"), str):
            d = Directive("metadata", span, [entry["id"]], str(entry.get("reason") or "").strip())
        else:
            d = Directive("metadata", span, [], "", problem="Metadata rlint.ignore entries need an id")
        d.resource = res
        out.append(d)
    return out


def resolve(directives: list, catalogue: dict, require_reason: bool) -> None:
    """Turn the written keys into rule ids; mark invalid directives (they become RL003)."""
    by_name = {r.name: r.id for r in catalogue.values()}
    by_checkov: dict = {}
    by_trivy: dict = {}
    for r in catalogue.values():
        for cid in getattr(r, "checkov_ids", ()):
            by_checkov.setdefault(cid, set()).add(r.id)
        for tid in getattr(r, "trivy_ids", ()):
            by_trivy.setdefault(tid.lower(), set()).add(r.id)
    for d in directives:
        if d.problem:
            continue
        if d.kind == "checkov":
            d.rule_ids = by_checkov.get(d.rule_keys[0], set())
            continue  # checkov ids rlint does not map are checkov's business, not an error
        if d.kind == "trivy":
            d.rule_ids = set().union(*(by_trivy.get(k, set()) for k in d.rule_keys))
            continue
        unknown = []
        for key in d.rule_keys:
            rid = key.upper() if key.upper() in catalogue else by_name.get(key)
            if rid is None:
                unknown.append(key)
            else:
                d.rule_ids.add(rid)
        if not d.rule_keys:
            d.problem = "suppression names no rule (blanket suppressions are not allowed)"
        elif unknown:
            from .selection import did_you_mean

            d.problem = f"suppression names unknown rule {', '.join(k + did_you_mean(k) for k in unknown)}"
        elif require_reason and not d.reason:
            d.problem = "suppression has no reason (add `-- reason`; require_reason is on)"
