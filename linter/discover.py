"""Find the units to scan: Terraform module directories, CloudFormation templates, Terraform plan JSON.

A Terraform module is a directory of `.tf`/`.tf.json` files, analysed together even when only one of its
files was named. A CloudFormation template is one YAML or JSON file recognised by its content; other YAML
and JSON is skipped silently. Unreadable candidates become ParseProblems (RL001), never exceptions.
"""
from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .model import ParseProblem, Span

MAX_FILE_BYTES = 50 * 1024 * 1024
SKIPPED_DIRS = {".terraform", ".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox",
                ".terragrunt-cache", ".pytest_cache"}
TF_SUFFIXES = (".tf", ".tf.json")
CFN_SUFFIXES = (".yaml", ".yml", ".json", ".template")

# cheap content checks before paying for a full parse
_CFN_MARKER = re.compile(rb"AWSTemplateFormatVersion|(?m:^\s*\"?Resources\"?\s*:)")
_AWS_TYPE = re.compile(rb"AWS::[A-Za-z0-9]+::[A-Za-z0-9]+|Custom::")
_PLAN_MARKER = re.compile(rb"\"(planned_values|resource_changes)\"\s*:")
# Terraform code kept as the template of a generator (Jinja, ERB, Go, Mustache...): it becomes a .tf file only when
# rendered, before Terraform runs, so neither Terraform nor rlint reads it where it lies; never skipped silently.
_TF_TEMPLATE = re.compile(r"\.tf(?:\.json)?\.(j2|jinja2?|tpl|tmpl|erb|mustache|hbs|gotmpl)$")
# A statement of a Jinja, Liquid or Django template (`{% if workspace %}`, `{% extra_header %}`): Terraform writes its
# directives the other way round (`%{ if }`), and neither HCL, YAML nor JSON has this syntax.
_TEMPLATE_STATEMENT = re.compile(r"\{%-?[ \t]*[A-Za-z_][^%\n]{0,200}?-?%\}")


def generator_template(text: Optional[str]) -> Optional[dict]:
    """For a file that does not parse: the skipped-file entry (coverage) when it is the source of a template
    generator (it holds `{% ... %}` statements), None otherwise. Such a file becomes configuration only when
    rendered; reported as a parse error it would be a finding nobody can act on in place."""
    found = _TEMPLATE_STATEMENT.search(text or "")
    if found is None:
        return None
    return {"reason": f"a template for a generator (it holds `{found.group(0)[:60]}`, Jinja or Liquid syntax): it "
                      "becomes configuration only when rendered, so rlint does not read it; render it, then scan "
                      "the result"}


@dataclass
class SourceFile:
    path: Path  # absolute
    display: str  # as shown in reports
    text: Optional[str] = None
    data: Optional[bytes] = None


@dataclass
class TerraformUnit:
    directory: Path
    display_dir: str
    files: list = field(default_factory=list)  # [SourceFile] .tf and .tf.json
    tfvars: list = field(default_factory=list)  # [Path] terraform.tfvars(.json), *.auto.tfvars(.json)
    kind: str = "terraform"
    # the named directory it was found under (a named file's directory): where file() and fileexists() may read
    scan_root: Optional[Path] = None


@dataclass
class CloudFormationUnit:
    file: SourceFile
    kind: str = "cloudformation"


@dataclass
class PlanUnit:
    file: SourceFile
    kind: str = "plan"


@dataclass
class Discovery:
    units: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # [ParseProblem] for unreadable files
    files_seen: int = 0
    empty_paths: list = field(default_factory=list)  # named paths with no Terraform, template or plan in them
    replaced_by_plan: list = field(default_factory=list)  # (directory display, plan display): .tf files not read


def display_path(path: Path, base: Path) -> str:
    """Paths are shown relative to the working directory when below it (what CI annotations need)."""
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def _read(path: Path, display: str, problems: list) -> Optional[bytes]:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(ParseProblem(Span.point(display, 1),
                                         f"file is {size / 1048576:.0f} MB, over the {MAX_FILE_BYTES >> 20} MB limit"))
            return None
        return path.read_bytes()
    except OSError as exc:
        problems.append(ParseProblem(Span.point(display, 1), f"cannot read file: {exc.strerror or exc}"))
        return None


def decode(data: bytes, display: str, problems: list) -> Optional[str]:
    if b"\x00" in data[:8192]:
        problems.append(ParseProblem(Span.point(display, 1), "binary file (contains NUL bytes), not text"))
        return None
    try:
        text = data.decode("utf-8-sig")  # a UTF-8 BOM is accepted and dropped
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(ParseProblem(Span.point(display, line), f"not UTF-8 text (byte {exc.start})"))
        return None
    return text.replace("\r\n", "\n")


def terraform_templates(directory: Path, display_dir: str) -> list:
    """{file, reason} (coverage) for each file of a module directory that holds Terraform code as a template."""
    try:
        names = sorted(p.name for p in directory.iterdir() if p.is_file())
    except OSError:
        return []
    out = []
    for name in names:
        match = _TF_TEMPLATE.search(name)
        if match:
            out.append({"file": posixpath.normpath(posixpath.join(display_dir or ".", name)),
                        "reason": f"Terraform code in a template (.{match.group(1)}): it becomes a .tf file only when "
                                  "rendered, so rlint does not read it; render it, then scan the rendered module"})
    return out


def _is_tf(name: str) -> bool:
    return name.endswith(TF_SUFFIXES)


def _tfvars_order(path: Path) -> tuple:
    """Terraform's load order (later wins): terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars(.json)
    in lexical order of their names."""
    return {"terraform.tfvars": (0, ""), "terraform.tfvars.json": (1, "")}.get(path.name, (2, path.name))


def is_auto_loaded_tfvars(name: str) -> bool:
    """A var file Terraform loads by itself from its directory."""
    return name in ("terraform.tfvars", "terraform.tfvars.json") or name.endswith((".auto.tfvars", ".auto.tfvars.json"))


def _cdk_asset_dir(parent: str, name: str) -> bool:
    return name.startswith("asset.") and os.path.basename(parent) == "cdk.out"


def discover(paths: list, cwd: Optional[Path] = None, exclude=None) -> Discovery:
    """Group the named files and directories into units. `exclude(display_path) -> bool` drops paths."""
    cwd = (cwd or Path.cwd()).resolve()
    result = Discovery()
    tf_dirs: dict = {}  # directory -> TerraformUnit (ordered by first sight)
    seen_files: set = set()
    read: set = set()  # files rlint reads or reports (RL001)
    offered = [0]  # how many of those the current named path brought, new or already seen
    excluded = exclude or (lambda _p: False)

    def candidate(path: Path) -> None:
        name = path.name
        display = display_path(path, cwd)
        if path in seen_files or excluded(display):
            offered[0] += path in read
            return
        seen_files.add(path)
        before = (result.files_seen, len(result.problems))
        _candidate(path, name, display)
        if (result.files_seen, len(result.problems)) != before:
            read.add(path)
            offered[0] += 1

    def _candidate(path: Path, name: str, display: str) -> None:
        if _is_tf(name):
            result.files_seen += 1
            unit = tf_dirs.get(path.parent)
            if unit is None:
                unit = tf_dirs[path.parent] = TerraformUnit(path.parent, display_path(path.parent, cwd),
                                                            scan_root=scan_root[0])
            unit.files.append(SourceFile(path, display))
        elif name.endswith(CFN_SUFFIXES) and not is_auto_loaded_tfvars(name):
            _template_candidate(path, display, result)

    scan_root: list = [None]
    for raw in paths:
        offered[0], problems = 0, len(result.problems)
        scan_root[0] = _scan_root(raw)
        _walk(raw, candidate, result)
        if not offered[0] and len(result.problems) == problems:
            result.empty_paths.append(str(raw))

    # a plan JSON is the resolved form of the configuration beside it: read the plan, not both
    plans = {u.file.path.parent: u.file.display for u in result.units if u.kind == "plan"}
    for directory, unit in tf_dirs.items():
        if directory in plans:
            result.replaced_by_plan.append((unit.display_dir, plans[directory]))
            continue
        unit.files.sort(key=lambda f: f.path.name)
        unit.tfvars = sorted((p for p in directory.iterdir() if p.is_file() and is_auto_loaded_tfvars(p.name)),
                             key=_tfvars_order) \
            if directory.is_dir() else []
        result.units.append(unit)
    result.units.sort(key=_unit_key)
    return result


def _scan_root(raw) -> Optional[Path]:
    try:
        root = Path(raw).resolve()
    except (OSError, RuntimeError):
        return None
    return root.parent if root.is_file() else root


def _walk(raw, candidate, result: Discovery) -> None:
    """Offer every file under one named path (or the path itself) to `candidate`."""
    root = Path(raw)
    try:
        root_abs = root.resolve()
    except (OSError, RuntimeError) as exc:
        result.problems.append(ParseProblem(Span.point(str(raw), 1), f"cannot resolve path: {exc}"))
        return
    if root_abs.is_file():
        if _is_tf(root_abs.name):
            # a named .tf file brings its whole module directory with it
            for sibling in sorted(root_abs.parent.iterdir()):
                if sibling.is_file() and _is_tf(sibling.name):
                    candidate(sibling)
        else:
            candidate(root_abs)
        return
    if not root_abs.is_dir():
        result.problems.append(ParseProblem(Span.point(str(raw), 1), "no such file or directory"))
        return
    for dirpath, dirnames, filenames in os.walk(root_abs, onerror=None, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS and not _cdk_asset_dir(dirpath, d))
        for name in sorted(filenames):
            candidate(Path(dirpath) / name)


def _unit_key(unit) -> str:
    return unit.display_dir if unit.kind == "terraform" else unit.file.display


def _template_candidate(path: Path, display: str, result: Discovery) -> None:
    problems: list = []
    data = _read(path, display, problems)
    if data is None:
        result.problems.extend(problems)
        result.files_seen += 1
        return
    if b"\x00" in data[:8192]:
        # a binary file wearing a template's extension: report it, there is nothing to skip silently
        result.problems.append(ParseProblem(Span.point(display, 1), "binary file (contains NUL bytes), not text"))
        result.files_seen += 1
        return
    if path.suffix == ".json" and _PLAN_MARKER.search(data[:200_000]) and b"\"format_version\"" in data[:4096]:
        result.files_seen += 1
        result.units.append(PlanUnit(SourceFile(path, display, data=data)))
        return
    if not (_CFN_MARKER.search(data) and (_AWS_TYPE.search(data) or b"AWSTemplateFormatVersion" in data)):
        return  # not CloudFormation: skipped silently
    result.files_seen += 1
    text = decode(data, display, result.problems)
    if text is not None:
        result.units.append(CloudFormationUnit(SourceFile(path, display, text=text)))
