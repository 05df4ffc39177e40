"""A fix as the terminal shows it: the changed lines of the file with a little context, not the whole resource.

Computed from the edits themselves (offset ranges into the file's text), so no general diff algorithm is
needed: each edit touches whole lines from the one holding its start to the one holding its end; touched
ranges that meet are merged into one hunk.
"""
from __future__ import annotations

from .apply import Edit, apply_edits, text_index

CONTEXT = 1  # unchanged lines shown around each change


def edit_diff(text: str, edits: list, context: int = CONTEXT) -> tuple:
    """((old line number or None, marker, text), ...): marker " " context, "-" removed, "+" added; a gap between
    hunks is (None, "@", "")."""
    if not edits:
        return ()
    index = text_index(text)
    last = len(index.starts) - (1 if text.endswith("\n") else 0)  # the number of lines
    out: list = []
    cursor = 0  # the last old line printed

    def lines(upto: int) -> None:
        nonlocal cursor
        out.extend((n, " ", index.line_text(n)) for n in range(cursor + 1, upto + 1))
        cursor = max(cursor, upto)

    for lo, removed, added in _changes(text, index, edits):
        if cursor:
            lines(min(cursor + context, lo - 1))  # the previous change's context after it
        start = max(1, lo - context, cursor + 1)
        if cursor and start > cursor + 1:
            out.append((None, "@", ""))
        cursor = max(cursor, start - 1)
        lines(lo - 1)
        out.extend((lo + i, "-", line) for i, line in enumerate(removed))
        out.extend((None, "+", line) for line in added)
        cursor = max(cursor, lo + len(removed) - 1)
    lines(min(last, cursor + context))
    return tuple(out)


def _changes(text: str, index, edits: list) -> list:
    """(first old line, old lines removed, new lines added) per group of edits on the same lines, in order."""
    last = len(index.starts)  # a group ending on the last line runs to the end of the text
    groups: list = []  # [first line, last line, [edits]]
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        first = _line_of(index, e.start)
        end_line = _line_of(index, max(e.start, e.end - 1)) if e.end > e.start else first
        if groups and first <= groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], end_line)
            groups[-1][2].append(e)
        else:
            groups.append([first, end_line, [e]])
    out = []
    for first, end_line, inside in groups:
        start = index.starts[first - 1]
        stop = index.starts[end_line] if end_line < last else len(text)
        old = text[start:stop].splitlines()
        new = apply_edits(text[start:stop], [Edit(e.start - start, e.end - start, e.text) for e in inside]).splitlines()
        head = _common_prefix(old, new)
        tail = _common_prefix(old[head:][::-1], new[head:][::-1])
        out.append((first + head, old[head:len(old) - tail], new[head:len(new) - tail]))
    return out


def _line_of(index, offset: int) -> int:
    """The 1-based line holding a character offset."""
    lo, hi = 0, len(index.starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if index.starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1


def _common_prefix(a: list, b: list) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n
