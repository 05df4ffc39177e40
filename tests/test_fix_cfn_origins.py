"""CloudFormation fixes change a value where it is set (issue 20): a parameter's Default, the mapping entries the
keys select, the Fn::If branches a deployment may take, the value a parent stack passes; never the intrinsic that
reads it. cfn-lint judges every fixture's fix in test_fix_engines.py; these tests pin the text and the reasons."""
from __future__ import annotations

import json
import shutil

from helpers import FIXTURES, invoke

ORIGINS = FIXTURES / "cloudformation" / "origins"
SHARED = FIXTURES / "cloudformation" / "nested_shared"

DB = """AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Ha:
    Type: String
{param}Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.m6g.large
      AllocatedStorage: "20"
      MultiAZ: !Ref Ha
"""


def fix(*args):
    return invoke("fix", *args, "--unsafe-fixes", "--select", "RL101,RL309,RL405")


def test_the_parameter_default_is_changed_and_allowed(tmp_path, monkeypatch):
    shutil.copytree(ORIGINS, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    out = fix("template.json", "--write")
    assert out.exit_code == 0, out.output
    text = (tmp_path / "template.json").read_text()
    assert '"Ha": {"Type": "String", "Default": "true", "AllowedValues": ["false", "true"]}' in text
    assert '"Days": {"Type": "Number", "Default": 7, "MinValue": 0, "MaxValue": 35}' in text
    # the Refs stay; the condition that reads Days decides the same with 7 as with 1
    assert '"MultiAZ": {"Ref": "Ha"}, "BackupRetentionPeriod": {"Fn::If": ["HasBackups", {"Ref": "Days"}, 7]}' in text
    assert "at the origin: template.json:14 RL101 Allowed: set true as the Default of parameter Ha at " \
           "template.json:4 (every deployment that does not give Ha a value; stacks deployed with an explicit " \
           "value for it keep theirs)" in out.output


def test_mapping_entries_and_branches_every_deployment_takes(tmp_path, monkeypatch):
    shutil.copytree(ORIGINS, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    out = fix("template.yaml", "--write")
    assert out.exit_code == 1, out.output  # SharedA and SharedB are left
    text = (tmp_path / "template.yaml").read_text()
    assert "    AllowedValues:\n      - \"false\"\n      - \"true\"\n" in text
    for env in ("dev", "test", "prod"):  # every key Env allows
        assert f'    {env}: {{MultiAZ: "true"}}\n' in text
    assert "      MultiAZ: !FindInMap [Tier, !Ref Env, MultiAZ]\n" in text
    assert "      MultiAZ: !If [IsProd, true, true]\n      BackupRetentionPeriod: !If [IsProd, 7, 7]\n" in text
    assert "      MultiAZ: !Ref SharedHa\n" in text
    assert "not fixed: template.yaml:39 RL101 SharedA: no automatic fix: the value comes from the Default of " \
           "parameter SharedHa, which the template reads 2 times: changing it changes them all, so change it " \
           "by hand" in out.output
    assert "set true in Mappings.Tier.test.MultiAZ at template.yaml:19 (every deployment whose keys select " \
           "Tier.test)" in out.output


def test_the_finding_shows_the_change_at_the_origin(tmp_path, monkeypatch):
    shutil.copytree(ORIGINS, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    out = invoke("scan", "template.json", "--select", "RL101", "--format", "json")
    finding, = json.loads(out.output)["findings"]
    assert finding["fix"]["safety"] != "display-only"
    edits = {(e["line"], e["text"]) for e in finding["fix"]["edits"]} if finding["fix"].get("edits") else set()
    snippet = finding["fix"]["snippet"]
    assert '"Default": "true"' in snippet and '"AllowedValues": ["false", "true"]' in snippet
    assert '"MultiAZ": true' not in snippet
    assert not edits or all(line == 4 for line, _text in edits)


def test_values_that_cannot_be_changed_where_they_are_set_are_shown_with_why(tmp_path, monkeypatch):
    given = DB.format(param='    Default: "false"\n')
    (tmp_path / "given.yaml").write_text(given)
    (tmp_path / "computed.yaml").write_text(given.replace("!Ref Ha", '!Select [0, ["false", !Ref Ha]]'))
    monkeypatch.chdir(tmp_path)
    out = fix(".", "--parameter", "Ha=false", "--write")
    assert out.exit_code == 1
    assert "not fixed: given.yaml:13 RL101 Db: no automatic fix: `Properties.MultiAZ` comes from parameter Ha, " \
           "given for this deployment: give it true there" in out.output
    assert "not fixed: computed.yaml:13 RL101 Db: no automatic fix: `Properties.MultiAZ` comes from Fn::Select, " \
           "computed there (computed.yaml:13): change it so it gives true" in out.output
    assert "MultiAZ: !Ref Ha\n" in (tmp_path / "given.yaml").read_text()
    assert 'MultiAZ: !Select [0, ["false", !Ref Ha]]\n' in (tmp_path / "computed.yaml").read_text()


def test_a_nested_stack_gets_its_value_from_the_parent_and_a_shared_template_is_changed_only_for_all(
        tmp_path, monkeypatch):
    shutil.copytree(SHARED, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    child = (tmp_path / "children" / "db.yaml").read_text()
    out = fix(".", "--write")
    assert out.exit_code == 1, out.output
    parent = (tmp_path / "parent.yaml").read_text()
    assert 'TemplateURL: children/db.yaml\n      Parameters:\n        MultiAz: "true"\n  Billing:' in parent
    fixed_child = (tmp_path / "children" / "db.yaml").read_text()
    assert "      MultiAZ: !Ref MultiAz\n      DeletionProtection: !Ref Protect\n" in fixed_child
    assert fixed_child.startswith(child)  # what both stacks lack is added; nothing the other stack has is changed
    assert "at the origin: children/db.yaml:18 RL101 Orders.Db: pass \"true\" as Orders.Parameters.MultiAz at " \
           "parent.yaml:9 (this nested stack only)" in out.output
    assert "not fixed: children/db.yaml:19 RL405 Orders.Db: no automatic fix: children/db.yaml is the template " \
           "of other nested stacks too, where the finding does not hold: change it through the parameters " \
           "Orders passes" in out.output


def test_the_json_report_names_where_the_value_is_set(tmp_path, monkeypatch):
    shutil.copytree(ORIGINS, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    out = invoke("scan", "template.yaml", "--select", "RL101", "--format", "json")
    by_resource = {f["resource"]: f.get("provenance") for f in json.loads(out.output)["findings"]}
    assert by_resource["Allowed"] == [{"kind": "parameter default", "name": "Parameters.Ha.Default",
                                       "file": "template.yaml", "line": 6, "column": 5}]
    assert by_resource["Mapped"][0] == {"kind": "mapping entry", "name": "Mappings.Tier.dev.MultiAZ",
                                        "file": "template.yaml", "line": 18, "column": 11}
    assert [h["kind"] for h in by_resource["Branch"]] == ["condition branch"]


def test_a_branch_chosen_through_a_long_chain_of_conditions_is_fixed_in_every_deployment(tmp_path, monkeypatch):
    """`Fn::If [C10, ...]` where C10 names C9 ... names C0, which reads a parameter: every deployment may take
    either branch, however long the chain, so the fix changes both (an earlier walk stopped after 8 links)."""
    chain = "".join(f"  C{i}: !And [!Condition C{i - 1}, !Equals [a, a]]\n" for i in range(1, 11))
    (tmp_path / "t.yaml").write_text(
        'AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  Env:\n    Type: String\n    Default: prod\n'
        'Conditions:\n  C0: !Equals [!Ref Env, prod]\n' + chain +
        "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n"
        "      DBInstanceClass: db.m6g.large\n      AllocatedStorage: \"20\"\n"
        "      MultiAZ: !If [C10, false, false]\n")
    monkeypatch.chdir(tmp_path)
    out = invoke("fix", "t.yaml", "--write", "--unsafe-fixes", "--select", "RL101")
    assert out.exit_code == 0, out.output
    assert "      MultiAZ: !If [C10, true, true]\n" in (tmp_path / "t.yaml").read_text()


def test_a_mapping_entry_is_checked_against_the_template_the_scan_parsed(monkeypatch):
    """The fix writer checks a mapping entry against the whole template (no other Fn::FindInMap may read it): in
    the process that parsed the template it takes the scan's parsed value; a resource from a worker process
    (pickled without it) reads the file again. The same fixes either way."""
    import pickle

    from helpers import run
    from rlint.evaluate import cfn_origins
    from rlint.evaluate.cfn_origins import WrittenTemplate
    from rlint.fixes import cfn_place

    assert pickle.loads(pickle.dumps(WrittenTemplate("t.yaml", {"Resources": {}}))).value is None
    reads: list = []
    parse = cfn_place._template
    monkeypatch.setattr(cfn_place, "_template", lambda path, text: reads.append(path) or parse(path, text))

    def fixes():
        found = run(ORIGINS / "template.yaml", select=("RL101", "RL309", "RL405")).findings
        return [(f.rule_id, f.resource, f.fix) for f in found]

    at_hand = fixes()
    read_at_hand = len(reads)
    monkeypatch.setattr(cfn_origins.TemplateOrigins, "written", lambda self, file: None)
    assert fixes() == at_hand
    assert any(fix and "Mappings.Tier" in str(fix) for _r, _a, fix in at_hand)
    assert len(reads) - read_at_hand > read_at_hand  # the mapping entries read the file again only without it


def test_a_nested_stacks_fix_names_what_it_adds_by_the_logical_id_in_its_template(tmp_path, monkeypatch):
    """`App.JobsDlq` is the scan's address; in children/queue.yaml, where the fix writes it, it is `JobsDlq`."""
    (tmp_path / "children").mkdir()
    (tmp_path / "parent.yaml").write_text('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  App:\n'
                                          '    Type: AWS::CloudFormation::Stack\n    Properties:\n'
                                          '      TemplateURL: children/queue.yaml\n')
    queue = ('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Jobs:\n    Type: AWS::SQS::Queue\n'
             '    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Properties:\n'
             '      VisibilityTimeout: 60\n')
    (tmp_path / "children" / "queue.yaml").write_text(queue)
    monkeypatch.chdir(tmp_path)
    report = json.loads(invoke("scan", ".", "--select", "RL501", "--format", "json").output)
    assert [(f["resource"], f["fix"]["title"]) for f in report["findings"]] == [
        ("App.Jobs", "Add a dead-letter queue `JobsDlq` in children/queue.yaml and a redrive policy")]
    out = invoke("fix", ".", "--write", "--select", "RL501")
    assert out.exit_code == 0, out.output
    fixed = (tmp_path / "children" / "queue.yaml").read_text()
    assert fixed.startswith(queue) and '\n  JobsDlq:\n    Type: AWS::SQS::Queue\n' in fixed
    assert '        deadLetterTargetArn:\n          Fn::GetAtt: ["JobsDlq", "Arn"]\n' in fixed


TIERED = """AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Tier:
    Type: String
    Default: standard
    AllowedValues: [standard, critical]
Mappings:
  Retention:
    standard: {Days: 1}
    critical: {Days: 14}
Conditions:
  IsCritical: !Equals [!Ref Tier, critical]
Resources:
  Mapped:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.m6g.large
      AllocatedStorage: "20"
      BackupRetentionPeriod: !FindInMap [Retention, !Ref Tier, Days]
  Branch:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.m6g.large
      AllocatedStorage: "20"
      BackupRetentionPeriod: !If [IsCritical, 14, 1]
"""


def test_a_deployment_given_its_parameter_changes_only_what_it_chooses(tmp_path, monkeypatch):
    """`--parameter Tier=standard` judges the standard deployment only: the fix sets its branch and its mapping
    entry, and leaves the critical deployment's 14 days (it wrote `!If [IsCritical, 7, 7]`). Without the
    parameter every deployment is judged (test_cfn_scenarios), and a value failing in all of them is changed in all
    (test_a_branch_chosen_through_a_long_chain_of_conditions_is_fixed_in_every_deployment)."""
    (tmp_path / "t.yaml").write_text(TIERED)
    monkeypatch.chdir(tmp_path)
    out = invoke("fix", "t.yaml", "--write", "--unsafe-fixes", "--select", "RL309", "--parameter", "Tier=standard")
    assert out.exit_code == 0, out.output
    assert (tmp_path / "t.yaml").read_text() == TIERED.replace("standard: {Days: 1}", "standard: {Days: 7}").replace(
        "!If [IsCritical, 14, 1]", "!If [IsCritical, 14, 7]")
