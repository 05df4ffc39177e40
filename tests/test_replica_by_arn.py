"""A read replica that names its source by ARN text instead of a reference (a cross-Region replica must name
its source by ARN, and the account id in it is often known only at plan time) is the source's copy in another
Region (rules/dr/stores/databases.py: _replicas_naming). Found on alphagov/govwifi-terraform (round 9): the
users database of staging has a replica in eu-west-1 named `arn:aws:rds:eu-west-2:${local.aws_account_id}:db:...`
in the same root, and production's replica lives in another root. Fixture: tests/fixtures/rules/RL703/
replica-by-arn (same root, valid for Terraform); the other-root case is written here."""
from __future__ import annotations

import pytest

from helpers import run
from rlint.model import Outcome, PartialString
from rlint.rules.dr.stores.databases import _source_named

SOURCE = """
provider "aws" {
  region = "eu-west-2"
}

resource "aws_db_instance" "users" {
  identifier        = "users-db"
  engine            = "mysql"
  instance_class    = "db.t3.medium"
  allocated_storage = 20
  multi_az          = true
}
"""

REPLICA = """
variable "account_id" {
  type = string
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_db_instance" "users_dr" {
  identifier          = "users-db-dr"
  replicate_source_db = "arn:aws:rds:eu-west-2:${var.account_id}:db:%s"
  instance_class      = "db.t3.medium"
}
"""


def _rl703(tmp_path, replica_names: str):
    (tmp_path / "london").mkdir()
    (tmp_path / "dublin").mkdir()
    (tmp_path / "london" / "main.tf").write_text(SOURCE)
    (tmp_path / "dublin" / "main.tf").write_text(REPLICA % replica_names)
    return [(f.outcome, f.root, f.resource, f.message) for f in run(tmp_path, select=("RL703",)).findings]


def test_a_replica_in_another_root_naming_the_source_by_arn_makes_it_unknown(tmp_path):
    (outcome, root, resource, message), = _rl703(tmp_path, "users-db")
    assert (outcome, root, resource) == (Outcome.UNKNOWN, "london", "aws_db_instance.users")
    assert message == ("aws_db_instance.users: whether it has a copy in another Region cannot be decided "
                       "(aws_db_instance.users_dr (root dublin) names `users-db` in eu-west-2 as its source: "
                       "another root module's replica of this instance if both run in one account)")


def test_a_replica_in_another_root_naming_another_identifier_changes_nothing(tmp_path):
    (outcome, root, resource, _), = _rl703(tmp_path, "users-db-old")
    assert (outcome, root, resource) == (Outcome.FAIL, "london", "aws_db_instance.users")


@pytest.mark.parametrize("value, named", [
    ("arn:aws:rds:eu-west-2:123456789012:db:users-db", {"name": "users-db", "region": "eu-west-2",
                                                        "account": "123456789012"}),
    (PartialString("x", frozenset(), ("arn:aws:rds:eu-west-2:", None, ":db:users-db")),
     {"name": "users-db", "region": "eu-west-2", "account": None}),
    (PartialString("x", frozenset(), ("arn:aws:rds:", None, ":", None, ":db:users-db")),
     {"name": "users-db", "region": None, "account": None}),
    (PartialString("x", frozenset(), ("arn:aws:rds:eu-west-2:1:db:", None)), None),  # the name is undecided
    ("users-db", None),  # a plain identifier: a source in the replica's own Region
    ("arn:aws:rds:eu-west-2:123456789012:cluster:users", None),
])
def test_what_a_source_arn_names(value, named):
    assert _source_named(value) == named
