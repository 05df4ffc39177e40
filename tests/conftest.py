import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import pytest

# Rules added after the scenario tests were written that fire on those tests' sample resources (a bare RDS
# instance is in no backup plan; a CloudFormation DB instance has no UpdateReplacePolicy). Scenario tests pin
# the catalogue they were written against; the rule fixtures, docs and tests that opt in see every rule.
LATER_RULES = {"RL301", "RL302", "RL303", "RL401", "RL402"}
FULL_CATALOGUE_MODULES = {"test_rule_fixtures", "test_meta", "test_backup_selection"}


@pytest.fixture(autouse=True)
def _pin_catalogue(request, monkeypatch):
    if request.module.__name__.rsplit(".", 1)[-1] in FULL_CATALOGUE_MODULES \
            or request.node.get_closest_marker("full_catalogue"):
        return
    import rlint.rules as catalogue

    everything = catalogue.all_rules
    monkeypatch.setattr(catalogue, "all_rules", lambda: [r for r in everything() if r.id not in LATER_RULES])
