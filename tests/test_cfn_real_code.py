"""Classes found by scanning public CloudFormation and SAM repositories and judging the findings by hand
(issue 16, "real code, judged by hand"): each is reproduced by a small fixture of our own."""
from __future__ import annotations

from helpers import FIXTURES, run

CFN = FIXTURES / "cloudformation"


def test_a_serverless_framework_resources_file_is_skipped_with_a_reason_not_an_error():
    """A file serverless.yml includes with ${file(...)} is merged with others by the framework: its references to
    resources of the other files are not errors, and its ${opt:...} variables are not CloudFormation's."""
    result = run(CFN / "serverless-fragment")
    assert [f.rule_id for f in result.findings] == []
    assert [s["file"] for s in result.coverage["files_skipped"]] == ["resources.yml"]
    assert "Serverless Framework resources file" in result.coverage["files_skipped"][0]["reason"]
