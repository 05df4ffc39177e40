import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def probe_catalogue(request, monkeypatch):
    """Run with only the module's PROBE_RULES (default RL101) in the catalogue.

    Tests of engine mechanics (suppressions, baselines, reporters, exit codes) use one well-known rule as
    their probe, so that a new rule firing on their sample resources does not change what they assert.
    Modules opt in with `pytestmark = pytest.mark.usefixtures("probe_catalogue")`.
    """
    import rlint.rules as catalogue

    keep = set(getattr(request.module, "PROBE_RULES", ("RL101",)))
    everything = catalogue.all_rules
    monkeypatch.setattr(catalogue, "all_rules", lambda: [r for r in everything() if r.id in keep])


@pytest.fixture(scope="session", autouse=True)
def no_workspace_from_the_environment():
    """rlint reads TF_WORKSPACE and TF_DATA_DIR (the workspace of a root, evaluate/workspace.py), as Terraform
    does: the suite runs without the developer's, so that the fixtures' own .terraform/environment decide.
    Session-scoped, so module-scoped fixtures that scan run without them too."""
    saved = {k: os.environ.pop(k) for k in ("TF_WORKSPACE", "TF_DATA_DIR") if k in os.environ}
    yield
    os.environ.update(saved)
