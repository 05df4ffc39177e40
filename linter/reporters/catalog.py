"""Rule metadata as the CI reporters need it, the same shape for engine rules (RL0xx) and rule classes."""
from __future__ import annotations


def rule_info() -> dict:
    """id -> {id, name, severity, summary, docs, references}, in id order."""
    from ..rules import ENGINE_RULES, all_rules

    out = {}
    for r in ENGINE_RULES:
        out[r.id] = {"id": r.id, "name": r.name, "severity": r.severity.value, "summary": r.summary,
                     "docs": r.doc(), "references": r.references(), "formats": []}
    for r in all_rules():
        meta = r.metadata()
        out[r.id] = {k: meta[k] for k in ("id", "name", "severity", "summary", "docs", "references", "formats")}
    return out
