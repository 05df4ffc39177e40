"""The real engines as test oracles: Terraform (offline, from a filesystem provider mirror) and cfn-lint.

Terraform's start-up dominates its cost (init + plan of a small root take about 7 s), so callers batch: many
module directories become modules of one generated root (`batch_root`) and Terraform starts once per run.

Where an engine is missing, `require_terraform()` / `require_cfn_lint()` skip the test with the reason; under
`CI=true` (or `RLINT_REQUIRE_ENGINES=1`) they fail instead, so CI never skips an engine check silently.
The provider mirror comes from `$RLINT_TF_MIRROR`, else the first `registry.terraform.io` folder found under the
usual places (its parent is the mirror).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

import pytest

MIRROR_ENV = "RLINT_TF_MIRROR"
PROVIDER_VERSION = "5.100.0"
# where machine images put a provider mirror; a bounded search, not the whole disk
_MIRROR_SEARCH = ("/opt", "/usr/local/share", "/usr/share", "/root/.terraform.d", "/var/lib")

PROVIDER_BLOCK = '''provider "aws" {
  region                      = "us-east-1"
  access_key                  = "rlint-test"
  secret_key                  = "rlint-test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}
'''

REQUIRED_PROVIDERS = '''terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "%s"
    }
  }
}
''' % PROVIDER_VERSION


def engines_required() -> bool:
    """CI must run every engine check: a missing engine is a failure there, a skip elsewhere."""
    return os.environ.get("CI", "").lower() in ("1", "true") or os.environ.get("RLINT_REQUIRE_ENGINES") == "1"


def _missing(reason: str) -> None:
    if engines_required():
        pytest.fail(f"{reason} (CI requires every engine)", pytrace=False)
    pytest.skip(reason)


# -- Terraform --------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def terraform_binary() -> Optional[str]:
    return shutil.which("terraform")


@lru_cache(maxsize=1)
def provider_mirror() -> Optional[Path]:
    explicit = os.environ.get(MIRROR_ENV)
    if explicit:
        path = Path(explicit)
        return path if (path / "registry.terraform.io").is_dir() else None
    for top in _MIRROR_SEARCH:
        base = Path(top)
        if not base.is_dir():
            continue
        for depth in ("*", "*/*", "*/*/*"):
            for hit in base.glob(f"{depth}/registry.terraform.io"):
                if (hit / "hashicorp" / "aws").is_dir():
                    return hit.parent
    return None


def terraform_missing_reason() -> Optional[str]:
    if terraform_binary() is None:
        return "terraform is not on the PATH"
    if provider_mirror() is None:
        return f"no AWS provider mirror found (set {MIRROR_ENV} to the folder that holds registry.terraform.io)"
    return None


def require_terraform() -> None:
    reason = terraform_missing_reason()
    if reason:
        _missing(reason)


def cli_config(folder: Path) -> Path:
    """A Terraform CLI configuration that installs providers only from the mirror (no network)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "rlint-test.tfrc"
    path.write_text('provider_installation {\n  filesystem_mirror {\n    path = "%s"\n  }\n}\n' % provider_mirror())
    return path


def terraform_env(work: Path) -> dict:
    env = dict(os.environ, TF_CLI_CONFIG_FILE=str(cli_config(work / ".tfcli")), TF_IN_AUTOMATION="1",
               CHECKPOINT_DISABLE="1", TF_INPUT="0")
    env.pop("TF_DATA_DIR", None)
    env.pop("TF_WORKSPACE", None)  # a fixture's workspace is the one its .terraform/environment selects
    return env


def terraform(root: Path, *args: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run terraform in `root` with the mirror's CLI configuration; `check` fails the test on a non-zero exit."""
    proc = subprocess.run([terraform_binary(), *args], cwd=root, env=terraform_env(root), input=stdin,
                          capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"terraform {' '.join(args)} failed in {root}:\n{proc.stderr[-4000:]}")
    return proc


def init(root: Path) -> None:
    terraform(root, "init", "-backend=false", "-input=false", "-no-color")


def batch_root(work: Path, modules: dict, *, inputs: dict | None = None, provider: bool = True) -> Path:
    """A root module in `work` that calls each of `modules` ({call name: directory}) as a child module.

    `inputs` gives each call's arguments as HCL source text ({call name: {argument: "expression"}}), for
    variables without defaults. The root carries the fake-credential provider block so `plan` runs offline.
    """
    work.mkdir(parents=True, exist_ok=True)
    lines = [REQUIRED_PROVIDERS, PROVIDER_BLOCK if provider else ""]
    for name, directory in modules.items():
        lines.append(f'module "{name}" {{\n  source = "{Path(directory).resolve()}"\n')
        for arg, expr in (inputs or {}).get(name, {}).items():
            lines.append(f"  {arg} = {expr}\n")
        lines.append("}\n")
    (work / "main.tf").write_text("\n".join(lines))
    return work


def validate(root: Path) -> dict:
    """`terraform validate -json` of an initialised or not yet initialised root: the parsed report."""
    if not (root / ".terraform").is_dir():
        init(root)
    proc = terraform(root, "validate", "-json", "-no-color", check=False)
    return json.loads(proc.stdout)


def fmt_verdicts(work: Path, texts: dict) -> dict:
    """{key: "formatted" | "unformatted" | "error"}: what `terraform fmt` says of each Terraform text
    ({key: text}). One run over a folder of all of them; when one does not parse (fmt then lists nothing),
    each text is asked on its own."""
    folder = work / "fmt"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    names = {f"f{i}.tf": key for i, key in enumerate(texts)}
    for name, key in names.items():
        (folder / name).write_text(texts[key])
    proc = terraform(folder, "fmt", "-check", "-list=true", "-no-color", ".", check=False)
    if proc.returncode in (0, 3):
        listed = {Path(line.strip()).name for line in proc.stdout.splitlines() if line.strip()}
        return {key: "unformatted" if name in listed else "formatted" for name, key in names.items()}
    out = {}
    for key, text in texts.items():
        one = terraform(folder, "fmt", "-no-color", "-", stdin=text, check=False)
        out[key] = "error" if one.returncode != 0 else "formatted" if one.stdout == text else "unformatted"
    return out


def plan_json(root: Path, var_files: Iterable[str] = ()) -> dict:
    """`terraform plan -refresh=false` then `show -json`: the planned values (no data sources: they need the API)."""
    if not (root / ".terraform").is_dir():
        init(root)
    args = ["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", "-out=rlint.tfplan"]
    args += [f"-var-file={f}" for f in var_files]
    terraform(root, *args)
    return json.loads(terraform(root, "show", "-json", "rlint.tfplan").stdout)


def console(root: Path, expressions: list, *, messages: bool = False) -> list:
    """Each expression's value as Terraform's console computes it, decoded from JSON, or {"error": text}.

    Piped into `terraform console`, only the last line's value is printed, so expressions go in one line:
    `jsonencode([try(e1, ERR), try(e2, ERR), ...])`. An error `try` cannot catch (a static one, such as an
    unknown function) fails the whole line; then the batch is halved until the culprit runs alone (a console
    starts in about 0.2 s). With `messages`, every failing expression runs alone once more so its answer is
    Terraform's own error text ("Invalid function argument: ...") rather than "dynamic error".
    """
    if not (root / ".terraform").is_dir():
        init(root)
    answers = _console_batch(root, list(expressions))
    if messages:
        for i, (expr, answer) in enumerate(zip(expressions, answers)):
            if answer == {"error": "dynamic error"}:
                answers[i] = _console_one(root, expr)
    return answers


_CONSOLE_ERROR = {"rlint_console_error": True}


def _console_batch(root: Path, expressions: list) -> list:
    if not expressions:
        return []
    if len(expressions) == 1:
        return [_console_one(root, expressions[0])]
    wrapped = ", ".join(f'try({e}, {{rlint_console_error = true}})' for e in expressions)
    proc = terraform(root, "console", stdin=f"jsonencode([{wrapped}])\n", check=False)
    values = _console_value(proc) if proc.returncode == 0 else None
    if isinstance(values, list) and len(values) == len(expressions):
        return [{"error": "dynamic error"} if v == _CONSOLE_ERROR else v for v in values]
    half = len(expressions) // 2
    return _console_batch(root, expressions[:half]) + _console_batch(root, expressions[half:])


def _console_one(root: Path, expr: str):
    proc = terraform(root, "console", stdin=f"jsonencode({expr})\n", check=False)
    if proc.returncode != 0:
        return {"error": console_error_text(proc.stderr)}
    value = _console_value(proc)
    return {"error": f"no value: {proc.stdout.strip()[-200:]}"} if value is _NO_VALUE else value


_NO_VALUE = object()


def _console_value(proc):
    """The JSON value the console printed last, or _NO_VALUE (an unknown value prints `(known after apply)`)."""
    lines = proc.stdout.strip().splitlines()
    try:
        return json.loads(json.loads(lines[-1]))
    except (IndexError, ValueError, TypeError):
        return _NO_VALUE


def console_error_text(stderr: str) -> str:
    """Terraform's diagnostic as one line: "Title: detail" (no colours, box drawing or source location)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", stderr)
    lines = [ln.strip().lstrip("\u2502\u2577\u2575").strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith(("on <console-input>", "(source code not available)"))]
    if lines and lines[0].startswith("Error: "):
        lines[0] = lines[0][len("Error: "):]
        text = lines[0] + (": " + " ".join(lines[1:]) if len(lines) > 1 else "")
    else:
        text = " ".join(lines)
    return re.split(r"\s+goroutine \d+ ", text)[0]  # a panic's stack trace differs from run to run


# -- Terraform: many fixture directories validated with one start ---------------------------------------
# Module calls are wired by writing Terraform's own module manifest (.terraform/modules/modules.json) and
# running `init -get=false`, so nothing is downloaded: local sources point at their directories, and a
# registry or remote source gets a stub that accepts the call's arguments and offers the outputs the caller
# reads (validate then checks the caller, not the remote module's insides).
_MODULE_META = {"source", "version", "count", "for_each", "providers", "depends_on"}
_LOCAL_SOURCE = ("./", "../", "/")


def _unquote(value):
    return value[1:-1] if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"' else value


def _tf_bodies(directory: Path) -> list:
    """The parsed top-level bodies of a directory's .tf (python-hcl2) and .tf.json files; unparseable ones
    are left to Terraform to report."""
    import hcl2

    bodies = []
    for path in sorted(Path(directory).iterdir()):
        try:
            if path.name.endswith(".tf.json"):
                bodies.append(json.loads(path.read_text()))
            elif path.suffix == ".tf":
                bodies.append(hcl2.loads(path.read_text()))
        except Exception:  # noqa: BLE001 - a syntax error is Terraform's verdict to give, not ours
            continue
    return bodies


def _labelled(bodies: list, kind: str) -> list:
    """[(label, body)] of every `kind` block (variable, module) in the parsed files."""
    out = []
    for body in bodies:
        blocks = body.get(kind, []) if isinstance(body, dict) else []
        for block in blocks if isinstance(blocks, list) else [blocks]:
            for label, content in (block.items() if isinstance(block, dict) else []):
                out.append((_unquote(label), content if isinstance(content, dict) else {}))
    return out


def required_variables(directory: Path) -> list:
    """Variables of a module directory without a default (a caller must give them)."""
    return sorted({name for name, body in _labelled(_tf_bodies(directory), "variable") if "default" not in body})


def _version_parts(text: str) -> tuple:
    parts = [int(p) for p in re.findall(r"\d+", text)[:3]]
    return tuple(parts + [0] * (3 - len(parts)))


def satisfying_version(constraint: str) -> str:
    """A version that meets a Terraform version constraint ("~> 4.0", ">= 1.2, < 2"), for a stub module."""
    terms = [re.match(r"\s*(~>|>=|<=|!=|=|>|<)?\s*v?([\d.]+)", t) for t in (constraint or "").split(",") if t.strip()]
    terms = [(m[1] or "=", m[2]) for m in terms if m]

    def ok(v):
        for op, text in terms:
            w = _version_parts(text)
            if op == "~>":
                given = len(text.split("."))
                upper = (w[0] + 1, 0, 0) if given <= 2 else (w[0], w[1] + 1, 0)
                if not (w <= v < upper):
                    return False
            elif not {"=": v == w, "!=": v != w, ">": v > w, ">=": v >= w, "<": v < w, "<=": v <= w}[op]:
                return False
        return True

    seeds = [_version_parts(t) for _, t in terms] or [(1, 0, 0)]
    for a, b, c in seeds:
        for v in ((a, b, c), (a, b, c + 1), (a, b + 1, 0), (a + 1, 0, 0), (max(a - 1, 0), 0, 0), (0, 0, 1)):
            if ok(v):
                return "%d.%d.%d" % v
    return "%d.%d.%d" % seeds[0]


def _module_outputs_read(directory: Path, call: str) -> set:
    pattern = re.compile(r"module\.%s(?:\[[^\]]*\])?\.([A-Za-z_][\w-]*)" % re.escape(call))
    found = set()
    for path in Path(directory).iterdir():
        if path.name.endswith((".tf", ".tf.json")):
            found |= set(pattern.findall(path.read_text(errors="replace")))
    return found


def _write_stub(folder: Path, arguments: set, outputs: set) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = "".join('variable "%s" {\n  default = null\n}\n' % a for a in sorted(arguments))
    text += "".join('output "%s" {\n  value = null\n}\n' % o for o in sorted(outputs))
    (folder / "main.tf").write_text(text or "# a stub of a remote module\n")
    return folder


def module_manifest(work: Path, calls: dict, missing: Optional[list] = None) -> list:
    """Terraform's module manifest entries for the root's `calls` ({key: directory}) and everything they call.

    A local source whose directory does not exist gets no entry; its (key, source) goes to `missing`."""
    entries = [{"Key": "", "Source": "", "Dir": "."}]
    missing = [] if missing is None else missing

    def visit(key: str, directory: Path, source: str, version: Optional[str] = None) -> None:
        entry = {"Key": key, "Source": source, "Dir": str(directory)}
        if version:
            entry["Version"] = version
        entries.append(entry)
        for name, body in _labelled(_tf_bodies(directory), "module"):
            child, src = f"{key}.{name}", _unquote(body.get("source", ""))
            if not isinstance(src, str):
                continue
            if src.startswith(_LOCAL_SOURCE):
                target = (directory / src).resolve()
                if target.is_dir():
                    visit(child, target, src)
                else:
                    missing.append((child, src))
                continue
            args = {a for a in body if a not in _MODULE_META and not a.startswith("__")}
            stub = _write_stub(work / ".stubs" / child.replace(".", "_"), args,
                               _module_outputs_read(directory, name))
            registry = src if src.count("/") != 2 or ":" in src else f"registry.terraform.io/{src}"
            version = body.get("version")
            visit(child, stub, registry, satisfying_version(_unquote(version)) if version else None)

    for key, directory in calls.items():
        visit(key, Path(directory).resolve(), str(Path(directory).resolve()))
    return entries


def _diagnostic_text(diag: dict, base: Optional[Path]) -> str:
    rng = diag.get("range") or {}
    where = ""
    if rng.get("filename"):
        path = Path(rng["filename"])
        if base is not None and path.is_absolute():
            try:
                path = path.relative_to(base)
            except ValueError:
                pass
        where = f" ({path}:{rng.get('start', {}).get('line', '?')})"
    detail = " ".join((diag.get("detail") or "").split())
    text = f"{diag['severity']}: {diag['summary']}{': ' + detail if detail else ''}{where}"
    # the batch's call names (f000 ...) change as fixtures come and go: keep them out of the text
    text = re.sub(r"\bmodule\.f\d{3}\.(?=module\.)", "", text)
    return re.sub(r"\bmodule\.f\d{3}\b", "the root module", text)


def validate_dirs(work: Path, dirs: Iterable) -> dict:
    """`terraform validate` of each module directory, all as modules of one root (Terraform starts once):
    {directory: {"valid": bool, "diagnostics": [text]}}. Variables without a default get unknown values (root
    variables), as a caller's inputs would be.

    A directory that calls a local module which does not exist is validated on its own with a plain
    `terraform init`, so its verdict is Terraform's own error. If the batch cannot start (something breaks
    `init`), it is split in halves until the directory at fault is alone."""
    dirs = [Path(d).resolve() for d in dirs]
    out, batch = {}, []
    for d in dirs:
        broken = []
        module_manifest(work / ".probe", {"f": d}, broken)
        if broken:
            out[d] = _validate_alone(work / f"alone-{len(out)}", d)
        else:
            batch.append(d)
    out.update(_validate_halves(work, batch))
    return out


def _validate_halves(work: Path, dirs: list) -> dict:
    if not dirs:
        return {}
    try:
        return _validate_batch(work / "batch", dirs)
    except AssertionError as err:
        if len(dirs) == 1:
            return {dirs[0]: {"valid": False, "diagnostics": [_init_error_text(str(err))]}}
    half = len(dirs) // 2
    return {**_validate_halves(work / "a", dirs[:half]), **_validate_halves(work / "b", dirs[half:])}


def _validate_alone(root: Path, directory: Path) -> dict:
    """One directory with Terraform's own `init` (which reports what cannot be installed)."""
    _write_root(root, {"f000": directory})
    proc = terraform(root, "init", "-backend=false", "-input=false", "-no-color", check=False)
    if proc.returncode != 0:
        return {"valid": False, "diagnostics": [_init_error_text(proc.stderr)]}
    report = json.loads(terraform(root, "validate", "-json", "-no-color", check=False).stdout)
    return {"valid": report.get("valid", False),
            "diagnostics": sorted({_diagnostic_text(d, directory) for d in report.get("diagnostics", [])})}


def _init_error_text(message: str) -> str:
    """The errors of a failed `terraform init`, one line: each summary with the first sentence of its detail
    (absolute paths, which differ between machines, left out)."""
    texts = []
    for chunk in re.split(r"(?:^|\n)[\s\u2502\u2577\u2575]*Error: ", message)[1:]:
        lines = [l.strip(" \u2502\u2577\u2575") for l in chunk.splitlines()]
        summary, rest = lines[0].strip(), [l for l in lines[1:] if l and not re.match(r"on .* line \d+", l)
                                           and not re.match(r"\d+:", l)]
        detail = re.split(r"(?<=\.)\s", " ".join(rest), maxsplit=1)[0] if rest else ""
        texts.append(re.sub(r"/\S+", "<path>", f"{summary}: {detail}" if detail else summary))
    return "error: terraform init: " + ("; ".join(dict.fromkeys(texts)) or " ".join(message.split())[-300:])


def _write_root(root: Path, calls: dict) -> None:
    """A batch root calling each directory; a variable without a default gets a root variable (unknown to
    validate, as a caller's input would be)."""
    shutil.rmtree(root, ignore_errors=True)
    inputs = {key: {v: f"var.{key}_{v}" for v in required_variables(d)} for key, d in calls.items()}
    batch_root(root, calls, inputs=inputs)
    with open(root / "main.tf", "a") as fh:
        for key, given in inputs.items():
            for v in given:
                fh.write(f'variable "{key}_{v}" {{}}\n')


def _validate_batch(root: Path, dirs: list) -> dict:
    calls = {f"f{i:03d}": d for i, d in enumerate(dirs)}
    _write_root(root, calls)
    (root / ".terraform" / "modules").mkdir(parents=True)
    manifest = module_manifest(root, calls)
    (root / ".terraform" / "modules" / "modules.json").write_text(json.dumps({"Modules": manifest}))
    # each call's module tree: a diagnostic in one of its directories belongs to the call's fixture
    trees = {key: {Path(e["Dir"]).resolve() for e in manifest if e["Key"] == key or e["Key"].startswith(key + ".")}
             for key in calls}
    terraform(root, "init", "-backend=false", "-get=false", "-input=false", "-no-color")
    report = json.loads(terraform(root, "validate", "-json", "-no-color", check=False).stdout)
    root_lines = (root / "main.tf").read_text().splitlines()
    call_at = {}  # root main.tf line -> call key
    key = None
    for n, line in enumerate(root_lines, 1):
        m = re.match(r'module "(f\d+)"', line)
        key = m[1] if m else (None if line.startswith(("variable", "terraform", "provider")) else key)
        if key:
            call_at[n] = key
    out = {d: {"valid": True, "diagnostics": set()} for d in dirs}
    for diag in report.get("diagnostics", []):
        rng = diag.get("range") or {}
        name = rng.get("filename", "")
        owners = []
        if name and Path(name).is_absolute():
            owners = [calls[key] for key, tree in trees.items() if Path(name).resolve().parent in tree]
        elif name:  # the generated root: the module call the line belongs to
            owner = call_at.get(rng.get("start", {}).get("line"))
            owners = [calls[owner]] if owner else []
        if not owners:  # no position: blame every directory of the batch (it will then run on its own)
            owners = dirs
        for d in owners:
            out[d]["diagnostics"].add(_diagnostic_text(diag, d))
            if diag["severity"] == "error":
                out[d]["valid"] = False
    return {d: {"valid": v["valid"], "diagnostics": sorted(v["diagnostics"])} for d, v in out.items()}


# -- cfn-lint ---------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def cfn_lint_binary() -> Optional[str]:
    exe = Path(sys.executable).with_name("cfn-lint")
    return str(exe) if exe.exists() else shutil.which("cfn-lint")


def require_cfn_lint() -> None:
    if cfn_lint_binary() is None:
        _missing("cfn-lint is not installed (it is in the test extra: pip install -e '.[test]')")


def cfn_lint(files: list, cwd: Path, *, ignore: Iterable[str] = ()) -> dict:
    """cfn-lint's matches per file: {file: [(rule id, line, message)]}, every template in one run."""
    require_cfn_lint()
    args = [cfn_lint_binary(), "--format", "json"]
    if ignore:
        args += ["--ignore-checks", *ignore]
    proc = subprocess.run([*args, "--", *files], capture_output=True, text=True, cwd=cwd)
    if not proc.stdout.strip():
        raise AssertionError(f"cfn-lint printed nothing: {proc.stderr[-2000:]}")
    found: dict = {f: [] for f in files}
    for m in json.loads(proc.stdout):
        found.setdefault(m["Filename"], []).append((m["Rule"]["Id"], m["Location"]["Start"]["LineNumber"],
                                                    m["Message"]))
    return found


# -- many modules judged in one Terraform run ---------------------------------------------------------------
def required_variables(directory: Path) -> list:
    """The variables of a module directory that have no default (a caller must give them)."""
    import hcl2

    names = []
    for path in sorted(Path(directory).iterdir()):
        try:
            if path.name.endswith(".tf.json"):
                blocks = json.loads(path.read_text(encoding="utf-8-sig")).get("variable", {})
                blocks = [blocks] if isinstance(blocks, dict) else blocks
                entries = [(n, b) for block in blocks for n, b in block.items()]
            elif path.suffix == ".tf":
                entries = [(n, b) for v in hcl2.loads(path.read_text(encoding="utf-8-sig")).get("variable", [])
                           for n, b in v.items()]
            else:
                continue
        except Exception:  # a file Terraform rejects: it reports that itself
            continue
        names += [name.strip('"') for name, body in entries if not isinstance(body, dict) or "default" not in body]
    return names


def _diagnostic(raw: dict, prefix: str) -> dict:
    """A diagnostic as it reads for the module alone: without the batch's own module name (`module.m12.`)."""
    rng = raw.get("range") or {}
    filename = rng.get("filename", "")
    alone = lambda text: re.sub(r"\bmodule\.m\d+\.", "", text or "")
    return {"severity": raw.get("severity", "error"), "summary": alone(raw.get("summary", "")),
            "detail": alone(raw.get("detail", "")),
            "file": filename[len(prefix):] if filename.startswith(prefix) else filename,
            "line": (rng.get("start") or {}).get("line")}


_INIT_ERROR = re.compile(r"^(?:│ )?Error: (?P<summary>[^\n]+)\n(?:[│ ]*\n)*[│ ]*on (?P<file>\S+) line (?P<line>\d+)", re.M)


def validate_modules(work: Path, modules: dict, inputs: Optional[dict] = None, passes: int = 4) -> dict:
    """`terraform validate` of many module directories (inside `work`) as calls of one root: {name: [diagnostic]}.

    A diagnostic is {severity, summary, detail, file (relative to the module), line}. A configuration that
    Terraform cannot load (a syntax error, an invalid block) stops `init` and `validate` for the whole root
    before any other module is checked, so such modules are reported with their load errors and the others
    are judged again without them, until a run loads cleanly.
    """
    work = Path(work)
    inputs = inputs or {}
    verdicts: dict = {name: [_pinned_elsewhere(d)] for name, d in modules.items() if _pins_another_major(d)}
    remaining = {name: d for name, d in modules.items() if name not in verdicts}
    for _ in range(passes):
        if not remaining:
            break
        if (work / ".terraform").exists():
            shutil.rmtree(work / ".terraform")
        lines = [REQUIRED_PROVIDERS, PROVIDER_BLOCK, 'variable "rlint_unknown" {\n  type = any\n}\n']
        for name, directory in remaining.items():
            rel = Path(os.path.relpath(Path(directory).resolve(), work.resolve())).as_posix()
            lines.append(f'module "{name}" {{\n  source = "./{rel}"\n')
            lines += [f"  {arg} = {expr}\n" for arg, expr in inputs.get(name, {}).items()]
            lines.append("}\n")
        (work / "main.tf").write_text("\n".join(lines))
        prefixes = {name: Path(os.path.relpath(Path(d).resolve(), work.resolve())).as_posix() + "/"
                    for name, d in remaining.items()}
        owner = lambda filename: next((n for n, p in prefixes.items() if filename.startswith(p)), None)
        proc = terraform(work, "init", "-backend=false", "-input=false", "-no-color", check=False)
        if proc.returncode != 0:
            failed: dict = {}
            for m in _INIT_ERROR.finditer(proc.stderr):
                name = owner(m["file"])
                if name is not None:
                    failed.setdefault(name, []).append(
                        {"severity": "error", "summary": m["summary"].strip(), "detail": "",
                         "file": m["file"][len(prefixes[name]):], "line": int(m["line"])})
            if not failed and len(remaining) > 1:
                # an error no file names (a provider version no release matches): find its modules by halves
                names = sorted(remaining)
                for half in (names[:len(names) // 2], names[len(names) // 2:]):
                    verdicts.update(validate_modules(work, {n: remaining[n] for n in half}, inputs, passes))
                return verdicts
            if not failed:
                if not remaining:
                    raise AssertionError(f"terraform init failed outside the judged modules:\n{proc.stderr[-4000:]}")
                summary = next((line.strip() for line in proc.stderr.splitlines()
                                if line.strip().startswith("Error:")), "terraform init failed")
                failed = {name: [{"severity": "error", "summary": summary.removeprefix("Error:").strip(),
                                  "detail": "", "file": "", "line": 0}] for name in remaining}
            verdicts.update(failed)
            remaining = {n: d for n, d in remaining.items() if n not in failed}
            continue
        report = json.loads(terraform(work, "validate", "-json", "-no-color", check=False).stdout)
        found: dict = {name: [] for name in remaining}
        for raw in report.get("diagnostics", []):
            filename = (raw.get("range") or {}).get("filename", "")
            name = owner(filename)
            if name is None and not filename:  # a graph error (a cycle) names the module instead
                named = re.search(r"\bmodule\.(m\d+)\.", raw.get("summary", "") + raw.get("detail", ""))
                name = named.group(1) if named and named.group(1) in remaining else None
            if name is None:
                raise AssertionError(f"terraform validate: a diagnostic outside the judged modules: {raw}")
            found[name].append(_diagnostic(raw, prefixes[name]))
        for diags in found.values():  # Terraform's order of diagnostics varies from run to run
            diags.sort(key=lambda d: (d["file"], d["line"], d["summary"], d["detail"]))
        broken = {n for n, diags in found.items() if any(d["severity"] == "error" for d in diags)}
        verdicts.update(found)
        if not broken or broken == set(remaining):
            return verdicts
        # an error may have stopped Terraform before it looked at every module: judge the rest again
        remaining = {n: d for n, d in remaining.items() if n not in broken}
    return verdicts


def _pins_another_major(directory: Path) -> bool:
    """A module whose AWS provider constraint excludes the mirror's version cannot join the batch (init fails)."""
    from rlint.evaluate.provider_version import combine, major_bounds

    texts = [p.read_text(errors="replace") for p in Path(directory).rglob("*.tf") if ".terraform" not in p.parts]
    found = re.findall(r'source\s*=\s*"(?:registry\.terraform\.io/)?hashicorp/aws"\s*\n?\s*version\s*=\s*"([^"]+)"'
                       r'|version\s*=\s*"([^"]+)"\s*\n?\s*source\s*=\s*"(?:registry\.terraform\.io/)?hashicorp/aws"',
                       "\n".join(texts))
    bounds = combine([major_bounds(a or b) for a, b in found])
    major = int(PROVIDER_VERSION.split(".")[0])
    return bounds is not None and not (bounds[0] <= major and (bounds[1] is None or major <= bounds[1]))


def _pinned_elsewhere(directory: Path) -> dict:
    return {"severity": "error", "summary": f"the AWS provider constraint excludes {PROVIDER_VERSION}, the version "
                                            f"the tests have: not validated", "detail": "", "file": "", "line": None}


# -- AWS's SAM transform (aws-sam-translator, in the test extra) -----------------------------------------------
def require_sam_translator() -> None:
    try:
        import samtranslator  # noqa: F401
    except ImportError:
        _missing("aws-sam-translator is not installed (it is in the test extra: pip install -e '.[test]')")


def sam_translator_version() -> Optional[str]:
    try:
        import samtranslator
    except ImportError:
        return None
    return samtranslator.__version__


def _packaged(template: dict) -> dict:
    """What `sam package` leaves of local paths: S3 locations (the transform refuses local code paths)."""
    import copy

    out = copy.deepcopy(template)
    globals_ = out.get("Globals") if isinstance(out.get("Globals"), dict) else {}
    holders = [r.get("Properties") for r in (out.get("Resources") or {}).values() if isinstance(r, dict)]
    holders += [g for g in globals_.values() if isinstance(g, dict)]
    for props in holders:
        if not isinstance(props, dict):
            continue
        for key in ("CodeUri", "ContentUri", "DefinitionUri"):
            if isinstance(props.get(key), str) and not props[key].startswith("s3://"):
                props[key] = f"s3://rlint-packaged/{key.lower()}.zip"
    return out


# The AWS managed policies SAM fixtures name, by name: the transform's map of them (it would list them from IAM)
SAM_MANAGED_POLICIES = {name: f"arn:aws:iam::aws:policy/{path}{name}" for path, name in (
    ("service-role/", "AWSLambdaBasicExecutionRole"), ("service-role/", "AWSLambdaVPCAccessExecutionRole"),
    ("service-role/", "AWSLambdaSQSQueueExecutionRole"), ("service-role/", "AWSLambdaKinesisExecutionRole"),
    ("service-role/", "AWSLambdaDynamoDBExecutionRole"), ("service-role/", "AWSLambdaRole"),
    ("", "AWSXrayWriteOnlyAccess"), ("", "AWSXRayDaemonWriteAccess"), ("", "AmazonDynamoDBFullAccess"),
    ("", "AmazonDynamoDBReadOnlyAccess"), ("", "AmazonS3FullAccess"), ("", "AmazonS3ReadOnlyAccess"),
    ("", "AmazonSQSFullAccess"), ("", "AmazonSNSFullAccess"), ("", "CloudWatchLogsFullAccess"),
    ("service-role/", "AWSCodeDeployRoleForLambda"), ("", "AWSCodeDeployRoleForLambdaLimited"))}
SAM_REGION = "us-east-1"  # the Region (and so the partition, aws) the transform runs for


class _OfflineSession:
    """What the transform asks of a boto3 session: only its Region. Given, no session is ever created."""

    region_name = SAM_REGION


class _OfflineApplicationRepository:
    """The Serverless Application Repository as the transform calls it for `Location: {ApplicationId, ...}`:
    answered here with a fixed template URL, never over the network."""

    def create_cloud_formation_template(self, ApplicationId, SemanticVersion):  # noqa: N803 - the API's names
        return {"TemplateUrl": f"https://sar.invalid/{SemanticVersion}/template.yaml", "Status": "ACTIVE",
                "TemplateId": "rlint-offline"}

    def get_cloud_formation_template(self, ApplicationId, TemplateId):  # noqa: N803
        return {"Status": "ACTIVE"}

    def get_application(self, ApplicationId, SemanticVersion):  # noqa: N803
        return {}


def sam_transform(template: dict) -> dict:
    """The transform's output template, offline: local code paths packaged, managed policy names from
    SAM_MANAGED_POLICIES (no IAM listing), the Region from a stand-in session (no boto3 session or client is
    created), applications from a stand-in repository. A template the transform rejects gives {"error": ...}."""
    require_sam_translator()
    from unittest import mock

    from samtranslator.parser.parser import Parser
    from samtranslator.plugins.application.serverless_app_plugin import ServerlessAppPlugin
    from samtranslator.region_configuration import RegionConfiguration
    from samtranslator.translator.arn_generator import ArnGenerator
    from samtranslator.translator.translator import Translator
    from samtranslator.utils.py27hash_fix import to_py27_compatible_template, undo_mark_unicode_str_in_template

    fragment = _packaged(json.loads(json.dumps(template, default=str)))
    parameters = {"AWS::Region": SAM_REGION, "AWS::Partition": "aws"}
    saved = ArnGenerator.BOTO_SESSION_REGION_NAME
    try:
        to_py27_compatible_template(fragment, parameters)
        plugin = ServerlessAppPlugin(sar_client=_OfflineApplicationRepository(), parameters=parameters)
        translator = Translator(dict(SAM_MANAGED_POLICIES), Parser(), plugins=[plugin], boto_session=_OfflineSession())
        # the one place the transform asks boto3 which services a Region has (applications): it is us-east-1
        with mock.patch.object(RegionConfiguration, "is_service_supported", return_value=True):
            out = translator.translate(fragment, parameter_values=parameters,
                                       get_managed_policy_map=lambda: dict(SAM_MANAGED_POLICIES))
        return undo_mark_unicode_str_in_template(out)
    except Exception as exc:  # noqa: BLE001 - the transform's verdict on the template
        return {"error": f"{type(exc).__name__}: {exc}"[:500]}
    finally:
        ArnGenerator.BOTO_SESSION_REGION_NAME = saved


# -- recorded verdicts ---------------------------------------------------------------------------------------
VERDICTS = Path(__file__).resolve().parent / "engine_verdicts"


def content_hash(paths: Iterable[Path], base: Path) -> str:
    """What an engine judges: every file's path (relative to `base`) and bytes."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        digest.update(Path(os.path.relpath(path, base)).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class Recordings:
    """Engine verdicts kept in the repository, one file per (engine, content hash), so the ordinary suite needs
    no engine for content it has judged before. `case` names what the content was, for a reader and for pruning."""

    def __init__(self, engine: str):
        self.folder = VERDICTS / engine
        self.used: set = set()

    def _path(self, key: str) -> Path:
        import hashlib

        return self.folder / f"{hashlib.sha256(key.encode()).hexdigest()[:20]}.json"

    def get(self, key: str):
        path = self._path(key)
        self.used.add(path.name)
        if not path.is_file():
            return None
        data = json.loads(path.read_text())
        return data["verdict"] if data.get("key") == key else None

    def put(self, key: str, case: str, verdict) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(key)
        self.used.add(path.name)
        text = json.dumps({"key": key, "case": case, "verdict": verdict}, indent=1, sort_keys=True) + "\n"
        if path.is_file() and self._same_answer(path, key, verdict):
            return  # cases with the same content share a recording: the label it has stays (no churn in CI)
        path.write_text(text)

    @staticmethod
    def _same_answer(path: Path, key: str, verdict) -> bool:
        try:
            held = json.loads(path.read_text())
        except ValueError:
            return False
        same = json.dumps(held.get("verdict"), sort_keys=True) == json.dumps(verdict, sort_keys=True)
        return held.get("key") == key and same

    def prune(self, cases: set) -> None:
        """Drop the recordings of these cases' content that no longer exists (another case's are kept)."""
        for path in self.folder.glob("*.json") if self.folder.is_dir() else ():
            if path.name not in self.used and json.loads(path.read_text()).get("case") in cases:
                path.unlink()


# -- renderers for the DR pictures (tests/test_dr_pictures.py) ------------------------------------------------
JS = Path(__file__).resolve().parent / "js"


def require_mermaid() -> str:
    """Node with the pinned Mermaid parser installed (`npm ci --prefix tests/js`, as .ci/run does): the path
    of the script that parses diagrams with it."""
    if shutil.which("node") is None:
        _missing("node is not on the PATH (Mermaid's own parser runs under Node)")
    if not (JS / "node_modules" / "mermaid").is_dir():
        _missing("Mermaid is not installed for the tests: npm ci --prefix tests/js")
    return str(JS / "mermaid_parse.mjs")


def mermaid_parse(diagrams: dict) -> dict:
    """{name: None when Mermaid parses it, else its error}, every diagram in one Node process."""
    script = require_mermaid()
    payload = json.dumps([{"name": k, "text": v} for k, v in diagrams.items()])
    proc = subprocess.run(["node", script], input=payload, capture_output=True, text=True, cwd=JS)
    if proc.returncode != 0:
        raise AssertionError(f"the Mermaid parser failed: {proc.stderr[-2000:]}")
    return {r["name"]: None if r["ok"] else r["error"] for r in json.loads(proc.stdout)}


def require_chromium() -> str:
    """Debian's headless Chromium (package `chromium`; .ci/run installs it)."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        _missing("chromium is not installed (apt-get install chromium; .ci/run installs it)")
    return exe


def screenshot(page: Path, png: Path, width: int = 1200, height: int = 900) -> None:
    """Open a local page in headless Chromium with no network or profile of its own and save a screenshot."""
    exe = require_chromium()
    profile = png.parent / "chromium-profile"
    args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
            "--hide-scrollbars", f"--window-size={width},{height}", f"--screenshot={png}", page.resolve().as_uri()]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0 or not png.is_file():
        raise AssertionError(f"chromium did not write a screenshot: {proc.stderr[-2000:]}")
