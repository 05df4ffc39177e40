"""Mutation testing of rules/ and linter/evaluate/ with mutmut, on demand (not in CI, not in the pytest run).

    .venv/bin/python mutation/run.py rules --estimate      # generate the mutants, map tests, print the cost
    .venv/bin/python mutation/run.py rules                 # test the mutants not yet tested, then report
    .venv/bin/python mutation/run.py rules/health          # one folder or file: a chunk
    .venv/bin/python mutation/run.py evaluate --report     # the report only (--survivors: with each diff)
    .venv/bin/python mutation/run.py rules --retest        # after new tests: the survivors tested again
                                                           # (delete .mutation/mutants/mutmut-stats.json first:
                                                           # the test map is reused while it exists)

mutmut imports the code under its module names and needs a package directory per package, but the repo maps
`rlint` to linter/ and `rlint.rules` to rules/. This script therefore keeps a staging tree in .mutation/
(src/rlint = linter/, src/rlint/rules = rules/, and the checkout's other files: tests/, docs/ ...) and runs mutmut there. Files are copied
only when their content changed, so mutmut re-tests only the functions that changed since the last run;
results accumulate across chunks (`rm -rf .mutation` starts afresh).

Each mutant runs only the tests that reach the mutated function (mutmut's stats run records, per test, which
functions it called), fastest first, stopping at the first failure; engine tests (Terraform, cfn-lint,
pre-commit, Chromium) and tests that read the repo's own source are left out. Mutants that
mutation/equivalent.yaml declares equivalent are skipped and reported apart. Details: docs/testing.md.
"""
from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import time
import zlib
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from triage import NOTES, Mutant, changed_lines, load_notes, note_for, repo_path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
STAGE = ROOT / ".mutation"
LOG = STAGE / "mutmut.log"
SCOPES = {"rules": "rules", "evaluate": "linter/evaluate"}
# Always the same files, whatever a run targets: mutmut maps tests to the functions it mutated when it mapped,
# so a file mutated later would find no tests. A run targets files through mutant-name patterns instead.
ONLY_MUTATE = ("src/rlint/rules/*", "src/rlint/evaluate/*")

# Tests left out of the mutant runs: they start Terraform, cfn-lint over fixes, pre-commit, a browser or a
# fresh interpreter, or read the repo's source tree, which the staging tree does not mirror; and the few that
# take over a second with mutmut's call recording on (a survivor runs every test that reaches its function,
# so one slow test would cost seconds per mutant: the rule fixtures cover the same code).
IGNORED_TEST_FILES = ("test_precommit.py", "test_fix_engines.py", "test_startup.py", "test_checkov_bridge.py",
                      "test_checkov_migration.py", "test_meta.py", "test_shape.py", "test_fix_cfn_deploy.py",
                      "test_mutation_notes.py")
DESELECTED_TESTS = (
    "tests/test_dr_verdicts.py::test_the_dr_fixtures_and_example_pass_their_engines",
    "tests/test_dr_pictures.py::test_chromium_shows_the_diagram",
    "tests/test_dr_pictures.py::test_mermaid_diagrams_parse_with_mermaid",
    "tests/test_cli.py::test_console_script_runs_as_a_process",
    "tests/test_cfn_conditions.py::test_only_graph_rules_read_other_templates",
    "tests/test_backup_index.py::test_generated_corpus",
    "tests/test_invalid_corpus.py::test_the_whole_corpus_in_one_process_run",
    "tests/test_cfn_parse.py::test_very_deep_document_is_a_problem_not_a_crash",
    "tests/test_cfn_parse.py::test_very_long_document",
    "tests/test_fix_generated.py::test_generate_writes_one_kit_per_module_and_leaves_the_original_untouched",
    "tests/test_fixture_annotations.py::test_every_fixture_and_example_reads_without_a_stray_annotation",
    "tests/test_backup_index.py::test_backup_fixtures[RL301]",  # 19s with every rule function recorded
    "tests/test_fix_generated.py::test_examples_fixed_and_generated_scan_clean",
    "tests/test_tf_oracle.py::test_the_schema_slice_covers_every_type_rlint_names",  # reads rules/ and linter/
)

# mutmut's exit codes (mutmut/__main__.py, status_by_exit_code)
KILLED, SURVIVED, NO_TESTS, SKIPPED, TIMEOUT, NOT_CHECKED, OTHER = \
    "killed", "survived", "no tests", "equivalent", "timeout", "not checked", "suspicious"
STATUS = {1: KILLED, 3: KILLED, 0: SURVIVED, 5: NO_TESTS, 33: NO_TESTS, 34: SKIPPED, 36: TIMEOUT, 24: TIMEOUT,
          -24: TIMEOUT, 152: TIMEOUT, 255: TIMEOUT, None: NOT_CHECKED}
# assumed cost of one mutant beyond its tests (fork, pytest start, collection); measured on this repo
OVERHEAD_S = 0.25


def mutmut_config() -> str:
    selection = ["tests"] + [f"--ignore=tests/{name}" for name in IGNORED_TEST_FILES] + \
                [f"--deselect={test}" for test in DESELECTED_TESTS]

    def toml_list(items):
        return "[" + ", ".join(json.dumps(i) for i in items) + "]"

    return f"""# written by mutation/run.py: do not edit
[tool.mutmut]
source_paths = ["src"]
only_mutate = {toml_list(ONLY_MUTATE)}
also_copy = {toml_list(["conftest.py", "mutation_triage.py"] + [p.name for p in top_level()])}
pytest_add_cli_args_test_selection = {toml_list(selection)}
pytest_add_cli_args = ["-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning"]
timeout_multiplier = 10.0
timeout_constant = 2.0
use_git_change_detection = false

[tool.pytest.ini_options]
testpaths = ["tests"]
"""


def sync(src: Path, dst: Path, keep=()) -> None:
    """Make dst a copy of src (`keep`: names in dst left alone); a file whose content changed gets a fresh
    mtime, so mutmut regenerates its mutants."""
    dst.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for entry in sorted(src.iterdir()):
        if entry.name in SKIPPED_ANYWHERE or entry.name.endswith(".egg-info") or \
                entry.relative_to(ROOT).as_posix() in NOT_STAGED_PATHS:
            continue
        wanted.add(entry.name)
        target = dst / entry.name
        if entry.is_dir():
            sync(entry, target)
        elif not target.is_file() or not filecmp.cmp(entry, target, shallow=False):
            shutil.copyfile(entry, target)
            forget_mutants(target)
    for stale in dst.iterdir():
        if stale.name not in wanted and stale.name not in keep and stale.name != "__pycache__":
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
            forget_mutants(stale)


def forget_mutants(path: Path) -> None:
    """A changed non-Python file (or a removed file) is copied again by mutmut only when its copy is gone."""
    try:
        rel = path.relative_to(STAGE)
    except ValueError:
        return
    copy = STAGE / "mutants" / rel
    if path.suffix != ".py" or not path.exists():
        for p in (copy, copy.with_name(copy.name + ".meta"), copy.with_name(copy.name + ".spans")):
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()


# What the staging tree does not mirror from the checkout (linter/ and rules/ become src/rlint; pyproject.toml
# is mutmut's configuration there)
NOT_STAGED_PATHS = {".git", ".venv", ".venv-checkov", ".mutation", ".pytest_cache", "build", "dist", "linter",
                    "rules", "pyproject.toml", "benchmarks/corpus", "benchmarks/out"}
SKIPPED_ANYWHERE = {"__pycache__", "node_modules", ".pytest_cache"}


def top_level() -> list[Path]:
    """The checkout's other files and folders (tests read README.md, docs/, examples/, action.yml ...)."""
    return [p for p in sorted(ROOT.iterdir())
            if p.name not in NOT_STAGED_PATHS | SKIPPED_ANYWHERE and not p.name.endswith(".egg-info")]


def stage() -> None:
    sync(ROOT / "linter", STAGE / "src" / "rlint", keep=("rules",))
    sync(ROOT / "rules", STAGE / "src" / "rlint" / "rules")
    for entry in top_level():
        if entry.is_dir():
            sync(entry, STAGE / entry.name)
        elif not (STAGE / entry.name).is_file() or not filecmp.cmp(entry, STAGE / entry.name, shallow=False):
            shutil.copyfile(entry, STAGE / entry.name)
            forget_mutants(STAGE / entry.name)
    shared = STAGE / "shared"  # tests find ../shared beside the checkout; mutants/ sits in the stage
    if not shared.exists() and (ROOT.parent / "shared").is_dir():
        shared.symlink_to((ROOT.parent / "shared").resolve())
    for source, name in ((Path(__file__).parent / "stage_conftest.py", "conftest.py"),
                         (Path(__file__).parent / "triage.py", "mutation_triage.py")):
        if not (STAGE / name).is_file() or not filecmp.cmp(source, STAGE / name, shallow=False):
            shutil.copyfile(source, STAGE / name)
    (STAGE / "pyproject.toml").write_text(mutmut_config())


def staged_patterns(targets: list[str]) -> list[str]:
    """Repo paths (rules, linter/evaluate, a folder or a file) -> only_mutate globs under src/."""
    out = []
    for target in targets:
        target = SCOPES.get(target, target).rstrip("/")
        if target.startswith("rules"):
            staged = "src/rlint/rules" + target[len("rules"):]
        elif target.startswith("linter"):
            staged = "src/rlint" + target[len("linter"):]
        else:
            sys.exit(f"mutation/run.py: {target}: give rules, evaluate, or a path under rules/ or linter/")
        if not (ROOT / target).exists():
            sys.exit(f"mutation/run.py: {target} does not exist")
        out.append(staged if staged.endswith(".py") else staged + "/*")
    return out


def _env() -> dict:
    return dict(os.environ, RLINT_MUTATION_NOTES=str(NOTES), PYTHONDONTWRITEBYTECODE="1")


PREPARE = """
import mutmut.__main__ as m
m.Config.ensure_loaded()
m.makedirs("mutants", exist_ok=True)
m.copy_src_dir(); m.copy_also_copy_files(); m.setup_source_paths()
m.create_mutants({jobs})
runner = m.PytestRunner(); runner.prepare_main_test_run()
m.collect_or_load_stats(runner, apply_config_invalidation=True)
"""


def prepare(jobs: int) -> int:
    """Generate the mutants and map tests to functions, without testing a mutant."""
    with LOG.open("w") as log:
        return subprocess.call([sys.executable, "-c", PREPARE.format(jobs=jobs)], cwd=STAGE, env=_env(),
                               stdout=log, stderr=subprocess.STDOUT)


def results(only: list[str]) -> dict[str, dict[str, int | None]]:
    """{repo file: {mutant name: exit code}} for the files under the given globs."""
    import fnmatch

    out = {}
    for meta in sorted((STAGE / "mutants" / "src").rglob("*.py.meta")):
        staged = str(meta.relative_to(STAGE / "mutants"))[:-len(".meta")]
        if not any(fnmatch.fnmatch(staged, p) for p in only):
            continue
        out[repo_path(staged)] = json.loads(meta.read_text())["exit_code_by_key"]
    return out


def estimate(only: list[str], every: int) -> None:
    stats = json.loads((STAGE / "mutants" / "mutmut-stats.json").read_text())
    tests_by_function, duration = stats["tests_by_mangled_function_name"], stats["duration_by_test"]
    pending = untested = 0
    seconds = 0.0
    for codes in results(only).values():
        for name, code in codes.items():
            if code is not None or not in_sample(name, every):
                continue
            tests = tests_by_function.get(name.rpartition("__mutmut_")[0], ())
            if not tests:
                untested += 1
                continue
            pending += 1
            # a killed mutant stops at its first failing test; a survivor runs them all: half is a middle guess
            seconds += OVERHEAD_S + 0.5 * sum(duration.get(t, 0) for t in tests)
    print(f"{pending} mutants to test, {untested} reached by no test; about {seconds / 60:.0f} CPU-minutes "
          f"(each mutant: {OVERHEAD_S}s plus half its tests' recorded time)")


def classify(only: list[str], every: int):
    notes = load_notes()
    counts = defaultdict(Counter)
    survivors = []
    for path, codes in results(only).items():
        for name, code in codes.items():
            if not in_sample(name, every):
                continue
            status = STATUS.get(code, OTHER)
            mutant = Mutant.parse(name)
            if status in (SURVIVED, NO_TESTS, SKIPPED) and note_for(STAGE, mutant, notes):
                status = SKIPPED
            elif status == SKIPPED:
                status = SURVIVED  # a note that no longer matches: the mutant needs testing again
            counts[path][status] += 1
            if status in (SURVIVED, NO_TESTS):
                survivors.append((path, mutant, status))
    return counts, survivors


def report(only: list[str], diffs: bool, every: int) -> None:
    counts, survivors = classify(only, every)
    total = Counter()
    width = max((len(p) for p in counts), default=10)
    print(f"{'file':<{width}}  killed  survived  no-tests  timeout  equivalent  unchecked  score")
    for path in sorted(counts):
        c = counts[path]
        total.update(c)
        print(f"{path:<{width}}  {line(c)}")
    print(f"{'TOTAL':<{width}}  {line(total)}")
    out = STAGE / "survivors.txt"
    with out.open("w") as f:
        for path, mutant, status in sorted(survivors, key=lambda s: (s[0], s[1].name)):
            removed, added = changed_lines(STAGE, mutant) or ((), ())
            f.write(f"{path}  {mutant.function}  [{status}]  {mutant.name}\n")
            f.writelines(f"    - {r}\n" for r in removed)
            f.writelines(f"    + {a}\n" for a in added)
    print(f"{len(survivors)} survivors, each with its diff, in {out.relative_to(ROOT)}")
    if diffs:
        print(out.read_text())


def line(c: Counter) -> str:
    decided = c[KILLED] + c[TIMEOUT] + c[SURVIVED] + c[NO_TESTS] + c[OTHER]
    score = f"{100 * (c[KILLED] + c[TIMEOUT]) / decided:5.1f}%" if decided else "   - "
    return (f"{c[KILLED]:6}  {c[SURVIVED] + c[OTHER]:8}  {c[NO_TESTS]:8}  {c[TIMEOUT]:7}  {c[SKIPPED]:10}  "
            f"{c[NOT_CHECKED]:9}  {score}")


def in_sample(name: str, every: int) -> bool:
    """A stable 1-in-`every` choice of mutants (every=1: all of them)."""
    return every <= 1 or zlib.crc32(name.encode()) % every == 0


def pending(only: list[str], every: int, retest: bool = False) -> list[str]:
    """Mutants in the target files not yet tested (in the sample); with `retest`, the survivors too (after a
    new test or fixture: mutmut re-tests a mutant only when its function's text changed)."""
    again = {c for c, status in STATUS.items() if status in (SURVIVED, NO_TESTS)} if retest else set()
    return sorted(name for codes in results(only).values() for name, code in codes.items()
                  if (code is None or code in again or (retest and code not in STATUS)) and in_sample(name, every))


# mutmut's own filter matches each given name as a glob against every mutant (slow for thousands of names):
# the driver hands mutmut the exact list instead. Written against mutmut 3.7.0 (pinned in setup.cfg).
DRIVER = """
import json, sys
import mutmut.__main__ as m
names = json.load(open(sys.argv[1]))
wanted = set(names)
collect = m.collect_source_file_mutation_data
def chosen(*, mutant_names):
    mutants, by_path = collect(mutant_names=())
    return [x for x in mutants if x[1] in wanted], by_path
m.collect_source_file_mutation_data = chosen
m._run(names, int(sys.argv[2]))
"""


def test_mutants(names: list[str], jobs: int) -> int:
    todo = STAGE / "todo.json"
    todo.write_text(json.dumps(names))
    with LOG.open("a") as log:
        return subprocess.call([sys.executable, "-c", DRIVER, str(todo), str(jobs)], cwd=STAGE, env=_env(),
                               stdout=log, stderr=subprocess.STDOUT)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", default=["rules"],
                        help="rules, evaluate, or folders/files under rules/ or linter/ (default: rules)")
    parser.add_argument("--jobs", type=int, default=1, help="mutants tested at once (default 1: the CPUs are shared)")
    parser.add_argument("--estimate", action="store_true", help="generate and map, print the cost, test nothing")
    parser.add_argument("--report", action="store_true", help="report the recorded results only")
    parser.add_argument("--sample", type=int, default=1, metavar="N",
                        help="test a stable 1-in-N sample of the mutants (default 1: all)")
    parser.add_argument("--survivors", action="store_true", help="print every survivor's diff with the report")
    parser.add_argument("--retest", action="store_true",
                        help="test the survivors again as well (after adding the tests or fixtures that kill them; "
                             "delete .mutation/mutants/mutmut-stats.json first, or the new tests are not mapped)")
    args = parser.parse_args(argv)
    only = staged_patterns(args.targets)
    if not args.report:
        stage()
        start = time.monotonic()
        if prepare(args.jobs):
            print(f"mutation/run.py: generating the mutants or mapping the tests failed: see {LOG}")
            return 1
        print(f"mutants generated and tests mapped in {time.monotonic() - start:.0f}s")
        estimate(only, args.sample)
        if args.estimate:
            return 0
        names = pending(only, args.sample, args.retest)
        if names:
            start = time.monotonic()
            code = test_mutants(names, args.jobs)
            print(f"mutmut tested {len(names)} mutants in {time.monotonic() - start:.0f}s "
                  f"(exit {code}; its output: {LOG.relative_to(ROOT)})")
    report(only, args.survivors, args.sample)
    return 0


if __name__ == "__main__":
    sys.exit(main())
