"""The `rlint` command line (click). Exit codes: 0 nothing failing, 1 failing findings, 2 usage or config error."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__
from .collection import collecting_less

FAIL_ON_CHOICES = ["high", "medium", "low", "info", "never"]


def _split_keys(values) -> tuple:
    out = []
    for v in values:
        out.extend(k.strip() for k in v.split(",") if k.strip())
    return tuple(out)


def _key_value(values, what: str) -> list:
    out = []
    for v in values:
        key, sep, value = v.partition("=")
        if not sep or not key.strip():
            raise click.UsageError(f"{what} takes NAME=VALUE, got {v!r}")
        out.append((key.strip(), value))
    return out


def _usable_cpus() -> int:
    """The CPUs this process may run on (a container's or a CI runner's share), not the machine's count."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def _color(no_color: bool, output) -> bool:
    if no_color or output or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


class _Program(click.Group):
    """The `rlint` group. Run as the program (no argument list given, so it reads sys.argv) it ends through
    process_exit.leave, without the interpreter's teardown; given an argument list (tests, library callers) it
    returns or raises exactly as click does."""

    def main(self, args=None, *more, **kwargs):
        if args is not None or more or not kwargs.get("standalone_mode", True):
            return super().main(args, *more, **kwargs)
        from .collection import as_program
        from .process_exit import leave

        as_program()
        try:
            super().main(**kwargs)
        except SystemExit as exc:
            leave(exc.code)
        leave(0)  # pragma: no cover - click's standalone mode always exits


@click.group(cls=_Program, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rlint")
def main() -> None:
    """rlint: reliability linter for AWS Terraform and CloudFormation."""


WORKSPACE_HELP = ("Terraform workspace the roots are evaluated in (terraform.workspace); default: TF_WORKSPACE, "
                  "else each root's .terraform/environment, else unknown.")


def _input_options(fn):
    """Options shared by `scan` and `fix`: what to run and the values rlint cannot see in the files."""
    options = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option("--select", multiple=True,
                     help="Rule ids, names or prefixes (RL3) to run; repeatable or comma-separated."),
        click.option("--ignore", multiple=True, help="Rule ids, names or prefixes to skip; adds to the config's list."),
        click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                     help="Configuration file (default: .rlint.yaml found by walking up)."),
        click.option("--var", "tf_vars", multiple=True, help="Terraform variable NAME=VALUE."),
        click.option("--var-file", "var_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
                     help="Terraform .tfvars file."),
        click.option("--workspace", metavar="NAME", help=WORKSPACE_HELP),
        click.option("--parameter", "parameters", multiple=True, help="CloudFormation parameter NAME=VALUE."),
        click.option("--parameters-file", "parameter_files", multiple=True,
                     type=click.Path(dir_okay=False, exists=True, path_type=Path),
                     help="CloudFormation parameters: the AWS CLI's [{ParameterKey, ParameterValue}] JSON "
                          "or a {NAME: VALUE} map. --parameter wins."),
        click.option("--deployment", "deployment_specs", multiple=True, metavar="NAME=PATH@REGION[,...]",
                     help="A deployment of the application (replaces the config's `deployments:`): a Terraform "
                          "root or a template, its Region, and its own inputs: ,account=ID ,workspace=NAME "
                          ",var-file=FILE "
                          ",var=K=V ,parameters-file=FILE ,parameter=K=V. Repeatable; the same path may appear "
                          "several times."),
        click.option("-j", "--jobs", type=click.IntRange(min=0), default=None,
                     help="Worker processes for large scans (default: the usable CPUs, from 3 MB of source; "
                          "1 = serial)."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _deployments(data: dict, base: Path, specs) -> list:
    """The command line's --deployment list, else the configuration's `deployments:` (paths relative to it)."""
    if not specs and not data.get("deployments"):
        return []  # most scans: the deployments machinery is not loaded
    from .deployments import DeploymentError, from_cli, from_config

    try:
        return from_cli(specs, Path.cwd()) if specs else from_config(data.get("deployments") or [], base)
    except DeploymentError as exc:
        raise click.UsageError(str(exc)) from None


def _workspace(given, tf_cfg: dict, config_path) -> dict:
    """--workspace, else the configuration's terraform.workspace (schema-checked), as TerraformInputs fields."""
    if given is not None:
        from .evaluate.workspace import valid_name

        if not valid_name(given):
            raise click.UsageError(f"--workspace {given!r}: not a workspace name Terraform accepts (letters, digits "
                                   f"and - _ . ~ : @ & = + $)")
        return {"workspace": given, "workspace_from": "--workspace"}
    if "workspace" in tf_cfg:
        return {"workspace": tf_cfg["workspace"], "workspace_from": f"terraform.workspace in {config_path.name}"}
    return {}


def build_options(paths, select, ignore, config_path, tf_vars, var_files, parameters, jobs, fail_on=None,
                  strict=False, parameter_files=(), deployment_specs=(), workspace=None):
    """Merge the command line with the configuration file: command line first, then file, then defaults."""
    from .config import ConfigError, anchored_excludes, dr_settings, find_config, load_config, recreatable_entries
    from .engine import ScanOptions
    from .inputs import CfnInputs, TerraformInputs

    for p in paths:
        if not p.exists() and not p.is_symlink():
            raise click.UsageError(f"path {str(p)!r} does not exist")
    try:
        cfg = load_config(config_path or find_config(paths[0]))
        dr = dr_settings(cfg.data, cfg.path.parent if cfg.path else None)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    data = cfg.data
    from_files: dict = {}
    for pf in parameter_files:
        from .evaluate.cloudformation import ParametersFileError, read_parameters_file

        try:
            from_files.update(read_parameters_file(pf))
        except ParametersFileError as exc:
            raise click.UsageError(str(exc)) from None
    rules_cfg = data.get("rules", {})
    tf_cfg = data.get("terraform", {})
    base = cfg.path.parent if cfg.path else Path(".")
    _check_rule_keys(select, ignore, data, cfg.path)
    _check_var_files(var_files, [base / f for f in tf_cfg.get("var_files", [])], cfg.path)
    options = ScanOptions(
        select=_split_keys(select) or tuple(data.get("select", ())),
        ignore=tuple(data.get("ignore", ())) + _split_keys(ignore),
        fail_on=fail_on or data.get("fail_on", "low"),
        strict=strict,
        require_reason=bool(data.get("require_reason", False)),
        severity={k: v["severity"] for k, v in rules_cfg.items() if "severity" in v},
        rule_options={k: v.get("options", {}) for k, v in rules_cfg.items()},
        exclude=anchored_excludes(data.get("exclude", ()), cfg.path.parent if cfg.path else None),
        terraform=TerraformInputs(
            var_files=[base / f for f in tf_cfg.get("var_files", [])] + list(var_files),
            variables=[(k, str(v)) for k, v in tf_cfg.get("vars", {}).items()] + _key_value(tf_vars, "--var"),
            **_workspace(workspace, tf_cfg, cfg.path),
        ),
        cloudformation=CfnInputs(parameters={
            **{k: str(v) for k, v in data.get("cloudformation", {}).get("parameters", {}).items()},
            **from_files,
            **dict(_key_value(parameters, "--parameter")),
        }, from_user=True),
        jobs=jobs if jobs else _usable_cpus(),
        dr=dr,
        stateful=dict(data.get("stateful") or {}),
        recreatable=recreatable_entries(data, cfg.path),
        deployments=_deployments(data, base, deployment_specs),
    )
    _resolve_rule_keys(options)
    return options


@main.command()
@_input_options
@click.option("-f", "--format", "fmt", default="text", show_default=True,
              type=click.Choice(["text", "json", "sarif", "junit", "github", "markdown", "html"]))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to FILE.")
@click.option("--fail-on", type=click.Choice(FAIL_ON_CHOICES), default=None,
              help="Lowest severity that fails the run (default low: any failing finding).")
@click.option("--show-unknown", is_flag=True, help="List findings whose deciding value is unknown.")
@click.option("--strict", is_flag=True, help="Unknown outcomes count as failing.")
@click.option("--no-color", is_flag=True, help="Never colour the output (also NO_COLOR=1 or TERM=dumb).")
@click.option("--no-fixes", is_flag=True, help="Leave the fixes out of the text report (findings only).")
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary line.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Report only findings not recorded in this baseline file.")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Record today's findings in FILE (by rule, file and resource); they stop failing the run.")
@click.option("--dr-report", is_flag=True,
              help="Add the disaster-recovery table: RPO/RTO estimates per data store and scenario against the "
                   "objectives (text, JSON `dr`), with a picture of the Regions, stores, copies and traffic "
                   "(Markdown: a Mermaid diagram; html: one self-contained file with an SVG).")
@collecting_less
def scan(paths, select, ignore, config_path, tf_vars, var_files, workspace, parameters, parameter_files, deployment_specs,
         jobs, fmt, output, fail_on, show_unknown, strict, no_color, no_fixes, quiet, baseline_path, write_baseline_path,
         dr_report) -> None:
    """Scan Terraform and CloudFormation under PATHS (default: the current directory)."""
    from .inputs import DeploymentError
    from .engine import scan as run_scan
    from .reporters import get_reporter
    from .reporters.options import ReportOptions

    paths = list(paths) or [Path(".")]
    options = build_options(paths, select, ignore, config_path, tf_vars, var_files, parameters, jobs, fail_on,
                            strict, parameter_files, deployment_specs, workspace)
    baseline_keys = _read_baseline(baseline_path)
    progress = _progress(quiet)
    options.progress = progress
    options.dr_report = dr_report
    try:
        result = run_scan(paths, options)
    except DeploymentError as exc:
        raise click.UsageError(str(exc)) from None
    finally:
        if progress is not None:
            progress.finish()
    _refuse_bad_inputs(result)
    if write_baseline_path is not None:
        _write_baseline(result, write_baseline_path)
    elif baseline_keys is not None:
        from .baseline import apply

        result.findings, result.baseline_stale = apply(result.findings, baseline_keys, baseline_path)
    _warn_empty(result)
    reporter = get_reporter(fmt)
    report_options = ReportOptions(show_unknown=show_unknown, color=_color(no_color, output), quiet=quiet,
                                   fail_on=options.fail_on, strict=strict, fixes=not no_fixes)
    # written piece by piece where the format can (a large JSON report never exists whole in memory)
    pieces = reporter.pieces(result, report_options) if hasattr(reporter, "pieces") else \
        [reporter.render(result, report_options)]
    if output:
        try:
            with output.open("w", encoding="utf-8") as out:
                for piece in pieces:
                    out.write(piece)
        except OSError as exc:
            raise click.UsageError(f"cannot write {str(output)!r}: {exc.strerror or exc}") from None
        _summary_to_stderr(result, output)
    else:
        for piece in pieces:
            click.echo(piece, nl=False)
    sys.exit(1 if result.fails(options.fail_on, strict) else 0)


def _refuse_bad_inputs(result) -> None:
    """A value given on the command line (or in the configuration) that the configuration refuses is the
    user's mistake, not the template's: exit 2 naming each, rather than analysing an unknown."""
    if result.input_errors:
        raise click.UsageError("\n".join(result.input_errors))


def _summary_to_stderr(result, output: Path) -> None:
    """With --output the report goes to a file; the log of a CI step still says what happened."""
    from .reporters.text import coverage_line, summary_line

    coverage = coverage_line(result)
    if coverage:
        click.echo(coverage, err=True)
    click.echo(f"{summary_line(result)} · report written to {output}", err=True)


def _warn_empty(result) -> None:
    """A path with nothing rlint reads (an empty directory, only non-IaC YAML, a wrong path in CI) is not a
    clean scan: say so on stderr."""
    for path in result.empty_paths:
        click.echo(f"warning: nothing to scan in {path}: no Terraform (.tf, .tf.json), CloudFormation template or "
                   f"Terraform plan JSON found", err=True)


@main.command(epilog="Exit codes: 0 nothing failing is left, 1 failing findings remain (shown but not written, or "
                     "not fixable automatically), 2 usage, configuration or internal error.")
@_input_options
@click.option("--write", is_flag=True, help="Apply the fixes to the files (default: print a unified diff).")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that need review (cost, replacement, downtime).")
@click.option("--generate", "generate_name", metavar="FILE.tf",
              help="Write the new Terraform resources (backup plan, health checks, dead-letter queues) to this "
                   "new file in each module that needs them, instead of appending them to an existing file.")
@collecting_less
def fix(paths, select, ignore, config_path, tf_vars, var_files, workspace, parameters, parameter_files, deployment_specs,
        jobs, write, unsafe_fixes, generate_name) -> None:
    """Show (or write) the fixes for the findings under PATHS as minimal edits.

    Missing resources are added too: appended to the Terraform file of the first finding that needs them
    (or to --generate FILE.tf), inserted after the last resource of a CloudFormation template.
    """
    from .engine import SourceCache, scan as run_scan
    from .fixes.command import plan_fixes, write_and_verify

    if generate_name is not None and (Path(generate_name).name != generate_name
                                      or not generate_name.endswith(".tf")):
        raise click.UsageError(f"--generate takes a new file name such as rlint_generated.tf, written in each "
                               f"module directory that needs new resources; got {generate_name!r}")
    paths = list(paths) or [Path(".")]
    options = build_options(paths, select, ignore, config_path, tf_vars, var_files, parameters, jobs,
                            parameter_files=parameter_files, deployment_specs=deployment_specs, workspace=workspace)
    from .inputs import DeploymentError

    try:
        result = run_scan(paths, options)
    except DeploymentError as exc:
        raise click.UsageError(str(exc)) from None
    _refuse_bad_inputs(result)
    _warn_empty(result)
    cwd = Path.cwd()
    from .discover import display_path

    roots = [display_path(p.resolve(), cwd) for p in paths]  # nothing outside them is written
    plan = plan_fixes(result, SourceCache(cwd), unsafe_fixes, generate=generate_name, roots=roots)
    rescans: list = []  # the scan after writing: what is left decides the exit status
    if not write and generate_name is not None:
        # a new file touches nothing that exists: write it (under the same rescan and rollback as --write),
        # and leave the edits to existing files as a diff
        generated = plan.split_generated()
        problems = write_and_verify(generated, cwd, lambda: rescans.append(run_scan(paths, options)) or rescans[-1])
        if problems:
            click.echo("nothing was written: " + "; ".join(problems), err=True)
            sys.exit(2)
        for path in generated.new_texts:
            click.echo(f"wrote {path}", err=True)
    diff = plan.diff()
    if not write:
        click.echo(diff, nl=False)
    else:
        problems = write_and_verify(plan, cwd, lambda: rescans.append(run_scan(paths, options)) or rescans[-1])
        if problems:
            click.echo("nothing was written: " + "; ".join(problems), err=True)
            sys.exit(2)
        plan = _later_passes(plan, rescans, lambda: rescans.append(run_scan(paths, options)) or rescans[-1],
                             cwd, unsafe_fixes, generate_name, roots)
    for finding, note in plan.notes:
        click.echo(f"at the origin: {finding.file}:{finding.span.line} {finding.rule_id} {finding.resource}: {note}",
                   err=True)
    for finding, why in plan.skipped:
        click.echo(f"not fixed: {finding.file}:{finding.span.line} {finding.rule_id} {finding.resource}: {why}",
                   err=True)
    verb = "fixed" if write else "fixable"
    click.echo(f"{len(plan.applied)} {verb} · {len(plan.skipped)} not fixed automatically", err=True)
    sys.exit(_fix_status(rescans[-1] if rescans else result, bool(rescans), options.fail_on))


MAX_FIX_PASSES = 5  # tflint stops at 10, ruff at 100; rlint's fixes settle in two or three


def _later_passes(plan, rescans: list, rescan, cwd: Path, unsafe: bool, generate_name, roots):
    """Fixes that waited because their edit overlapped another's are planned again on the written result,
    pass after pass (each written under the same rescan and rollback) until nothing waits or nothing changes.
    The plan returned holds every pass's fixes and the last pass's reasons."""
    from .engine import SourceCache
    from .fixes.command import CONFLICT, plan_fixes, write_and_verify

    for _ in range(MAX_FIX_PASSES - 1):
        if not any(why.startswith(CONFLICT) for _f, why in plan.skipped):
            break
        again = plan_fixes(rescans[-1], SourceCache(cwd), unsafe, generate=generate_name, roots=roots)
        if not again.new_texts:
            break
        problems = write_and_verify(again, cwd, rescan)
        if problems:
            click.echo("a later pass was not written: " + "; ".join(problems), err=True)
            break
        again.applied = plan.applied + again.applied
        again.notes = plan.notes + again.notes
        plan = again
    return plan


def _fix_status(result, written: bool, fail_on: str) -> int:
    """`rlint fix` exits like `scan` on what is left: 0 when nothing failing is left, 1 when failing findings
    remain (all of them when the fixes were only shown), 2 on errors (raised before)."""
    from .reporters.text import plural

    left = result.failing(fail_on)
    if left:
        what = "left unfixed" if written else "left (nothing was written)"
        click.echo(f"{plural(len(left), 'failing finding')} {what}", err=True)
    return 1 if left else 0


def _progress(quiet: bool):
    """The stderr progress bar, only on a terminal (it stays silent for short scans)."""
    from .progress import Progress

    return None if quiet or not Progress.wanted() else Progress()


def _read_baseline(path):
    if path is None:
        return None
    from .baseline import LEGACY_VERSION, BaselineError, read

    try:
        keys = read(path)
    except BaselineError as exc:
        raise click.UsageError(str(exc)) from None
    if keys.version == LEGACY_VERSION:
        click.echo(f"baseline: {path} is version {LEGACY_VERSION} (no root modules): each entry matches its finding "
                   f"in every root; --write-baseline rewrites it with roots", err=True)
    return keys


def _write_baseline(result, path: Path) -> None:
    """Record every current finding (with --baseline too: the new file replaces the old), then apply it."""
    from .baseline import apply, read, write

    try:
        count = write(path, result.findings)
    except OSError as exc:
        raise click.UsageError(f"cannot write baseline {str(path)!r}: {exc.strerror or exc}") from None
    result.findings, result.baseline_stale = apply(result.findings, read(path), path)
    click.echo(f"baseline: wrote {count} {'entry' if count == 1 else 'entries'} to {path}", err=True)


def _check_var_files(given, configured, config_path) -> None:
    """A missing --var-file is a usage error, like a missing --parameters-file (not a finding in the report)."""
    for path, where in [(p, "--var-file") for p in given] + [(p, f"{config_path}: terraform.var_files")
                                                              for p in configured]:
        if not path.is_file():
            raise click.UsageError(f"{where}: {str(path)!r} does not exist" if not path.exists()
                                   else f"{where}: {str(path)!r} is not a file")


def _check_rule_keys(select, ignore, data: dict, config_path) -> None:
    """A rule key that names nothing is a usage error with the nearest rule, not a run that checks nothing."""
    from .selection import RuleKeyError, check

    try:
        check(_split_keys(select), "--select")
        check(_split_keys(ignore), "--ignore", ignoring=True)
        check(data.get("select", ()), f"{config_path}: select")
        check(data.get("ignore", ()), f"{config_path}: ignore", ignoring=True)
    except RuleKeyError as exc:
        raise click.UsageError(str(exc)) from None


def _resolve_rule_keys(options) -> None:
    """Config `rules:` may be keyed by name; unknown keys are a usage error, not a silent no-op."""
    from .rules import find_rule
    from .selection import RuleKeyError, check_configurable, did_you_mean

    for table in (options.severity, options.rule_options):
        for key in list(table):
            rule = find_rule(key)
            if rule is None:
                raise click.UsageError(f"configuration names unknown rule {key!r} under rules{did_you_mean(key)}")
            try:
                check_configurable(rule.id, f"configuration rules.{key}")
            except RuleKeyError as exc:
                raise click.UsageError(str(exc)) from None
            if rule.id != key:
                table[rule.id] = table.pop(key)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", default="json", show_default=True,
              type=click.Choice(["json", "dot", "mermaid"]))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the graph to FILE.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Configuration file (default: .rlint.yaml found by walking up).")
@click.option("--var", "tf_vars", multiple=True, help="Terraform variable NAME=VALUE.")
@click.option("--var-file", "var_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Terraform .tfvars file.")
@click.option("--parameter", "parameters", multiple=True, help="CloudFormation parameter NAME=VALUE.")
@click.option("--parameters-file", "parameter_files", multiple=True,
              type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="CloudFormation parameters file (as for scan).")
@click.option("--workspace", metavar="NAME", help=WORKSPACE_HELP)
@collecting_less
def graph(paths, fmt, output, config_path, tf_vars, var_files, parameters, parameter_files, workspace) -> None:
    """Show what rlint read under PATHS: every resource instance with its evaluated attributes (undecided ones
    as {"$unknown": reason}) and the references between resources, as JSON, Graphviz DOT or Mermaid."""
    from .engine import load
    from .graph_export import RENDERERS

    paths = list(paths) or [Path(".")]
    options = build_options(paths, (), (), config_path, tf_vars, var_files, parameters, 1,
                            parameter_files=parameter_files, workspace=workspace)
    text = RENDERERS[fmt](load(paths, options))
    if output:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise click.UsageError(f"cannot write {str(output)!r}: {exc.strerror or exc}") from None
    else:
        click.echo(text, nl=False)


@main.command()
@click.option("--force", is_flag=True, help="Overwrite an existing .rlint.yaml.")
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
def init(force, directory) -> None:
    """Write a commented .rlint.yaml in DIRECTORY (default: the current directory)."""
    from .config_template import TEMPLATE

    target = directory / ".rlint.yaml"
    if target.exists() and not force:
        raise click.UsageError(f"{target} exists; use --force to overwrite it")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        target.write_text(TEMPLATE, encoding="utf-8")
    except OSError as exc:
        raise click.UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    click.echo(f"wrote {target}")


@main.command("config")
@click.option("--schema", "show_schema", is_flag=True, help="Print the configuration's JSON Schema (for editors).")
@click.argument("path", required=False, default=".", type=click.Path(path_type=Path))
def config_cmd(show_schema, path) -> None:
    """Show the configuration that applies to PATH, or with --schema the schema it is validated against."""
    import json

    from .config import ConfigError, find_config, load_config, schema

    if show_schema:
        click.echo(json.dumps(schema(), indent=2))
        return
    found = find_config(path)
    try:
        cfg = load_config(found)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"# {found if found else 'no configuration file found; defaults apply'}")
    click.echo(json.dumps(cfg.data, indent=2))


@main.command("checkov-dir")
@click.option("--output", "output_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the checks (default: rlint's cache directory).")
def checkov_dir(output_dir) -> None:
    """Write checkov custom checks that answer from rlint, and print their directory.

    Use: checkov -d infra --external-checks-dir "$(rlint checkov-dir)"
    """
    from .checkov import write_checks_dir

    click.echo(str(write_checks_dir(output_dir)))


@main.command("rules")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_cmd(fmt) -> None:
    """List the rule catalogue."""
    import json

    from .rules import ENGINE_RULES, all_rules

    if fmt == "json":
        data = [{"id": r.id, "name": r.name, "severity": r.severity.value, "formats": [], "resource_types": [],
                 "summary": r.summary, "checkov_ids": [], "options": {}, "references": r.references(),
                 "docs": r.doc(), "fix": ""} for r in ENGINE_RULES]
        data.extend(r.metadata() for r in all_rules())
        click.echo(json.dumps(data, indent=2))
        return
    for r in ENGINE_RULES:
        click.echo(f"{r.id}  {r.name:<42} {r.severity.value:<7} {'engine':<25} {r.summary}")
    for r in all_rules():
        formats = ",".join(r.formats())
        click.echo(f"{r.id}  {r.name:<42} {r.severity.value:<7} {formats:<25} {r.summary()}")


@main.command()
@click.argument("rule")
def explain(rule) -> None:
    """Show one rule's documentation (by id or name)."""
    from .rules import find_rule

    found = find_rule(rule)
    if found is None:
        from .selection import did_you_mean

        raise click.UsageError(f"no rule {rule!r}{did_you_mean(rule)}; `rlint rules` lists them")
    from .rules import ENGINE_RULES

    kind = "engine" if found in ENGINE_RULES else ", ".join(found.formats())
    click.echo(f"# {found.id} {found.name} ({found.severity.value}, {kind})\n")
    click.echo(found.doc())


if __name__ == "__main__":  # pragma: no cover
    main()
