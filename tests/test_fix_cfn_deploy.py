"""CloudFormation fixes that cfn-lint accepts but a deployment would reject: each case is fixed with
`--write --unsafe-fixes`, then judged: cfn-lint gains no error or warning, a rescan shows the fixed findings
gone and nothing new, and a second run changes nothing. Display-only fixes are shown, never written."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from engines import cfn_lint
from helpers import invoke, run
from rlint.cli import main


def _fails(result) -> set:
    return {(f.rule_id, f.resource) for f in result.findings if f.outcome.value == "fail" and f.suppressed is None}


class Case:
    """One template fixed with `--write --unsafe-fixes --select <select>`."""

    def __init__(self, text: str, select: str, name: str = "template.yaml"):
        self.text, self.select, self.name = text, select, name


def judge_all(root: Path, cases: dict) -> dict:
    """Fix every case in a folder of its own, then hold the results to the engines: cfn-lint (one run over
    the originals, one over the fixed templates) gains no error or warning, a rescan finds nothing new in
    any rule, and a second `rlint fix` changes nothing. Returns per case the fixed text, the findings before
    and after, and what `rlint fix` printed."""
    judged = {}
    for key, case in cases.items():
        for side in ("before", "after"):
            (root / side / key).mkdir(parents=True)
            (root / side / key / case.name).write_bytes(case.text.encode())
        path = root / "after" / key / case.name
        before = run(path)
        out = CliRunner().invoke(main, ["fix", str(path.parent), "--write", "--unsafe-fixes", "--select",
                                        case.select], catch_exceptions=False)
        after = run(path)
        # `rlint fix` exits like `scan` on what is left of the selected rules (a display-only fix leaves its finding)
        expected = 1 if run(path, select=tuple(case.select.split(","))).fails("low") else 0
        assert out.exit_code == expected, (key, out.output)
        again = CliRunner().invoke(main, ["fix", str(path.parent), "--unsafe-fixes", "--select", case.select],
                                   catch_exceptions=False)
        judged[key] = {"text": path.read_bytes().decode(), "before": before, "after": after,
                       "output": out.output, "again": again, "expected": expected}
    files = [f"{key}/{case.name}" for key, case in cases.items()]
    lint = {side: cfn_lint(files, root / side) for side in ("before", "after")}
    for key, case in cases.items():
        j, rel = judged[key], f"{key}/{case.name}"
        gained = Counter(r for r, _l, _m in lint["after"][rel]) - Counter(r for r, _l, _m in lint["before"][rel])
        assert gained == Counter(), (key, lint["after"][rel], j["text"])
        # nothing new in any rule, but what a written fix announces it leaves (a follow-up needing a decision)
        follow_up = {r for f in j["before"].findings if f.fix is not None for r in f.fix.follow_up}
        new = {(r, res) for r, res in _fails(j["after"]) - _fails(j["before"]) if r not in follow_up}
        assert new == set(), (key, new, j["text"])
        assert j["again"].exit_code == j["expected"] and not j["again"].stdout.strip(), (key, j["again"].output)  # converged
        assert "0 fixable" in j["again"].output, (key, j["again"].output)
    return judged


def doc(text: str) -> dict:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    return yaml.load(text, Loader=Loader)


HEAD = '''AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Subnets:
    Type: List<AWS::EC2::Subnet::Id>
  VpcId:
    Type: AWS::EC2::VPC::Id
  ImageId:
    Type: AWS::EC2::Image::Id
Resources:
  Targets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 80
      Protocol: HTTP
      VpcId: !Ref VpcId
  SignalTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: !Ref ImageId
        InstanceType: t3.micro
        UserData:
          Fn::Base64: !Sub |
            #!/bin/bash
            /opt/aws/bin/cfn-signal -e $? --stack ${AWS::StackName} --resource Signalled --region ${AWS::Region}
  PlainTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: !Ref ImageId
        InstanceType: t3.micro
'''


def group(name: str, template: str, extra: str = "", props: str = "", min_size: int = 2, max_size: int = 4) -> str:
    return f'''  {name}:
    Type: AWS::AutoScaling::AutoScalingGroup
{extra}    Properties:
      MinSize: "{min_size}"
      MaxSize: "{max_size}"
      VPCZoneIdentifier: !Ref Subnets
      TargetGroupARNs: [!Ref Targets]
{props}      LaunchTemplate:
        LaunchTemplateId: !Ref {template}
        Version: !GetAtt {template}.LatestVersionNumber
'''


ROLLING_MIN_3 = "    UpdatePolicy:\n      AutoScalingRollingUpdate:\n        MinInstancesInService: 3\n"
BATCHES = "    UpdatePolicy:\n      AutoScalingRollingUpdate:\n        MaxBatchSize: 1\n"
REPLACING = "    UpdatePolicy:\n      AutoScalingReplacingUpdate:\n        WillReplace: true\n"
ELB_CHECKS = "      HealthCheckType: ELB\n      HealthCheckGracePeriod: 900\n"

CASES = {
    "signals": Case(HEAD + group("Signalled", "SignalTemplate", extra="    CreationPolicy:\n      ResourceSignal:\n"
                                                                      "        Count: 2\n        Timeout: PT2H\n")
                    + group("Plain", "PlainTemplate"), "RL601,RL201"),
    "max-one": Case(HEAD + group("Single", "PlainTemplate", min_size=1, max_size=1), "RL601"),
    "too-many": Case(HEAD + group("TooMany", "PlainTemplate", extra=ROLLING_MIN_3, max_size=3, props=ELB_CHECKS),
                     "RL602"),
    "zero-of-one": Case(HEAD + group("One", "PlainTemplate", extra=BATCHES, min_size=1, max_size=1,
                                     props=ELB_CHECKS), "RL602"),
    "creation": Case(HEAD.replace("--resource Signalled", "--resource Signalled")
                     + group("Signalled", "SignalTemplate", extra=REPLACING,
                             props='      DesiredCapacity: "3"\n' + ELB_CHECKS)
                     + group("Unsignalled", "PlainTemplate", extra=REPLACING, props=ELB_CHECKS), "RL603"),
}


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    return judge_all(tmp_path_factory.mktemp("cfn-deploy"), CASES)


def resources(judged, key) -> dict:
    return doc(judged[key]["text"])["Resources"]


def finding(judged, key, rule):
    return next(f for f in judged[key]["before"].findings if f.rule_id == rule)


def test_rolling_update_waits_on_signals_only_when_the_instances_send_them(judged):
    fixed = resources(judged, "signals")
    # PauseTime is at most PT1H even though the creation policy waits two hours
    assert fixed["Signalled"]["UpdatePolicy"]["AutoScalingRollingUpdate"] == {
        "MaxBatchSize": 1, "MinInstancesInService": 1, "WaitOnResourceSignals": True, "PauseTime": "PT1H"}
    plain = fixed["Plain"]["UpdatePolicy"]["AutoScalingRollingUpdate"]
    assert "WaitOnResourceSignals" not in plain and plain["PauseTime"] == "PT5M"
    # the grace period covers the time CloudFormation gives a new instance to signal
    assert fixed["Signalled"]["Properties"]["HealthCheckGracePeriod"] == 7200
    assert fixed["Plain"]["Properties"]["HealthCheckGracePeriod"] == 300
    assert {r for r, _ in _fails(judged["signals"]["after"])} == {"RL208"}  # the target group's own finding


def test_a_group_whose_max_size_is_one_gets_a_display_only_rolling_update(judged):
    assert judged["max-one"]["text"] == CASES["max-one"].text  # shown, never written
    output = judged["max-one"]["output"]
    assert "no automatic fix: `MinInstancesInService` must stay below `MaxSize`, which is 1" in output
    assert "--unsafe-fixes" not in output
    fix = finding(judged, "max-one", "RL601").fix
    assert fix.safety == "display-only"
    assert 'MaxSize: "2"' in fix.snippet and "MinInstancesInService: 1" in fix.snippet


def test_min_in_service_not_below_max_size_is_high_and_fixed_below_it(judged):
    found = finding(judged, "too-many", "RL602")
    assert found.severity.value == "high" and "CloudFormation fails the next rolling update" in found.message
    assert resources(judged, "too-many")["TooMany"]["UpdatePolicy"] == {
        "AutoScalingRollingUpdate": {"MinInstancesInService": 2}}


def test_zero_in_service_on_a_group_of_one_needs_a_larger_max_size(judged):
    assert judged["zero-of-one"]["text"] == CASES["zero-of-one"].text
    fix = finding(judged, "zero-of-one", "RL602").fix
    assert fix.safety == "display-only" and "larger `MaxSize`" in fix.manual


def test_creation_policy_only_with_cfn_signal_and_a_count_every_deployment_reaches(judged):
    fixed = resources(judged, "creation")
    assert fixed["Signalled"]["CreationPolicy"] == {"ResourceSignal": {"Count": 3, "Timeout": "PT15M"}}
    assert "CreationPolicy" not in fixed["Unsignalled"]
    assert "no automatic fix: the launch template or configuration's user data does not call cfn-signal for " \
           "Unsignalled" in judged["creation"]["output"]


def test_json_reports_say_the_applicability(tmp_path):
    (tmp_path / "template.yaml").write_text(CASES["max-one"].text)
    out = invoke("scan", tmp_path, "--format", "json", "--select", "RL601")
    fix = json.loads(out.output)["findings"][0]["fix"]
    assert fix["applicability"] == "display-only" and fix["manual"].startswith("`MinInstancesInService` must")


# -- RL505: a dead-letter queue comes with the permission Lambda checks --------------------------------------
FUNCTION_HEAD = '''AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  RoleArn:
    Type: String
  Env:
    Type: String
    AllowedValues: [prod, dev]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Uploads:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
'''


def function(name: str, role: str, extra: str = "") -> str:
    return f'''  {name}:
    Type: AWS::Lambda::Function
{extra}    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: {role}
      Code:
        ZipFile: "def handler(event, context): pass"
  {name}Invoke:
    Type: AWS::Lambda::Permission
{extra}    Properties:
      Action: lambda:InvokeFunction
      Principal: s3.amazonaws.com
      FunctionName: !Ref {name}
      SourceArn: !GetAtt Uploads.Arn
'''


def role(name: str, policies: bool) -> str:
    listed = '''      Policies:
        - PolicyName: logs
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: logs:PutLogEvents
                Resource: "*"
''' if policies else ""
    return f'''  {name}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
{listed}'''


SAM = '''AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Uploads:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
  OnUpload:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: "def handler(event, context): pass"
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
'''

CASES.update({
    "dlq-role-in-template": Case(FUNCTION_HEAD + role("ListedRole", True) + role("BareRole", False)
                                 + function("Listed", "!GetAtt ListedRole.Arn")
                                 + function("Bare", "!GetAtt BareRole.Arn"), "RL505"),
    "dlq-literal-role": Case(FUNCTION_HEAD + function("Named", "arn:aws:iam::123456789012:role/service/named",
                                                      extra="    DependsOn: Uploads\n"), "RL505"),
    "dlq-parameter-role": Case(FUNCTION_HEAD + function("Given", "!Ref RoleArn"), "RL505"),
    "dlq-conditional": Case(FUNCTION_HEAD + role("SharedRole", True)
                            + function("ProdOnly", "!GetAtt SharedRole.Arn", extra="    Condition: IsProd\n"),
                            "RL505"),
    "dlq-sam": Case(SAM, "RL505"),
})


def test_dead_letter_queue_permission_goes_inline_into_a_role_of_the_template(judged):
    fixed = resources(judged, "dlq-role-in-template")
    for name in ("Listed", "Bare"):
        statement = fixed[f"{name}Role"]["Properties"]["Policies"][-1]["PolicyDocument"]["Statement"]
        assert statement == [{"Effect": "Allow", "Action": "sqs:SendMessage",
                              "Resource": {"Fn::GetAtt": [f"{name}Failed", "Arn"]}}]
        assert fixed[f"{name}Failed"]["DeletionPolicy"] == "Retain"  # no RL401/RL402 on the queue it adds
    assert fixed["ListedRole"]["Properties"]["Policies"][0]["PolicyName"] == "logs"  # kept


def test_a_role_named_by_arn_gets_a_policy_the_function_waits_for(judged):
    fixed = resources(judged, "dlq-literal-role")
    assert fixed["NamedDeadLetterPolicy"]["Properties"]["Roles"] == ["named"]
    assert fixed["Named"]["DependsOn"] == ["Uploads", "NamedDeadLetterPolicy"]


def test_a_role_from_a_parameter_cannot_be_given_the_permission_here(judged):
    assert judged["dlq-parameter-role"]["text"] == CASES["dlq-parameter-role"].text
    fix = finding(judged, "dlq-parameter-role", "RL505").fix
    assert fix.safety == "display-only" and "execution role comes from a parameter" in fix.manual
    assert "sqs:SendMessage" in fix.snippet


def test_what_a_conditional_function_gets_exists_under_its_condition(judged):
    fixed = resources(judged, "dlq-conditional")
    assert fixed["ProdOnlyFailed"]["Condition"] == "IsProd"
    added = fixed["SharedRole"]["Properties"]["Policies"][-1]
    assert list(added) == ["Fn::If"] and added["Fn::If"][0] == "IsProd" and added["Fn::If"][2] == {
        "Ref": "AWS::NoValue"}


def test_sam_functions_get_dead_letter_queue_and_sam_adds_the_permission(judged):
    fixed = resources(judged, "dlq-sam")
    assert fixed["OnUpload"]["Properties"]["DeadLetterQueue"] == {
        "Type": "SQS", "TargetArn": {"Fn::GetAtt": ["OnUploadFailed", "Arn"]}}
    assert "DeadLetterConfig" not in fixed["OnUpload"]["Properties"]


# -- RL501/RL502: a dead-letter queue must outlive its source; fixes converge --------------------------------
QUEUES = '''AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Retention:
    Type: Number
    Default: 1209600
Resources:
  Orders:
    Type: AWS::SQS::Queue
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      MessageRetentionPeriod: 1209600
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt OrdersDlq.Arn
        maxReceiveCount: 5
  OrdersDlq:
    Type: AWS::SQS::Queue
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      MessageRetentionPeriod: 1209600
  Events:
    Type: AWS::SQS::Queue
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      MessageRetentionPeriod: 1209600
'''
PARAMETER_QUEUE = '''  Jobs:
    Type: AWS::SQS::Queue
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      MessageRetentionPeriod: !Ref Retention
'''

CASES.update({
    "retention-at-max": Case(QUEUES, "RL501,RL502"),
    "retention-parameter": Case(QUEUES.split("  Orders:")[0] + PARAMETER_QUEUE, "RL501,RL502"),
})


def test_a_source_at_fourteen_days_is_shortened_so_that_its_dead_letter_queue_outlives_it(judged):
    fixed = resources(judged, "retention-at-max")
    # RL502: the dead-letter queue is at the maximum already; the source gives up a day
    assert fixed["Orders"]["Properties"]["MessageRetentionPeriod"] == 1123200
    assert fixed["OrdersDlq"]["Properties"]["MessageRetentionPeriod"] == 1209600
    # RL501: the new dead-letter queue would otherwise raise RL502 at once
    assert fixed["Events"]["Properties"]["MessageRetentionPeriod"] == 1123200
    assert fixed["EventsDlq"]["Properties"]["MessageRetentionPeriod"] == 1209600
    assert _fails(judged["retention-at-max"]["after"]) == set()


def test_a_source_retention_set_by_a_parameter_is_shown_not_replaced(judged):
    assert judged["retention-parameter"]["text"] == CASES["retention-parameter"].text
    fix = finding(judged, "retention-parameter", "RL501").fix
    assert fix.safety == "display-only" and "shorten it where it is set" in fix.manual


# -- resources added beside conditional ones; the backup copy a stack cannot make ----------------------------
DATABASES = '''AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    AllowedValues: [prod, dev]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Orders:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Snapshot
    UpdateReplacePolicy: Snapshot
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.medium
      AllocatedStorage: "20"
      MultiAZ: true
      DeletionProtection: true
      ManageMasterUserPassword: true
      MasterUsername: orders
      BackupRetentionPeriod: 7
  Reporting:
    Type: AWS::RDS::DBInstance
    Condition: IsProd
    DeletionPolicy: Snapshot
    UpdateReplacePolicy: Snapshot
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.medium
      AllocatedStorage: "20"
      MultiAZ: true
      DeletionProtection: true
      ManageMasterUserPassword: true
      MasterUsername: reporting
      BackupRetentionPeriod: 7
'''

CASES.update({
    "backup-kit-conditional": Case(DATABASES.replace("    AllowedValues: [prod, dev]\n",
                                                     "    AllowedValues: [prod, dev]\n    Default: prod\n"), "RL302"),
})


def test_a_selection_names_a_conditional_database_only_under_its_condition(judged):
    fixed = resources(judged, "backup-kit-conditional")
    listed = fixed["RlintBackupSelection"]["Properties"]["BackupSelection"]["Resources"]
    assert len(listed) == 2 and "Fn::Sub" in listed[0]
    assert listed[1]["Fn::If"][0] == "IsProd" and listed[1]["Fn::If"][2] == {"Ref": "AWS::NoValue"}
    # no copy action to a vault nothing creates: RL307 shows the second stack it needs (display-only)
    assert "CopyActions" not in json.dumps(fixed["RlintBackupPlan"])
    left = {f.rule_id: f for f in judged["backup-kit-conditional"]["after"].findings
            if f.outcome.value == "fail" and f.resource == "RlintBackupPlan"}
    assert left["RL307"].fix.safety == "display-only" and "StackSet" in left["RL307"].fix.manual
