"""Terminal behaviour: colour only on a terminal and never with NO_COLOR, the progress bar, --quiet, --output."""
from __future__ import annotations

import io
import json
import sys

import pytest

from helpers import invoke, run
from rlint.cli import _color
from rlint.engine import ScanOptions, scan
from rlint.progress import Progress

pytestmark = pytest.mark.usefixtures("probe_catalogue")

BAD_DB = 'resource "aws_db_instance" "x" {\n  multi_az = false\n}\n'


class Tty(io.StringIO):
    def isatty(self):
        return True



@pytest.mark.parametrize("tty, no_color_env, flag, output, expected", [
    (True, None, False, None, True),
    (False, None, False, None, False),
    (True, "1", False, None, False),
    (True, "", False, None, True),  # NO_COLOR counts only when non-empty (no-color.org)
    (True, None, True, None, False),
    (True, None, False, "report.txt", False),
])
def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch, tty, no_color_env, flag, output, expected):
    monkeypatch.setattr(sys, "stdout", Tty() if tty else io.StringIO())
    if no_color_env is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color_env)
    assert _color(flag, output) is expected


def test_piped_output_has_no_escape_codes(tmp_path, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    (tmp_path / "main.tf").write_text(BAD_DB)
    assert "\033[" not in invoke("scan", tmp_path).output


def test_coloured_text_report(tmp_path):
    from rlint.reporters.options import ReportOptions
    from rlint.reporters.text import render

    (tmp_path / "main.tf").write_text(BAD_DB)
    first = render(run(tmp_path), ReportOptions(color=True)).splitlines()[0]
    assert first.startswith("\033[1mmain.tf:2:3\033[0m  RL101 \033[31mhigh\033[0m  aws_db_instance.x")


# -- progress ---------------------------------------------------------------------------------------------
class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_progress_bar_waits_then_draws_then_erases():
    stream, clock = Tty(), Clock()
    bar = Progress(stream, delay=0.5, clock=clock)
    bar(1, 4)
    assert stream.getvalue() == ""  # a short scan never shows a bar
    clock.now = 0.6
    bar(2, 4)
    assert stream.getvalue() == "\r[" + "#" * 15 + "." * 15 + "] 2/4 units"
    bar(4, 4)
    assert stream.getvalue().endswith("\r[" + "#" * 30 + "] 4/4 units")
    bar.finish()
    assert stream.getvalue().endswith("\r" + " " * 60 + "\r")


def test_progress_finish_without_drawing_writes_nothing():
    stream = Tty()
    bar = Progress(stream, delay=10)
    bar(1, 1)
    bar.finish()
    assert stream.getvalue() == ""


def test_progress_only_when_stderr_is_a_terminal():
    assert Progress.wanted(Tty()) is True
    assert Progress.wanted(io.StringIO()) is False


@pytest.mark.parametrize("jobs", [1, 2])
def test_engine_reports_progress_per_unit(tmp_path, jobs):
    for i in range(10):
        (tmp_path / f"m{i}").mkdir()
        (tmp_path / f"m{i}" / "main.tf").write_text(BAD_DB)
    calls = []
    result = scan([tmp_path], ScanOptions(cwd=tmp_path, jobs=jobs, progress=lambda d, t: calls.append((d, t))))
    assert calls == [(i, 10) for i in range(1, 11)]
    assert len(result.findings) == 10


@pytest.fixture
def eager_bar(monkeypatch):
    """A bar without the half-second wait, so a short test scan would draw it if the CLI made one."""
    import rlint.progress

    class Eager(rlint.progress.Progress):
        def __init__(self, stream=None, delay=0.0, clock=lambda: 0.0):
            super().__init__(stream, delay=delay, clock=clock)

    monkeypatch.setattr(rlint.progress, "Progress", Eager)
    return Eager


def test_no_progress_output_when_stderr_is_not_a_terminal(tmp_path, eager_bar):
    (tmp_path / "main.tf").write_text(BAD_DB)
    result = invoke("scan", tmp_path, "--format", "json")
    assert "units" not in result.stderr and "\r" not in result.output
    json.loads(result.stdout)  # nothing but the report


def test_progress_drawn_on_stderr_when_it_is_a_terminal(tmp_path, eager_bar, monkeypatch):
    """The counterpart: with a terminal the same scan draws the bar on stderr and erases it; stdout is the
    report alone, and --quiet draws nothing."""
    (tmp_path / "main.tf").write_text(BAD_DB)
    monkeypatch.setattr(eager_bar, "wanted", staticmethod(lambda stream=None: True))
    result = invoke("scan", tmp_path, "--format", "json")
    assert result.stderr.startswith("\r[" + "#" * 30 + "] 1/1 units") and result.stderr.endswith(" " * 60 + "\r")
    json.loads(result.stdout)
    assert invoke("scan", tmp_path, "--format", "json", "--quiet").stderr == ""


# -- quiet and output -------------------------------------------------------------------------------------
def test_quiet_prints_only_the_summary(tmp_path):
    (tmp_path / "main.tf").write_text(BAD_DB)
    out = invoke("scan", tmp_path, "--quiet").output
    assert out.splitlines() == [out.strip()] and out.startswith("1 finding (1 high) · 0 unknown · 0 suppressed")
    md = invoke("scan", tmp_path, "--quiet", "--format", "markdown").output
    assert "### High" not in md and "| high | 1 |" in md


def test_output_file_gets_the_report_and_stdout_stays_empty(tmp_path):
    (tmp_path / "main.tf").write_text(BAD_DB)
    target = tmp_path / "out" / "report.sarif"
    bad_dir = invoke("scan", tmp_path, "--format", "sarif", "--output", target)
    assert bad_dir.exit_code == 2 and "cannot write" in bad_dir.output
    target.parent.mkdir()
    result = invoke("scan", tmp_path, "--format", "sarif", "--output", target)
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(target.read_text())["runs"][0]["results"][0]["ruleId"] == "RL101"
