"""Markdown for pull-request comments: a summary table, findings grouped by severity, fixes folded away."""
from __future__ import annotations

import html
import re

from ..model import Outcome
from .options import ReportOptions
from .text import plural, roots_not_judged

SEVERITIES = ("high", "medium", "low", "info")


def cell(text: str) -> str:
    """Table-cell text: pipes escaped, newlines flattened."""
    return " ".join(str(text).split()).replace("|", "\\|")


def inline_html(text: str) -> str:
    """Text for inside an HTML tag such as <summary>, where Markdown is not rendered: `code` becomes <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(" ".join(str(text).split()), quote=False))


def _fence(snippet: str) -> str:
    """A backtick fence longer than any run of backticks in the snippet."""
    longest, run = 0, 0
    for ch in snippet:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def _finding(f) -> list:
    s = f.span
    head = f"- **{f.rule_id}** `{f.rule}` at `{s.file}:{s.line}:{s.column}`"
    if f.resource:
        head += f" on `{f.resource}`"
    workspace = f", workspace `{f.workspace}`" if f.workspace is not None else ""
    if f.shown_root is not None:
        head += f" (root `{f.shown_root}`" + (f", deployment `{f.deployment}`{workspace})" if f.deployment else ")")
    elif f.deployment:
        head += f" (deployment `{f.deployment}`{workspace})"
    out = [head, f"  {' '.join(f.message.split())}"]
    if f.fix is not None and f.outcome is Outcome.FAIL:
        fence = _fence(f.fix.snippet)
        note = f" ({inline_html(f.fix.note)})" if f.fix.note else ""
        manual = [f"  No automatic fix: {inline_html(f.fix.manual)}", ""] if f.fix.manual else []
        code = [f"  {fence}{f.fix.language}", *[f"  {line}" for line in f.fix.snippet.splitlines()],
                f"  {fence}", ""] if f.fix.snippet else []
        out += ["", f"  <details><summary>Fix: {inline_html(f.fix.title)}{note}</summary>", "", *manual, *code,
                "  </details>"]
    return out


def render(result, options: ReportOptions = None) -> str:
    options = options or ReportOptions()
    active = [f for f in result.findings if f.suppressed is None]
    failing = [f for f in active if f.outcome is Outcome.FAIL]
    unknown = [f for f in active if f.outcome is Outcome.UNKNOWN]
    suppressed = len(result.findings) - len(active)
    count = {sev: sum(1 for f in failing if f.severity.value == sev) for sev in SEVERITIES}
    noun = "finding" if len(failing) == 1 else "findings"
    lines = [f"## rlint: {len(failing)} {noun}", "",
             "| severity | findings |", "|---|---|",
             *[f"| {sev} | {count[sev]} |" for sev in SEVERITIES],
             f"| unknown | {len(unknown)} |", f"| suppressed | {suppressed} |", "",
             f"{plural(result.files, 'file')}, {plural(result.resources, 'resource')} scanned in "
             f"{result.seconds:.2f} s."]
    stale = getattr(result, "baseline_stale", None)
    if stale:
        lines.append(f"{len(stale)} baseline entries match no finding any more; rewrite the baseline.")
    lines += coverage_section(result)
    roots = roots_not_judged(result)
    if roots:
        lines += ["", f"**Not judged:** {plural(len(roots), 'root module')} naming a non-production environment "
                      "(`stateful: {include: [test-only]}` judges them): "
                      + "; ".join(f"`{u.name}` ({cell(u.not_judged)})" for u in roots) + "."]
    if options.quiet:
        return "\n".join(lines) + "\n"
    for sev in SEVERITIES:
        group = [f for f in failing if f.severity.value == sev]
        if group:
            lines += ["", f"### {sev.capitalize()} ({len(group)})", ""]
            for f in group:
                lines += _finding(f)
    if (options.show_unknown or options.strict) and unknown:
        lines += ["", f"### Unknown ({len(unknown)})", "",
                  "The deciding value is not known before deployment; these do not fail the run.", ""]
        for f in unknown:
            lines += _finding(f)
    if not failing:
        lines += ["", "No failing findings."]
    if getattr(result, "dr", None) is not None:
        lines += dr_section(result.dr)
    return "\n".join(lines) + "\n"


def diagram(dr: dict) -> list:
    """The topology as a Mermaid flowchart, with its legend as a table (GitHub draws no legend inside)."""
    from . import dr_mermaid
    from .dr_topology import topology

    topo = topology(dr)
    if not topo.nodes:
        return []
    out = ["", "```mermaid", dr_mermaid.render(topo).rstrip("\n"), "```", ""]
    if topo.left_out:
        out += [f"{topo.left_out} more data stores are in the tables below but not in the picture.", ""]
    return out + ["<details><summary>Legend</summary>", "", *dr_mermaid.legend(), "", "</details>"]


def coverage_section(result) -> list:
    """What the scan did not read, with how to read it, folded into a list."""
    from .text import coverage_line

    line = coverage_line(result)
    if not line:
        return []
    coverage = result.coverage
    items = [f"- `{m['file']}:{m['line']}` `{m['module']}` ({cell(m['source'] or 'no source')}), root "
             f"`{m['root']}`: {cell(m['reason'])}" for m in coverage["modules_not_read"]]
    items += [f"- `{f['file']}`: {cell(f['reason'])}" for f in coverage["files_skipped"]]
    head = line.split(";")[0].replace("coverage: ", "")
    return ["", f"**Not read:** {head}.", "", "<details><summary>What was not read</summary>", "",
            *items, "", "</details>"]


def dr_section(dr: dict) -> list:
    """The --dr-report tables: a table per data store, its assumptions folded away."""
    from . import dr_table

    out = ["", "### Disaster recovery", "", cell(dr_table.strategy_line(dr)), "", cell(dr_table.traffic_line(dr))]
    out += diagram(dr)
    for store in dr["stores"]:
        out += ["", f"**{cell(dr_table.heading(store))}**", "",
                "| " + " | ".join(dr_table.HEADER) + " |", "|" + "---|" * len(dr_table.HEADER)]
        out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in dr_table.rows(store)]
        out += ["", "<details><summary>Assumptions</summary>", ""]
        out += [f"- {cell(line)}" for line in dr_table.bases(store)]
        out += ["", "</details>"]
    if dr["entry_points"]:
        out += ["", "**Entry points**", "", "| " + " | ".join(dr_table.ENTRY_HEADER) + " |",
                "|" + "---|" * len(dr_table.ENTRY_HEADER)]
        out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in dr_table.entry_rows(dr)]
    return out
