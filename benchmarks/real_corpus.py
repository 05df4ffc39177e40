"""Run rlint over a corpus of real public code and summarise what it found and what it could not decide.

    .venv/bin/python benchmarks/real_corpus.py /work/corpus/tf --each [--json tf.json] [--list RL101,RL302] [--jobs N]

It scans PATH as `rlint scan PATH --show-unknown --fail-on never` does (with `--each`, every subdirectory of
PATH is scanned on its own, as the separate project it is: one repository's backup selections or
attachments must not be matched against another's resources), then prints: files, units, resources
(after count/for_each), RL001 (each one, with its message) and RL002 (each one), findings per rule and
outcome, and the share of rule evaluations that ended `unknown` with the main reasons.

A rule evaluation is one (rule, resource) pair the engine checks: every resource of the rule's resource types.
It ends `fail` when the rule yields a failing result, `unknown` when it yields only unknown results, and passes
otherwise. The evaluations are counted by running each rule again, directly, over the scan's graph; findings
come from the scan itself (instances collapsed, suppressions applied). `--json` also writes the scan's JSON
report; `--list` prints every finding of the named rules (for checking them by hand).
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

# reasons as rlint words them, grouped into what a reader of the closing note wants to know
REASONS = (
    ("parameter without default", re.compile(r"parameter \S+ has no default")),
    ("variable without default", re.compile(r"var\.\S+ has no default")),
    ("resource attribute known after apply/deploy", re.compile(r"known only after (apply|deployment)")),
    ("data source", re.compile(r"is read at plan time|data source")),
    ("module output", re.compile(r"output of module\.")),
    ("count/for_each/condition undecided", re.compile(r"(count|for_each) is unknown|each\.(key|value)|count\.index"
                                                      r"|number of .*instances|exists only under condition"
                                                      r"|count or for_each of")),
    ("Fn::GetAZs of a Region that is not a string (JSON null)", re.compile(r"Fn::GetAZs of an unknown Region")),
    ("zone left to AWS", re.compile(r"sets no Availability Zone")),
    ("resource outside the template or module", re.compile(r"not declared here|Ref to undefined")),
    ("intrinsic policy without LanguageExtensions (template error)", re.compile(r"LanguageExtensions transform")),
    ("pseudo parameter / deploy-time value", re.compile(r"known only at deploy time|AWS::(Region|AccountId)")),
    ("SSM parameter", re.compile(r"SSM Parameter Store")),
    ("a named var file decides (prod.tfvars)", re.compile(r"-- depends on the var file:")),
    ("condition undecided", re.compile(r"depends on condition|Fn::Equals depends|condition \S+ is undefined")),
    ("other stack (ImportValue)", re.compile(r"ImportValue")),
    ("function not evaluated", re.compile(r"is not evaluated|function|not supported")),
    ("terraform.workspace / path", re.compile(r"terraform\.workspace|path\.")),
    ("a list written inside a list (Terraform 0.11)", re.compile(r"member of the list is itself a list")),
    ("declared in a file rlint could not read (RL001)", re.compile(r"files of this module rlint could read")),
    ("undeclared name (config error)", re.compile(r"error: undeclared|not declared in this module")),
)


def reason_of(message: str) -> str:
    inner = message[message.find("(") + 1:] if "cannot be decided (" in message else message
    for label, pattern in REASONS:
        if pattern.search(inner):
            return label
    return "other"


def evaluations(result) -> tuple:
    """(counts, results): counts maps (rule id, outcome) to the number of (rule, resource) pairs, outcome being
    fail, unknown, pass or error; results lists every result as (rule id, outcome, unit, address, file, line,
    message), one per instance (not collapsed, not suppressed), for checking findings by hand."""
    from rlint.engine import locate
    from rlint.model import Outcome
    from rlint.rules.base import RuleContext

    graph, names = result.graph, [u.name for u in result.units]
    counts: collections.Counter = collections.Counter()
    results = []
    for rule in result.rules:
        ctx = RuleContext(graph, dict(rule.options))
        for res in graph.by_type(*rule.resource_types):
            try:
                found = list(rule().check(res, ctx))
            except Exception:
                counts[(rule.id, "error")] += 1
                continue
            outcomes = {r.outcome for r in found}
            outcome = "fail" if Outcome.FAIL in outcomes else "unknown" if outcomes else "pass"
            counts[(rule.id, outcome)] += 1
            for r in found:
                span = locate(r.resource, r)
                results.append((rule.id, r.outcome.value, names[r.resource.meta.get("unit", 0)], r.resource.address,
                                span.file, span.line, r.message))
    return counts, results


def scan_all(paths: list, jobs: int) -> list:
    """[(path, ScanResult, evaluation counts)], one scan per path."""
    from rlint.engine import ScanOptions, scan

    out = []
    for path in paths:
        result = scan([path], ScanOptions(jobs=jobs, fail_on="never"))
        out.append((path, result) + evaluations(result))
    return out


def write_json(scans: list, json_out: str) -> None:
    """One JSON report per scan, as `rlint scan --format json --show-unknown` writes it, in a JSON list."""
    from rlint.reporters import get_reporter
    from rlint.reporters.options import ReportOptions

    reporter = get_reporter("json")
    reports = [json.loads(reporter.render(result, ReportOptions(show_unknown=True, fail_on="never")))
               for _path, result, _counts, _results in scans]
    Path(json_out).write_text(json.dumps(reports, indent=1), encoding="utf-8")


def summarise(root: str, each: bool, jobs: int, json_out: str | None, listed: set) -> int:
    from rlint.model import Outcome

    paths = sorted(str(p) for p in Path(root).iterdir() if p.is_dir()) if each else [root]
    scans = scan_all(paths, jobs)
    if json_out:
        write_json(scans, json_out)
    findings = [f for _p, result, _c, _l in scans for f in result.findings]
    units = collections.Counter(u.kind for _p, result, _c, _l in scans for u in result.units)
    analysed = sum(1 for _p, result, _c, _l in scans for u in result.units if u.resources)
    print(f"corpus: {root} ({len(paths)} scan{'s' if len(paths) != 1 else ''})")
    print(f"files: {sum(r.files for _p, r, _c, _l in scans)}  units: {dict(units)} ({analysed} with resources)  "
          f"resources: {sum(r.resources for _p, r, _c, _l in scans)}  seconds: {sum(r.seconds for _p, r, _c, _l in scans):.1f}")
    for rid in ("RL001", "RL002"):
        hits = [f for f in findings if f.rule_id == rid]
        print(f"{rid}: {len(hits)}")
        for f in hits:
            print(f"  {f.file}:{f.span.line}: {f.message}")
    per_rule = collections.Counter((f.rule_id, f.outcome.value) for f in findings if not f.rule_id.startswith("RL0"))
    print("findings (after collapsing instances): rule fail unknown")
    for rid in sorted({r for r, _ in per_rule}):
        print(f"  {rid} {per_rule[(rid, 'fail')]} {per_rule[(rid, 'unknown')]}")
    counts: collections.Counter = collections.Counter()
    for _p, _r, c, _l in scans:
        counts.update(c)
    total = sum(counts.values())
    by_outcome: collections.Counter = collections.Counter()
    for (_rid, outcome), n in counts.items():
        by_outcome[outcome] += n
    share = by_outcome["unknown"] / total if total else 0.0
    print(f"rule evaluations: {total}  pass {by_outcome['pass']}  fail {by_outcome['fail']}  "
          f"unknown {by_outcome['unknown']} ({share:.1%})  error {by_outcome['error']}")
    reasons = collections.Counter(reason_of(f.message) for f in findings if f.outcome is Outcome.UNKNOWN)
    print("unknown findings by reason:")
    for label, n in reasons.most_common():
        print(f"  {n:5d}  {label}")
    others = collections.Counter(re.sub(r"[\w.\"\[\]-]+\.[\w\"\[\]-]+", "X", f.message.split("(", 1)[-1])[:90]
                                 for f in findings if f.outcome is Outcome.UNKNOWN and reason_of(f.message) == "other")
    for text, n in others.most_common(8):
        print(f"         {n:4d} other: {text}")
    for _p, _r, _c, listing in scans:
        for rid, outcome, unit, address, file, line, message in listing:
            if rid in listed:
                print(f"[{rid} {outcome}] {file}:{line} {address} (unit {unit}): {message}")
    return 1 if any(f.rule_id == "RL002" for f in findings) or by_outcome["error"] else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--each", action="store_true", help="scan every subdirectory of PATH on its own")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--json", dest="json_out")
    parser.add_argument("--list", default="", help="comma-separated rule ids whose findings are printed")
    args = parser.parse_args(argv)
    return summarise(args.path, args.each, args.jobs, args.json_out, {x.strip().upper() for x in args.list.split(",") if x})


if __name__ == "__main__":
    sys.exit(main())
