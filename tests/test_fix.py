"""`rlint fix`: minimal edits, byte-for-byte elsewhere, re-scan clean, and nothing written when unsafe."""
from __future__ import annotations

import pytest

import shutil

from helpers import FIXTURES, invoke, run
from rlint.engine import SourceCache
from rlint.fixes.command import plan_fixes

pytestmark = pytest.mark.usefixtures("probe_catalogue")

TF = '''# orders database
resource "aws_db_instance" "orders" {
  engine         = "postgres" # keep this comment
  instance_class = "db.t4g.micro"
}

resource "aws_db_instance" "flag" {
  engine   = "postgres"
  multi_az = false
}

resource "aws_db_instance" "oneline" {}
'''

# the added setting joins the run's `=` alignment, as `terraform fmt` would write it
TF_FIXED = '''# orders database
resource "aws_db_instance" "orders" {
  engine         = "postgres" # keep this comment
  instance_class = "db.t4g.micro"
  multi_az       = true
}

resource "aws_db_instance" "flag" {
  engine   = "postgres"
  multi_az = true
}

resource "aws_db_instance" "oneline" {
  multi_az = true
}
'''


def fix(path, *args):
    return invoke("fix", path, *args)


def test_review_fixes_need_unsafe_and_apply_as_minimal_edits(tmp_path, monkeypatch):
    (tmp_path / "main.tf").write_text(TF)
    monkeypatch.chdir(tmp_path)
    shown = fix(".")
    # shown, not written: the failing finding is left, so `rlint fix` exits 1 like `rlint scan`
    assert shown.exit_code == 1 and "needs review" in shown.output and (tmp_path / "main.tf").read_text() == TF
    diff = fix(".", "--unsafe-fixes")
    assert "+  multi_az = true" in diff.output and (tmp_path / "main.tf").read_text() == TF
    written = fix(".", "--unsafe-fixes", "--write")
    assert written.exit_code == 0, written.output
    assert (tmp_path / "main.tf").read_text() == TF_FIXED
    assert [f.rule_id for f in run(tmp_path).findings] == []


def test_cloudformation_yaml_and_json_fixes_rescan_clean(tmp_path, monkeypatch):
    for name in ("template.yaml", "template.json"):
        shutil.copy(FIXTURES / "rules" / "RL101" / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    before = {f.resource for f in run(tmp_path, select=("RL101",)).findings if f.outcome.value == "fail"}
    assert before
    result = fix(".", "--unsafe-fixes", "--write", "--select", "RL101")
    assert result.exit_code == 0, result.output
    after = run(tmp_path, select=("RL101",))
    assert [f for f in after.findings if f.outcome.value == "fail" or f.rule_id == "RL001"] == []
    yaml_text = (tmp_path / "template.yaml").read_text()
    assert "      Engine: postgres\n      DBInstanceClass: db.t4g.micro\n      MultiAZ: true\n" in yaml_text
    assert yaml_text.count("# expect: RL101") == 2  # comments kept


def test_inserts_at_one_place_keep_nested_settings_inside_their_mapping(tmp_path, monkeypatch):
    """The end of `Properties` is also the end of the resource: the property goes first, inside it."""
    import rlint.rules as catalogue
    from rlint.rules import deletion, messaging

    wanted = [r for r in deletion.RULES + messaging.RULES if r.id in ("RL401", "RL501")]
    monkeypatch.setattr(catalogue, "all_rules", lambda: wanted)
    (tmp_path / "t.yaml").write_text("Resources:\n  Jobs:\n    Type: AWS::SQS::Queue\n    Properties:\n"
                                     "      VisibilityTimeout: 60\n")
    # queues are judged by RL401 only when the configuration includes them (rules/data_value.py)
    plan = plan_fixes(run(tmp_path / "t.yaml", stateful={"include": ["queues"]}), SourceCache(tmp_path), unsafe=True)
    assert plan.new_texts["t.yaml"].splitlines()[:11] == [
        "Resources:", "  Jobs:", "    Type: AWS::SQS::Queue", "    Properties:", "      VisibilityTimeout: 60",
        "      RedrivePolicy:", "        deadLetterTargetArn:", '          Fn::GetAtt: ["JobsDlq", "Arn"]',
        "        maxReceiveCount: 5", "    DeletionPolicy: Retain", "    UpdateReplacePolicy: Retain"]
