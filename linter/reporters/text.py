"""The human report: one line per finding, its fix snippet, and a summary line."""
from __future__ import annotations

from ..fold import covered
from ..model import Outcome, Severity, root_implied
from .options import ReportOptions

# a fix that adds a whole backup plan is long: the terminal gets its start, the JSON report all of it
SNIPPET_LINES = 24
ADDED_LINES = 8  # added lines shown in a row before the rest is summed up
MORE = "(`rlint fix` shows the whole change; the JSON and SARIF reports carry it)"
DIFF_COLOURS = {"-": "31", "+": "32"}
_COLOURS = {"high": "31", "medium": "33", "low": "36", "info": "37", "unknown": "35"}


def _paint(text: str, code: str, on: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if on else text


def render(result, options: ReportOptions = None) -> str:
    options = options or ReportOptions()
    lines: list = []
    listed = options.show_unknown or options.strict  # with --strict an unknown fails: say which
    shown = [f for f in result.findings if f.suppressed is None
             and (f.outcome is Outcome.FAIL or listed)]
    if not options.quiet:
        for f in shown:
            lines.extend(_finding(f, options))
    if not options.quiet:
        lines.extend(f"note: {n}" for n in scan_notes(result))
        if listed:
            lines.extend(not_read_lines(result))
    if not options.quiet and getattr(result, "dr", None) is not None:
        lines.extend(dr_lines(result.dr))
    stale = getattr(result, "baseline_stale", None)
    if stale:
        lines.append(stale_line(stale))
    coverage = coverage_line(result)
    if coverage:
        lines.append(coverage)
    if options.strict:
        lines.extend(strict_lines(result, options.fail_on))
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def strict_lines(result, fail_on: str) -> list:
    """--strict: what fails the run besides failing findings (listed above), or nothing."""
    if fail_on == "never":
        return []
    threshold = Severity(fail_on).rank
    unknown = sum(1 for f in result.findings if f.suppressed is None and f.outcome is Outcome.UNKNOWN
                  and f.severity.rank >= threshold)
    not_read = result.not_read() if hasattr(result, "not_read") else 0
    parts = ([plural(unknown, "unknown finding")] if unknown else []) + \
        ([f"{plural(not_read, 'module call or file', 'module calls and files')} not read"] if not_read else [])
    if not parts:
        return []
    verb = "counts" if len(parts) == 1 and (unknown or not_read) == 1 else "count"
    return [f"strict: {' and '.join(parts)} {verb} as failing (listed above)"]


def plural(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def coverage_line(result) -> str:
    """One line saying what the scan did not read and how to read it; "" when it read everything."""
    coverage = getattr(result, "coverage", None) or {}
    modules, files = coverage.get("modules_not_read", []), coverage.get("files_skipped", [])
    parts = []
    if modules:
        part = f"{plural(len(modules), 'module call')} not read"
        hint = next((m["hint"] for m in modules if m["hint"]), "")
        if hint:
            part += f" (run `{hint}` in each root module, then scan again)"
        parts.append(part)
    if files:
        parts.append(f"{plural(len(files), 'file')} skipped")
    if not parts:
        return ""
    return "coverage: " + " · ".join(parts) + "; --show-unknown lists them"


def not_read_lines(result) -> list:
    """--show-unknown: every module call and file the scan did not read, with why."""
    coverage = getattr(result, "coverage", None) or {}
    out = []
    for m in coverage.get("modules_not_read", []):
        source = f" ({m['source']})" if m["source"] else ""
        root = "" if root_implied(m["root"], m["file"]) else f" [root {m['root']}]"
        out.append(f"not read: {m['file']}:{m['line']}:{m['column']}  {m['module']}{source}{root}: {m['reason']}")
    for f in coverage.get("files_skipped", []):
        out.append(f"not read: {f['file']}: {f['reason']}")
    return out


def _finding(f, options: ReportOptions) -> list:
    s = f.span
    where = f"{s.file}:{s.line}:{s.column}"
    label = "unknown" if f.outcome is Outcome.UNKNOWN else f.severity.value
    colour = _COLOURS["unknown" if f.outcome is Outcome.UNKNOWN else f.severity.value]
    out = [f"{_paint(where, '1', options.color)}  {f.rule_id} {_paint(label, colour, options.color)}  {f.message}"]
    cdk = dict(f.extra).get("cdk_path")
    if cdk:
        out.append(f"    construct: {cdk}")
    for c in covered(f)[1:]:  # a folded finding's other resources
        out.append(f"    also {c.file}:{c.line}:{c.column}  {c.resource}")
    workspace = f", workspace {f.workspace}" if f.workspace is not None else ""
    if f.shown_root is not None:
        out.append(f"    root: {f.shown_root}" + (f" (deployment {f.deployment}{workspace})" if f.deployment else ""))
    elif f.deployment:
        out.append(f"    deployment: {f.deployment}" + (f" (workspace {f.workspace})" if f.workspace is not None else ""))
    if f.fix is not None and f.outcome is Outcome.FAIL and options.fixes:
        note = f"   ({f.fix.note})" if f.fix.note else ""
        out.append(f"    fix: {f.fix.title}{note}")
        if f.fix.manual:
            out.append(f"    no automatic fix: {f.fix.manual}")
        out.extend(diff_lines(f.fix.diff, options.color) if f.fix.diff else _snippet_lines(f.fix.snippet,
                                                                                             f.fix.manual))
    return out


def _snippet_lines(snippet: str, manual: str = "") -> list:
    """A fix without a diff (its source was not at hand, or rlint does not write it): the snippet, trimmed."""
    lines = snippet.splitlines()
    shown = lines if len(lines) <= SNIPPET_LINES else lines[:SNIPPET_LINES - 1]
    out = [f"    |  {line}" for line in shown]
    if len(shown) < len(lines):
        more = "(the JSON and SARIF reports carry the whole fix)" if manual else MORE
        out.append(f"    |  ... {plural(len(lines) - len(shown), 'more line')} {more}")
    return out


def diff_lines(diff: tuple, color: bool = False) -> list:
    """The changed lines with their line numbers and a line of context; long runs of added lines (a whole
    AWS Backup set-up) are cut short."""
    width = max((len(str(n)) for n, _m, _t in diff if n is not None), default=1)
    out: list = []
    run = 0  # added lines in a row so far
    for i, (number, marker, text) in enumerate(diff):
        run = run + 1 if marker == "+" else 0
        if run > ADDED_LINES:
            if run == ADDED_LINES + 1:
                rest = 1 + sum(1 for _n, m, _t in _run_after(diff, i) if m == "+")
                out.append(f"    {'':>{width}} + ... {plural(rest, 'more line')} {MORE}")
            continue
        if marker == "@":
            out.append(f"    {'':>{width}}   ...")
            continue
        if marker == "f":  # the fix also edits another file (a variable's default, a module's argument)
            out.append(f"    in {text}:")
            continue
        shown = f"    {'' if number is None else number:>{width}} {marker} {text}".rstrip()
        out.append(_paint(shown, DIFF_COLOURS[marker], color) if marker in DIFF_COLOURS else shown)
    return out


def _run_after(diff: tuple, i: int):
    for item in diff[i + 1:]:
        if item[1] != "+":
            return
        yield item


def dr_lines(dr: dict) -> list:
    """The --dr-report tables: the strategy, then one aligned table per data store with its assumptions."""
    from . import dr_table

    out = ["", dr_table.strategy_line(dr), dr_table.traffic_line(dr)]
    for store in dr["stores"]:
        out += ["", dr_table.heading(store), *_aligned([dr_table.HEADER, *dr_table.rows(store)])]
        out += [f"    {line}" for line in dr_table.bases(store)]
    if dr["entry_points"]:
        out += ["", "Entry points", *_aligned([dr_table.ENTRY_HEADER, *dr_table.entry_rows(dr)])]
    out.append("")
    return out


def _aligned(table: list) -> list:
    widths = [max(len(str(row[i])) for row in table) for i in range(len(table[0]))]
    return ["  " + "  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in table]


def scan_notes(result) -> list:
    """What a unit could not analyse (extra YAML documents, Fn::ForEach over unknown collections ...)."""
    return list(getattr(result, "notes", [])) + \
        [n for u in getattr(result, "units", []) or [] for n in getattr(u, "notes", [])]


def roots_not_judged(result) -> list:
    """The units no rule judged because their root module names a non-production environment (engine.py)."""
    return [u for u in getattr(result, "units", None) or [] if getattr(u, "not_judged", "")]


def summary_line(result) -> str:
    active = [f for f in result.findings if f.suppressed is None]
    failing = [f for f in active if f.outcome is Outcome.FAIL]
    unknown = sum(1 for f in active if f.outcome is Outcome.UNKNOWN)
    suppressed = sum(1 for f in result.findings if f.suppressed is not None)
    counts = {}
    for f in failing:
        counts[f.severity.value] = counts.get(f.severity.value, 0) + 1
    detail = ", ".join(f"{counts[k]} {k}" for k in ("high", "medium", "low", "info") if counts.get(k))
    head = plural(len(failing), "finding") + (f" ({detail})" if detail else "")
    declared = getattr(result, "declared", 0)
    declared = f" · {declared} declared recreatable" if declared else ""
    return (f"{head} · {unknown} unknown · {suppressed} suppressed{declared} · {plural(result.files, 'file')}, "
            f"{plural(result.resources, 'resource')} in {result.seconds:.2f} s")


def stale_line(stale: list) -> str:
    noun = "entry matches" if len(stale) == 1 else "entries match"
    names = ", ".join(f"{e['rule_id']} {e['resource']} ({e['file']})" for e in stale[:5])
    more = f" and {len(stale) - 5} more" if len(stale) > 5 else ""
    return (f"baseline: {len(stale)} {noun} no finding any more (fixed or renamed): {names}{more}; "
            f"refresh it with --write-baseline")
