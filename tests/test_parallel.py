"""A parallel scan gives the same report as a serial one, byte for byte (seconds aside)."""
from __future__ import annotations

import pytest

import json

from helpers import run
from rlint.reporters.json_report import report_dict

pytestmark = pytest.mark.usefixtures("probe_catalogue")

TF = 'variable "ha" {{\n  default = {ha}\n}}\nresource "aws_db_instance" "db{i}" {{\n  multi_az = var.ha\n}}\n'
CFN = "Resources:\n  Db{i}:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MultiAZ: {ha}\n"


def test_parallel_and_serial_reports_are_identical(tmp_path):
    for i in range(24):
        module = tmp_path / f"m{i:02d}"
        module.mkdir()
        (module / "main.tf").write_text(TF.format(i=i, ha="true" if i % 3 else "false"))
        (tmp_path / f"t{i:02d}.yaml").write_text(CFN.format(i=i, ha="true" if i % 2 else "false"))
    (tmp_path / "broken.tf").write_text("resource {\n")

    def report(jobs):
        data = report_dict(run(tmp_path, jobs=jobs))
        data["summary"]["seconds"] = 0
        return json.dumps(data, indent=2)

    serial, parallel = report(1), report(2)
    assert serial == parallel
    assert json.loads(serial)["summary"]["fail"] == 8 + 12 + 1
