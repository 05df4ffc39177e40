"""What `rlint fix --write --unsafe-fixes` does to real repositories, judged as the fixture test judges it.

    python benchmarks/fix_corpus.py /work/corpus/tf/REPO [...] [--json out.json]

For each repository (a copy; the original is not touched): the failing findings before, the share the fix
clears, what it leaves and why (by rule and reason), the exit status, the rescan (nothing new, nothing that
parsed stops parsing), a second run that changes nothing, and `terraform validate` of every Terraform root the
fix changed against the same root before (all roots of all repositories in one Terraform run, offline; blocks of
providers the offline mirror lacks are taken out of both copies alike), and cfn-lint
of every template it changed against the template before (no new error or warning). A root
Terraform cannot load before the fix (a module not downloaded, a provider the mirror lacks) is counted apart:
the fix there is judged by rlint only.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import engines  # noqa: E402
from fix_judge import _LOCAL_SOURCE, run_fix  # noqa: E402


# what stops Terraform before it validates (a remote module or provider it cannot download offline)
_LOAD_ERROR = re.compile(r"not installed|download|Failed to (query|install)|Unsupported Terraform Core|"
                         r"registry|Module source", re.I)


def _reason_class(why: str) -> str:
    """A reason without its names and numbers, so that reasons of one kind count together."""
    why = why.removeprefix("no automatic fix: ")
    why = re.sub(r"`[^`]*`", "`…`", why)
    why = re.sub(r"\b[\w./-]+\.(tf|tfvars|json|yaml)(:\d+)?\b", "FILE", why)
    why = re.sub(r"\b(var|local|module|aws_[a-z0-9_]+)\.[\w\[\]\".-]+", r"\1.…", why)
    why = re.sub(r"\d+", "N", why)
    return why[:110]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", nargs="+", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--no-engines", action="store_true", help="rlint's own judgement only")
    parser.add_argument("--terraform-only", action="store_true",
                        help="count Terraform findings only (files .tf, .tf.json, .tfvars; a template's are left out)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="rlint-fix-corpus-"))
    runs = []
    for i, repo in enumerate(args.repos):
        run = run_fix(repo.name, repo, work / f"r{i}", "write")
        runs.append(run)
        print(f"{repo.name}: {len(run.before)} failing, {len(set(run.before) - set(run.after))} cleared, "
              f"{len(run.applied)} applied, {len(run.problems)} problems", file=sys.stderr)
    verdicts = {} if args.no_engines else _validate(runs, work)
    linted = {} if args.no_engines else _cfn_lint(runs, work)
    report = []
    for run in runs:
        gained, unloadable, validated = [], [], 0
        for changed in run.templates:  # cfn-lint: no error or warning the template did not have
            before, after = linted.get(changed.before), linted.get(changed.after)
            if before is not None and after is not None:
                validated += 1
                weigh = lambda v: Counter(m[0] for m in v if m[0][:1] in ("E", "W"))
                gained += [f"{changed.rel}: cfn-lint {rule} " + next(m[2] for m in after if m[0] == rule)
                           for rule in sorted(weigh(after) - weigh(before))]
        for changed in run.roots:
            before, after = verdicts.get(changed.before), verdicts.get(changed.after)
            if before is None or after is None:
                continue
            if any(d["severity"] == "error" and (not d["file"] or _LOAD_ERROR.search(d["summary"])) for d in before):
                unloadable.append(f"{changed.rel}: {next(d['summary'] for d in before if d['severity'] == 'error')}")
                continue
            validated += 1
            weigh = lambda v: Counter((d["severity"], d["summary"], d["file"]) for d in v if d["severity"] == "error")
            gained += [f"{changed.rel}/{f}: {s}" for (_sev, s, f), _n in (weigh(after) - weigh(before)).items()]
        # parse errors (RL001) and the other engine findings are not the rules' findings a fix is for
        counted = (lambda k, f: not k[0].startswith("RL0") and (not args.terraform_only or f.format == "terraform"))
        run.before = {k: v for k, v in run.before.items() if counted(k, v)}
        run.after = {k: v for k, v in run.after.items() if counted(k, v)}
        cleared = set(run.before) - set(run.after)
        report.append({
            "repo": run.case, "failing": len(run.before), "cleared": len(cleared),
            "by_rule": {r: [sum(1 for k in run.before if k[0] == r), sum(1 for k in cleared if k[0] == r)]
                        for r in sorted({k[0] for k in run.before})},
            "left": Counter(f"{k[0]}: {_reason_class(why)}" for k, why in run.skipped if k in run.after),
            "problems": run.problems, "roots_changed": len(run.roots) + len(run.templates),
            "roots_validated": validated,
            "roots_unloadable": unloadable, "validate_gained": gained})
    _print(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=list))
    return 0


_AWS_ENTRY = re.compile(r'(\baws\s*=\s*\{[^{}]*?)\bversion\s*=\s*"[^"]*"', re.S)
_CORE = re.compile(r'\brequired_version\s*=\s*"[^"]*"')


def _within_the_mirror(directory: Path) -> None:
    """Before and after alike, so the comparison stays fair: the AWS provider and Terraform versions the
    repository asks for become the ones the tests have (5.100, 1.11); an argument only a later version knows
    then fails both sides, and is not counted against the fix."""
    for path in directory.rglob("*.tf"):
        text = path.read_text(errors="replace")
        relaxed = _CORE.sub('required_version = ">= 1.0"', _AWS_ENTRY.sub(r'\1version = ">= 3.0"', text))
        if relaxed != text:
            path.write_text(relaxed)


_MODULE_CALL = re.compile(r'^module\s+"([^"]+)"\s*\{(.*?)^\}', re.S | re.M)
_SOURCE = re.compile(r'^\s*source\s*=\s*"([^"]+)"', re.M)
_ARGUMENT = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=", re.M)
_META = {"source", "version", "count", "for_each", "providers", "depends_on"}


def _stub_remote_modules(directory: Path) -> None:
    """Offline, a registry or git module cannot be downloaded and Terraform validates nothing of the root. In
    the copies (before and after alike) each such call gets a local stand-in: a variable for each argument it
    passes, an output for each one the root reads, the provider aliases it is handed. rlint never writes into
    a downloaded module, so the stand-in hides nothing a fix changed."""
    for path in sorted(directory.rglob("*.tf")):
        text = path.read_text(errors="replace")
        changed = text
        for m in _MODULE_CALL.finditer(text):
            name, body = m.group(1), m.group(2)
            source = _SOURCE.search(body)
            if source is None or source.group(1).startswith(("./", "../")):
                continue
            stub = path.parent / ".rlint-stubs" / name
            stub.mkdir(parents=True, exist_ok=True)
            arguments = sorted({a for a in _ARGUMENT.findall(body) if a not in _META})
            root_text = "\n".join(p.read_text(errors="replace") for p in path.parent.glob("*.tf"))
            outputs = sorted(set(re.findall(rf"\bmodule\.{re.escape(name)}(?:\[[^\]]*\])?\.([A-Za-z_][\w-]*)",
                                            root_text)))
            aliases = sorted(set(re.findall(r'"?aws\.([A-Za-z0-9_-]+)"?\s*=', body)))
            lines = ['terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n'
                     + (f"      configuration_aliases = [{', '.join('aws.' + a for a in aliases)}]\n" if aliases else "")
                     + "    }\n  }\n}\n"]
            lines += [f'variable "{a}" {{\n  type    = any\n  default = null\n}}\n' for a in arguments]
            lines += [f'output "{o}" {{\n  value = null\n}}\n' for o in outputs]
            (stub / "main.tf").write_text("\n".join(lines))
            new_body = _SOURCE.sub(f'  source = "./.rlint-stubs/{name}"', body, count=1)
            new_body = re.sub(r'^\s*version\s*=\s*"[^"]*"\s*$', "", new_body, flags=re.M)
            changed = changed.replace(m.group(0), m.group(0).replace(body, new_body))
        if changed != text:
            path.write_text(changed)


_BLOCK_TYPE = re.compile(r'^\s*(?:resource|data)\s+"?([a-z0-9]+)_', re.M)
_PROVIDER_BLOCK = re.compile(r'^\s*provider\s+"([a-z0-9]+)"', re.M)
_BUILT_IN = {"aws", "terraform"}


def _module_dirs(directory: Path) -> list:
    """The root's directory and every local module it calls, transitively."""
    seen, todo = [], [directory.resolve()]
    while todo:
        d = todo.pop()
        if d in seen or not d.is_dir():
            continue
        seen.append(d)
        for f in d.glob("*.tf"):
            todo += [(d / m).resolve() for m in _LOCAL_SOURCE.findall(f.read_text(errors="replace"))]
    return seen


def _texts(directory: Path) -> dict:
    return {p: p.read_bytes() for d in _module_dirs(directory) for p in sorted(d.glob("*.tf"))}


def _foreign_providers(directory: Path) -> set:
    """Providers other than AWS the root's configuration uses: the offline mirror has only AWS."""
    found = set()
    for text in _texts(directory).values():
        text = text.decode(errors="replace")
        found |= set(_BLOCK_TYPE.findall(text)) | set(_PROVIDER_BLOCK.findall(text))
    return found - _BUILT_IN


_FOREIGN_BLOCK = re.compile(r'^(resource|data)\s+"([a-z0-9]+)_[^"]*"\s+"[^"]*"\s*\{.*?^\}\s*$', re.S | re.M)
_FOREIGN_PROVIDER = re.compile(r'^provider\s+"([a-z0-9]+)"\s*\{.*?^\}\s*$', re.S | re.M)
_REQUIRED = re.compile(r'^(\s*)([a-z0-9]+)\s*=\s*(\{[^{}]*\}|"[^"]*")\s*$', re.M)


def _strip_foreign(directory: Path) -> None:
    """Before and after alike: the blocks of providers the offline mirror lacks (random, archive, null...)
    are taken out, with their provider configurations and requirements, so Terraform loads the rest. rlint
    writes no such block; references to them fail both copies alike and are not counted against the fix."""
    def requirement(m):
        keep = m.group(2) in _BUILT_IN or "hashicorp/aws" in m.group(3) or \
            not ("source" in m.group(3) or m.group(3).startswith('"'))
        return m.group(0) if keep else ""

    for d in _module_dirs(directory):
        for path in d.glob("*.tf"):
            text = path.read_text(errors="replace")
            new = _FOREIGN_BLOCK.sub(lambda m: m.group(0) if m.group(2) in _BUILT_IN else "", text)
            new = _FOREIGN_PROVIDER.sub(lambda m: m.group(0) if m.group(1) in _BUILT_IN else "", new)
            new = re.sub(r"required_providers\s*\{(.*?)^\s*\}",
                         lambda m: m.group(0).replace(m.group(1), _REQUIRED.sub(requirement, m.group(1))),
                         new, flags=re.S | re.M)
            if new != text:
                path.write_text(new)


def _validate(runs: list, work: Path) -> dict:
    for run in runs:
        if run.roots:
            for copy in (run.original, run.fixed):
                _within_the_mirror(copy)
                _stub_remote_modules(copy)
    wanted = {}
    for run in runs:
        kept = []
        for changed in run.roots:
            before, after = run.original / changed.rel, run.fixed / changed.rel
            old, new = _texts(before), _texts(after)
            if [(p.relative_to(run.original), t) for p, t in old.items()] == \
                    [(p.relative_to(run.fixed), t) for p, t in new.items()]:
                continue  # neither the root nor a module it calls changed: nothing for Terraform to judge
            kept.append(changed)
            if _foreign_providers(before) | _foreign_providers(after):
                _strip_foreign(before)
                _strip_foreign(after)
            wanted[changed.before] = before
            wanted[changed.after] = after
        run.roots = kept
    if not wanted or engines.terraform_missing_reason():
        return {}
    names = {f"m{i}": k for i, k in enumerate(wanted)}
    modules = {name: wanted[k] for name, k in names.items()}
    inputs = {name: {v: "var.rlint_unknown" for v in engines.required_variables(d)} for name, d in modules.items()}
    found = engines.validate_modules(work, modules, inputs)
    return {names[n]: found.get(n, []) for n in names}


def _cfn_lint(runs: list, work: Path) -> dict:
    """content hash -> cfn-lint's matches, for every template a fix changed, before and after (one run)."""
    files = {}
    for run in runs:
        for changed in run.templates:
            files[str((run.original / changed.rel).relative_to(work))] = changed.before
            files[str((run.fixed / changed.rel).relative_to(work))] = changed.after
    if not files or not engines.cfn_lint_binary():
        return {}
    found = engines.cfn_lint(list(files), work)
    return {key: [list(m) for m in found.get(f, [])] for f, key in files.items()}


def _print(report: list) -> None:
    total_failing = sum(r["failing"] for r in report)
    total_cleared = sum(r["cleared"] for r in report)
    print(f"{'repository':50} failing cleared  share  roots+templates changed/judged/unloadable  gained  problems")
    for r in report:
        share = r["cleared"] / r["failing"] if r["failing"] else 0
        print(f"{r['repo'][:50]:50} {r['failing']:7} {r['cleared']:7} {share:6.0%}  "
              f"{r['roots_changed']:5}/{r['roots_validated']}/{len(r['roots_unloadable']):<18} "
              f"{len(r['validate_gained']):6}  {len(r['problems'])}")
    share = total_cleared / total_failing if total_failing else 0
    print(f"{'all':50} {total_failing:7} {total_cleared:7} {share:6.0%}")
    by_rule: dict = {}
    for r in report:
        for rule, (failing, cleared) in r["by_rule"].items():
            by_rule.setdefault(rule, [0, 0])
            by_rule[rule][0] += failing
            by_rule[rule][1] += cleared
    print("\nby rule: failing cleared")
    for rule, (failing, cleared) in sorted(by_rule.items()):
        print(f"  {rule} {failing:5} {cleared:5}")
    left: Counter = Counter()
    for r in report:
        left.update(r["left"])
    print("\nleft, by rule and reason:")
    for reason, n in left.most_common():
        print(f"  {n:5}  {reason}")
    for r in report:
        for p in r["problems"] + r["validate_gained"]:
            print(f"PROBLEM {r['repo']}: {p[:300]}")


if __name__ == "__main__":
    sys.exit(main())
