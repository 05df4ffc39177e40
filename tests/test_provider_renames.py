"""AWS provider 4.x spellings: read like the 5.x names, and fixes edit the spelling the file writes.

A fix never adds the 5.x name beside the 4.x one (Terraform rejects both together); when the resource writes
neither, the 4.x name is chosen only when the configuration proves provider 4.x or older.
"""
from __future__ import annotations

import re

import pytest

from helpers import FIXTURES, run
from rlint.engine import SourceCache
from rlint.evaluate.provider_version import combine, major_bounds
from rlint.fixes.command import plan_fixes


@pytest.mark.parametrize("constraint, bounds", [
    ("~> 4.0", (4, 4)), ("~> 4.67.0", (4, 4)), ("~> 4", (4, None)), (">= 3.0, < 5.0", (3, 4)),
    ("< 5.1", (0, 5)), ("<= 4.9", (0, 4)), ("= 4.67.0", (4, 4)), ("4.67.0", (4, 4)), (">= 5.0", (5, None)),
    ("> 4.0", (4, None)), (">= 4.0, != 4.5.0", (4, None)), ("latest", None),
])
def test_major_bounds_of_a_constraint(constraint, bounds):
    assert major_bounds(constraint) == bounds


def test_constraints_of_a_module_tree_intersect():
    assert combine([major_bounds(">= 3.0"), major_bounds("~> 4.0")]) == (4, 4)
    assert combine([None]) is None


def fixed_text(tmp_path, source: str, lock: str = "") -> str:
    (tmp_path / "main.tf").write_text(source)
    if lock:
        (tmp_path / ".terraform.lock.hcl").write_text(lock)
    result = run(tmp_path, select=("RL103",))
    assert [f.rule_id for f in result.findings] == ["RL103"]
    plan = plan_fixes(result, SourceCache(tmp_path), unsafe=True)
    return plan.new_texts[next(iter(plan.new_texts))]


GROUP = '''resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "sessions"
  %s
  node_type                  = "cache.t4g.small"
  automatic_failover_enabled = true
  multi_az_enabled           = true
}
'''
PIN_4 = '''terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "%s"
    }
  }
}
'''
LOCK = '''provider "registry.terraform.io/hashicorp/aws" {
  version     = "%s"
  constraints = ">= 3.0"
}
'''


PROVIDER4 = FIXTURES / "terraform" / "provider4" / "main.tf"  # its own folder: Terraform cannot init it offline


def test_4x_spellings_are_read():
    result = run(PROVIDER4, select=("RL103",))
    assert sorted(f.resource for f in result.findings) == [
        "aws_elasticache_replication_group.legacy_shards_bare", "aws_elasticache_replication_group.legacy_single"]


def test_fix_edits_the_4x_name_in_place(tmp_path):
    (tmp_path / "main.tf").write_text(PROVIDER4.read_text())
    result = run(tmp_path, select=("RL103",))
    single = next(f for f in result.findings if f.resource.endswith("legacy_single"))
    assert "`number_cache_clusters` is `1`" in single.message
    shards = next(f for f in result.findings if f.resource.endswith("legacy_shards_bare"))
    assert "`cluster_mode.replicas_per_node_group` is `0`" in shards.message
    text = plan_fixes(result, SourceCache(tmp_path), unsafe=True).new_texts["main.tf"]
    assert "num_cache_clusters" not in text
    assert text.count("number_cache_clusters         = 2") == 2
    assert "    replicas_per_node_group = 1\n  }" in text and "replicas_per_node_group = 0" not in text
    assert "\n  replicas_per_node_group" not in text  # never the 5.x top-level argument beside the block


@pytest.mark.parametrize("description, pin, lock, written", [
    ('description = "sessions"', "", "", "num_cache_clusters"),  # nothing says: the 5.x name
    ('replication_group_description = "sessions"', "", "", "number_cache_clusters"),  # a 4.x-only argument
    ('description = "sessions"', "~> 4.0", "", "number_cache_clusters"),
    ('description = "sessions"', ">= 3.0, < 5.0", "", "number_cache_clusters"),
    ('description = "sessions"', ">= 4.0", "", "num_cache_clusters"),  # 5.x is allowed: the 5.x name
    ('description = "sessions"', ">= 4.0", "4.67.0", "number_cache_clusters"),  # the lock file decides
    ('description = "sessions"', "~> 4.0", "5.100.0", "num_cache_clusters"),
])
def test_an_added_count_is_spelled_for_the_provider_version(tmp_path, description, pin, lock, written):
    source = (PIN_4 % pin if pin else "") + GROUP % description
    text = fixed_text(tmp_path, source, LOCK % lock if lock else "")
    other = "num_cache_clusters" if written == "number_cache_clusters" else "number_cache_clusters"
    # aligned with the block's other settings, as `terraform fmt` writes it
    assert re.search(rf"\n  {written} += 2\n", text) and other not in text
