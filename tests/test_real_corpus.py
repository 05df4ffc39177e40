"""benchmarks/real_corpus.py, the corpus summary the issue closing notes quote, on a fixture of its own."""
from __future__ import annotations

import json
import sys

from helpers import FIXTURES, ROOT


def test_summary_counts_evaluations_unknown_reasons_and_lists_results(tmp_path, capsys):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import real_corpus
    finally:
        sys.path.pop(0)
    code = real_corpus.main([str(FIXTURES / "terraform" / "modules"), "--list", "RL101",
                             "--json", str(tmp_path / "r.json")])
    out = capsys.readouterr().out
    assert code == 0
    assert "RL002: 0" in out
    assert "  RL101 3 1" in out  # three failing module instances, one unknown (an input without default)
    assert "    1  variable without default" in out
    # every result of a listed rule, with the file it points at and the unit (root module) it came from: a value
    # the caller passes in is shown at the caller's argument (issue 20), one from the module at the module
    assert "modules/main.tf:44 module.db_input.aws_db_instance.this (unit " in out
    assert "modules/db/main.tf:18 module.db_single.aws_db_instance.this (unit " in out
    assert "fixtures/terraform/modules): module.db_input.aws_db_instance.this: `multi_az` cannot be decided" in out
    assert (tmp_path / "r.json").read_text().startswith("[")


def test_judged_table_counts_verdicts_by_finding_and_site_and_names_unjudged_and_gone(tmp_path, capsys):
    """benchmarks/judged.py: a corpus of one repository (a copy of examples/web-tier-terraform), scanned by
    real_corpus.py --each, held against verdicts; the sites a verdict covers are named relative to the repository."""
    import shutil

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import judged
        import real_corpus
    finally:
        sys.path.pop(0)
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "examples" / "web-tier-terraform", corpus / "owner+web")
    assert real_corpus.main([str(corpus), "--each", "--json", str(tmp_path / "r.json")]) == 0
    capsys.readouterr()
    site = {"repo": "owner+web", "root": ".", "file": "main.tf"}
    lines = [
        "# judged by hand",
        json.dumps({**site, "rule": "RL201", "address": "aws_autoscaling_group.web", "verdict": "TP"}),
        json.dumps({**site, "rule": "RL203", "address": "aws_route53_record.www_primary", "verdict": "noise"}),
        json.dumps({**site, "rule": "RL205", "address": "aws_route53_record.www_secondary", "verdict": "FP"}),
        json.dumps({**site, "rule": "RL999", "address": "aws_s3_bucket.gone", "verdict": "TP"}),
    ]
    (tmp_path / "v.jsonl").write_text("\n".join(lines) + "\n")
    code = judged.main([str(corpus), str(tmp_path / "r.json"), str(tmp_path / "v.jsonl"), "--unjudged"])
    captured = capsys.readouterr()
    assert code == 0
    assert "| RL201 | 1 | 1 | 0 | 0 | 0 | 1/0/0 | 0 |  |" in captured.out
    assert "| RL203 | 1 | 0 | 0 | 1 | 0 | 0/0/1 | 0 |  |" in captured.out
    assert "| RL205 | 1 | 0 | 1 | 0 | 0 | 0/1/0 | 0 |  |" in captured.out
    assert "noise 1 of 3 judged failing findings (33.3%); by site 1 of 3 (33.3%); FP 1" in captured.out
    assert ('unjudged ×1: {"repo": "owner+web", "rule": "RL101", "root": ".", "file": "variables.tf", '
            '"address": "aws_db_instance.orders"}') in captured.out
    assert "verdicts that no failing finding matches now: 1 (TP 1)" in captured.out
    assert ('gone TP: {"repo": "owner+web", "rule": "RL999", "root": ".", "file": "main.tf", '
            '"address": "aws_s3_bucket.gone"}') in captured.out
    (tmp_path / "bad.jsonl").write_text(json.dumps({**site, "rule": "RL201", "address": "x", "verdict": "maybe"}))
    assert judged.main([str(corpus), str(tmp_path / "r.json"), str(tmp_path / "bad.jsonl")]) == 1
    assert "verdict 'maybe' is none of TP, FP, noise" in capsys.readouterr().err
