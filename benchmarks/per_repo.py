"""Scan every repository under a directory with one rlint process each, as a CI matrix would, and summarise.

    python benchmarks/per_repo.py ROOT [--jobs 1] [--repeat 1]

Each immediate subdirectory of ROOT is one repository. For each, rlint runs as a child process
(`rlint scan REPO --format json --fail-on never`); its CPU time (user+sys) and peak RSS come from the child's
own rusage. Prints one line per repository and a summary: repositories, files, resources, total and median
CPU, the slowest repository, and the largest peak memory. Nothing is shared between the processes.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import measure, rlint_cmd  # noqa: E402  (the same child measurement as the size benchmark)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="runs per repository; the median CPU is kept")
    args = parser.parse_args()
    repos = sorted(p for p in args.root.iterdir() if p.is_dir() and not p.name.startswith("."))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        report, stdout = Path(tmp) / "report.json", Path(tmp) / "stdout"
        for repo in repos:
            runs = [measure(rlint_cmd(args.jobs, ".", report), repo, stdout) for _ in range(args.repeat)]
            summary = json.loads(report.read_text())["summary"]
            row = {"repo": repo.name, "files": summary["files"], "resources": summary["resources"],
                   "cpu": statistics.median(r["cpu"] for r in runs), "wall": statistics.median(r["wall"] for r in runs),
                   "peak_mb": max(r["peak_mb"] for r in runs)}
            rows.append(row)
            print(f"{row['repo']:<40} {row['files']:>6} files {row['resources']:>6} resources "
                  f"{row['cpu']:>6.2f} s CPU {row['wall']:>6.2f} s wall {row['peak_mb']:>5.0f} MB")
    cpu = [r["cpu"] for r in rows]
    slowest = max(rows, key=lambda r: r["cpu"])
    print(f"\n{len(rows)} repositories, {sum(r['files'] for r in rows):,} files, "
          f"{sum(r['resources'] for r in rows):,} resources: {sum(cpu):.1f} s CPU in all, median "
          f"{statistics.median(cpu):.2f} s per repository, slowest {slowest['repo']} {slowest['cpu']:.2f} s "
          f"({slowest['files']} files), largest peak {max(r['peak_mb'] for r in rows):.0f} MB")


if __name__ == "__main__":
    main()
