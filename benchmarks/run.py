"""Time rlint (and checkov and cfn-lint when installed) on generated corpora of growing size.

    python benchmarks/run.py --sizes 10,100,1000 [--checkov PATH] [--cfn-lint PATH] [--jobs N] [--keep DIR]

For each size N it generates N Terraform modules and N CloudFormation templates with
benchmarks/generate.py (deterministic, seeded), then runs each tool once as a child process and prints
files, resources, wall time, files/s and the child's peak memory, and the ratio of each peer to rlint.
checkov runs on the whole corpus (it reads both formats); cfn-lint only on the templates.
Numbers are measured here, never asserted in tests.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(cmd: list, cwd: Path) -> tuple:
    """(seconds, peak RSS in MB, stdout) of one child process, reaped with wait4 for its own rusage."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    return seconds, usage.ru_maxrss / 1024, out


def generate(n: int, out: Path) -> None:
    if out.exists():
        return
    subprocess.run([sys.executable, str(HERE / "generate.py"), "--modules", str(n), "--templates", str(n),
                    "--out", str(out)], check=True, stdout=subprocess.DEVNULL)


def count_files(root: Path) -> tuple:
    tf = sum(1 for _ in root.rglob("*.tf"))
    cfn = sum(1 for p in root.rglob("*") if p.suffix in (".yaml", ".yml", ".json", ".template"))
    return tf, cfn


def run_rlint(corpus: Path, jobs: int) -> dict:
    rlint = shutil.which("rlint") or str(Path(sys.executable).with_name("rlint"))
    seconds, peak, out = measure([rlint, "scan", ".", "--format", "json", "--fail-on", "never", "--jobs", str(jobs)],
                                 corpus)
    summary = json.loads(out)["summary"]
    return {"seconds": seconds, "peak_mb": peak, "files": summary["files"], "resources": summary["resources"]}


def run_checkov(exe: str, corpus: Path) -> dict:
    seconds, peak, _ = measure([exe, "-d", ".", "--framework", "terraform", "cloudformation", "--quiet",
                                "--skip-download", "-o", "json"], corpus)
    return {"seconds": seconds, "peak_mb": peak}


def run_cfn_lint(exe: str, corpus: Path) -> dict:
    templates = [str(p.relative_to(corpus)) for p in sorted(corpus.rglob("*")) if p.suffix in (".yaml", ".json")
                 and "templates" in p.parts]
    seconds, peak, _ = measure([exe, *templates], corpus)
    return {"seconds": seconds, "peak_mb": peak, "files": len(templates)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--checkov", help="path to a checkov executable (its own environment)")
    parser.add_argument("--cfn-lint", dest="cfn_lint", help="path to a cfn-lint executable")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, help="keep generated corpora in this directory")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="rlint-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("BC_SKIP_MAPPING", "TRUE")  # checkov: no network look-ups
    print(f"{'N':>6} {'tool':<9} {'files':>7} {'resources':>9} {'wall s':>8} {'files/s':>9} {'peak MB':>8} {'ratio':>7}")
    for n in [int(s) for s in args.sizes.split(",")]:
        corpus = base / f"n{n}"
        generate(n, corpus)
        ours = run_rlint(corpus, args.jobs)
        rate = ours["files"] / ours["seconds"] if ours["seconds"] else 0
        print(f"{n:>6} {'rlint':<9} {ours['files']:>7} {ours['resources']:>9} {ours['seconds']:>8.2f} {rate:>9.0f} "
              f"{ours['peak_mb']:>8.0f} {'1.0':>7}")
        if args.checkov:
            peer = run_checkov(args.checkov, corpus)
            print(f"{n:>6} {'checkov':<9} {ours['files']:>7} {'':>9} {peer['seconds']:>8.2f} "
                  f"{ours['files'] / peer['seconds']:>9.0f} {peer['peak_mb']:>8.0f} "
                  f"{peer['seconds'] / ours['seconds']:>7.1f}")
        if args.cfn_lint:
            peer = run_cfn_lint(args.cfn_lint, corpus)
            print(f"{n:>6} {'cfn-lint':<9} {peer['files']:>7} {'':>9} {peer['seconds']:>8.2f} "
                  f"{peer['files'] / peer['seconds']:>9.0f} {peer['peak_mb']:>8.0f} "
                  f"{peer['seconds'] / ours['seconds']:>7.1f}")
        sys.stdout.flush()
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
