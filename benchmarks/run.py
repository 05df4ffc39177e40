"""Time rlint, and checkov and cfn-lint when given, on generated corpora of growing size.

    python benchmarks/run.py [--sizes 10,100,1000,5000] [--repeat 3] [--jobs 1,2]
                             [--checkov PATH] [--cfn-lint PATH] [--timeout TOOL=SECONDS ...] [--reuse]
                             [--markdown] [--report]

For each size N the corpus of N Terraform modules and N CloudFormation templates is generated once with
benchmarks/generate.py (default seed) and cached under benchmarks/corpus/nN/ (regenerated when generate.py
changes). Every tool runs as a child process; the child's own rusage (os.wait4) gives its CPU time (user+sys,
its reaped worker processes included) and its peak RSS (ru_maxrss: the largest single process, not a sum).

- rlint scans the whole corpus once per `--jobs` value, `--repeat` times; the row shows the median wall time,
  the median CPU time and the largest peak. The JSON reports of the different `--jobs` values are compared
  (the `seconds` field aside) and a difference is an error.
- checkov scans the whole corpus (`--framework terraform cloudformation`), once.
- cfn-lint reads only the templates, so rlint also scans `templates/` alone and cfn-lint's ratio is taken
  against that row.

`ratio` is the peer's time over rlint's (wall, then CPU); rlint's reference row is its first `--jobs` value.
`--timeout checkov=1800` stops a peer after that many seconds (the row shows `>1800`), `--timeout checkov=0`
does not run it (the row shows `not run`, or with `--reuse` a recorded measurement). Every measurement is appended to benchmarks/out/results.jsonl; `--reuse` takes a peer's
measurement at the same N from there instead of running it again (checkov takes minutes), and `--report`
prints the table from that file alone, measuring nothing. Numbers are measured here, never asserted in tests.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPORA = HERE / "corpus"
OUT = HERE / "out"
RESULTS = OUT / "results.jsonl"
PEERS = ("checkov", "cfn-lint")


# -- measuring one child -------------------------------------------------------------------------------
def measure(cmd: list, cwd: Path, stdout_path: Path, timeout: float = 0) -> dict:
    """Run one child; wall seconds, CPU seconds (user+sys) and peak RSS in MB from its own rusage."""
    with open(stdout_path, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                                start_new_session=True)
        timed_out = threading.Event()

        def stop() -> None:  # the child leads its own process group: stop it and its workers
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, stop) if timeout else None
        if timer:
            timer.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if timer:
            timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": round(wall, 3), "cpu": round(usage.ru_utime + usage.ru_stime, 3),
            "peak_mb": round(usage.ru_maxrss / 1024, 1), "exit": proc.returncode, "timed_out": timed_out.is_set()}


# -- corpora -------------------------------------------------------------------------------------------
def corpus(n: int) -> Path:
    """benchmarks/corpus/nN, generated once; a stamp of generate.py's hash regenerates it when the generator changes."""
    out = CORPORA / f"n{n}"
    stamp = out / ".generator"
    digest = hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text().split()[0] == digest:
        return out
    out.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, str(HERE / "generate.py"), "--modules", str(n), "--templates", str(n),
                           "--out", str(out), "--force"], check=True, capture_output=True, text=True)
    stamp.write_text(f"{digest} {done.stdout.strip()}\n")
    return out


def templates(root: Path) -> list:
    return sorted(str(p.relative_to(root)) for p in (root / "templates").iterdir() if p.suffix in (".yaml", ".json"))


# -- tools ---------------------------------------------------------------------------------------------
def rlint_cmd(jobs: int, target: str, report: Path) -> list:
    return [sys.executable, "-m", "rlint.cli", "scan", target, "--format", "json", "--fail-on", "never",
            "--jobs", str(jobs), "--output", str(report)]


def normalised_report(path: Path) -> str:
    data = json.loads(path.read_text())
    data["summary"]["seconds"] = 0
    return json.dumps(data, indent=2, sort_keys=True)


def run_rlint(n: int, root: Path, jobs_list: list, repeat: int, target: str, label: str) -> list:
    rows, reports = [], {}
    for jobs in jobs_list:
        runs = []
        report = OUT / f"rlint-n{n}-{target.strip('./') or 'all'}-j{jobs}.json"
        for _ in range(repeat):
            m = measure(rlint_cmd(jobs, target, report), root, OUT / "rlint.stdout")
            if m["exit"] != 0:
                sys.exit(f"rlint exited {m['exit']} on {root} (jobs={jobs})")
            runs.append(m)
        summary = json.loads(report.read_text())["summary"]
        reports[jobs] = normalised_report(report)
        rows.append({"n": n, "tool": f"{label} -j{jobs}", "base": label, "ref": label, "jobs": jobs, "files": summary["files"], "resources": summary["resources"],
                     "wall": statistics.median(r["wall"] for r in runs), "cpu": statistics.median(r["cpu"] for r in runs),
                     "peak_mb": max(r["peak_mb"] for r in runs), "runs": runs, "timed_out": False})
    if len(set(reports.values())) > 1:
        sys.exit(f"rlint's JSON reports differ between --jobs {jobs_list} at N={n} ({label})")
    return rows


def peer_cmd(tool: str, exe: str, root: Path) -> list:
    if tool == "checkov":
        return [exe, "-d", ".", "--framework", "terraform", "cloudformation", "--quiet", "--skip-download",
                "--output", "json"]
    return [exe, "--format", "json", *templates(root)]


def run_peer(tool: str, exe: str, n: int, root: Path, timeout: float) -> dict:
    m = measure(peer_cmd(tool, exe, root), root, OUT / f"{tool}-n{n}.json", timeout)
    files = len(templates(root)) if tool == "cfn-lint" else None
    return {"n": n, "tool": tool, "files": files, "resources": None, "timeout": timeout, **m}


def previous(tool: str, n: int):
    """The last recorded measurement of a peer at this N that ran to the end, or None."""
    found = None
    if RESULTS.exists():
        for line in RESULTS.read_text().splitlines():
            row = json.loads(line)
            if row.get("tool") == tool and row.get("n") == n and not row.get("timed_out"):
                found = row
    return found


def record(row: dict, conditions: dict) -> None:
    with open(RESULTS, "a") as f:
        f.write(json.dumps({**row, "conditions": conditions}, sort_keys=True) + "\n")


# -- the table -----------------------------------------------------------------------------------------
COLUMNS = ("N", "tool", "files", "resources", "wall s", "CPU s", "files/s", "peak MB", "ratio wall", "ratio CPU")


def cells(row: dict, ref: dict) -> list:
    files = row["files"] if row.get("files") is not None else ref["files"]
    if row.get("skipped"):
        return [f"{row['n']:,}", row["tool"], f"{files:,}", "", "not run", "", "", "", "", ""]
    wall = f">{row['timeout']:.0f}" if row.get("timed_out") else f"{row['wall']:.2f}"
    ratio = (f">{row['timeout'] / ref['wall']:.0f}x" if row.get("timed_out") else f"{row['wall'] / ref['wall']:.1f}x")
    cpu_ratio = "" if row.get("timed_out") else f"{row['cpu'] / ref['cpu']:.1f}x"
    return [f"{row['n']:,}", row["tool"], f"{files:,}", f"{row['resources']:,}" if row.get("resources") else "",
            wall, "" if row.get("timed_out") else f"{row['cpu']:.2f}",
            "" if row.get("timed_out") else f"{files / row['wall']:,.0f}", f"{row['peak_mb']:,.0f}", ratio, cpu_ratio]


def print_table(rows: list, markdown: bool) -> None:
    table = []
    for row in rows:  # a ratio is taken against the first rlint row of the same N and target
        ref = next((r for r in rows if r["n"] == row["n"] and r.get("base") == row.get("ref", "rlint")), None)
        if ref is not None:
            table.append(cells(row, ref))
    if markdown:
        print("| " + " | ".join(COLUMNS) + " |")
        print("|" + "|".join("---:" if c not in ("tool",) else "---" for c in COLUMNS) + "|")
        for line in table:
            print("| " + " | ".join(line) + " |")
        return
    widths = [max(len(c), *(len(line[i]) for line in table)) if table else len(c) for i, c in enumerate(COLUMNS)]
    print("  ".join(c.rjust(w) if i != 1 else c.ljust(w) for i, (c, w) in enumerate(zip(COLUMNS, widths))))
    for line in table:
        print("  ".join(v.rjust(w) if i != 1 else v.ljust(w) for i, (v, w) in enumerate(zip(line, widths))))


def _timeouts(values: list) -> dict:
    out = {}
    for v in values:
        tool, sep, seconds = v.partition("=")
        if not sep or tool not in PEERS:
            raise SystemExit(f"--timeout takes TOOL=SECONDS with TOOL in {PEERS}, got {v!r}")
        out[tool] = float(seconds)
    return out


def report_only(sizes: list, markdown: bool) -> None:
    """The table from the recorded measurements: the latest row per (N, tool)."""
    latest: dict = {}
    for line in RESULTS.read_text().splitlines():
        row = json.loads(line)
        if row["n"] in sizes and (row.get("base") is None or row["tool"].endswith(f" -j{row['jobs']}")):
            latest[(row["n"], row["tool"])] = row
    order = {"rlint": 0, "checkov": 1, "rlint templates/": 2, "cfn-lint": 3}
    rows = sorted(latest.values(), key=lambda r: (r["n"], order[r.get("base", r["tool"])], r.get("jobs", 0)))
    for row in rows:
        if row["tool"] == "cfn-lint":
            row["ref"] = "rlint templates/"
    print_table(rows, markdown)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,100,1000,5000", help="comma-separated N (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="rlint runs per size; the median is shown")
    parser.add_argument("--jobs", default="1", help="comma-separated --jobs values for rlint (default %(default)s)")
    parser.add_argument("--checkov", help="a checkov executable (in its own environment)")
    parser.add_argument("--cfn-lint", dest="cfn_lint", help="a cfn-lint executable")
    parser.add_argument("--timeout", action="append", default=[], metavar="TOOL=SECONDS",
                        help="stop a peer after SECONDS (0: skip it); repeatable")
    parser.add_argument("--reuse", action="store_true", help="take peers' earlier measurements at the same N")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--report", action="store_true", help="print the recorded table; measure nothing")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.report:
        report_only(sizes, args.markdown)
        return
    jobs_list = [int(j) for j in args.jobs.split(",")]
    timeouts = _timeouts(args.timeout)
    peers = {t: exe for t, exe in (("checkov", args.checkov), ("cfn-lint", args.cfn_lint)) if exe}
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ["BC_SKIP_MAPPING"] = "TRUE"  # checkov: no network look-ups
    conditions = {"cpus": os.cpu_count(), "python": platform.python_version(), "date": time.strftime("%Y-%m-%d"),
                  "load1_at_start": round(os.getloadavg()[0], 2)}
    rows = []
    for n in sizes:
        root = corpus(n)
        conditions["load1_at_start"] = round(os.getloadavg()[0], 2)
        size_rows = run_rlint(n, root, jobs_list, args.repeat, ".", "rlint")
        if "cfn-lint" in peers:
            size_rows += run_rlint(n, root, jobs_list[:1], args.repeat, "templates", "rlint templates/")
        for tool, exe in peers.items():
            timeout = timeouts.get(tool)
            row = previous(tool, n) if args.reuse else None
            if row is None and timeout == 0:
                row = {"n": n, "tool": tool, "skipped": True, "files": None, "resources": None}
            elif row is None:
                row = run_peer(tool, exe, n, root, timeout or 0)
                record(row, conditions)
            if tool == "cfn-lint":
                row["ref"] = "rlint templates/"
            size_rows.append(row)
        for row in size_rows:
            if row["tool"].startswith("rlint"):
                record(row, conditions)
        print_table(size_rows, args.markdown)
        rows.extend(size_rows)
        sys.stdout.flush()
    if len(sizes) > 1:
        print()
        print_table(rows, args.markdown)


if __name__ == "__main__":
    main()
