"""Keep a fixed Terraform file as `terraform fmt` would leave it where the fix wrote.

`terraform fmt` aligns the `=` of consecutive one-line assignments (and the trailing comments of consecutive
lines). A fix that adds `redrive_policy = ...` under `endpoint  = ...` or changes a one-line value into a
multi-line one leaves that run misaligned, and a team whose CI runs `terraform fmt -check` would see its build
fail after `rlint fix`. Only the runs that hold or touch a changed line are realigned: the rest of the file
stays as its authors wrote it.

The rules are hclwrite's (the formatter behind `terraform fmt`): a line takes part in the `=` alignment when its
first `=` is not its first token and the brackets opened from that `=` to the end of the line are all closed
there (a heredoc opener counts as closed); a line without such an `=` (a blank line, a comment, a block's brace,
a multi-line value's first line) ends the run. The `=` of a run stands one space after its longest left-hand
side; a multi-line value's `=` gets one space. Trailing comments of consecutive lines align one space after the
longest code among them.
"""
from __future__ import annotations

from typing import Optional

_OPENERS = {"{", "[", "("}  # a string or heredoc is one token here: its `${`/`%{` close inside it
_CLOSERS = {"}", "]", ")"}


def align_like_fmt(old: str, new: str) -> str:
    """`new` (the fixed text of `old`) with the alignment runs around its changed lines as `terraform fmt`
    leaves them; unchanged when nothing changed or tree-sitter finds a syntax error."""
    old_lines, lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    changed = _changed_rows(old_lines, lines)
    if not changed:
        return new
    cells = _cells(new)
    if cells is None:
        return new
    equals, comments, inside = cells
    body = [line.rstrip("\r\n") for line in lines]
    ends = [line[len(text):] for line, text in zip(lines, body)]
    near = {r + d for r in changed for d in (-1, 0, 1)}
    moved = _align_equals(body, equals, inside, changed, near)
    _align_comments(body, comments, inside, changed | set(moved), moved)
    return "".join(text + end for text, end in zip(body, ends))


def _changed_rows(old_lines: list, lines: list) -> set:
    """0-based rows of `lines` that the fix inserted or rewrote; a deletion marks the rows around it."""
    import difflib  # only `rlint fix` writes: a scan (whose snippets import this module) never needs it

    rows: set = set()
    for tag, _i1, _i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, lines, autojunk=False).get_opcodes():
        if tag in ("replace", "insert"):
            rows.update(range(j1, j2))
        elif tag == "delete":
            rows.update((j1 - 1, j1))
    return {r for r in rows if 0 <= r < len(lines)}


def _cells(text: str) -> Optional[tuple]:
    """({row: (column of its first `=`, whether that `=` aligns)}, {row: column of a trailing comment},
    rows of heredoc bodies), columns in characters; None when the text does not parse."""
    from ..parsers.terraform import _parser

    source = text.encode("utf-8")
    tree = _parser().parse(source)
    if tree.root_node.has_error:
        return None
    rows = source.split(b"\n")
    leaves: dict = {}  # row -> [(byte column, token type)]
    inside: set = set()
    _collect_leaves(tree.root_node, leaves, inside)

    def char_column(row: int, byte_column: int) -> int:
        return len(rows[row][:byte_column].decode("utf-8", errors="replace"))

    equals: dict = {}
    comments: dict = {}
    for row, tokens in leaves.items():
        tokens.sort()
        code = [t for t in tokens if t[1] != "comment"]
        if tokens[-1][1] == "comment" and code:
            comments[row] = char_column(row, tokens[-1][0])
        for i, (column, kind) in enumerate(code):
            if kind == "=":
                if i > 0:
                    opened = sum(1 if k in _OPENERS else -1 if k in _CLOSERS else 0 for _c, k in code[i:])
                    equals[row] = (char_column(row, column), opened == 0)
                break
    return equals, comments, inside


def _collect_leaves(node, leaves: dict, inside: set) -> None:
    if node.type in ("heredoc_template", "quoted_template", "string_lit"):
        # one token on the row that opens it: a string's `${` ... `}` close on their line, and fmt reads a
        # heredoc, body and closing marker, as part of that line (its body holds no `=` fmt aligns)
        leaves.setdefault(node.start_point[0], []).append((node.start_point[1], "string"))
        inside.update(range(node.start_point[0] + 1, node.end_point[0] + 1))
        return
    if node.child_count == 0 or node.type == "comment":
        leaves.setdefault(node.start_point[0], []).append((node.start_point[1], node.type))
        return
    for child in node.children:
        _collect_leaves(child, leaves, inside)


def _align_equals(body: list, equals: dict, inside: set, changed: set, near: set) -> dict:
    """Realign every run of aligning `=` that holds a row in `near`; a changed multi-line value's `=` gets
    one space. Returns {row: characters its text moved by}."""
    moved: dict = {}
    runs: list = []
    run: list = []
    for row in range(len(body)):
        if row in inside:
            continue
        if row in equals and equals[row][1]:
            run.append(row)
            continue
        if run:
            runs.append(run)
            run = []
        if row in changed and row in equals:
            _set_space(body, row, equals[row][0], 1, moved)
    if run:
        runs.append(run)
    for run in runs:
        if not near.intersection(run):
            continue
        width = max(len(body[row][:equals[row][0]].rstrip()) for row in run)
        for row in run:
            lead = len(body[row][:equals[row][0]].rstrip())
            _set_space(body, row, equals[row][0], width - lead + 1, moved)
    return moved


def _set_space(body: list, row: int, column: int, spaces: int, moved: dict) -> None:
    text = body[row]
    new = text[:column].rstrip() + " " * spaces + text[column:]
    if new != text:
        body[row] = new
        moved[row] = len(new) - len(text)


def _align_comments(body: list, comments: dict, inside: set, touched: set, moved: dict) -> None:
    """Realign the runs of trailing comments that hold a touched row (comment columns were read before any
    `=` moved: a move shifts the rest of its line)."""
    run: list = []
    for row in range(len(body) + 1):
        if row in inside:
            continue
        if row in comments:
            run.append(row)
            continue
        if run and touched.intersection(run):
            at = {r: comments[r] + moved.get(r, 0) for r in run}
            width = max(len(body[r][:at[r]].rstrip()) for r in run)
            for r in run:
                lead = body[r][:at[r]].rstrip()
                body[r] = lead + " " * (width - len(lead) + 1) + body[r][at[r]:]
        run = []
