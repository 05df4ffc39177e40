"""Deployments: one application deployed several times (`deployments:` in `.rlint.yaml`, `--deployment` on the
command line). Each names a path (a Terraform root module or a template), the Region it is deployed in, an
optional account, and its own inputs; the same path may appear several times with different inputs. The
engine evaluates each with its inputs into one graph, so the rules see every deployment at once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .evaluate.workspace import valid_name
from .inputs import CfnInputs, DeploymentError, TerraformInputs

REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
TF_KEYS, CFN_KEYS = ("var_files", "vars", "workspace"), ("parameters_file", "parameters")


@dataclass
class Deployment:
    name: str
    path: Path                 # absolute: a Terraform root module directory or a template file
    region: str
    account: Optional[str] = None
    var_files: list = field(default_factory=list)   # [Path]
    variables: list = field(default_factory=list)   # [(name, raw string)]
    parameters: dict = field(default_factory=dict)  # name -> string
    workspace: Optional[str] = None  # the Terraform workspace it is (terraform.workspace)
    where: str = ""            # how errors name it: `deployments[0]` or `--deployment primary=...`

    @property
    def terraform(self) -> bool:
        return self.path.is_dir() or self.path.name.endswith((".tf", ".tf.json"))

    def root(self) -> Path:
        """The directory of a Terraform root (a `.tf` file names its directory), else the template."""
        return self.path.parent if self.path.is_file() and self.path.name.endswith((".tf", ".tf.json")) else self.path

    def tf_inputs(self, base: TerraformInputs) -> TerraformInputs:
        return TerraformInputs(var_files=list(base.var_files) + self.var_files,
                               variables=list(base.variables) + self.variables, environ=base.environ,
                               workspace=self.workspace if self.workspace is not None else base.workspace,
                               workspace_from=f"deployment {self.name}" if self.workspace is not None
                               else base.workspace_from, region=self.region)

    def cfn_inputs(self, base: CfnInputs) -> CfnInputs:
        """The stack's parameters, with `AWS::Region` (and `AWS::AccountId` when given) known: the deployment
        says where the stack runs."""
        pseudo = {"AWS::Region": self.region, **({"AWS::AccountId": self.account} if self.account else {})}
        return CfnInputs(parameters={**pseudo, **base.parameters, **self.parameters},
                         unknown_parameters=dict(base.unknown_parameters))


def _check(dep: Deployment, given: set) -> Deployment:
    if not dep.path.exists():
        raise DeploymentError(f"{dep.where}.path: {dep.path} does not exist")
    wrong = [k for k in (CFN_KEYS if dep.terraform else TF_KEYS) if k in given]
    if wrong:
        kind = "a Terraform root module" if dep.terraform else "a template"
        allowed = " and ".join(TF_KEYS if dep.terraform else CFN_KEYS)
        raise DeploymentError(f"{dep.where}.{wrong[0]}: {dep.path} is {kind}; its inputs are {allowed}")
    return dep


def _parameters_file(path: Path, where: str) -> dict:
    from .evaluate.cloudformation import ParametersFileError, read_parameters_file

    try:
        return read_parameters_file(path)
    except ParametersFileError as exc:
        raise DeploymentError(f"{where}.parameters_file: {exc}") from None


def from_config(entries: list, base: Path) -> list:
    """The configuration's `deployments:` (already schema-validated), paths relative to the file's directory."""
    out, names = [], set()
    for i, entry in enumerate(entries or []):
        where = f"deployments[{i}]"
        if entry["name"] in names:
            raise DeploymentError(f"{where}.name: {entry['name']!r} names another deployment too")
        names.add(entry["name"])
        dep = Deployment(entry["name"], (base / entry["path"]).resolve(), entry["region"], entry.get("account"),
                         where=where)
        dep.workspace = entry.get("workspace")
        dep.var_files = [base / f for f in entry.get("var_files", [])]
        dep.variables = [(k, _text(v)) for k, v in (entry.get("vars") or {}).items()]
        if "parameters_file" in entry:
            dep.parameters.update(_parameters_file(base / entry["parameters_file"], where))
        dep.parameters.update({k: _text(v) for k, v in (entry.get("parameters") or {}).items()})
        out.append(_check(dep, set(entry)))
    return out


def _text(value) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


CLI_FORM = ("NAME=PATH@REGION[,account=ID][,workspace=NAME][,var-file=FILE][,var=K=V][,parameters-file=FILE]"
            "[,parameter=K=V]")


def from_cli(specs, cwd: Path) -> list:
    """`--deployment NAME=PATH@REGION[,key=value...]`, repeatable; keys: account, workspace, var-file, var,
    parameters-file, parameter (var and parameter take K=V; commas cannot appear in values)."""
    out, names = [], set()
    for spec in specs:
        where = f"--deployment {spec}"
        name, sep, rest = spec.partition("=")
        head, *options = rest.split(",")
        path, at, region = head.rpartition("@")
        if not sep or not at or not NAME.match(name.strip()) or not path:
            raise DeploymentError(f"{where}: expected {CLI_FORM}")
        if not REGION.match(region):
            raise DeploymentError(f"{where}: {region!r} is not an AWS Region name (such as us-east-1)")
        if name in names:
            raise DeploymentError(f"{where}: {name!r} names another deployment too")
        names.add(name)
        dep = Deployment(name.strip(), (cwd / path).resolve(), region, where=where)
        given = set()
        for option in options:
            key, eq, value = option.partition("=")
            key = key.strip()
            if not eq or key not in ("account", "workspace", "var-file", "var", "parameters-file", "parameter"):
                raise DeploymentError(f"{where}: unknown option {option!r}; expected {CLI_FORM}")
            given.add({"var-file": "var_files", "var": "vars", "parameters-file": "parameters_file",
                       "parameter": "parameters"}.get(key, key))
            if key == "account":
                dep.account = value
            elif key == "workspace":
                if not valid_name(value):
                    raise DeploymentError(f"{where}: {value!r} is not a workspace name Terraform accepts "
                                          f"(letters, digits and - _ . ~ : @ & = + $)")
                dep.workspace = value
            elif key == "var-file":
                dep.var_files.append(cwd / value)
            elif key == "parameters-file":
                dep.parameters.update(_parameters_file(cwd / value, where))
            else:
                k, eq2, v = value.partition("=")
                if not eq2 or not k:
                    raise DeploymentError(f"{where}: {key} takes {key}=NAME=VALUE, got {option!r}")
                if key == "var":
                    dep.variables.append((k, v))
                else:
                    dep.parameters[k] = v
        out.append(_check(dep, given))
    return out


__all__ = ["Deployment", "DeploymentError", "from_config", "from_cli", "CLI_FORM"]
