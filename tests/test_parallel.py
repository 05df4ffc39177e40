"""A parallel scan writes the same JSON report as a serial one, byte for byte (the `seconds` field aside)."""
from __future__ import annotations

import json
import re

import pytest

import rlint.engine
import rlint.parallel
from helpers import invoke

pytestmark = pytest.mark.usefixtures("probe_catalogue")

TF = 'variable "ha" {{\n  default = {ha}\n}}\nresource "aws_db_instance" "db{i}" {{\n  multi_az = var.ha\n}}\n'
# count and for_each: instances are collapsed into one finding per block, whatever process loaded them
TF_EXPANDED = ('resource "aws_db_instance" "counted" {\n  count    = 3\n  multi_az = false\n}\n'
               'resource "aws_db_instance" "each" {\n  for_each = toset(["a", "b"])\n  multi_az = each.key == "a"\n}\n')
CFN = "Resources:\n  Db{i}:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MultiAZ: {ha}\n"
SECONDS = re.compile(rb'"seconds": [0-9.e+-]+')


def corpus(root):
    for i in range(24):
        module = root / f"m{i:02d}"
        module.mkdir()
        (module / "main.tf").write_text(TF.format(i=i, ha="true" if i % 3 else "false"))
        (root / f"t{i:02d}.yaml").write_text(CFN.format(i=i, ha="true" if i % 2 else "false"))
    (root / "m00" / "expanded.tf").write_text(TF_EXPANDED)
    (root / "broken.tf").write_text("resource {\n")


def test_parallel_and_serial_json_reports_are_byte_identical(tmp_path, monkeypatch):
    corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(rlint.engine, "PARALLEL_MIN_BYTES", 0)  # this corpus is small: use the workers anyway
    pools = []
    real = rlint.parallel.load_units_parallel
    monkeypatch.setattr(rlint.parallel, "load_units_parallel", lambda units, options: pools.append(1) or
                        real(units, options))

    def report(jobs: int) -> bytes:
        out = tmp_path / f"report-j{jobs}.json"
        result = invoke("scan", ".", "--format", "json", "--jobs", jobs, "--output", out)
        assert result.exit_code == 1, result.output
        return SECONDS.sub(b'"seconds": 0', out.read_bytes())

    serial = report(1)
    assert pools == []
    parallel = report(2)
    assert pools == [1]  # the second scan did load its units in worker processes
    assert serial == parallel
    summary = json.loads(serial)["summary"]
    assert summary["fail"] == 8 + 12 + 1 + 2  # RL101 on modules and templates, RL001, counted and each["b"]
    assert summary["resources"] == 24 + 24 + 3 + 2


def test_small_scans_stay_in_one_process(tmp_path, monkeypatch):
    corpus(tmp_path)
    monkeypatch.setattr(rlint.parallel, "load_units_parallel", lambda units, options: pytest.fail("pool started"))
    from helpers import run

    result = run(tmp_path, jobs=2)  # 49 units but a few kilobytes: not worth worker processes
    assert result.resources == 24 + 24 + 3 + 2
