"""Run `rlint fix --write --unsafe-fixes` on a copy of a directory and judge what it wrote.

rlint's own judgement (exit code, the rescan, a second run) is made here; the engines' judgement (terraform
validate, cfn-lint) is made by the caller in one batch over many directories, from what `FixRun` lists: the
Terraform roots and CloudFormation templates the fix changed, each with its content hash before and after.
Shared by the engine-judged fix test and the corpus measurement (tests/fix_report.py).
"""
from __future__ import annotations

import os
import posixpath
import re
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from engines import content_hash
from rlint.cli import build_options, main
from rlint.engine import SourceCache, scan
from rlint.fold import covered
from rlint.fixes.command import plan_fixes

GENERATED = "rlint_generated.tf"
# a case may name the paths `rlint fix` is given (one per line, relative to the case), default "."
PATHS_FILE = ".rlint-fix-paths"
TF_SUFFIXES = (".tf", ".tf.json")
_LOCAL_SOURCE = re.compile(r'^\s*"?source"?\s*[=:]\s*"(\.\.?/[^"]*)"', re.M)


@dataclass
class Changed:
    """One thing an engine judges: a Terraform root (directory) or a CloudFormation template (file)."""
    rel: str  # relative to the run's directory
    before: str  # content hash of the original
    after: str  # content hash once fixed


@dataclass
class FixRun:
    case: str
    variant: str  # "write" or "generate"
    original: Path
    fixed: Path
    before: dict = field(default_factory=dict)  # failing finding key -> finding
    after: dict = field(default_factory=dict)
    applied: set = field(default_factory=set)
    skipped: list = field(default_factory=list)  # (key, why)
    problems: list = field(default_factory=list)
    roots: list = field(default_factory=list)  # [Changed] Terraform roots the fix changed
    templates: list = field(default_factory=list)  # [Changed] templates the fix changed
    same_as_write: bool = False  # a --generate run that generates nothing (not run)


@contextmanager
def chdir(path: Path):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def key(finding) -> tuple:
    return finding.rule_id, finding.file, finding.resource


def failing(result) -> dict:
    """Failing findings by (rule, file, resource); a finding that stands for several resources (RL703 per
    deployment) is listed under each of them, so a fix that moves the first of them moves nothing."""
    out = {}
    for f in result.findings:
        if f.outcome.value == "fail" and f.suppressed is None:
            out[key(f)] = f
            out.update(((f.rule_id, c.file, c.resource), f) for c in covered(f)[1:])
    return out


def snapshot(directory: Path) -> dict:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*"))
            if p.is_file() and ".terraform" not in p.parts}


def fix_paths(case_dir: Path) -> list:
    listed = case_dir / PATHS_FILE
    if listed.is_file():
        return [line.strip() for line in listed.read_text().splitlines() if line.strip()]
    return ["."]


def run_fix(case: str, source: Path, work: Path, variant: str = "write", paths=None) -> FixRun:
    """Copy `source` to `work`/original and `work`/fixed, fix the latter, and judge it by rlint's own means."""
    original, fixed = work / "original", work / "fixed"
    for target in (original, fixed):
        if not target.exists():
            shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns(".terraform"))
    paths = paths or fix_paths(source)
    run = FixRun(case, variant, original, fixed)
    extra = ["--generate", GENERATED] if variant == "generate" else []
    with chdir(fixed):
        options = build_options([Path(p) for p in paths], (), (), None, (), (), (), 1)
        before = scan([Path(p) for p in paths], options)
        plan = plan_fixes(before, SourceCache(fixed), True, generate=GENERATED if extra else None,
                          roots=[posixpath.normpath(p) for p in paths])
        run.before = failing(before)
        run.applied = {key(f) for f in plan.applied}
        run.skipped = [(key(f), why) for f, why in plan.skipped]
        if extra and not plan.generated:
            run.same_as_write = True  # nothing goes to a new file: the run would repeat the plain one
            return run
        first = CliRunner().invoke(main, ["fix", *paths, "--write", "--unsafe-fixes", *extra])
        if first.exception and not isinstance(first.exception, SystemExit):
            run.problems.append(f"fix crashed: {first.exception!r}")
            return run
        after = scan([Path(p) for p in paths], options)
        expected = 1 if after.fails(options.fail_on) else 0  # 1 while failing findings are left, as `scan`
        if first.exit_code != expected:
            run.problems.append(f"fix exits {first.exit_code}, not {expected}: {_tail(first.output)}")
        run.after = failing(after)
        broken = [f"{f.file}:{f.span.line} {f.message}" for f in after.findings
                  if f.rule_id == "RL001" and key(f) not in {key(b) for b in before.findings}]
        run.problems += [f"the fixed file no longer parses: {b}" for b in broken]
        # a written fix may announce findings it leaves on what it adds (their fixes need a decision: the
        # CloudFormation backup kit's copies need a vault another stack creates, RL307)
        follow_up = {r for k in run.applied if k in run.before and run.before[k].fix is not None
                     for r in run.before[k].fix.follow_up}
        run.problems += [f"new after the fix: {' '.join(k)}" for k in sorted(set(run.after) - set(run.before))
                         if k[0] not in follow_up]
        if first.exit_code == expected:
            run.problems += [f"still failing after the fix: {' '.join(k)}" for k in sorted(run.applied & set(run.after))]
            _second_run(run, paths, extra, expected)
        templates = sorted({r.file for r in before.graph.resources if r.format == "cloudformation"})
    _changed_units(run, templates)
    return run


def _second_run(run: FixRun, paths: list, extra: list, expected: int) -> None:
    """Once fixed, `rlint fix` has nothing left to do: it exits as the first run did (0, or 1 for findings no
    fix removes), writes nothing and says so."""
    written = snapshot(run.fixed)
    second = CliRunner().invoke(main, ["fix", *paths, "--write", "--unsafe-fixes", *extra])
    if second.exit_code != expected:
        run.problems.append(f"second run exits {second.exit_code}: {_tail(second.output)}")
    now = snapshot(run.fixed)
    changed = sorted(p for p in set(written) | set(now) if written.get(p) != now.get(p))
    if changed:
        run.problems.append(f"second run changed {', '.join(changed)}")
    claimed = re.search(r"^(\d+) fixed", second.output, re.M)
    if claimed and claimed.group(1) != "0":
        run.problems.append(f"second run: {claimed.group(0)} (nothing was left to fix)")


def _tail(output: str, lines: int = 6) -> str:
    return " | ".join(output.strip().splitlines()[-lines:])


def terraform_roots(directory: Path) -> list:
    """Directories holding Terraform files that no other directory here calls as a local module."""
    dirs = sorted({p.parent for p in directory.rglob("*") if p.name.endswith(TF_SUFFIXES) and p.is_file()
                   and ".terraform" not in p.parts})
    called = set()
    for d in dirs:
        for f in d.iterdir():
            if f.name.endswith(TF_SUFFIXES):
                called |= {(d / m).resolve() for m in _LOCAL_SOURCE.findall(f.read_text(errors="replace"))}
    return [d for d in dirs if d.resolve() not in called]


def _tf_files(directory: Path) -> list:
    return [p for p in directory.rglob("*") if p.is_file() and p.name.endswith(TF_SUFFIXES)
            and ".terraform" not in p.parts]


def _changed_units(run: FixRun, templates: list) -> None:
    # a root's verdict covers the modules it calls, wherever they are in the copy: hash them all
    whole_before = content_hash(_tf_files(run.original), run.original)
    whole_after = content_hash(_tf_files(run.fixed), run.fixed)
    if whole_before != whole_after:
        for root in terraform_roots(run.fixed):
            rel = root.relative_to(run.fixed).as_posix()
            run.roots.append(Changed(rel, f"{whole_before}:{rel}", f"{whole_after}:{rel}"))
    for rel in templates:
        a, b = run.original / rel, run.fixed / rel
        if a.is_file() and b.is_file() and a.read_bytes() != b.read_bytes():
            run.templates.append(Changed(rel, content_hash([a], run.original), content_hash([b], run.fixed)))
