"""Terraform as the judge of rlint's reading: recordings of Terraform's answers and the comparisons against them.

Three kinds of answers are recorded under tests/recordings/terraform/ so that the ordinary suite compares
rlint against Terraform in seconds and without Terraform:
- `plans/<fixture>.json`: `terraform show -json` of a plan of every Terraform fixture directory (planned values
  and which of them are unknown), all fixtures batched as modules of one root so Terraform starts once;
- `console.json`: `terraform console`'s value (or error) for each expression in tf_expressions.py;
- `schema.json`: the slice of `terraform providers schema -json` for the resource types the fixtures use and
  the rules read (the whole schema is over 13 MB).

Re-record after changing a fixture, an expression case or the provider version:

    .venv/bin/python tests/tf_oracle.py record                   # everything (several minutes)
    .venv/bin/python tests/tf_oracle.py record --only plans --changed   # just the changed fixtures (quick)

Under CI (`CI=true` or `RLINT_REQUIRE_ENGINES=1`) tests/test_tf_oracle.py runs Terraform again and fails when a
recording differs from what Terraform answers today.

How a fixture is planned offline: the directory is copied into the batch root, every provider block in it gets
fake credentials through an override file, every data source gets `depends_on` a resource created by the plan
(so it is read at apply and its values are unknown, as rlint has them), and a variable without default receives
an unknown value of any type (`jsondecode()` of an unknown string), which is what rlint has for it too.
"""
from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import shutil
import sys
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import engines  # noqa: E402

RECORDINGS = HERE / "recordings" / "terraform"
PLANS = RECORDINGS / "plans"
CONSOLE = RECORDINGS / "console.json"
SCHEMA = RECORDINGS / "schema.json"
# where the Terraform fixture directories live (each directory that is a Terraform root module is planned)
FIXTURE_PATHS = ("tests/fixtures", "examples", "tests/terraform_oracle")
# jsondecode of an unknown string is unknown of any type, so it converts to every variable type
UNKNOWN_INPUT = "jsondecode(terraform_data.rlint_unknown.output)"
DEFER = "terraform_data.rlint_defer"
FAKE_CREDENTIALS = '''  access_key                  = "rlint-test"
  secret_key                  = "rlint-test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
'''
MAX_PLAN_ATTEMPTS = 12


# -- which directories ------------------------------------------------------------------------------------
def fixture_roots() -> list:
    """Repository-relative Terraform root module directories under FIXTURE_PATHS (modules called by another
    fixture are planned through their caller; one that every call switches off creates nothing there)."""
    loaded = _load(FIXTURE_PATHS)
    called = {f for u in loaded.units for f in u.nested_files + u.idle_files}
    return sorted(u.name for u in loaded.units if u.kind == "terraform" and u.name not in called)


def fixture_digest(directory: str) -> str:
    """What a recording was made from: every Terraform file of the directory and of the local modules it calls."""
    h = hashlib.sha256()
    anchor, tree = fixture_tree(directory)
    files = {p for folder in tree for p in folder.rglob("*") if p.is_file() and ".terraform" not in p.parts
             and (p.name.endswith((".tf", ".tf.json", ".tfvars", ".tfvars.json")) or _read_by_file(p, folder))}
    for p in sorted(files):
        h.update(p.relative_to(anchor).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    workspace = selected_workspace(directory)
    if workspace is not None:  # planned in it: a recording made in another workspace is stale
        h.update(b"workspace\0" + workspace.encode())
    return h.hexdigest()[:16]


def _read_by_file(path: Path, folder: Path) -> bool:
    """A data file the fixture reads with file() or fileexists(): by convention under a `files/` folder."""
    return "files" in path.relative_to(folder).parts[:-1]


def selected_workspace(directory: str) -> Optional[str]:
    """The workspace a fixture directory selects in .terraform/environment (as `terraform workspace select`
    writes it), read as Terraform reads it (trimmed; empty is none): the oracle plans the directory in it, and
    rlint reads the same file."""
    try:
        name = (REPO / directory / ".terraform" / "environment").read_text().strip()
    except OSError:
        return None
    return name or None


def module_name(directory: str) -> str:
    return "m_" + re.sub(r"[^A-Za-z0-9]", "_", directory)


def recording_path(directory: str) -> Path:
    return PLANS / (re.sub(r"[^A-Za-z0-9]", "_", directory) + ".json")


# -- rlint's side -----------------------------------------------------------------------------------------
def _load(paths, inputs=None):
    from rlint.engine import ScanOptions, load
    from rlint.inputs import TerraformInputs

    options = ScanOptions(cwd=REPO, terraform=inputs or TerraformInputs())
    return load([REPO / p for p in paths], options)


def rlint_graph(directories: list) -> dict:
    """{directory: {address: resource as `rlint graph` shows it}} for each Terraform root directory."""
    from rlint.graph_export import graph_dict

    doc = graph_dict(_load(directories))
    out: dict = {d: {} for d in directories}
    for res in doc["resources"]:
        if res["root"] in out and res["format"] == "terraform":
            out[res["root"]][res["address"]] = res
    return out


# -- preparing fixtures for an offline plan ---------------------------------------------------------------
def _blocks(path: Path):
    from rlint.parsers.terraform import parse_hcl

    parsed = parse_hcl(path.read_bytes(), path.name)
    return parsed.body.blocks


def required_variables(directory: Path) -> list:
    names = []
    for f in sorted(directory.glob("*.tf")):
        for b in _blocks(f):
            if b.type == "variable" and b.labels and "default" not in b.body.attributes:
                names.append(b.labels[0])
    return names


def _prepare_module_dir(directory: Path) -> None:
    """Fake credentials for the provider blocks, and data sources read at apply, in this copied directory."""
    overrides, deferred = [], False
    for f in sorted(directory.glob("*.tf")):
        lines = f.read_text().split("\n")
        inserts = []
        for b in _blocks(f):
            if b.type == "provider" and b.labels:
                alias = b.body.attributes.get("alias")
                alias_text = ""
                if alias is not None:
                    alias_text = "  alias = " + lines[alias.span.line - 1].split("=", 1)[1].strip() + "\n"
                region = b.body.attributes.get("region")
                region_text = ""
                if region is not None and not re.fullmatch(r'\s*"[a-z0-9-]+"\s*',
                                                           lines[region.span.line - 1].split("=", 1)[1]):
                    # a provider cannot be configured with an unknown Region (a variable without default):
                    # only the provider gets a fixed one, every value derived from the variable stays unknown
                    region_text = '  region = "us-east-1"\n'
                overrides.append(f'provider "{b.labels[0]}" {{\n{alias_text}{region_text}{FAKE_CREDENTIALS}}}\n')
            elif b.type == "data" and "depends_on" not in b.body.attributes:
                inserts.append(b.span.line - 1)
        for i in sorted(inserts, reverse=True):
            header = lines[i].rstrip()
            if header.endswith("{}"):
                lines[i] = header[:-1] + f"\n  depends_on = [{DEFER}]\n}}"
            elif header.endswith("{"):
                lines.insert(i + 1, f"  depends_on = [{DEFER}]")
            else:
                raise ValueError(f"{f}: cannot defer the data source on line {i + 1}")
            deferred = True
        if inserts:
            f.write_text("\n".join(lines))
    if overrides:
        (directory / "rlint_oracle_override.tf").write_text("\n".join(overrides))
    if deferred:
        (directory / "rlint_oracle_defer.tf").write_text('resource "terraform_data" "rlint_defer" {}\n')


_INVALID = re.compile(r"rlint-test:\s*invalid\s*--\s*(?P<reason>\S.*)")


def invalid_files(directory: str) -> list:
    """Files annotated as invalid for Terraform on purpose (tests/fixture_annotations.py): planned without."""
    out = []
    base = REPO / directory
    for f in sorted(base.rglob("*.tf")):
        m = _INVALID.search(f.read_text())
        if m:
            out.append({"file": f.relative_to(base).as_posix(), "address": "*",
                        "reason": "invalid on purpose: " + m.group("reason").strip()})
    return out


def _remove_blocks(copy: Path, removed: list) -> None:
    """Delete the blocks Terraform could not plan from the copied fixture (whole lines of each block), and
    the files that are invalid on purpose."""
    by_file: dict = {}
    for r in removed:
        by_file.setdefault(r["file"], []).append(r["address"])
    for rel, addresses in by_file.items():
        path = copy / rel
        if "*" in addresses:
            path.unlink(missing_ok=True)
            continue
        lines = path.read_text().split("\n")
        spans = [(b.span.line, b.span.end_line) for b in _blocks(path) if _block_address(b) in addresses]
        for first, last in sorted(spans, reverse=True):
            del lines[first - 1:last]
        path.write_text("\n".join(lines))


def _block_address(block) -> Optional[str]:
    if block.type == "resource" and len(block.labels) >= 2:
        return f"{block.labels[0]}.{block.labels[1]}"
    if block.type == "data" and len(block.labels) >= 2:
        return f"data.{block.labels[0]}.{block.labels[1]}"
    if block.type in ("module", "output") and block.labels:
        return f"{block.type}.{block.labels[0]}"
    return None


_LOCAL_SOURCE = re.compile(r'source\s*=\s*"(\.\.?/[^"]*)"')


def fixture_tree(directory: str) -> tuple:
    """(anchor, directories): a fixture directory and every local module directory it reaches, which may lie
    beside it (`source = "../shared"`), and the closest folder holding them all."""
    base = (REPO / directory).resolve()
    seen, todo = {base}, [base]
    while todo:
        current = todo.pop()
        for f in current.glob("*.tf"):
            for source in _LOCAL_SOURCE.findall(f.read_text()):
                target = (current / source).resolve()
                if target.is_dir() and target not in seen:
                    seen.add(target)
                    todo.append(target)
    anchor = Path(os.path.commonpath([str(p) for p in seen]))
    return anchor, sorted(seen)


def prepare_batch(work: Path, directories: list, removed: Optional[dict] = None) -> dict:
    """A root module in `work` calling a prepared copy of each directory (module name: module_name(dir)),
    without the blocks `removed` lists per directory. Returns {directory: its copy}. Terraform's own folder
    (.terraform) is kept between calls, so the provider is installed once."""
    work.mkdir(parents=True, exist_ok=True)
    for old in work.glob("m_*"):
        shutil.rmtree(old)
    calls, copies = [], {}
    for d in directories:
        name = module_name(d)
        anchor, tree = fixture_tree(d)
        for folder in tree:
            if any(folder != other and folder.is_relative_to(other) for other in tree):
                continue  # copied with the folder that holds it
            shutil.copytree(folder, work / name / folder.relative_to(anchor), dirs_exist_ok=True,
                            # templates stay: a stack's template_body reads one with file()
                            ignore=shutil.ignore_patterns(".terraform", "*.tfstate*"))
        copy = work / name / (REPO / d).resolve().relative_to(anchor)
        copies[d] = copy
        _remove_blocks(copy, (removed or {}).get(d, []))
        for sub in [work / name, *[p for p in (work / name).rglob("*") if p.is_dir()]]:
            _prepare_module_dir(sub)
        inputs = "".join(f"  {v} = {UNKNOWN_INPUT}\n" for v in required_variables(REPO / d))
        source = "./" + copy.relative_to(work).as_posix()
        calls.append(f'module "{name}" {{\n  source = "{source}"\n{inputs}}}\n')
    (work / "main.tf").write_text("\n".join([engines.REQUIRED_PROVIDERS, engines.PROVIDER_BLOCK,
                                             'resource "terraform_data" "rlint_unknown" {\n  input = "x"\n}\n',
                                             *calls]))
    return copies


_LOCATION = re.compile(r"on (m_[A-Za-z0-9_]+)/(\S+) line (\d+)")


def _diagnostics(stderr: str) -> list:
    """[(module name or None, file within the fixture, line, one-line message)] of Terraform's errors."""
    out = []
    for block in re.split(r"\n(?=Error: )", _strip_ansi(stderr)):
        block = block.strip()
        if not block.startswith("Error: "):
            continue
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        m = _LOCATION.search(block)
        where = f" ({m.group(2)} line {m.group(3)})" if m else ""
        message = lines[0][len("Error: "):] + where
        out.append((m.group(1), m.group(2), int(m.group(3)), message) if m else (None, None, None, message))
    return out


def _block_at(path: Path, line: int) -> Optional[str]:
    if not path.is_file():
        return None
    for b in _blocks(path):
        if b.span.line <= line <= b.span.end_line:
            return _block_address(b)
    return None


def _source_line(copy: Path, line: int, source: Path, address: str) -> int:
    """The fixture's own line for a line of its copy (blocks removed above it shift the copy's lines), so a
    recorded reason does not depend on which blocks were removed before."""
    start = {_block_address(b): b.span.line for b in _blocks(copy)}.get(address)
    origin = {_block_address(b): b.span.line for b in _blocks(source)}.get(address) if source.is_file() else None
    return line if start is None or origin is None else origin + line - start


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def plan_fixtures(work: Path, directories: list, removed: Optional[dict] = None) -> dict:
    """{directory: recording} (see _plan_batch): the directories that select a workspace are planned in a batch
    of their own per workspace, whose root selects it in .terraform/environment as they do."""
    groups: dict = {}
    for d in directories:
        groups.setdefault(selected_workspace(d), []).append(d)
    out = {}
    for workspace, group in sorted(groups.items(), key=lambda kv: kv[0] or ""):
        where = work if workspace is None else work.with_name(f"{work.name}-workspace-{workspace}")
        out.update(_plan_batch(where, group, removed, workspace))
        for d in group if workspace is not None else ():
            if "resources" in out[d]:
                out[d]["workspace"] = workspace
    return out


def _plan_batch(work: Path, directories: list, removed: Optional[dict] = None,
                workspace: Optional[str] = None) -> dict:
    """{directory: recording}: the planned resources of each directory, or why it cannot be planned offline.

    A block Terraform rejects (a fixture may hold a configuration the provider refuses at plan time, which is
    what a rule reports) is removed from the copy and listed under `removed`; then Terraform plans again.
    An error outside such a block excludes the whole directory. `removed` may start from a current
    recording's lists (the CI check: one plan instead of one per round); recording starts from none."""
    excluded: dict = {}
    removed = {d: list(v) for d, v in (removed or {}).items()}
    for d in directories:
        known = {(r["file"], r["address"]) for r in removed.get(d, [])}
        removed.setdefault(d, []).extend(r for r in invalid_files(d) if (r["file"], r["address"]) not in known)
    remaining = list(directories)
    by_module = {module_name(d): d for d in directories}
    for _ in range(MAX_PLAN_ATTEMPTS):
        copies = prepare_batch(work, remaining, removed)
        root = work
        if workspace is not None:  # what `terraform workspace select` writes; Terraform reads it when it runs
            (root / ".terraform").mkdir(exist_ok=True)
            (root / ".terraform" / "environment").write_text(workspace)
        proc = engines.terraform(root, "init", "-backend=false", "-input=false", "-no-color", check=False)
        if proc.returncode == 0:
            proc = engines.terraform(root, "plan", "-refresh=false", "-input=false", "-no-color", "-lock=false",
                                     "-out=rlint.tfplan", check=False)
        if proc.returncode == 0:
            plan = json.loads(engines.terraform(root, "show", "-json", "rlint.tfplan").stdout)
            break
        progress = False
        for module, rel, line, message in _diagnostics(proc.stderr):
            d = by_module.get(module)
            if d is None or d in excluded:
                continue
            copied = root / module / rel
            address = _block_at(copied, line)
            rel = os.path.relpath(copied, copies[d]).replace(os.sep, "/")  # as the fixture has it
            if address is None:
                excluded[d] = message
            elif not any(r["file"] == rel and r["address"] == address for r in removed.get(d, [])):
                own_line = _source_line(copied, line, REPO / d / rel, address)
                message = message.replace(f" line {line})", f" line {own_line})")
                removed.setdefault(d, []).append({"file": rel, "address": address, "reason": message,
                                                  "block_digest": block_digest(REPO / d / rel, address)})
            else:
                continue
            progress = True
        if not progress:
            raise AssertionError(f"terraform failed without naming a fixture block:\n{proc.stderr[-4000:]}")
        remaining = [d for d in remaining if d not in excluded]
    else:
        raise AssertionError("too many rounds of fixture blocks that fail to plan")
    out = {d: {"directory": d, "digest": fixture_digest(d), "excluded": reason} for d, reason in excluded.items()}
    for d in remaining:
        out[d] = {"directory": d, "digest": fixture_digest(d), "required_variables": required_variables(REPO / d),
                  "removed": sorted(removed.get(d, []), key=lambda r: (r["file"], r["address"])), "resources": {}}
    prefixes = sorted(((f"module.{module_name(d)}.", d) for d in remaining), key=lambda p: -len(p[0]))
    for rc in plan.get("resource_changes", []):
        if rc.get("mode") != "managed" or rc["type"] == "terraform_data" and rc["name"].startswith("rlint_"):
            continue
        for prefix, d in prefixes:
            if rc["address"].startswith(prefix):
                change = rc["change"]
                out[d]["resources"][rc["address"][len(prefix):]] = {
                    "type": rc["type"],
                    "values": _drop_nulls(change.get("after")),
                    "unknown": _prune_unknown(change.get("after_unknown")) or {},
                }
                break
    return out


def _drop_nulls(value):
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nulls(v) for v in value]
    return value


def _prune_unknown(value):
    """after_unknown with only its true leaves (False and empty branches removed)."""
    if value is True:
        return True
    if isinstance(value, dict):
        kept = {k: _prune_unknown(v) for k, v in value.items()}
        kept = {k: v for k, v in kept.items() if v}
        return kept or None
    if isinstance(value, list):
        kept = [_prune_unknown(v) or False for v in value]
        return kept if any(kept) else None
    return None


# -- provider schema --------------------------------------------------------------------------------------
def compact_block(block: dict) -> dict:
    """A resource schema without descriptions: {"attributes": {name: cty type}, "blocks": {name: {...}}}."""
    attrs = {}
    for name, a in block.get("attributes", {}).items():
        attrs[name] = a["type"] if "type" in a else _nested_type(a["nested_type"])
    blocks = {}
    for name, b in block.get("block_types", {}).items():
        blocks[name] = {"nesting": b["nesting_mode"], "block": compact_block(b["block"])}
    return {"attributes": attrs, "blocks": blocks}


def _nested_type(nested: dict):
    obj = ["object", {n: (a["type"] if "type" in a else _nested_type(a["nested_type"]))
                      for n, a in nested["attributes"].items()}]
    mode = nested.get("nesting_mode", "single")
    return obj if mode == "single" else [mode, obj]


def schema_types() -> set:
    """The resource types whose schema is recorded: every Terraform type named in rlint's code or in a fixture."""
    types = set()
    for folder in ("rules", "linter"):
        for f in (REPO / folder).rglob("*.py"):
            types |= set(re.findall(r"\"(aws_[a-z0-9_]+)\"", f.read_text()))
    for d in FIXTURE_PATHS:
        for f in (REPO / d).rglob("*.tf"):
            types |= set(re.findall(r"^resource\s+\"(aws_[a-z0-9_]+)\"", f.read_text(), re.M))
    types.add("terraform_data")
    return types


def record_schema(root: Path) -> dict:
    """The schema slice, from a root that only requires the provider (no fixture needed)."""
    root.mkdir(parents=True, exist_ok=True)
    # terraform_data makes Terraform list its built-in provider's schema too
    (root / "main.tf").write_text(engines.REQUIRED_PROVIDERS + 'resource "terraform_data" "schema" {}\n')
    engines.init(root)
    proc = engines.terraform(root, "providers", "schema", "-json")
    full = json.loads(proc.stdout)
    wanted = schema_types()
    out: dict = {"provider_version": engines.PROVIDER_VERSION, "requested": sorted(wanted), "resources": {}}
    for provider in full["provider_schemas"].values():
        for rtype, s in provider.get("resource_schemas", {}).items():
            if rtype in wanted:
                out["resources"][rtype] = compact_block(s["block"])
    return out


def load_schema() -> dict:
    return json.loads(SCHEMA.read_text())["resources"]


# -- console ----------------------------------------------------------------------------------------------
CONSOLE_CONTEXT = HERE / "terraform_oracle" / "expressions"


def console_answers(work: Path, expressions: list) -> list:
    """Terraform's answer to each expression, evaluated in the console context module (variables, locals)."""
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(CONSOLE_CONTEXT, work)
    answers: list = []
    for i in range(0, len(expressions), 200):  # one console process per 200 expressions
        answers.extend(engines.console(work, expressions[i:i + 200], messages=True))
    return answers


def rlint_values(expressions: list) -> list:
    """rlint's value of each expression in the same context module."""
    from rlint.discover import SourceFile
    from rlint.evaluate.terraform_modules import ModuleTreeEvaluator
    from rlint.parsers.terraform import parse_hcl

    files = [SourceFile(p, p.name) for p in sorted(CONSOLE_CONTEXT.glob("*.tf"))]
    module = ModuleTreeEvaluator(CONSOLE_CONTEXT, ".", files, [])
    out = []
    for expr in expressions:
        source = f"v = {expr}\n".encode()
        parsed = parse_hcl(source, "<case>")
        attr = parsed.body.attributes.get("v")
        if parsed.problems or attr is None:
            out.append(_ParseFailure(f"rlint cannot parse {expr!r}"))
            continue
        from rlint.evaluate.hcl_expr import ExprEvaluator

        out.append(ExprEvaluator(source, module.resolve, module._on_ref, files=module.file_reader).eval(attr.expr, {}))
    return out


class _ParseFailure(Exception):
    pass


def rlint_undecided(value) -> bool:
    from rlint.model import first_unknown

    return isinstance(value, _ParseFailure) or first_unknown(value) is not None


def _reason(value) -> str:
    from rlint.model import first_unknown

    if isinstance(value, _ParseFailure):
        return str(value)
    return first_unknown(value).reason


class ExpressionReport:
    def __init__(self):
        self.compared = 0  # both decided, equal
        self.errors_agreed = 0  # Terraform rejects it; rlint does not decide it
        self.undecided = 0  # Terraform decides, rlint says unknown for the reason UNDECIDED gives
        self.lenient = 0  # Terraform rejects, rlint decides for the reason LENIENT gives
        self.problems: list = []


def compare_expressions(ours: dict, terraform: dict, undecided: dict, lenient: dict) -> ExpressionReport:
    """rlint's value of each expression against terraform console's answer."""
    report = ExpressionReport()
    for expr, answer in terraform.items():
        value = ours[expr]
        failed = isinstance(answer, dict) and set(answer) == {"error"}
        if rlint_undecided(value):
            if failed:
                report.errors_agreed += 1
            elif expr in undecided:
                report.undecided += 1
            else:
                report.problems.append(f"{expr}: rlint cannot decide it ({_reason(value)}); terraform "
                                       f"{json.dumps(answer)}")
            continue
        if failed and expr in lenient:
            report.lenient += 1
        elif failed:
            report.problems.append(f"{expr}: rlint {_json(value)}; terraform rejects it: {answer['error']}")
        elif not same(value, answer):
            report.problems.append(f"{expr}: rlint {_json(value)} terraform {json.dumps(answer)}")
        else:
            report.compared += 1
    return report


def _json(value) -> str:
    return json.dumps(value, default=str)


def context_digest() -> str:
    h = hashlib.sha256()
    for p in sorted([*CONSOLE_CONTEXT.glob("*.tf"), *(CONSOLE_CONTEXT / "files").rglob("*")]):
        if p.is_file():  # files/: what the cases read with file(), fileexists() ...
            h.update(p.relative_to(CONSOLE_CONTEXT).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:16]


# -- comparing values -------------------------------------------------------------------------------------
class Mismatch(Exception):
    pass


def is_unknown(value) -> bool:
    return isinstance(value, dict) and "$unknown" in value


def contains_unknown(value) -> bool:
    if is_unknown(value):
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False


def _number(text: str):
    try:
        f = float(text)
    except ValueError:
        raise Mismatch(f"{text!r} does not convert to a number") from None
    return int(f) if f.is_integer() else f


def convert(value, cty):
    """`value` (rlint's, known) converted to a cty type as Terraform converts configuration to the schema."""
    if value is None or is_unknown(value) or cty == "dynamic":
        return value
    if cty == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return str(int(value)) if float(value).is_integer() else repr(value)
        if isinstance(value, str):
            return value
        raise Mismatch(f"a {type(value).__name__} does not convert to string")
    if cty == "number":
        if isinstance(value, bool):
            raise Mismatch("a bool does not convert to number")
        if isinstance(value, (int, float)):
            return value
        if isinstance(value, str):
            return _number(value)
        raise Mismatch(f"a {type(value).__name__} does not convert to number")
    if cty == "bool":
        if isinstance(value, bool):
            return value
        if value in ("true", "false", "1", "0"):  # cty reads "1" and "0" as bools too
            return value in ("true", "1")
        raise Mismatch(f"{value!r} does not convert to bool")
    kind = cty[0]
    if kind in ("list", "set"):
        if not isinstance(value, list):
            raise Mismatch(f"a {type(value).__name__} does not convert to {kind}")
        return [convert(v, cty[1]) for v in value]
    if kind == "map":
        if not isinstance(value, dict):
            raise Mismatch(f"a {type(value).__name__} does not convert to map")
        return {k: convert(v, cty[1]) for k, v in value.items()}
    if kind == "object":
        if not isinstance(value, dict):
            raise Mismatch(f"a {type(value).__name__} does not convert to object")
        unknown_names = sorted(set(value) - set(cty[1]))
        if unknown_names:
            raise Mismatch(f"no attribute {unknown_names[0]!r} in the object type")
        return PartialObject({k: convert(v, cty[1][k]) for k, v in value.items() if v is not None})
    if kind == "tuple":
        if not isinstance(value, list) or len(value) != len(cty[1]):
            raise Mismatch("does not convert to the tuple type")
        return [convert(v, t) for v, t in zip(value, cty[1])]
    return value


class PartialObject(dict):
    """An object as configured: Terraform's planned object has every attribute of its type, defaults included;
    the attributes the configuration sets must agree."""


def same(a, b) -> bool:
    """Equal as JSON values, numbers compared by value, unknown parts of `a` (rlint's) matching anything."""
    if is_unknown(a):
        return True
    if isinstance(a, PartialObject):
        return isinstance(b, dict) and all(k in b and same(v, b[k]) for k, v in a.items())
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (isinstance(a, bool) and isinstance(b, bool) and a == b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return set(a) == set(b) and all(same(a[k], b[k]) for k in a)
    return a == b


def same_set(a: list, b: list) -> bool:
    """Set equality (Terraform orders set elements its own way); unknown elements of `a` match any."""
    if len(_distinct(a)) != len(b) and not any(contains_unknown(x) for x in a):
        return False
    rest = list(b)
    for x in sorted(a, key=contains_unknown):
        hit = next((i for i, y in enumerate(rest) if same(x, y)), None)
        if hit is None:
            if contains_unknown(x):
                continue
            return False
        rest.pop(hit)
    return True


def _distinct(items: list) -> list:
    out = []
    for i in items:
        if not any(same(i, o) and same(o, i) for o in out):
            out.append(i)
    return out


class Comparison:
    """The counts and disagreements of comparing rlint's resources with Terraform's planned ones."""

    def __init__(self):
        self.instances = 0
        self.attributes = 0  # decided by rlint and compared
        self.rlint_unknown = 0
        self.terraform_unknown = 0  # rlint decided, Terraform knows it only after apply
        self.blocks_unknown = 0  # resource blocks whose count/for_each rlint leaves undecided
        self.removed = 0  # resource instances in blocks Terraform could not plan (a fixture's refused config)
        self.null = 0  # null in the configuration: the provider's default applies, as for an absent argument
        self.expansion_unknown = 0  # instances Terraform cannot plan (count/for_each unknown) and rlint leaves undecided
        self.problems: list = []
        self.resource_type = ""  # of the resource being compared

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")


def _block_of(address: str) -> str:
    return re.sub(r"\[[^\[\]]*\]$", "", address)


def _removal(directory: str, res: dict, removed: list) -> Optional[dict]:
    """The removal by which Terraform planned the fixture without this resource's block (see plan_fixtures)."""
    rel = posixpath.relpath(res["file"], directory)
    own = f"{res['type']}.{res['block_address'].rsplit('.', 1)[-1]}"
    for r in removed:
        if r["address"].startswith("module."):
            call = r["address"]
            if re.search(r"(^|\.)" + re.escape(call) + r"(\[[^\]]*\])?\.", res["address"]):
                return r
        elif r["file"] == rel and r["address"] in (own, "*"):
            return r
    return None


# Terraform's plan-time errors that say the block's instances cannot be known before apply (or are no valid
# number): rlint must not decide them either
UNKNOWN_EXPANSION = ("Invalid count argument", "Invalid for_each argument")


def compare_fixture(directory: str, rlint: dict, recording: dict, schema: dict, cmp: Comparison) -> None:
    planned = recording["resources"]
    rlint_blocks: dict = {}
    for address, res in rlint.items():
        removal = _removal(directory, res, recording.get("removed", []))
        if removal is not None:
            cmp.removed += 1
            if removal["reason"].startswith(UNKNOWN_EXPANSION) and removal["address"] == \
                    f"{res['type']}.{res['block_address'].rsplit('.', 1)[-1]}" and res["expansion"]["decided"]:
                cmp.fail(f"{directory}: {res['address']}", f"rlint decides its instances; Terraform cannot plan "
                                                           f"them: {removal['reason']}")
            elif removal["reason"].startswith(UNKNOWN_EXPANSION):
                cmp.expansion_unknown += 1
            continue
        rlint_blocks.setdefault(res["block_address"], []).append(res)
    plan_blocks: dict = {}
    for address in planned:
        plan_blocks.setdefault(_block_of(address), set()).add(address)
    for block, members in sorted(rlint_blocks.items()):
        if any(not r["expansion"]["decided"] for r in members):
            cmp.blocks_unknown += 1
            continue
        ours = {r["address"] for r in members}
        theirs = plan_blocks.get(block, set())
        if ours != theirs:
            cmp.fail(f"{directory}: {block}", f"instances differ: rlint {sorted(ours)} terraform {sorted(theirs)}")
            continue
        for res in members:
            cmp.instances += 1
            entry = planned[res["address"]]
            cmp.resource_type = res["type"]
            rschema = schema.get(res["type"])
            if rschema is None:
                cmp.fail(f"{directory}: {res['address']}", f"no recorded schema for {res['type']}")
                continue
            _compare_body(f"{directory}: {res['address']}", res["attributes"], entry["values"],
                          entry["unknown"], rschema, (), cmp)
    for block, addresses in sorted(plan_blocks.items()):
        if block not in rlint_blocks and not _under_unknown_module(block, rlint_blocks):
            cmp.fail(f"{directory}: {block}", f"Terraform plans {sorted(addresses)}, rlint has no such resource")


def _under_unknown_module(block: str, rlint_blocks: dict) -> bool:
    """A block inside a module call rlint could not expand (its address carries no instance key)."""
    unkeyed = re.sub(r"\[[^\[\]]*\]", "", block)
    return any(re.sub(r"\[[^\[\]]*\]", "", b) == unkeyed and any(not r["expansion"]["decided"] for r in rs)
               for b, rs in rlint_blocks.items())


# attributes rlint keeps in a resource's body that are not provider arguments
META_BLOCKS = {"lifecycle", "connection", "provisioner"}


def _compare_body(where: str, ours: dict, theirs: dict, unknown, schema: dict, path: tuple,
                  cmp: Comparison) -> None:
    theirs = theirs if isinstance(theirs, dict) else {}
    unknown = unknown if isinstance(unknown, dict) else {}
    for name, value in ours.items():
        if not path and name in META_BLOCKS:
            continue
        here = path + (name,)
        if name in schema["attributes"]:
            _compare_value(where, here, value, theirs.get(name), unknown.get(name), schema["attributes"][name], cmp)
        elif name in schema["blocks"]:
            _compare_blocks(where, here, value, theirs.get(name), unknown.get(name), schema["blocks"][name], cmp)
        else:
            cmp.fail(where, f"{_path_text(here)}: not an argument of this resource type in the provider schema")


def _compare_blocks(where, path, ours, theirs, unknown, bschema: dict, cmp: Comparison) -> None:
    if is_unknown(ours):
        cmp.rlint_unknown += 1
        return
    if unknown is True:
        cmp.terraform_unknown += 1
        return
    if not isinstance(ours, list):
        cmp.fail(where, f"{_path_text(path)}: rlint holds a {type(ours).__name__} for a nested block")
        return
    mode = bschema["nesting"]
    if mode in ("single", "group"):
        theirs_list = [] if theirs is None else [theirs]
        unknown_list = [unknown]
    else:
        theirs_list = theirs if isinstance(theirs, list) else []
        unknown_list = unknown if isinstance(unknown, list) else [None] * len(theirs_list)
    if len(ours) != len(theirs_list):
        cmp.fail(where, f"{_path_text(path)}: rlint has {len(ours)} block(s), Terraform {len(theirs_list)}")
        return
    if mode == "set":
        rest = list(range(len(theirs_list)))
        for i, block in enumerate(ours):
            hit = next((j for j in rest if _block_matches(block, theirs_list[j], bschema["block"], cmp)), None)
            if hit is None:
                cmp.fail(where, f"{_path_text(path + (i,))}: no block Terraform plans matches rlint's {block}")
                return
            rest.remove(hit)
            _compare_body(where, block, theirs_list[hit], unknown_list[hit] if hit < len(unknown_list) else None,
                          bschema["block"], path + (i,), cmp)
        return
    for i, block in enumerate(ours):
        _compare_body(where, block, theirs_list[i], unknown_list[i] if i < len(unknown_list) else None,
                      bschema["block"], path + (i,), cmp)


def _block_matches(ours: dict, theirs: dict, schema: dict, cmp: Comparison) -> bool:
    probe = Comparison()
    probe.resource_type = cmp.resource_type
    _compare_body("", ours, theirs, None, schema, (), probe)
    return not probe.problems


def _dns_name(value):
    from rlint.rules.graphutil.route53 import normalise

    return normalise(value) if isinstance(value, str) else value


def _json_document(value):
    try:
        return json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return value


# Arguments the provider rewrites when it plans them (a StateFunc: the record name in lower case without its
# trailing dot, a JSON document in its compact form). Both sides are compared after the same rewrite; the
# rules read these values through the same normalisation (rules/graphutil/route53.normalise, json.loads).
PROVIDER_NORMALISED = {
    ("aws_route53_record", "name"): _dns_name,
    ("aws_sqs_queue", "redrive_policy"): _json_document,
    ("aws_sqs_queue", "redrive_allow_policy"): _json_document,
    ("aws_sqs_queue", "policy"): _json_document,
}


def _compare_value(where, path, ours, theirs, unknown, cty, cmp: Comparison) -> None:
    if is_unknown(ours):
        cmp.rlint_unknown += 1
        return
    if ours is None:  # an argument set to null is unset: the rules read the provider's default too
        cmp.null += 1
        return
    if unknown is True:
        cmp.terraform_unknown += 1
        return
    if contains_unknown(ours) or unknown:
        # partly decided: compare the parts rlint decided, element by element where the type allows
        if isinstance(ours, dict) and isinstance(theirs, dict) and not isinstance(cty, str):
            inner = cty[1] if cty[0] == "map" else None
            for k, v in ours.items():
                t = inner if inner is not None else cty[1].get(k, "dynamic") if cty[0] == "object" else "dynamic"
                _compare_value(where, path + (k,), v, theirs.get(k),
                               unknown.get(k) if isinstance(unknown, dict) else None, t, cmp)
            return
        if isinstance(ours, list) and isinstance(theirs, list) and not isinstance(cty, str) and cty[0] == "list":
            if len(ours) != len(theirs):
                cmp.fail(where, f"{_path_text(path)}: rlint {ours} terraform {theirs}")
                return
            for i, (a, b) in enumerate(zip(ours, theirs)):
                u = unknown[i] if isinstance(unknown, list) and i < len(unknown) else None
                _compare_value(where, path + (i,), a, b, u, cty[1], cmp)
            return
        cmp.rlint_unknown += 1
        return
    cmp.attributes += 1
    try:
        converted = convert(ours, cty)
    except Mismatch as exc:
        cmp.fail(where, f"{_path_text(path)}: rlint {json.dumps(ours)} cannot be Terraform's value ({exc}); "
                        f"terraform {json.dumps(theirs)}")
        return
    normalise = PROVIDER_NORMALISED.get((cmp.resource_type, _path_text(path)))
    if normalise is not None:
        converted, theirs = normalise(converted), normalise(theirs)
    if converted in ([], {}) and theirs is None:
        # the provider SDK's legacy type system plans an empty collection as null: both mean "none"
        return
    equal = same_set(converted, theirs) if isinstance(cty, list) and cty[0] == "set" and isinstance(theirs, list) \
        and isinstance(converted, list) else same(converted, theirs)
    if not equal:
        cmp.fail(where, f"{_path_text(path)}: rlint {json.dumps(ours)} terraform {json.dumps(theirs)}")


def _path_text(path: tuple) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


# -- recording --------------------------------------------------------------------------------------------
def block_digest(path: Path, address: str) -> Optional[str]:
    """The source text of one block, hashed: a removal is reused while the block is unchanged."""
    if not path.is_file():
        return None
    source = path.read_bytes()
    for b in _blocks(path):
        if _block_address(b) == address:
            lines = source.split(b"\n")[b.span.line - 1:b.span.end_line]
            return hashlib.sha256(b"\n".join(lines)).hexdigest()[:16]
    return None


def recorded_removals() -> dict:
    """The blocks each recorded fixture was planned without for an error of their own, while their text is
    unchanged: the CI check starts from them, so a current recording needs one plan, plus one quick round that
    finds again the blocks referencing them (never reused: a stale one would hide a block that plans now).
    Recording itself starts from none (see record)."""
    out = {}
    for p in PLANS.glob("*.json"):
        rec = json.loads(p.read_text())
        d = rec["directory"]
        kept = [r for r in rec.get("removed", []) if r["address"] != "*"
                and not r["reason"].startswith(("Reference to undeclared", "Reference to undefined"))
                and r.get("block_digest") is not None and r["block_digest"] == block_digest(REPO / d / r["file"],
                                                                                          r["address"])]
        if kept and (REPO / d).is_dir():
            out[d] = kept
    return out


def write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


def stale_directories(roots: list) -> list:
    """The fixture directories whose plan recording is missing or was made from other files."""
    out = []
    for d in roots:
        path = recording_path(d)
        if not path.is_file() or json.loads(path.read_text()).get("digest") != fixture_digest(d):
            out.append(d)
    return out


def record(work: Path, what: set, changed_only: bool = False) -> None:
    engines.require_terraform()
    if "plans" in what:
        roots = fixture_roots()
        directories = stale_directories(roots) if changed_only else roots
        # from scratch: a block removed once is tried again, so no removal outlives its cause (a block
        # refused because it referenced another removed block plans again once that block plans)
        recordings = plan_fixtures(work / "plan", directories) if directories else {}
        for old in PLANS.glob("*.json"):
            if not changed_only or json.loads(old.read_text())["directory"] not in roots:
                old.unlink()
        for d, rec in recordings.items():
            write_json(recording_path(d), rec)
    if "schema" in what:
        write_json(SCHEMA, record_schema(work / "schema"))
    if "console" in what:
        from tf_expressions import CASES

        answers = console_answers(work / "console", list(CASES))
        write_json(CONSOLE, {"context": context_digest(),
                             "answers": [{"expression": e, "terraform": a} for e, a in zip(CASES, answers)]})


def main(argv: list) -> int:
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description="Record Terraform's answers for the differential tests.")
    parser.add_argument("command", choices=["record"])
    parser.add_argument("--only", choices=["plans", "schema", "console"], action="append")
    parser.add_argument("--changed", action="store_true",
                        help="plan only the fixture directories whose recording is missing or stale (quick)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rlint-tf-") as tmp:
        record(Path(tmp), set(args.only or ["plans", "schema", "console"]), changed_only=args.changed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
