"""The rule catalogue, installed as `rlint.rules`. Each family package lists its rules in RULES."""
from __future__ import annotations

from rlint.rules.base import Rule
from rlint.rules.engine_rules import ENGINE_RULES

FAMILIES = ("redundancy", "health", "backup", "deletion", "messaging", "deployment", "dr")


def all_rules() -> list:
    """Every rule class, sorted by id. Imported on demand so `rlint --version` stays instant."""
    import importlib
    import sys

    if any(f"rlint.rules.{family}" not in sys.modules for family in FAMILIES):
        from rlint.collection import long_lived

        with long_lived():
            for family in FAMILIES:
                importlib.import_module(f"rlint.rules.{family}")
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
