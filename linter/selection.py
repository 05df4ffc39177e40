"""Rule keys as users write them (`--select`, `--ignore`, the config's `select`, `ignore` and `rules`, `rlint
explain`, suppressions): an id, a name or an id prefix such as RL3. A key that names nothing is an error with
the nearest id or name, never a run that silently checks nothing.

RL001 (a file not read) and RL002 (a rule that crashed) mean the scan is incomplete, so they always run at
their severity; RL003 and RL004 are configured like any rule.
"""
from __future__ import annotations

import re
from typing import Optional

from .lazy_regex import lazy_regex

ALWAYS_ON = ("RL001", "RL002")
_PREFIX = lazy_regex(r"^RL\d{0,2}$", re.I)


class RuleKeyError(ValueError):
    pass


def _catalogue() -> dict:
    from .rules import catalogue

    return catalogue()


def nearest(key: str) -> Optional[str]:
    """The id or name closest to a misspelt key, or None when nothing is close."""
    rules = _catalogue().values()
    choices = [r.id for r in rules] + [r.name for r in rules]
    key = key.strip()
    if _PREFIX().match(key):  # a family or decade prefix: its first rule
        within = sorted(r.id for r in rules if r.id.startswith(key.upper()))
        if within:
            return within[0]
    import difflib  # only when a key is wrong: a scan's start-up stays light

    close = difflib.get_close_matches(key.upper() if key.upper().startswith("RL") else key, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(key: str) -> str:
    close = nearest(key)
    return f" (did you mean {close}?)" if close else ""


def matched_ids(key: str) -> list:
    """The ids a key names: one for an id or a name, every id starting with a prefix; [] for none."""
    key = key.strip()
    rules = _catalogue()
    upper = key.upper()
    if upper in rules:
        return [upper]
    named = [r.id for r in rules.values() if r.name == key]
    if named:
        return named
    if _PREFIX().match(key):
        return sorted(rid for rid in rules if rid.startswith(upper))
    return []


def check(keys, where: str, ignoring: bool = False) -> None:
    """Raise RuleKeyError for a key that names no rule, or (when ignoring) one that would switch off RL001/RL002."""
    for key in keys:
        ids = matched_ids(key)
        if not ids:
            raise RuleKeyError(f"{where} names unknown rule {key.strip()!r}{did_you_mean(key)}; `rlint rules` lists "
                               f"the rules")
        stuck = [rid for rid in ids if rid in ALWAYS_ON]
        if ignoring and stuck:
            raise RuleKeyError(f"{where}: {key.strip()!r} would switch off {' and '.join(stuck)}, which always run: "
                               f"{always_on_reason()}" + ("; ignore RL003 or RL004 by id" if len(ids) > 1 else ""))


def check_configurable(rule_id: str, where: str) -> None:
    if rule_id in ALWAYS_ON:
        raise RuleKeyError(f"{where}: {rule_id} cannot be configured: {always_on_reason()}")


def always_on_reason() -> str:
    return ("RL001 (a file not read) and RL002 (a rule that crashed) mean the scan is incomplete; exclude files "
            "meant to be invalid with `exclude` instead")
