"""DR objectives from `.rlint.yaml` and the tier each resource is held to.

    dr:
      objectives:
        default: {rpo: 24h, rto: 24h}
        tier-1:  {rpo: 15m, rto: 1h, scenarios: [az, region, deletion]}
      tier_tag: dr_tier            # the tag naming a resource's tier (default dr_tier)
      tiers_by_path:               # globs on the reported file path
        "payments/*": tier-1

A resource's tier is its tag, else the first matching path glob, else `default`. Without objectives, or
without a tier that applies, a resource is held to nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatch
from typing import Any, Optional

from rlint.model import MISSING, Resource, Unknown
from rlint.rules.base import RuleContext
from rlint.rules.dr.durations import parse
from rlint.rules.dr.estimate import SCENARIOS
from rlint.rules.graphutil.backup import tag_layers

DEFAULT_TIER = "default"
DEFAULT_TAG = "dr_tier"


@dataclass(frozen=True)
class Objective:
    tier: str
    rpo: Optional[int]
    rto: Optional[int]
    scenarios: tuple

    def target(self, metric: str) -> Optional[int]:
        return self.rpo if metric == "rpo" else self.rto


MET, MISSED, UNDECIDED, NO_OBJECTIVE = "met", "missed", "unknown", "no objective"


def judge(est, metric: str, target: Optional[int]) -> tuple:
    """(MET | MISSED | UNDECIDED | NO_OBJECTIVE, the estimate's value, an Unknown when UNDECIDED).

    Missed only when certain: an estimate that cannot be made, or an option that may exist and could
    reach the target, makes it UNDECIDED."""
    value = est.value(metric)
    if target is None:
        return NO_OBJECTIVE, value, None
    if value is None:
        return UNDECIDED, value, Unknown(f"the {metric.upper()} cannot be estimated: {est.basis(metric)}")
    if value <= target:
        return MET, value, None
    why = est.undecided(metric, target)
    return (UNDECIDED, value, why) if why is not None else (MISSED, value, None)


def objectives(ctx: RuleContext) -> dict:
    table = ctx.setting("dr").get("objectives") or {}
    out = {}
    for tier, spec in table.items():
        spec = spec or {}
        out[tier] = Objective(tier, parse(spec["rpo"]) if "rpo" in spec else None,
                              parse(spec["rto"]) if "rto" in spec else None,
                              tuple(spec.get("scenarios") or SCENARIOS))
    return out


def _tag(ctx: RuleContext, res: Resource, key: str) -> Any:
    for layer in tag_layers(ctx, res):
        if isinstance(layer, Unknown):
            return Unknown(f"the tags of {res.address} are not known ({layer.reason})")
        if isinstance(layer, dict) and key in layer:
            return layer[key]
    return MISSING


def objective_for(ctx: RuleContext, res: Resource) -> Any:
    """The resource's Objective, None when none applies, or an Unknown when its tier cannot be decided."""
    table = objectives(ctx)
    if not table:
        return None
    dr = ctx.setting("dr")
    tier = _tag(ctx, res, dr.get("tier_tag") or DEFAULT_TAG)
    if isinstance(tier, Unknown):
        return tier
    if isinstance(tier, str):
        if tier not in table:
            return Unknown(f"its tag names tier {tier!r}, which has no objectives in the configuration")
        return table[tier]
    for pattern, named in (dr.get("tiers_by_path") or {}).items():
        if fnmatch(res.file, pattern) or res.file.startswith(pattern.rstrip("/") + "/"):
            return table.get(named)
    return table.get(DEFAULT_TIER)


__all__ = ["Objective", "objectives", "objective_for", "judge", "MET", "MISSED", "UNDECIDED", "NO_OBJECTIVE",
           "DEFAULT_TIER", "DEFAULT_TAG"]
