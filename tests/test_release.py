"""What a newcomer reads holds: the README's two commands (the second is what .ci/run runs), a version that
agrees across the package, the CHANGELOG and every install and pre-commit snippet, no placeholder
organisation, links that resolve, schema ids that are relative, and the long material kept in docs/."""
from __future__ import annotations

import json
import re

from helpers import ROOT
from rlint import __version__

README = (ROOT / "README.md").read_text()
DOCS = {p.relative_to(ROOT).as_posix(): p.read_text() for p in [ROOT / "README.md", ROOT / "CHANGELOG.md",
                                                                  *sorted((ROOT / "docs").glob("*.md"))]}
SCAN = "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/rlint scan examples/"
TESTS = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest -q"


def test_the_readme_holds_the_two_commands_and_ci_runs_the_second():
    assert f"\n    {SCAN}\n" in README and f"\n    {TESTS}\n" in README
    assert (ROOT / ".ci" / "run").read_text().rstrip().endswith(TESTS)


def test_the_readme_is_a_start_and_the_rest_is_in_docs():
    assert len(README) < 8_000 and README.count("\n") < 130
    assert "<!-- rules:start -->" not in README and "## Speed" not in README
    for needed in ("Python 3.10", "git clone", "[tool.rlint]", "replaces its directory's configuration"):
        assert needed in README, needed


def test_one_version_everywhere():
    top = re.search(r"^## v(\d+\.\d+\.\d+)$", (ROOT / "CHANGELOG.md").read_text(), re.M)
    assert top and top.group(1) == __version__
    tag = f"v{__version__}"
    for name, text in DOCS.items():
        for pinned in re.findall(r"(?:@|rev: )(v\d+\.\d+\.\d+)", text):
            assert pinned == tag or name == "CHANGELOG.md", (name, pinned)
        assert "your-org" not in text, name


def test_relative_links_resolve():
    for name, text in DOCS.items():
        base = (ROOT / name).parent
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if "://" in target or target.startswith("mailto:"):
                continue
            assert (base / target).exists(), f"{name} links to {target}"


def test_schema_ids_are_relative():
    from importlib import resources

    for name in ("config.schema.json", "report.schema.json"):
        schema = json.loads(resources.files("rlint").joinpath(name).read_text())
        assert schema["$id"] == name
