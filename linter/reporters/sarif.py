"""SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDE viewers); validated against the OASIS schema in
the tests. Unknown outcomes stay in the log at level `note`; suppressed findings carry `suppressions`."""
from __future__ import annotations

import hashlib
from pathlib import PurePosixPath
from urllib.parse import quote

from .. import __version__
from ..model import Outcome
from . import json_pieces
from .catalog import rule_info
from .options import ReportOptions

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"high": "error", "medium": "warning", "low": "note", "info": "note"}
# GitHub reads `problem.severity` for non-security alerts
PROBLEM_SEVERITY = {"high": "error", "medium": "warning", "low": "recommendation", "info": "recommendation"}
FINGERPRINT = "rlintFinding/v1"


def fingerprint(finding) -> str:
    """The finding's identity (design §3), stable across line moves and reformatting: rule, root, deployment,
    file and resource. A root its file already implies (the file's own directory or template) and a null
    deployment are left out of the hash, so fingerprints written before roots were part of the identity stay
    the same; a module file reached from two roots gets one fingerprint per root."""
    parts = [finding.rule_id, finding.identity_file, finding.resource]
    if finding.shown_root is not None or finding.deployment is not None:
        parts += [f"root={finding.root}", f"deployment={finding.deployment or ''}"]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def uri(path: str) -> str:
    p = PurePosixPath(path)
    if p.is_absolute():
        return p.as_uri()
    return quote(path, safe="/")


def region(span) -> dict:
    r = {"startLine": span.line, "startColumn": span.column}
    if (span.end_line, span.end_column) != (span.line, span.column):
        r["endLine"] = span.end_line
        r["endColumn"] = span.end_column
    return r


def rule_descriptor(info: dict) -> dict:
    d = {
        "id": info["id"],
        "name": info["name"],
        "shortDescription": {"text": info["summary"]},
        "fullDescription": {"text": info["summary"]},
        "help": {"text": info["docs"], "markdown": info["docs"]},
        "defaultConfiguration": {"level": LEVELS[info["severity"]]},
        "properties": {"tags": ["reliability", *info["formats"]], "precision": "high",
                       "problem.severity": PROBLEM_SEVERITY[info["severity"]]},
    }
    if info["references"]:
        d["helpUri"] = info["references"][0]
    return d


def suppression(s) -> dict:
    # inline comments and template Metadata live in the source; config and baseline files do not
    kind = "inSource" if s.kind in ("inline", "metadata") else "external"
    out = {"kind": kind, "status": "accepted"}
    if s.reason:
        out["justification"] = s.reason
    return out


def sarif_fix(fix) -> dict:
    """A SARIF `fix`: the replacements `rlint fix` would write (safe, or review with --unsafe-fixes)."""
    by_file: dict = {}
    for file, line, column, end_line, end_column, text in fix.edits:
        by_file.setdefault(file, []).append({
            "deletedRegion": {"startLine": line, "startColumn": column, "endLine": end_line,
                              "endColumn": end_column},
            "insertedContent": {"text": text}})
    return {"description": {"text": fix.title},
            "artifactChanges": [{"artifactLocation": {"uri": uri(file)}, "replacements": replacements}
                                for file, replacements in by_file.items()],
            "properties": {"applicability": fix.safety}}


def _related(f) -> dict:
    """Value provenance as related locations: each place the deciding value passes through; for a finding that
    stands for several resources (RL703 per deployment), each resource."""
    extra = dict(f.extra)
    places = [(f"{kind}: {name}", file, line, column) for kind, name, file, line, column
              in extra.get("provenance", ()) if file]
    places += [(c.message, c.file, c.line, c.column) for c in extra.get("covers", ())]
    if not places:
        return {}
    return {"relatedLocations": [
        {"id": i, "message": {"text": text},
         "physicalLocation": {"artifactLocation": {"uri": uri(file)},
                              "region": {"startLine": line, "startColumn": column}}}
        for i, (text, file, line, column) in enumerate(places, 1)]}


def result(f, index) -> dict:
    location = {"physicalLocation": {"artifactLocation": {"uri": uri(f.file)}, "region": region(f.span)}}
    if f.resource:
        location["logicalLocations"] = [{"fullyQualifiedName": f.resource, "kind": "resource"}]
    message = f.message if f.evaluated_in is None else f"{f.message} ({f.evaluated_in})"
    r = {
        "ruleId": f.rule_id,
        "level": "note" if f.outcome is Outcome.UNKNOWN else LEVELS[f.severity.value],
        "message": {"text": message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT: fingerprint(f)},
        **_related(f),
        "properties": {"severity": f.severity.value, "outcome": f.outcome.value, "resourceType": f.resource_type,
                       "root": f.root, "deployment": f.deployment},
    }
    if index is not None:
        r["ruleIndex"] = index
    if f.fix is not None:
        r["properties"]["fix"] = {"title": f.fix.title, "snippet": f.fix.snippet, "language": f.fix.language,
                                  "safety": f.fix.safety, "applicability": f.fix.safety,
                                  **({"manual": f.fix.manual} if f.fix.manual else {})}
        manual = f"\n\nNo automatic fix: {f.fix.manual}" if f.fix.manual else ""
        snippet = f"\n\n```{f.fix.language}\n{f.fix.snippet}\n```" if f.fix.snippet else ""
        r["message"]["markdown"] = f"{message}\n\nFix: {f.fix.title}{manual}{snippet}"
        if f.fix.edits and f.outcome is Outcome.FAIL:
            r["fixes"] = [sarif_fix(f.fix)]
    if f.suppressed is not None:
        r["suppressions"] = [suppression(f.suppressed)]
    return r


def invocation(result_) -> dict:
    """The run's invocation; what the scan did not read is a run-level notification (never silent)."""
    out = {"executionSuccessful": True}
    notes = coverage_notifications(getattr(result_, "coverage", None) or {}) + not_judged_notification(result_)
    if notes:
        out["toolExecutionNotifications"] = notes
    return out


def coverage_notifications(coverage: dict) -> list:
    from .text import plural

    out = []
    modules = coverage.get("modules_not_read", [])
    if modules:
        hint = next((m["hint"] for m in modules if m["hint"]), "")
        text = f"{plural(len(modules), 'module call')} not read: their resources were not checked"
        if hint:
            text += f"; run `{hint}` in each root module, then scan again"
        out.append({"level": "warning", "descriptor": {"id": "rlint/modules-not-read"}, "message": {"text": text},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(m["file"])},
                                                        "region": {"startLine": m["line"],
                                                                   "startColumn": m["column"]}},
                                   "message": {"text": f"{m['module']} ({m['source']}) in root {m['root']}: "
                                                       f"{m['reason']}"}} for m in modules]})
    files = coverage.get("files_skipped", [])
    if files:
        out.append({"level": "warning", "descriptor": {"id": "rlint/files-skipped"},
                    "message": {"text": f"{plural(len(files), 'file')} skipped: their resources were not checked"},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(f["file"])}},
                                   "message": {"text": f["reason"]}} for f in files]})
    return out


def not_judged_notification(result_) -> list:
    """Root modules no rule judged because they name a non-production environment: a note, with each root."""
    from .text import plural, roots_not_judged

    roots = roots_not_judged(result_)
    if not roots:
        return []
    return [{"level": "note", "descriptor": {"id": "rlint/roots-not-judged"},
             "message": {"text": f"{plural(len(roots), 'root module')} not judged: they name a non-production "
                                 f"environment; `stateful: {{include: [test-only]}}` judges them"},
             "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(u.name)}},
                            "message": {"text": f"{u.name} ({plural(len(u.resources), 'resource')}): "
                                                f"{u.not_judged}"}} for u in roots]}]


def sarif_dict(result_) -> dict:
    infos = rule_info()
    index = {rid: i for i, rid in enumerate(infos)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "rlint", "version": __version__, "semanticVersion": __version__,
                                "rules": [rule_descriptor(i) for i in infos.values()]}},
            "invocations": [invocation(result_)],
            "results": [result(f, index.get(f.rule_id)) for f in result_.findings],
        }],
    }


def render(result_, options: ReportOptions = None) -> str:
    return "".join(pieces(result_, options))


def pieces(result_, options: ReportOptions = None):
    return json_pieces(sarif_dict(result_))
