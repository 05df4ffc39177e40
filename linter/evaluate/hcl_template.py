"""HCL string templates ("a ${x}", heredocs, %{if}/%{for} directives) evaluated as HCL evaluates them.

HCL first turns a template into a flat token list (literal text, `${...}`, `%{if}`, `%{else}`, `%{endif}`,
`%{for}`, `%{endfor}`; in a heredoc each line's text is its own literal token), then applies the strip markers
(`~` after an opener trims the whitespace at the end of the literal token just before it, `~` before a closer
the whitespace at the start of the literal token after it), then for `<<-` heredocs removes the smallest
indentation of the lines, measured on those tokens, and only then nests the directives. The order matters:
`%{~ for ~}` alone on its line both removes its own line's indentation and stops that line from counting.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Optional

from ..model import AzToken, PartialString, Unknown, collect_refs, first_unknown
from .functions import EvalError, Undecidable, iterate_pairs, to_bool, to_string

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{")


def unescape(text: str) -> str:
    """A quoted string's text with its escapes resolved, in Unicode NFC as Terraform holds every string."""
    return nfc(_ESCAPE_RE.sub(_escape, text))


def nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _escape(m) -> str:
    s = m.group(0)
    if s == "$${":
        return "${"
    if s == "%%{":
        return "%{"
    code = m.group(1)
    if code[0] in "uU":
        return chr(int(code[1:], 16))
    return _ESCAPES.get(code, code)


class _Lit:
    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


class _Tag:
    """A `${...}` or a directive marker, with its strip markers."""

    __slots__ = ("kind", "node", "open_strip", "close_strip", "expr")

    def __init__(self, kind: str, node):
        self.kind = kind  # interp | if | else | endif | for | endfor
        self.node = node
        kids = [c for c in node.children if c.type != "comment"]
        self.open_strip = len(kids) > 1 and kids[1].type == "strip_marker"
        self.close_strip = len(kids) > 2 and kids[-2].type == "strip_marker"
        # its first expression (what `${...}` renders), read from the same children
        self.expr = next((c for c in kids if c.type == "expression"), None)


_MARKERS = {"template_interpolation": "interp", "template_if_intro": "if", "template_else_intro": "else",
            "template_if_end": "endif", "template_for_start": "for", "template_for_end": "endfor"}


def _tags(node, out: list) -> None:
    for child in node.children:
        kind = _MARKERS.get(child.type)
        if kind is not None:
            out.append(_Tag(kind, child))
        elif child.type in ("template_directive", "template_if", "template_for"):
            _tags(child, out)


def tokens(ev, node, start: int, end: int, heredoc: bool) -> list:
    """The template between byte offsets start and end as HCL's flat token list, before stripping."""
    tags: list = []
    _tags(node, tags)
    out: list = []
    pos = start
    for tag in tags:
        if tag.node.start_byte < start or tag.node.end_byte > end:
            continue
        if tag.node.start_byte > pos:
            _literal(ev.source[pos:tag.node.start_byte].decode(errors="replace"), heredoc, out)
        out.append(tag)
        pos = tag.node.end_byte
    if end > pos:
        _literal(ev.source[pos:end].decode(errors="replace"), heredoc, out)
    return out


def _literal(raw: str, heredoc: bool, out: list) -> None:
    if not heredoc:
        out.append(_Lit(unescape(raw)))
        return
    text = nfc(raw.replace("$${", "${").replace("%%{", "%{"))
    for line in text.splitlines(keepends=True):  # a heredoc's literal text is one token per line
        out.append(_Lit(line))


def strip(parts: list) -> list:
    """Apply the strip markers exactly where HCL's parser applies them."""
    ltrim_next = False
    can_trim_prev_next = False
    done: list = []
    for tok in parts:
        ltrim, ltrim_next = ltrim_next, False
        can_trim_prev, can_trim_prev_next = can_trim_prev_next, False
        if isinstance(tok, _Lit):
            if ltrim:
                tok.text = tok.text.lstrip()
            can_trim_prev_next = True
        else:
            if can_trim_prev and tok.open_strip and done and isinstance(done[-1], _Lit):
                done[-1].text = done[-1].text.rstrip()
            ltrim_next = tok.close_strip
        done.append(tok)
    return done


def flush(parts: list) -> None:
    """`<<-`: remove the smallest indentation of the lines, where a line that starts with `${` or `%{` counts
    as unindented and a blank line does not count."""
    least = None
    adjust = []
    newline = True
    for tok in parts:
        if newline:
            newline = False
            spaces = 0
            if isinstance(tok, _Lit):
                trimmed = tok.text.lstrip()
                if not trimmed and tok.text.endswith("\n"):
                    spaces = None
                else:
                    spaces = len(tok.text) - len(trimmed)
                    adjust.append(tok)
            if spaces is not None and (least is None or spaces < least):
                least = spaces
        if isinstance(tok, _Lit) and tok.text.endswith("\n"):
            newline = True
    for tok in adjust:
        tok.text = tok.text[least or 0:]


def meld(parts: list) -> list:
    out: list = []
    for tok in parts:
        if isinstance(tok, _Lit) and out and isinstance(out[-1], _Lit):
            out[-1] = _Lit(out[-1].text + tok.text)
        else:
            out.append(tok)
    return out


# -- nesting and evaluating -------------------------------------------------------------------------------
def _nest(parts: list, i: int = 0, until: tuple = ()) -> tuple:
    """Items up to one of the kinds in `until`: ("lit", text) | ("interp", tag) | ("if", tag, then, else) |
    ("for", tag, body). Returns (items, index of the closing tag or len)."""
    items: list = []
    while i < len(parts):
        tok = parts[i]
        if isinstance(tok, _Lit):
            items.append(("lit", tok.text))
            i += 1
            continue
        if tok.kind in until:
            return items, i
        if tok.kind == "interp":
            items.append(("interp", tok))
            i += 1
        elif tok.kind == "if":
            then, j = _nest(parts, i + 1, ("else", "endif"))
            other: list = []
            if j < len(parts) and parts[j].kind == "else":
                other, j = _nest(parts, j + 1, ("endif",))
            items.append(("if", tok, then, other))
            i = j + 1
        elif tok.kind == "for":
            body, j = _nest(parts, i + 1, ("endfor",))
            items.append(("for", tok, body))
            i = j + 1
        else:  # an unbalanced else/endif/endfor: Terraform rejects the template
            items.append(("bad", tok))
            i += 1
    return items, i


def evaluate(ev, node, scope: dict, start: int, end: int, heredoc: bool = False, flush_indent: bool = False,
             kids: Optional[list] = None):
    items = None if heredoc else _plain_items(ev, node.children if kids is None else kids, start, end)
    if items is not None:
        if len(items) == 1 and items[0][0] == "interp":
            return _interp_value(ev, items[0][1], scope)
        zone = _region_zone(ev, items, scope)
        return zone if zone is not None else _render(ev, items, scope)
    parts = strip(tokens(ev, node, start, end, heredoc))
    if flush_indent:
        flush(parts)
    parts = meld(parts)
    if len(parts) == 1 and isinstance(parts[0], _Tag) and parts[0].kind == "interp":
        # "${expr}" alone is the expression's own value, not its string form
        return _interp_value(ev, parts[0], scope)
    items, _ = _nest(parts)
    return _render(ev, items, scope)


def _plain_items(ev, kids: list, start: int, end: int) -> Optional[list]:
    """The nested items of a quoted template made only of text and `${...}` without strip markers (most
    strings: `"${var.name}-db"`), read straight from its children; None for any other template. There is
    nothing to strip, indent or nest, so this is what `tokens`, `strip`, `meld` and `_nest` would give."""
    items: list = []
    pos = start
    for child in kids:
        if child.type == "template_interpolation":
            tag = _Tag("interp", child)
            if tag.open_strip or tag.close_strip:
                return None
            if child.start_byte > pos:
                items.append(("lit", unescape(ev.source[pos:child.start_byte].decode(errors="replace"))))
            items.append(("interp", tag))
            pos = child.end_byte
        elif child.type in ("template_directive", "template_if", "template_for"):
            return None
    if end > pos:
        items.append(("lit", unescape(ev.source[pos:end].decode(errors="replace"))))
    return items


_REGION_READ = re.compile(r"data\.aws_region\.[A-Za-z_][\w-]*\.(name|region|id)")


def _region_zone(ev, items: list, scope: dict) -> Optional[AzToken]:
    """`"${data.aws_region.current.name}a"`: the zone of that letter in the Region the data source reads, as
    CloudFormation's `!Sub "${AWS::Region}a"`. Its name is known only at plan time, but two letters are two
    zones and one letter is one zone (source: the data source's attribute, with the module's address)."""
    if len(items) != 2 or items[0][0] != "interp" or items[1][0] != "lit" or \
            len(items[1][1]) != 1 or not "a" <= items[1][1] <= "z" or items[0][1].expr is None:
        return None
    expr = items[0][1].expr
    text = ev.source[expr.start_byte:expr.end_byte].decode(errors="replace").strip()
    if not _REGION_READ.fullmatch(text):
        return None
    value = _interp_value(ev, items[0][1], scope)
    if type(value) is not Unknown or len(value.refs) != 1:
        return None
    (address, attr), = value.refs  # the data source's address in the scan (`module.net.data.aws_region.x`)
    return AzToken(f"${{{address}.{attr}}}", ord(items[1][1]) - ord("a"), value.refs)


def _interp_value(ev, tag: _Tag, scope: dict) -> Any:
    return ev.eval(tag.expr, scope) if tag.expr is not None else Unknown("error: empty interpolation")


def _render(ev, items: list, scope: dict):
    out: list = []  # the known text and, in their places, the unknown values
    unknowns: list = []
    for item in items:
        kind = item[0]
        if kind == "lit":
            out.append(item[1])
        elif kind == "interp":
            v = _interp_value(ev, item[1], scope)
            if isinstance(v, Unknown) or first_unknown(v) is not None:
                _hole(out, unknowns, v)
                continue
            if v is None:
                return Unknown("error: template: a null value cannot be part of a string")
            try:
                out.append(to_string(v))
            except EvalError as exc:
                return Unknown(f"error: template: {exc}")
            except Undecidable as exc:
                _hole(out, unknowns, Unknown(f"template: {exc}"))
        elif kind == "if":
            v = _if(ev, item, scope)
            if isinstance(v, Unknown):
                _hole(out, unknowns, v)
            else:
                out.append(v)
        elif kind == "for":
            v = _for(ev, item, scope)
            if isinstance(v, Unknown):
                _hole(out, unknowns, v)
            else:
                out.append(v)
        else:
            return Unknown("error: template: unbalanced directives")
        if unknowns and isinstance(unknowns[-1], Unknown) and unknowns[-1].reason.startswith("error:"):
            return unknowns[-1]  # Terraform rejects the template: try() must see the error
    if unknowns:  # each is an Unknown or holds one (only such values are holes)
        return PartialString.of(out, first_unknown(unknowns).reason, collect_refs(unknowns), nfc)
    return nfc("".join(out))


def _hole(out: list, unknowns: list, value) -> None:
    """An unknown value in a template: it holds its place among the known text (PartialString.of)."""
    out.append(value)
    unknowns.append(value)


def _if(ev, item, scope: dict):
    _kind, tag, then, other = item
    exprs = [c for c in tag.node.named_children if c.type == "expression"]
    cond = ev.eval(exprs[0], scope) if exprs else Unknown("error: empty if")
    if isinstance(cond, Unknown):
        return cond
    try:
        truth = to_bool(cond)
    except EvalError as exc:
        return Unknown(f"error: template if: {exc}")
    return _render(ev, then if truth else other, scope)


def _for(ev, item, scope: dict):
    _kind, tag, body = item
    names = [ev.text(c) for c in tag.node.named_children if c.type == "identifier"]
    exprs = [c for c in tag.node.named_children if c.type == "expression"]
    coll = ev.eval(exprs[0], scope) if exprs else Unknown("error: empty for")
    if isinstance(coll, Unknown):
        return coll
    if not isinstance(coll, (list, dict)):
        return Unknown(f"error: template for over a {type(coll).__name__}")
    pieces: list = []
    for key, value in iterate_pairs(coll):
        inner = dict(scope)
        if len(names) == 2:
            inner[names[0]], inner[names[1]] = key, value
        elif names:
            inner[names[0]] = value
        piece = _render(ev, body, inner)
        if isinstance(piece, Unknown):
            return piece
        pieces.append(piece)
    return "".join(pieces)


def quoted_range(node, kids: Optional[list] = None) -> Optional[tuple]:
    """(start, end) bytes of a quoted template's content, between its quotes (`kids`: its children when the
    caller has read them already)."""
    kids = node.children if kids is None else kids
    if not kids or kids[0].type != "quoted_template_start":
        return None
    end = kids[-1].start_byte if kids[-1].type == "quoted_template_end" else node.end_byte
    return kids[0].end_byte, end
