"""The program writes JSON and SARIF reports piece by piece (a large report never exists whole in memory): the
pieces are exactly the text `render` gives, on stdout and in an --output file."""
from __future__ import annotations

import json
import re

from helpers import invoke
from rlint.engine import ScanOptions, scan
from rlint.reporters import json_pieces, json_report, sarif

CFN = "Resources:\n  Db{i}:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MultiAZ: false\n"
SECONDS = re.compile(r'"seconds": [0-9.e+-]+')


def test_json_pieces_join_to_the_indented_text_in_several_pieces():
    value = {"findings": [{"rule": f"RL{i}", "line": i, "ok": i % 2 == 0, "x": None} for i in range(20000)]}
    pieces = list(json_pieces(value))
    assert len(pieces) > 1
    assert "".join(pieces) == json.dumps(value, indent=2) + "\n"


def test_reporters_pieces_are_their_rendered_text(tmp_path):
    """`render` joins the pieces; both are the report as indented JSON, as it has always been written."""
    for i in range(3):
        (tmp_path / f"t{i}.yaml").write_text(CFN.format(i=i))
    result = scan([tmp_path], ScanOptions(cwd=tmp_path))
    assert result.findings
    for reporter, as_dict in ((json_report, json_report.report_dict), (sarif, sarif.sarif_dict)):
        text = json.dumps(as_dict(result), indent=2) + "\n"
        assert "".join(reporter.pieces(result)) == reporter.render(result) == text


def test_the_program_writes_the_same_report_to_stdout_and_to_a_file(tmp_path, monkeypatch):
    (tmp_path / "t.yaml").write_text(CFN.format(i=0))
    monkeypatch.chdir(tmp_path)
    for fmt in ("json", "sarif"):
        shown = invoke("scan", ".", "--format", fmt)
        written = invoke("scan", ".", "--format", fmt, "--output", tmp_path / "out")
        assert shown.exit_code == written.exit_code == 1
        text = (tmp_path / "out").read_text(encoding="utf-8")
        assert SECONDS.sub("", shown.output) == SECONDS.sub("", text)
        assert text.endswith("}\n")
