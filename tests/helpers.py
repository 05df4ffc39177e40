"""Shared test helpers: scanning a path in-process and reading fixture annotations."""
from __future__ import annotations

import json
from pathlib import Path

from fixture_annotations import read as read_annotations
from rlint.engine import ScanOptions, scan
from rlint.fold import covered
from rlint.model import Outcome

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run(path, **kwargs):
    """Scan a path in-process with paths shown relative to the path's directory."""
    path = Path(path)
    cwd = path if path.is_dir() else path.parent
    kwargs.setdefault("jobs", 1)
    return scan([path], ScanOptions(cwd=cwd, **kwargs))


def resources_in(tmp_path, name: str, text: str) -> dict:
    """Scan one file written into tmp_path: its resources by address."""
    (tmp_path / name).write_text(text)
    return {r.address: r for r in run(tmp_path / name).graph.resources}


def fixture_options(fixture: Path) -> dict:
    """Scan options a fixture folder asks for in its own `.rlint.yaml` (RL701/RL702 need DR objectives)."""
    from rlint.config import dr_settings, load_config

    config = Path(fixture).parent / ".rlint.yaml"
    if not config.is_file():
        return {}
    data = load_config(config).data
    return {"dr": dr_settings(data, config.parent), "stateful": dict(data.get("stateful") or {})}


def is_fixture(path: Path) -> bool:
    """A fixture file; a repository `files/` folder holds data a Terraform fixture reads with file(), no fixture."""
    return path.is_file() and not path.name.startswith(".") and \
        path.suffix in (".tf", ".yaml", ".yml", ".json", ".template") and not _data_file(path)


def _data_file(path: Path) -> bool:
    try:
        return "files" in path.resolve().relative_to(ROOT).parts[:-1]
    except ValueError:
        return False


def rule_fixtures() -> list:
    """(rule id, file) of every rule fixture: the files of tests/fixtures/rules/RLnnn/ and of its sub-folders (a
    sub-folder is a Terraform module of its own, e.g. for cases an engine rejects on purpose)."""
    base = FIXTURES / "rules"
    return sorted((p.relative_to(base).parts[0], p) for p in base.glob("RL*/**/*") if is_fixture(p))


def annotations(fixture: Path) -> list:
    """The fixture's annotations, read from its source text (tests/fixture_annotations.py)."""
    return read_annotations(fixture)


def block_addresses(result, fixture: Path) -> set:
    """Block addresses (Terraform without instance keys, CloudFormation logical ids) the scan produced in `fixture`."""
    return {r.block_address or r.address for r in result.graph.resources if r.file == fixture.name}


def finding_keys(result, fixture: Path, outcome: Outcome) -> set:
    """(rule id, block address) of unsuppressed findings in the fixture file with the given outcome."""
    out = set()
    blocks = {r.address: (r.block_address or r.address) for r in result.graph.resources}
    for f in result.findings:
        if f.outcome is outcome and f.suppressed is None:
            # a finding that stands for several resources (RL703 per deployment) answers for each of them
            for resource, file in [(f.resource, f.file)] + [(c.resource, c.file) for c in covered(f)[1:]]:
                if file == fixture.name:
                    out.add((f.rule_id, blocks.get(resource, resource)))
    return out


def load_json_report(text: str) -> dict:
    return json.loads(text)


def report_schema() -> dict:
    """The JSON report's schema as the package ships it."""
    from importlib import resources

    return json.loads(resources.files("rlint").joinpath("report.schema.json").read_text())


def invoke(*args, **kwargs):
    """The CLI in-process. Exceptions propagate (a crash must fail the test, not pass as exit code 1)."""
    from click.testing import CliRunner

    from rlint.cli import main

    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)


ROW_FIELDS = {
    "rule": lambda f: f.rule_id,
    "resource": lambda f: f.resource,
    "outcome": lambda f: f.outcome.value,
    "file": lambda f: f.file,
    "line": lambda f: f.span.line,
    "column": lambda f: f.span.column,
}


def rows(result, *rules, fields=("rule", "resource", "outcome", "file", "line")) -> list:
    """Sorted tuples of the chosen `fields` of each finding, of the given rules (all rules when none given)."""
    return sorted(tuple(ROW_FIELDS[name](f) for name in fields)
                  for f in result.findings if not rules or f.rule_id in rules)


def unavailable(reason: str) -> None:
    """Skip a test whose prerequisite is missing here, with the reason; under CI (CI=true or
    RLINT_REQUIRE_ENGINES=1) fail instead, since CI has every prerequisite and must run every check."""
    import pytest

    from engines import engines_required

    if engines_required():
        pytest.fail(f"{reason} (CI runs every check)", pytrace=False)
    pytest.skip(reason)
