"""benchmarks/real_corpus.py, the corpus summary the issue closing notes quote, on a fixture of its own."""
from __future__ import annotations

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
