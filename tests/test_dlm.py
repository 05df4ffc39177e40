"""Data Lifecycle Manager policies in the DR model (rules/graphutil/dlm.py), as RL703 sees an EBS volume: a policy
that may snapshot the volume AND may copy its snapshots to another Region leaves RL703 undecided (saying which of
the two is not known); a policy that copies nothing, is disabled, or provably does not target the volume leaves
the volume failing. The folders tests/fixtures/rules/RL703/dlm and dlm-cfn hold the annotated cases; these are
the edges of the three-valued reading."""
from __future__ import annotations

import textwrap

import pytest

from helpers import run
from rlint.model import Outcome

PROVIDER = 'provider "aws" {\n  region = "eu-west-2"\n}\n'


def _policy(details: str, extra: str = "") -> str:
    return textwrap.dedent(f'''
        resource "aws_dlm_lifecycle_policy" "p" {{
          description        = "p"
          execution_role_arn = "arn:aws:iam::123456789012:role/dlm"
          {extra}
          policy_details {{
        {textwrap.indent(textwrap.dedent(details), "    ")}
          }}
        }}
        ''')


COPY_SCHEDULE = '''
    schedule {
      name = "s"
      create_rule {
        interval = 24
      }
      retain_rule {
        count = 7
      }
      cross_region_copy_rule {
        target    = "eu-west-1"
        encrypted = false
        retain_rule {
          interval      = 7
          interval_unit = "DAYS"
        }
      }
    }
'''


def _volume(tags: str) -> str:
    return f'''
resource "aws_ebs_volume" "v" {{
  availability_zone = "eu-west-2a"
  size              = 10
  tags = {{
    {tags}
  }}
}}
'''


def _rl703(tmp_path, text: str):
    (tmp_path / "main.tf").write_text(PROVIDER + 'variable "x" {\n  type = string\n}\n'
                                      'variable "n" {\n  type = number\n}\n' + text)
    found = [f for f in run(tmp_path, select=("RL703",)).findings if f.resource == "aws_ebs_volume.v"]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("details, extra, tags, reason", [
    # snapshots of tagged instances' volumes: which instance the volume is attached to is not followed
    ('resource_types = ["INSTANCE"]\ntarget_tags = { a = "1" }' + COPY_SCHEDULE, "", 'a = "1"',
     "snapshots the volumes of instances with its target tags"),
    # two target tags, the volume carries one: whether both are needed is not decided
    ('resource_types = ["VOLUME"]\ntarget_tags = { a = "1", b = "2" }' + COPY_SCHEDULE, "", 'a = "1"',
     "carries some of the target tags"),
    # every target tag carried, copies to eu-west-1, but the interval is not known
    ('resource_types = ["VOLUME"]\ntarget_tags = { a = "1" }' + COPY_SCHEDULE.replace("interval = 24",
                                                                                  "interval = var.n"),
     "", 'a = "1"', "var.n has no default"),
    # whether the copying policy is enabled is not known
    ('resource_types = ["VOLUME"]\ntarget_tags = { a = "1" }' + COPY_SCHEDULE, "state = var.x", 'a = "1"',
     "the state of aws_dlm_lifecycle_policy.p is not known"),
    # event-based policy copying shared snapshots across Regions: it names no resource types
    ('policy_type = "EVENT_BASED_POLICY"\naction {\n  name = "copy"\n  cross_region_copy {\n'
     '    target = "eu-west-1"\n    encryption_configuration {}\n  }\n}\n'
     'event_source {\n  type = "MANAGED_CWE"\n  parameters {\n    event_type = "shareSnapshot"\n'
     '    snapshot_owner = ["111122223333"]\n  }\n}', "", 'a = "1"',
     "the resource types of aws_dlm_lifecycle_policy.p are not known"),
])
def test_a_policy_that_may_snapshot_and_copy_leaves_rl703_undecided(tmp_path, details, extra, tags, reason):
    f = _rl703(tmp_path, _policy(details, extra) + _volume(tags))
    assert f.outcome is Outcome.UNKNOWN
    assert "aws_dlm_lifecycle_policy.p may copy snapshots" in f.message or "aws_dlm_lifecycle_policy.p copies" \
        in f.message
    assert reason in f.message


@pytest.mark.parametrize("details, extra, tags", [
    # copies, but targets a tag the volume does not carry
    ('resource_types = ["VOLUME"]\ntarget_tags = { a = "1" }' + COPY_SCHEDULE, "", 'a = "2"'),
    # copies, but disabled
    ('resource_types = ["VOLUME"]\ntarget_tags = { a = "1" }' + COPY_SCHEDULE, 'state = "DISABLED"', 'a = "1"'),
    # targets the volume whatever its tags are, but copies nothing: the snapshots stay in eu-west-2
    ('resource_types = ["VOLUME"]\ntarget_tags = { a = var.x }\nschedule {\n  name = "s"\n  create_rule {\n'
     '    interval = 24\n  }\n  retain_rule {\n    count = 7\n  }\n}', "", "a = var.x"),
])
def test_a_policy_that_cannot_copy_the_volume_leaves_rl703_failing(tmp_path, details, extra, tags):
    f = _rl703(tmp_path, _policy(details, extra) + _volume(tags))
    assert f.outcome is Outcome.FAIL


def test_a_copy_rule_in_a_dynamic_block_over_an_unknown_collection_is_undecided(tmp_path):
    details = ('resource_types = ["VOLUME"]\ntarget_tags = { a = "1" }\nschedule {\n  name = "s"\n'
               '  create_rule {\n    interval = 24\n  }\n  retain_rule {\n    count = 7\n  }\n'
               '  dynamic "cross_region_copy_rule" {\n    for_each = toset([var.x])\n    content {\n'
               '      target    = cross_region_copy_rule.value\n      encrypted = false\n    }\n  }\n}')
    f = _rl703(tmp_path, _policy(details) + _volume('a = "1"'))
    assert f.outcome is Outcome.UNKNOWN, f.message


CFN = '''AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Default:
    Type: AWS::DLM::LifecyclePolicy
    Properties:
      Description: default policy for volumes
      State: ENABLED
      DefaultPolicy: VOLUME
{copy}
  V:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: eu-west-2a
      Size: 10
'''


@pytest.mark.parametrize("copy, outcome", [
    ("      CrossRegionCopyTargets:\n        - TargetRegion: eu-west-1", Outcome.UNKNOWN),
    ("      CreateInterval: 1", Outcome.FAIL),
])
def test_a_cloudformation_default_policy_targets_every_volume_and_copies_only_through_its_targets(
        tmp_path, copy, outcome):
    (tmp_path / "template.yaml").write_text(CFN.format(copy=copy))
    found = [f for f in run(tmp_path, select=("RL703",)).findings if f.resource == "V"]
    assert [f.outcome for f in found] == [outcome], [f.message for f in found]


def test_the_advice_names_a_policy_only_of_the_volumes_own_root_unless_it_certainly_snapshots_it(tmp_path):
    """A policy of another root may be another account's: the fix names it only when it snapshots the volume for
    sure (all its target tags carried) or sits in the volume's own root."""
    no_copy = ('resource_types = ["VOLUME"]\ntarget_tags = { backup = "true" }\nschedule {\n  name = "s"\n'
               '  create_rule {\n    interval = 24\n  }\n  retain_rule {\n    count = 7\n  }\n}')
    for root, tags in (("platform", 'backup = var.x'), ("app", 'backup = var.x'), ("tagged", 'backup = "true"')):
        (tmp_path / root).mkdir()
        body = PROVIDER + 'variable "x" {\n  type = string\n}\n' + _volume(tags)
        (tmp_path / root / "main.tf").write_text(body + (_policy(no_copy) if root == "platform" else ""))
    found = {f.root.rsplit("/", 1)[-1]: f for f in run(tmp_path, select=("RL703",)).findings
             if f.resource == "aws_ebs_volume.v"}
    assert {k: f.outcome for k, f in found.items()} == {k: Outcome.FAIL for k in ("platform", "app", "tagged")}
    named = "a cross-Region copy rule in aws_dlm_lifecycle_policy.p"
    assert named in found["platform"].message      # its own root's policy may snapshot it
    assert named not in found["app"].message       # another root's policy, which may not even target it
    assert named in found["tagged"].message        # carries every target tag: the policy snapshots it


def test_a_policy_that_certainly_snapshots_and_copies_the_volume_gives_it_a_copy_in_another_region(tmp_path):
    """Enabled, of the volume's Region, every target tag carried, a copy rule to eu-west-1 every 24 hours: RL703
    passes, and the DR model knows the copy's RPO (the schedule's interval)."""
    (tmp_path / "main.tf").write_text(PROVIDER + _policy('resource_types = ["VOLUME"]\ntarget_tags = { a = "1" }'
                                                         + COPY_SCHEDULE) + _volume('a = "1"'))
    result = run(tmp_path, select=("RL703",))
    assert [f for f in result.findings if f.resource == "aws_ebs_volume.v"] == []
    from rlint.rules.base import RuleContext
    from rlint.rules.dr.estimate import REGION
    from rlint.rules.dr.stores.files import volume

    res = next(r for r in result.graph.resources if r.address == "aws_ebs_volume.v")
    store = volume(RuleContext(result.graph), res)
    copies = [o for o in store.estimates[REGION].options if o.cross_region]
    assert [(o.rpo, o.to) for o in copies] == [(24 * 3600, ("eu-west-1",))]


def test_a_policy_snapshots_only_the_volumes_of_its_own_region(tmp_path):
    """The copying policy is created through a us-east-1 provider: a volume in eu-west-2 with its target tag is
    not its, so the volume has no copy in another Region."""
    policy = _policy('resource_types = ["VOLUME"]\ntarget_tags = { a = "1" }' + COPY_SCHEDULE,
                     "provider = aws.virginia")
    alias = 'provider "aws" {\n  alias  = "virginia"\n  region = "us-east-1"\n}\n'
    f = _rl703(tmp_path, alias + policy + _volume('a = "1"'))
    assert f.outcome is Outcome.FAIL, f.message
