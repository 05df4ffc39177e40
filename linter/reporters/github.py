"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request's diff.

`::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=RL101 rds-single-az::message`. Data escapes
% CR LF; property values also escape : and , (they separate properties).
"""
from __future__ import annotations

from ..model import Outcome
from .options import ReportOptions
from .text import coverage_line, summary_line

COMMANDS = {"high": "error", "medium": "warning", "low": "notice", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f) -> str:
    s = f.span
    command = "notice" if f.outcome is Outcome.UNKNOWN else COMMANDS[f.severity.value]
    props = [("file", s.file), ("line", s.line), ("col", s.column), ("endLine", s.end_line),
             ("endColumn", s.end_column), ("title", f"{f.rule_id} {f.rule}")]
    message = f.message if f.evaluated_in is None else f"{f.message} ({f.evaluated_in})"
    if f.fix is not None and f.outcome is Outcome.FAIL:
        manual = f"\nno automatic fix: {f.fix.manual}" if f.fix.manual else ""
        message += f"\nfix: {f.fix.title}{manual}\n{f.fix.snippet}".rstrip("\n")
    joined = ",".join(f"{k}={escape_property(str(v))}" for k, v in props)
    return f"::{command} {joined}::{escape_data(message)}"


def render(result, options: ReportOptions = None) -> str:
    options = options or ReportOptions()
    lines = [annotation(f) for f in result.findings if f.suppressed is None
             and (f.outcome is Outcome.FAIL or options.show_unknown or options.strict)]
    coverage = coverage_line(result)
    if coverage:
        lines.append(f"::warning title=rlint coverage::{escape_data(coverage)}")
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
