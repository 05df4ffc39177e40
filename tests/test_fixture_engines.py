"""Every fixture is accepted by its engine: each Terraform directory by offline `terraform validate`, each
CloudFormation template by cfn-lint (no errors; only the warnings listed in ACCEPTED_WARNINGS). A fixture that
is invalid on purpose says so (`# rlint-test: invalid -- reason`, or a top-level JSON `"Metadata": {"rlint-test":
"invalid -- reason"}`), and the engine must really reject it.

The engines' verdicts are recorded in tests/recordings/ (one line per fixture, keyed by path, with the hash of the
content they judged), so the ordinary suite runs without Terraform and in well under a second. A fixture changed
since it was recorded is judged afresh (Terraform once for all of them) when the engine is here; the recording
then needs updating. Under CI (CI=true or RLINT_REQUIRE_ENGINES=1) every fixture is judged afresh and a recording
that differs from the engines' answers fails. To update the recordings:

    RLINT_UPDATE_RECORDINGS=1 .venv/bin/python -m pytest tests/test_fixture_engines.py

(`RLINT_UPDATE_RECORDINGS=all` judges every fixture again, e.g. after an engine upgrade.)
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest

import engines
from fixture_annotations import invalid_reason
from helpers import FIXTURES, ROOT, unavailable

RECORDINGS = Path(__file__).resolve().parent / "recordings"
# "1": judge what changed since recorded and write the recordings; "all": judge every fixture again
UPDATE = os.environ.get("RLINT_UPDATE_RECORDINGS", "") in ("1", "all")
UPDATE_ALL = os.environ.get("RLINT_UPDATE_RECORDINGS", "") == "all"
UPDATE_COMMAND = "RLINT_UPDATE_RECORDINGS=1 .venv/bin/python -m pytest tests/test_fixture_engines.py"
TOPS = (FIXTURES, ROOT / "examples")

# cfn-lint warnings a fixture may carry, and why; any other warning (and every error) fails
ACCEPTED_WARNINGS = {
    "W2001": "an unused parameter: fixtures keep the parameters real templates declare (CDK's BootstrapVersion)",
    "W3010": "a hardcoded Availability Zone: the AZ-spread fixtures name zones as many real templates do",
    "W3011": "DeletionPolicy without UpdateReplacePolicy (or the reverse): what the deletion rules check",
    "W8003": "an Fn::Equals that is always true or false: the condition fixtures decide constant conditions",
    "W1100": "a YAML merge key: valid once `aws cloudformation package` has run, as for the YAML fixture",
    "W1101": "a YAML alias: valid once `aws cloudformation package` has run, as for the YAML fixture",
    "W3002": "a local TemplateURL: a nested stack before `aws cloudformation package`",
}
TEMPLATE_HEAD = re.compile(r'^\ufeff?\s*"?(AWSTemplateFormatVersion|Resources)"?\s*:', re.M)


# -- what the fixtures are ---------------------------------------------------------------------------------
def _rel(path: Path) -> str:
    return path.resolve().relative_to(ROOT).as_posix()


def _terraform_files(directory: Path) -> list:
    return sorted(p for p in directory.rglob("*") if p.is_file() and p.name.endswith((".tf", ".tf.json"))
                  and ".terraform" not in p.parts)


def terraform_dirs() -> list:
    return sorted({p.parent for top in TOPS for p in top.rglob("*")
                   if p.name.endswith((".tf", ".tf.json")) and ".terraform" not in p.parts})


def templates() -> list:
    """CloudFormation templates (not parameter files, plans or CDK manifests): a top-level Resources or
    AWSTemplateFormatVersion key."""
    found = []
    for top in TOPS:
        for p in sorted(top.rglob("*")):
            if p.is_file() and p.suffix in (".yaml", ".yml", ".json", ".template") and \
                    not p.name.endswith(".tf.json") and TEMPLATE_HEAD.search(p.read_text(errors="replace")):
                found.append(p)
    return found


def dir_invalid_reason(directory: Path):
    reasons = [invalid_reason(p) for p in _terraform_files(directory) if p.parent == directory]
    return next((r for r in reasons if r), None)


def _digest(files: list, base: Path) -> str:
    h = hashlib.sha256()
    for p in files:
        h.update(p.relative_to(base).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


# -- recordings --------------------------------------------------------------------------------------------
def _load(name: str) -> dict:
    path = RECORDINGS / name
    return json.loads(path.read_text())["fixtures"] if path.is_file() else {}


def _save(name: str, engine: str, entries: dict) -> None:
    """One line per fixture, sorted: streams adding fixtures touch different lines."""
    RECORDINGS.mkdir(exist_ok=True)
    lines = [f"  {json.dumps(k)}: {json.dumps(entries[k], sort_keys=True)}" for k in sorted(entries)]
    (RECORDINGS / name).write_text('{\n  "engine": %s,\n  "update": %s,\n  "fixtures": {\n%s\n  }\n}\n'
                                   % (json.dumps(engine), json.dumps(UPDATE_COMMAND), ",\n".join("  " + l for l in lines)))


class Verdicts:
    """Recorded verdicts, and fresh ones for what changed (or for everything under CI or when updating)."""

    def __init__(self, name: str, current: dict, judge, missing_reason, engine_name):
        self.current = current  # {key: sha256}
        self.recorded = _load(name)
        self.stale = sorted(k for k, sha in current.items() if self.recorded.get(k, {}).get("sha256") != sha)
        self.removed = sorted(set(self.recorded) - set(current))
        everything = engines.engines_required() or UPDATE_ALL
        wanted = sorted(current) if everything else self.stale
        self.fresh, self.skip_reason = {}, None
        if wanted:
            reason = missing_reason()
            if reason:
                self.skip_reason = f"{reason}: {len(self.stale)} fixture(s) changed since recorded ({UPDATE_COMMAND})"
            else:
                self.fresh = {k: dict(v, sha256=current[k]) for k, v in judge(wanted).items()}
        if UPDATE and not self.skip_reason:
            _save(name, engine_name(), {k: self.fresh.get(k) or self.recorded[k] for k in current})

    def verdict(self, key: str) -> dict:
        if key in self.fresh:
            return self.fresh[key]
        if key in self.stale:
            unavailable(self.skip_reason)
        return self.recorded[key]


def _judge_terraform(keys: list) -> dict:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="rlint-validate-") as work:
        found = engines.validate_dirs(Path(work), [ROOT / k for k in keys])
    return {_rel(d): v for d, v in found.items()}


def _terraform_engine() -> str:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="rlint-tf-version-") as work:
        version = engines.terraform(Path(work), "version", "-json").stdout
    return f"terraform {json.loads(version)['terraform_version']}, hashicorp/aws {engines.PROVIDER_VERSION}"


def _judge_templates(keys: list) -> dict:
    found = engines.cfn_lint([str(ROOT / k) for k in keys], ROOT)
    out = {}
    for k in keys:
        matches = found.get(str(ROOT / k), [])
        out[k] = {"matches": sorted(f"{rule} line {line}: {' '.join(message.split())}" for rule, line, message in matches)}
    return out


def _cfn_lint_engine() -> str:
    from importlib.metadata import version

    return f"cfn-lint {version('cfn-lint')}"


def _cfn_lint_missing():
    return None if engines.cfn_lint_binary() else "cfn-lint is not installed"


@pytest.fixture(scope="module")
def terraform_verdicts():
    current = {_rel(d): _digest(_terraform_files(d), d) for d in terraform_dirs()}
    return Verdicts("terraform-validate.json", current, _judge_terraform, engines.terraform_missing_reason,
                    _terraform_engine)


@pytest.fixture(scope="module")
def template_verdicts():
    current = {_rel(p): _digest([p], p.parent) for p in templates()}
    return Verdicts("cfn-lint.json", current, _judge_templates, _cfn_lint_missing, _cfn_lint_engine)


# -- the checks --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("directory", terraform_dirs(), ids=_rel)
def test_terraform_fixture_is_valid_or_annotated_invalid(directory, terraform_verdicts):
    verdict = terraform_verdicts.verdict(_rel(directory))
    reason = dir_invalid_reason(directory)
    errors = [d for d in verdict["diagnostics"] if d.startswith("error")]
    if reason:
        assert not verdict["valid"], f"annotated invalid ({reason}), but terraform validate accepts it"
    else:
        assert verdict["valid"] and not errors, "terraform validate rejects it:\n" + "\n".join(errors)


def template_errors(verdict: dict) -> list:
    return [m for m in verdict["matches"] if not m.startswith("W") or m.split()[0] not in ACCEPTED_WARNINGS]


@pytest.mark.parametrize("template", templates(), ids=_rel)
def test_template_is_valid_or_annotated_invalid(template, template_verdicts):
    verdict = template_verdicts.verdict(_rel(template))
    reason = invalid_reason(template)
    errors = [m for m in template_errors(verdict) if not m.startswith("I")]
    if reason:
        assert any(m.startswith("E") for m in errors), f"annotated invalid ({reason}), but cfn-lint accepts it"
    else:
        assert not errors, "cfn-lint rejects it:\n" + "\n".join(errors)


@pytest.mark.parametrize("kind", ["terraform", "templates"])
def test_recordings_are_current(kind, request):
    verdicts = request.getfixturevalue(f"{'terraform' if kind == 'terraform' else 'template'}_verdicts")
    if UPDATE:
        return  # just written
    assert not verdicts.stale and not verdicts.removed, \
        f"recorded verdicts are stale for {verdicts.stale + verdicts.removed}: run {UPDATE_COMMAND}"
    changed = sorted(k for k, v in verdicts.fresh.items() if v != verdicts.recorded.get(k))
    assert not changed, f"the engine now answers differently for {changed}: run {UPDATE_COMMAND}"


def test_templates_found_are_the_templates():
    names = {_rel(p) for p in templates()}
    assert "tests/fixtures/rules/RL101/template.yaml" in names and "examples/orders-cloudformation/orders.yaml" in names
    assert not {n for n in names if n.endswith(("manifest.json", "plan.json")) or "/params/" in n and
                n.endswith(".json")}
