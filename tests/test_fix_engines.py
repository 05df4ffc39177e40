"""Every fix judged by the real engines (design.md §11).

Every fixture directory under tests/fixtures is fixed with `rlint fix --write --unsafe-fixes` (and, where it
holds Terraform, again with `--generate`). Then:
- rlint: the command exits 0, a rescan shows every fixed finding gone and no new failing finding, nothing
  that parsed stops parsing, and a second run changes nothing;
- Terraform: every changed root passes `terraform validate` (offline) with no error or warning the original
  did not have; all roots are modules of one generated root, so Terraform starts once;
- cfn-lint: every changed template gains no error or warning.

The engines' answers are recorded in tests/engine_verdicts/ by content hash: the ordinary suite judges what it
has seen before without the engines, and records what is new when they are at hand (commit the new files).
Under CI (engines.engines_required) the engines judge everything again and a recording that disagrees fails.
"""
from __future__ import annotations

from collections import Counter

import pytest

import engines
from fix_judge import PATHS_FILE, TF_SUFFIXES, run_fix
from helpers import FIXTURES, is_fixture

# Classes of known failures (issue 20), named once. Each entry below may only go away.

# case -> the classes of why it still fails. It may only shrink: a listed case that passes fails the test.
KNOWN_FAILURES: dict = {
}


def discover(top=FIXTURES) -> list:
    """Each directory that holds fixture files (or names its fix paths) is a case, with everything below it."""
    cases = []

    def walk(directory):
        if (directory / PATHS_FILE).is_file() or any(is_fixture(p) for p in directory.iterdir()):
            cases.append((directory.relative_to(top).as_posix(), directory))
            return
        for sub in sorted(p for p in directory.iterdir() if p.is_dir()):
            walk(sub)

    walk(top)
    return cases


CASES = discover()


def _variants(path) -> list:
    has_tf = any(p.name.endswith(TF_SUFFIXES) for p in path.rglob("*"))
    return ["write", "generate"] if has_tf else ["write"]


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    work = tmp_path_factory.mktemp("fix-engines")
    runs = {}
    for i, (case, path) in enumerate(CASES):
        for variant in _variants(path):
            runs[(case, variant)] = run_fix(case, path, work / f"c{i}" / variant, variant)
    unjudged: dict = {}
    engine_problems: dict = {k: [] for k in runs}
    _judge_terraform(runs, work, unjudged, engine_problems)
    _judge_cfn_lint(runs, work, unjudged, engine_problems)
    _judge_terraform_fmt(runs, work, unjudged, engine_problems)
    return runs, engine_problems, unjudged


def _canonical(verdict):
    """A verdict whose lists are in a fixed order: engines report diagnostics in an order that varies."""
    import json

    if isinstance(verdict, list):
        return sorted((_canonical(v) for v in verdict), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(verdict, dict):
        return {k: _canonical(v) for k, v in verdict.items()}
    return verdict


def _verdicts(recordings, wanted: dict, judge, missing_reason, unjudged: dict, problems: list) -> dict:
    """{key: verdict} for every wanted key ({key: (case, path)}): recorded, or judged now (and recorded)."""
    live = engines.engines_required()
    verdicts = {} if live else {k: v for k in wanted if (v := recordings.get(k)) is not None}
    todo = {k: wanted[k] for k in wanted if k not in verdicts}
    if todo:
        reason = missing_reason()
        if reason:
            if live:
                pytest.fail(f"{reason} (CI requires every engine)", pytrace=False)
            for k, (case, _path) in todo.items():
                unjudged.setdefault(case, reason)
        else:
            for k, verdict in judge(todo).items():
                recorded = recordings.get(k)
                if live and recorded is not None and _canonical(recorded) != _canonical(verdict):
                    problems.append(f"recorded verdict differs from the engine's for {wanted[k][0]}")
                recordings.put(k, wanted[k][0], verdict)
                verdicts[k] = verdict
    recordings.prune({case for case, _ in wanted.values()})
    return verdicts


def _judge_terraform(runs, work, unjudged, engine_problems) -> None:
    wanted = {}
    for run in runs.values():
        for changed in run.roots:
            wanted[changed.before] = (run.case, run.original / changed.rel)
            wanted[changed.after] = (run.case, run.fixed / changed.rel)

    def judge(todo):
        names = {f"m{i}": k for i, k in enumerate(todo)}
        modules = {name: todo[k][1] for name, k in names.items()}
        inputs = {name: {v: "var.rlint_unknown" for v in engines.required_variables(d)} for name, d in modules.items()}
        found = engines.validate_modules(work, modules, inputs)
        return {names[name]: found.get(name, []) for name in names}

    global_problems: list = []
    verdicts = _verdicts(engines.Recordings("terraform"), wanted, judge, engines.terraform_missing_reason,
                         unjudged, global_problems)
    for key, run in runs.items():
        engine_problems[key] += global_problems
        for changed in run.roots:
            if changed.before not in verdicts or changed.after not in verdicts:
                continue
            unloadable = [d["summary"] for d in verdicts[changed.before] if d["severity"] == "error" and not d["file"]]
            if unloadable:  # the original cannot be loaded here (a provider version the mirror lacks)
                unjudged.setdefault(run.case, f"terraform cannot load {changed.rel}: {unloadable[0]}")
                continue
            weigh = lambda v: Counter((d["severity"], d["summary"], d["detail"], d["file"]) for d in v
                                      if d["severity"] in ("error", "warning"))
            for (severity, summary, detail, file), _n in (weigh(verdicts[changed.after])
                                                          - weigh(verdicts[changed.before])).items():
                engine_problems[key].append(f"terraform validate, {changed.rel}/{file}: {severity}: {summary}"
                                            f"{': ' + detail.splitlines()[0] if detail else ''}")


def _judge_cfn_lint(runs, work, unjudged, engine_problems) -> None:
    wanted = {}
    for run in runs.values():
        for changed in run.templates:
            wanted[changed.before] = (run.case, run.original / changed.rel)
            wanted[changed.after] = (run.case, run.fixed / changed.rel)

    def judge(todo):
        files = {str(path.relative_to(work)): k for k, (_case, path) in todo.items()}
        found = engines.cfn_lint(list(files), work)
        return {k: [list(m) for m in found.get(f, [])] for f, k in files.items()}

    def missing():
        return None if engines.cfn_lint_binary() else "cfn-lint is not installed"

    global_problems: list = []
    verdicts = _verdicts(engines.Recordings("cfn-lint"), wanted, judge, missing, unjudged, global_problems)
    for key, run in runs.items():
        engine_problems[key] += global_problems
        for changed in run.templates:
            if changed.before not in verdicts or changed.after not in verdicts:
                continue
            weigh = lambda v: Counter(m[0] for m in v if m[0][:1] in ("E", "W"))
            gained = weigh(verdicts[changed.after]) - weigh(verdicts[changed.before])
            for rule in sorted(gained):
                messages = [m[2] for m in verdicts[changed.after] if m[0] == rule]
                engine_problems[key].append(f"cfn-lint, {changed.rel}: {rule} {messages[0]}")


def _written_tf_files(run) -> list:
    """(relative path, text before or None when new, text after) of each .tf file the fix wrote."""
    out = []
    for after in sorted(run.fixed.rglob("*.tf")):
        if ".terraform" in after.parts:
            continue
        rel = after.relative_to(run.fixed)
        before = run.original / rel
        old = before.read_text() if before.is_file() else None
        new = after.read_text()
        if old != new:
            out.append((rel.as_posix(), old, new))
    return out


def _judge_terraform_fmt(runs, work, unjudged, engine_problems) -> None:
    """A .tf file that `terraform fmt` left unchanged before the fix is still formatted after it, and a file the
    fix creates is formatted: a team whose CI runs `terraform fmt -check` keeps a green build after `rlint fix`."""
    import hashlib

    def key(text: str) -> str:
        return "fmt:" + hashlib.sha256(text.encode()).hexdigest()

    files = {k: [(rel, old, new) for rel, old, new in _written_tf_files(run)] for k, run in runs.items()}
    wanted = {}
    for (case, _variant), written in files.items():
        for rel, old, new in written:
            for text in (old, new):
                if text is not None:
                    wanted[key(text)] = (case, text)

    def judge(todo):
        return engines.fmt_verdicts(work, {k: text for k, (_case, text) in todo.items()})

    global_problems: list = []
    verdicts = _verdicts(engines.Recordings("terraform-fmt"), wanted, judge, engines.terraform_missing_reason,
                         unjudged, global_problems)
    for k, written in files.items():
        engine_problems[k] += global_problems
        for rel, old, new in written:
            before = "formatted" if old is None else verdicts.get(key(old))
            after = verdicts.get(key(new))
            if before == "formatted" and after not in (None, "formatted"):
                engine_problems[k].append(f"terraform fmt, {rel}: {after} after the fix (formatted before)")


@pytest.mark.parametrize("case", [c for c, _path in CASES])
def test_fix_is_accepted_by_rlint_and_the_engines(judged, case):
    """Plain `--write --unsafe-fixes`, and with `--generate` where that puts new resources in a new file."""
    runs, engine_problems, unjudged = judged
    problems = [f"{variant}: {p}" for (c, variant), run in runs.items() if c == case and not run.same_as_write
                for p in run.problems + engine_problems[(c, variant)]]
    known = KNOWN_FAILURES.get(case)
    if known and not problems and case in unjudged:
        pytest.skip(f"not judged by an engine: {unjudged[case]}")
    if known:
        assert problems, f"{case} passes now: remove it from KNOWN_FAILURES"
        pytest.xfail("; ".join(known))
    assert problems == []
    if case in unjudged:
        pytest.skip(f"not judged by an engine: {unjudged[case]}")


def test_known_failures_name_cases():
    assert set(KNOWN_FAILURES) <= {c for c, _path in CASES}


def test_the_fixtures_exercise_the_fixes(judged):
    """The test judges real work: most rules' fixtures are fixed, in both formats."""
    runs, _problems, _unjudged = judged
    applied = [k for run in runs.values() if run.variant == "write" for k in run.applied]
    assert len(applied) > 300
    assert len({rule for rule, _file, _res in applied}) > 45
    assert {file.rsplit(".", 1)[-1] for _rule, file, _res in applied} >= {"tf", "yaml", "json"}
