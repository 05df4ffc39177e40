"""The text report a person reads: each fix as the changed lines with their numbers and a line of context
(not the whole resource again), --no-fixes, plurals that agree, TERM=dumb honoured, --strict saying why it
fails, and `rlint fix` exiting like `scan` on what is left."""
from __future__ import annotations

import sys

import pytest

from helpers import ROOT, invoke

pytestmark = pytest.mark.usefixtures("probe_catalogue")
PROBE_RULES = ("RL101", "RL302", "RL401", "RL402")

DB = 'resource "aws_db_instance" "orders" {\n  engine   = "postgres"\n  multi_az = false\n}\n'
DB_FIXED = DB.replace("false", "true")
CFN = ("Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n"
       "      MultiAZ: false\n")


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _finding_blocks(text: str) -> list:
    """The lines of each finding (its line and the indented lines after it)."""
    blocks: list = []
    for line in text.splitlines():
        if line.startswith("    "):
            blocks[-1].append(line)
        elif ":" in line.split(" ")[0] and " RL" in line:
            blocks.append([line])
    return blocks


def test_a_fix_is_shown_as_the_changed_lines_with_context(here):
    (here / "db.tf").write_text(DB)
    lines = invoke("scan", ".", "--no-color", "--select", "RL101").output.splitlines()
    assert lines[1:6] == ["    fix: Set `multi_az` to true   (a synchronous standby in a second AZ; doubles the "
                          "instance cost, applied in place)",
                          '    2     engine   = "postgres"', "    3 -   multi_az = false", "      +   multi_az = true",
                          "    4   }"]
    (here / "db.tf").unlink()
    (here / "t.yaml").write_text(CFN)
    lines = invoke("scan", ".", "--no-color", "--select", "RL402").output.splitlines()
    # the lines `rlint fix` writes, in its order: the finding's own policy first
    assert lines[2:5] == ["    6         MultiAZ: false", "      +     UpdateReplacePolicy: Snapshot",
                          "      +     DeletionPolicy: Snapshot"]


def test_added_resources_are_cut_short(here):
    (here / "db.tf").write_text(DB)
    lines = invoke("scan", ".", "--no-color", "--select", "RL302").output.splitlines()
    added = [line for line in lines if line.startswith("      +")]
    assert len(added) == 9 and added[-1].startswith("      + ... ")
    assert added[-1].endswith("more lines (`rlint fix` shows the whole change; the JSON and SARIF reports carry it)")


def test_every_fix_in_the_examples_fits_a_screen():
    out = invoke("scan", ROOT / "examples", "--no-color", "--select", "RL1,RL3,RL4").output
    blocks = _finding_blocks(out)
    assert len(blocks) >= 10  # enough fixes for the bound below to mean something
    assert max(len(b) for b in blocks) <= 12, max(blocks, key=len)


def test_no_fixes_leaves_them_out(here):
    (here / "db.tf").write_text(DB)
    out = invoke("scan", ".", "--no-color", "--no-fixes", "--select", "RL101").output
    assert out.splitlines()[0].startswith("db.tf:3:3  RL101 high") and "fix:" not in out and "multi_az = true" not in out


def test_plurals_agree(here):
    (here / "db.tf").write_text(DB)
    assert "1 finding (1 high) · 0 unknown · 0 suppressed · 1 file, 1 resource in " in \
        invoke("scan", ".", "--select", "RL101").output
    (here / "two.tf").write_text(DB.replace("orders", "other"))
    assert "2 findings (2 high) · 0 unknown · 0 suppressed · 2 files, 2 resources in " in \
        invoke("scan", ".", "--select", "RL101").output
    markdown = invoke("scan", ".", "--select", "RL101", "--format", "markdown").output
    assert "2 files, 2 resources scanned in " in markdown


def test_term_dumb_turns_off_colour_and_the_progress_bar(monkeypatch):
    from rlint.cli import _color
    from rlint.progress import Progress

    class Tty:
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdout", Tty())
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert _color(False, None) is True and Progress.wanted(Tty()) is True
    monkeypatch.setenv("TERM", "dumb")
    assert _color(False, None) is False and Progress.wanted(Tty()) is False


def test_strict_lists_the_unknowns_that_fail_it(here):
    (here / "main.tf").write_text('variable "ha" {}\nresource "aws_db_instance" "x" {\n  multi_az = var.ha\n}\n')
    result = invoke("scan", ".", "--strict", "--no-color", "--select", "RL101")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "main.tf:3:3  RL101 unknown  aws_db_instance.x: `multi_az` cannot be decided (var.ha has no default and no "
        "value was given)",
        "strict: 1 unknown finding counts as failing (listed above)",
        result.output.splitlines()[-1]]
    assert "### Unknown (1)" in invoke("scan", ".", "--strict", "--select", "RL101", "--format", "markdown").output
    assert "::notice " in invoke("scan", ".", "--strict", "--select", "RL101", "--format", "github").output


@pytest.mark.parametrize("files, args, code", [
    ({"db.tf": DB_FIXED}, (), 0),  # nothing to fix
    ({"db.tf": DB}, (), 1),  # fixes shown, not written: the failing finding is left
    ({"db.tf": DB}, ("--unsafe-fixes", "--write"), 0),  # fixed
    ({"db.tf": DB}, ("--write",), 1),  # the fix needs review: left unfixed
    ({"db.tf": DB}, ("--generate", "sub/x.tf"), 2),  # usage error
    ({"db.tf": DB}, ("--select", "RL9"), 2),  # unknown rule
])
def test_fix_exits_like_scan_on_what_is_left(here, files, args, code):
    for name, text in files.items():
        (here / name).write_text(text)
    result = invoke("fix", ".", "--select", "RL101", *args) if "--select" not in args else invoke("fix", ".", *args)
    assert result.exit_code == code, result.output
    if code == 1:
        assert "1 failing finding " in result.stderr


def test_fix_help_documents_the_exit_codes():
    text = " ".join(invoke("fix", "--help").output.split())
    assert "Exit codes: 0 nothing failing is left, 1 failing findings remain" in text
