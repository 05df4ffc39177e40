"""The rule catalogue, installed as `rlint.rules`. Each family package lists its rules in RULES."""
from __future__ import annotations

from rlint.model import Severity
from rlint.rules.base import EngineRule, Rule

ENGINE_RULES = [
    EngineRule("RL001", "parse-error", Severity.HIGH,
               "A file could not be read or parsed; the position of the error is reported and the scan goes on."),
    EngineRule("RL002", "rule-error", Severity.HIGH,
               "A rule raised an exception on a resource; the other rules still ran."),
    EngineRule("RL003", "invalid-suppression", Severity.MEDIUM,
               "A suppression names an unknown rule, or has no reason while reasons are required; it suppresses "
               "nothing."),
    EngineRule("RL004", "unused-suppression", Severity.LOW, "A suppression matched no finding."),
]
FAMILIES = ("redundancy", "health", "backup", "deletion", "messaging", "deployment", "dr")


def all_rules() -> list:
    """Every rule class, sorted by id. Imported on demand so `rlint --version` stays instant."""
    import importlib

    rules: list = []
    for family in FAMILIES:
        rules.extend(importlib.import_module(f"rlint.rules.{family}").RULES)
    return sorted(rules, key=lambda r: r.id)


def catalogue() -> dict:
    """id -> rule class or EngineRule, for lookups by id or name."""
    out: dict = {r.id: r for r in ENGINE_RULES}
    out.update({r.id: r for r in all_rules()})
    return out


def find_rule(key: str):
    """A rule by id or name, or None."""
    key = key.strip()
    for r in catalogue().values():
        if r.id == key.upper() or r.name == key:
            return r
    return None


__all__ = ["Rule", "ENGINE_RULES", "all_rules", "catalogue", "find_rule"]
