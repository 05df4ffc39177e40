"""Hold rlint's findings on real public code against verdicts judged by hand, and print the per-rule table.

    .venv/bin/python benchmarks/real_corpus.py CORPUS --each --json scan.json
    .venv/bin/python benchmarks/judged.py CORPUS scan.json benchmarks/judged/*.jsonl [--unjudged] [--gate low]

CORPUS holds one directory per repository, named `owner+name` (as `fetch` names them). A verdicts file holds
one JSON object per line, written by the person who read the code:

    {"repo": "owner+name", "rule": "RL407", "root": "envs/prod", "file": "envs/prod/s3.tf",
     "address": "aws_s3_bucket.assets", "verdict": "TP", "why": "user uploads, no other copy"}

`root` and `file` are relative to the repository; `address` is the finding's resource with instance keys
removed (`aws_sqs_queue.q` for `aws_sqs_queue.q["a"]`), so one verdict covers the instances of one block in one
root. `verdict` is TP (true and worth fixing), FP (false: the configuration does not have the problem) or noise
(true to the letter, but a team would switch the rule off rather than act: a bucket of derived files, a
throwaway environment). Lines starting with `#` are comments; a `commit` field may record what was read.

Only failing findings are judged. The table counts them per rule, by finding and by site (a site is one
rule, root, file and address: the unit a verdict covers), with the unknown findings and their reasons beside.
A failing finding without a verdict is counted as unjudged and listed with `--unjudged`; verdicts that match no
failing finding any more are counted by verdict (what a change silenced: noise, or true findings it lost) and
listed with `--unjudged`. Malformed or contradicting verdict lines make it exit 1. `--gate SEVERITY` counts only
findings at or above the severity a CI gate would fail on (`--fail-on`).
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from real_corpus import reason_of  # noqa: E402  (the same grouping of unknown reasons as the corpus summary)

SEVERITIES = ("info", "low", "medium", "high")
VERDICTS = ("TP", "FP", "noise")
INSTANCE_KEY = re.compile(r"\[[^\]]*\]")


def repositories(corpus: Path) -> dict:
    """{resolved directory: name} of the corpus's repositories (a corpus may link to repositories kept elsewhere:
    rlint reports resolved paths)."""
    return {p.resolve(): p.name for p in sorted(corpus.iterdir()) if p.is_dir()}


def site_of(finding: dict, repos: dict) -> tuple:
    """(repo, rule, root, file, address) of a finding from a report of `real_corpus.py --each`."""
    path = Path(finding["file"]).resolve()
    top = next(d for d in repos if path == d or d in path.parents)
    root = Path(finding.get("root") or str(top)).resolve()
    root_rel = "/".join(root.relative_to(top).parts) if root != top and top in root.parents else "."
    return (repos[top], finding["rule_id"], root_rel, "/".join(path.relative_to(top).parts),
            INSTANCE_KEY.sub("", finding["resource"] or ""))


def read_verdicts(paths: list) -> dict:
    verdicts, problems = {}, []
    for path in paths:
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                entry = json.loads(line)
                key = (entry["repo"], entry["rule"], entry["root"], entry["file"], entry["address"])
                verdict = entry["verdict"]
            except (ValueError, KeyError, TypeError) as exc:
                problems.append(f"{path}:{number}: not a verdict ({exc})")
                continue
            if verdict not in VERDICTS:
                problems.append(f"{path}:{number}: verdict {verdict!r} is none of {', '.join(VERDICTS)}")
            elif key in verdicts and verdicts[key] != verdict:
                problems.append(f"{path}:{number}: {key} judged {verdicts[key]} elsewhere")
            else:
                verdicts[key] = verdict
    return verdicts, problems


def table(reports: list, repos: dict, verdicts: dict, gate: str | None) -> tuple:
    """(rows, unjudged sites, matched verdict keys): rows per rule with finding and site counts per verdict."""
    least = SEVERITIES.index(gate) if gate else 0
    rows = collections.defaultdict(collections.Counter)
    sites = collections.defaultdict(set)
    unjudged, matched = collections.Counter(), set()
    for report in reports:
        for finding in report["findings"]:
            if finding.get("suppressed") or finding["rule_id"].startswith("RL0"):
                continue
            rule = finding["rule_id"]
            if finding["outcome"] == "unknown":
                rows[rule]["unknown"] += 1
                rows[rule]["why:" + reason_of(finding["message"])] += 1
                continue
            if finding["outcome"] != "fail" or SEVERITIES.index(finding["severity"]) < least:
                continue
            site = site_of(finding, repos)
            verdict = verdicts.get(site)
            rows[rule]["fail"] += 1
            rows[rule][verdict or "unjudged"] += 1
            sites[(rule, verdict or "unjudged")].add(site)
            if verdict:
                matched.add(site)
            else:
                unjudged[site] += 1
    for (rule, verdict), found in sites.items():
        rows[rule]["sites:" + verdict] = len(found)
    return rows, unjudged, matched


def render(rows: dict) -> str:
    head = ("| rule | failing | TP | FP | noise | unjudged | sites TP/FP/noise | unknown | main unknown reasons |\n"
            "|---|---:|---:|---:|---:|---:|---|---:|---|")
    lines, total = [head], collections.Counter()
    for rule in sorted(rows):
        row = rows[rule]
        total.update({k: v for k, v in row.items() if not k.startswith("why:")})
        why = collections.Counter({k[4:]: v for k, v in row.items() if k.startswith("why:")})
        reasons = "; ".join(f"{label} {n}" for label, n in why.most_common(2))
        lines.append(f"| {rule} | {row['fail']} | {row['TP']} | {row['FP']} | {row['noise']} | {row['unjudged']} | "
                     f"{row['sites:TP']}/{row['sites:FP']}/{row['sites:noise']} | {row['unknown']} | {reasons} |")
    judged = total["TP"] + total["FP"] + total["noise"]
    share = total["noise"] / judged if judged else 0.0
    site_judged = total["sites:TP"] + total["sites:FP"] + total["sites:noise"]
    site_share = total["sites:noise"] / site_judged if site_judged else 0.0
    lines.append(f"| all | {total['fail']} | {total['TP']} | {total['FP']} | {total['noise']} | {total['unjudged']} | "
                 f"{total['sites:TP']}/{total['sites:FP']}/{total['sites:noise']} | {total['unknown']} | |")
    lines.append(f"\nnoise {total['noise']} of {judged} judged failing findings ({share:.1%}); "
                 f"by site {total['sites:noise']} of {site_judged} ({site_share:.1%}); FP {total['FP']}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("report", help="the JSON list written by real_corpus.py --each --json")
    parser.add_argument("verdicts", nargs="+")
    parser.add_argument("--unjudged", action="store_true", help="list failing sites without a verdict")
    parser.add_argument("--gate", choices=SEVERITIES, help="count only findings a CI gate at this severity fails on")
    args = parser.parse_args(argv)
    verdicts, problems = read_verdicts(args.verdicts)
    reports = json.loads(Path(args.report).read_text(encoding="utf-8"))
    repos = repositories(args.corpus)
    rows, unjudged, matched = table(reports, repos, verdicts, args.gate)
    print(render(rows))
    scanned = set(repos.values())
    gone = sorted(k for k in verdicts if k not in matched and k[0] in scanned and not args.gate)
    if gone:
        # what a change since the verdict took away: noise it silenced, or true findings it lost
        counts = collections.Counter(verdicts[k] for k in gone)
        print(f"verdicts that no failing finding matches now: {len(gone)} "
              f"({', '.join(f'{v} {counts[v]}' for v in VERDICTS if counts[v])})")
        if args.unjudged:
            for key in gone:
                print(f"gone {verdicts[key]}: {json.dumps(dict(zip(('repo', 'rule', 'root', 'file', 'address'), key)))}")
    if args.unjudged:
        for site, n in sorted(unjudged.items()):
            print(f"unjudged ×{n}: {json.dumps(dict(zip(('repo', 'rule', 'root', 'file', 'address'), site)))}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
