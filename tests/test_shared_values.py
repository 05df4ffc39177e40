"""Values a scan holds many times over are one object each (design: speed): attribute names and paths, resource
types, repeated CloudFormation settings, unknown values' reasons and single references. Worker processes send
their units back pickled, and pickling keeps only what is one object shared, so these keep the scan's parent
small. The values themselves are what they were; only their identity is pinned here."""
from __future__ import annotations

import pickle
from pathlib import Path

from rlint.discover import discover
from rlint.model import Unknown
from rlint.units import load_unit

TF = """resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_sqs_queue" "a" {
  name = "a"
  tags = { Team = "x" }
  kms_master_key_id = aws_vpc.main.id
}
resource "aws_sqs_queue" "b" {
  name = "b"
  tags = { Team = "y" }
  kms_master_key_id = aws_vpc.main.id
}
"""
CFN = """Resources:
  A:
    Type: AWS::SQS::Queue
    DeletionPolicy: Retain
    Properties:
      QueueName: !Sub "${AWS::StackName}-a"
  B:
    Type: AWS::SQS::Queue
    DeletionPolicy: Retain
    Properties:
      QueueName: !Sub "${AWS::StackName}-b"
"""


def _units(tmp_path: Path) -> list:
    (tmp_path / "main.tf").write_text(TF)
    (tmp_path / "stack.yaml").write_text(CFN)
    found = discover([tmp_path], cwd=tmp_path)
    return {u.kind: load_unit(u) for u in found.units}


def _key(res, path: tuple) -> tuple:
    return next(k for k in res.attr_spans if k == path)


def test_terraform_names_paths_and_single_references_are_shared(tmp_path):
    unit = _units(tmp_path)["terraform"]
    a, b = (next(r for r in unit.resources if r.address == f"aws_sqs_queue.{n}") for n in "ab")
    (name_a,), (name_b,) = ([k for k in r.attrs if k == "tags"] for r in (a, b))
    assert name_a is name_b
    assert _key(a, ("tags",)) is _key(b, ("tags",))
    assert a.type is b.type
    ua, ub = a.attrs["kms_master_key_id"], b.attrs["kms_master_key_id"]
    assert isinstance(ua, Unknown) and ua.refs == {("aws_vpc.main", "id")}
    assert ua.refs is ub.refs and ua.reason is ub.reason


def test_cloudformation_keys_settings_and_reasons_are_shared(tmp_path):
    unit = _units(tmp_path)["cloudformation"]
    a, b = unit.resources
    assert a.attrs["DeletionPolicy"] == "Retain" and a.attrs["DeletionPolicy"] is b.attrs["DeletionPolicy"]
    assert a.type is b.type
    assert _key(a, ("Properties", "QueueName")) is _key(b, ("Properties", "QueueName"))


def test_unknowns_without_references_share_one_empty_set():
    assert Unknown("x").refs is Unknown("y", frozenset()).refs is Unknown("z", frozenset([1]) - {1}).refs
    assert Unknown("x", frozenset({("a", None)})).refs is Unknown("y", frozenset({("a", None)})).refs
    two = frozenset({("a", None), ("b", None)})
    assert Unknown("x", two).refs is two


def test_a_batch_of_units_keeps_its_values_and_their_sharing_through_pickling(tmp_path):
    units = _units(tmp_path)
    back = pickle.loads(pickle.dumps(list(units.values())))  # what a worker sends: a batch of unit results
    for sent, got in zip(units.values(), back):
        assert [(r.address, r.type, r.attrs, r.attr_spans, r.refs) for r in sent.resources] == \
            [(r.address, r.type, r.attrs, r.attr_spans, r.refs) for r in got.resources]
    tf = back[0] if back[0].kind == "terraform" else back[1]
    a, b = (next(r for r in tf.resources if r.address == f"aws_sqs_queue.{n}") for n in "ab")
    assert _key(a, ("tags",)) is _key(b, ("tags",))
    assert a.attrs["kms_master_key_id"].refs is b.attrs["kms_master_key_id"].refs
