"""The JSON report (design §3): stable, versioned, validated against report.schema.json in the tests."""
from __future__ import annotations


from .. import __version__
from ..model import Outcome
from . import json_pieces
from .options import ReportOptions

REPORT_VERSION = 1


def finding_dict(f) -> dict:
    s = f.span
    d = {
        "rule_id": f.rule_id,
        "rule": f.rule,
        "severity": f.severity.value,
        "outcome": f.outcome.value,
        "resource": f.resource,
        "resource_type": f.resource_type,
        "file": s.file,
        "line": s.line,
        "column": s.column,
        "end_line": s.end_line,
        "end_column": s.end_column,
        "message": f.message,
        "fix": None if f.fix is None else {"title": f.fix.title, "snippet": f.fix.snippet,
                                           "language": f.fix.language, "safety": f.fix.safety,
                                           "applicability": f.fix.safety, "note": f.fix.note,
                                           **({"manual": f.fix.manual} if f.fix.manual else {})},
        "suppressed": None if f.suppressed is None else {"kind": f.suppressed.kind, "reason": f.suppressed.reason},
        "root": f.root,
        "deployment": f.deployment,
        "workspace": f.workspace,
    }
    extra = dict(f.extra)
    if extra.get("cdk_path"):
        d["cdk_path"] = extra["cdk_path"]
    if extra.get("provenance"):  # where the deciding value is written, from the attribute outwards
        d["provenance"] = [{"kind": kind, "name": name, **({"file": file, "line": line, "column": column} if file
                                                            else {})}
                           for kind, name, file, line, column in extra["provenance"]]
    if extra.get("covers"):  # a finding that stands for several resources of one deployment (RL703)
        d["covers"] = [{"resource": c.resource, "resource_type": c.resource_type, "file": c.file, "line": c.line,
                        "column": c.column, "message": c.message} for c in extra["covers"]]
    return d


def scan_notes(result) -> list:
    from .text import scan_notes as notes

    return notes(result)


def coverage_dict(result) -> dict:
    """What the scan did not read (design §3), with the counts a CI gate reads."""
    coverage = getattr(result, "coverage", None) or {"modules_not_read": [], "files_skipped": []}
    return {"modules_not_read": len(coverage["modules_not_read"]), "files_skipped": len(coverage["files_skipped"]),
            "modules": coverage["modules_not_read"], "files": coverage["files_skipped"]}


def report_dict(result) -> dict:
    active = [f for f in result.findings if f.suppressed is None]
    failing = [f for f in active if f.outcome is Outcome.FAIL]
    by_severity = {"high": 0, "medium": 0, "low": 0, "info": 0}
    for f in failing:
        by_severity[f.severity.value] += 1
    summary = {
        "files": result.files,
        "resources": result.resources,
        "fail": len(failing),
        "unknown": sum(1 for f in active if f.outcome is Outcome.UNKNOWN),
        "suppressed": sum(1 for f in result.findings if f.suppressed is not None),
        "by_severity": by_severity,
        "seconds": round(result.seconds, 3),
    }
    if getattr(result, "declared", 0):
        summary["declared"] = result.declared
    stale = getattr(result, "baseline_stale", None)
    if stale is not None:
        summary["baseline_stale"] = len(stale)
    report = {
        "version": REPORT_VERSION,
        "rlint_version": __version__,
        "findings": [finding_dict(f) for f in result.findings],
        "summary": summary,
        "notes": scan_notes(result),
        "coverage": coverage_dict(result),
    }
    if getattr(result, "dr", None) is not None:
        report["dr"] = result.dr
    return report


def render(result, options: ReportOptions = None) -> str:
    return "".join(pieces(result, options))


def pieces(result, options: ReportOptions = None):
    return json_pieces(report_dict(result))
