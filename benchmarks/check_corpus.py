"""Check a corpus written by benchmarks/generate.py: everything parses, and the references inside resolve.

    .venv/bin/python benchmarks/check_corpus.py DIR [--jobs N]

Syntax: every .tf and terraform.tfvars through python-hcl2, every .yaml through PyYAML with a loader that
accepts CloudFormation's short-form tags (!Ref, !GetAtt, ...), every .json through json.
References, so that a parsing scanner sees a coherent corpus rather than dangling names:
  Terraform (per module directory): var.*, local.*, module.*, data.*.* and aws_*.* name declared blocks;
    tfvars keys are declared variables; a child module's source exists, and its calls set every input
    without default and only declared ones.
  CloudFormation: Ref and Fn::Sub names are parameters, resources or pseudo parameters; Fn::GetAtt,
    DependsOn and Condition names exist; Fn::FindInMap names a mapping that has the literal keys.
Prints one line per problem and a summary; exits 1 when anything failed.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import hcl2
import yaml

PSEUDO = {"AWS::AccountId", "AWS::NoValue", "AWS::NotificationARNs", "AWS::Partition", "AWS::Region",
          "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"}
TF_REFS = {
    "variable": re.compile(r"(?<![\w.])var\.(\w+)"),
    "local": re.compile(r"(?<![\w.])local\.(\w+)"),
    "module": re.compile(r"(?<![\w.])module\.(\w+)"),
    "data": re.compile(r"(?<![\w.])data\.(\w+)\.(\w+)"),
    "resource": re.compile(r"(?<![\w.])(aws_\w+)\.([a-z_]\w*)"),
}


# ---------------------------------------------------------------------------------------------- Terraform

def unquote(key: str) -> str:
    return key.strip('"')  # python-hcl2 8 keeps the quotes of block labels


def tf_declared(parsed: list) -> dict:
    """Names each kind of block declares across a module's parsed files."""
    names = {kind: set() for kind in TF_REFS}
    modules = {}
    for doc in parsed:
        for block in doc.get("variable", []):
            names["variable"].update(unquote(k) for k in block)
        for block in doc.get("locals", []):
            names["local"].update(k for k in block if k != "__is_block__")
        for block in doc.get("module", []):
            for name, body in block.items():
                names["module"].add(unquote(name))
                modules[unquote(name)] = body
        for kind in ("data", "resource"):
            for block in doc.get(kind, []):
                for rtype, named in block.items():
                    names[kind].update((unquote(rtype), unquote(n)) for n in named)
    names["modules"] = modules
    return names


def tf_inputs(parsed: list) -> tuple:
    """(declared variables, variables without default) of a module."""
    declared, required = set(), set()
    for doc in parsed:
        for block in doc.get("variable", []):
            for name, body in block.items():
                declared.add(unquote(name))
                if "default" not in body:
                    required.add(unquote(name))
    return declared, required


def parse_module(directory: Path, problems: list) -> list:
    parsed = []
    for path in sorted(directory.glob("*.tf")):
        try:
            parsed.append(hcl2.loads(path.read_text(encoding="utf-8")))
        except Exception as error:  # python-hcl2 raises lark errors of several kinds
            problems.append(f"{path}: HCL parse error: {str(error).splitlines()[0]}")
    return parsed


def check_module(directory: Path) -> tuple:
    """(problems, .tf files parsed) of one module directory and its local child modules."""
    problems = []
    parsed = parse_module(directory, problems)
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(directory.glob("*.tf")))
    names = tf_declared(parsed)
    for kind, pattern in TF_REFS.items():
        for match in pattern.finditer(text):
            ref = match.group(1) if pattern.groups == 1 else match.groups()
            if ref not in names[kind]:
                problems.append(f"{directory}: {kind} {'.'.join(ref) if isinstance(ref, tuple) else ref} "
                                f"is not declared")
    tfvars = directory / "terraform.tfvars"
    if tfvars.exists():
        try:
            for key in hcl2.loads(tfvars.read_text(encoding="utf-8")):
                if key not in names["variable"]:
                    problems.append(f"{tfvars}: {key} is not a declared variable")
        except Exception as error:
            problems.append(f"{tfvars}: HCL parse error: {str(error).splitlines()[0]}")
    files = len(parsed)
    for name, body in names["modules"].items():
        source = directory / body["source"].strip('"')
        if not source.is_dir():
            problems.append(f"{directory}: module {name} source {source} does not exist")
            continue
        child_problems, child_files = check_module(source)
        problems += child_problems
        files += child_files
        declared, required = tf_inputs(parse_module(source, []))
        given = {k for k in body if k not in ("source", "__is_block__")}
        problems += [f"{directory}: module {name} sets undeclared input {k}" for k in sorted(given - declared)]
        problems += [f"{directory}: module {name} leaves input {k} unset" for k in sorted(required - given)]
    return problems, files


# ----------------------------------------------------------------------------------------- CloudFormation

class CfnLoader(yaml.SafeLoader):
    """SafeLoader plus CloudFormation's short-form tags, turned into their long forms."""


def _construct_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {suffix if suffix in ("Ref", "Condition") else "Fn::" + suffix: value}


CfnLoader.add_multi_constructor("!", _construct_tag)


def walk(value, found: list) -> None:
    """Collects every single-key intrinsic function mapping under value."""
    if isinstance(value, dict):
        if len(value) == 1:
            found.append(next(iter(value.items())))
        for item in value.values():
            walk(item, found)
    elif isinstance(value, list):
        for item in value:
            walk(item, found)


def check_intrinsic(key: str, arg, doc: dict) -> list:
    params, resources = doc.get("Parameters", {}), doc.get("Resources", {})
    conditions, mappings = doc.get("Conditions", {}), doc.get("Mappings", {})
    known = set(params) | set(resources) | PSEUDO
    if key == "Ref":
        return [] if arg in known else [f"Ref {arg} names nothing"]
    if key == "Fn::GetAtt":
        return [] if arg[0] in resources else [f"Fn::GetAtt {arg[0]} is not a resource"]
    if key == "Fn::Sub":
        text = arg if isinstance(arg, str) else arg[0]
        local = set(arg[1]) if isinstance(arg, list) else set()
        return [f"Fn::Sub ${{{n}}} names nothing" for n in re.findall(r"\$\{([^!}][^}]*)\}", text)
                if n.split(".")[0] not in known | local]
    if key == "Condition" and isinstance(arg, str):
        return [] if arg in conditions else [f"condition {arg} is not defined"]
    if key == "Fn::If":
        return [] if arg[0] in conditions else [f"Fn::If condition {arg[0]} is not defined"]
    if key == "Fn::FindInMap":
        table = mappings.get(arg[0])
        if table is None:
            return [f"Fn::FindInMap mapping {arg[0]} is not defined"]
        if isinstance(arg[1], str) and arg[1] not in table:
            return [f"Fn::FindInMap key {arg[1]} not in {arg[0]}"]
        # a key given by Ref can be any row: then every row must have the second-level key
        rows = {arg[1]: table[arg[1]]} if isinstance(arg[1], str) else table
        return [f"Fn::FindInMap {arg[0]}.{row} has no {arg[2]}" for row, values in rows.items()
                if isinstance(arg[2], str) and arg[2] not in values]
    return []


def check_template_doc(doc) -> list:
    if not isinstance(doc, dict) or not isinstance(doc.get("Resources"), dict) or not doc["Resources"]:
        return ["no Resources section"]
    problems = []
    for lid, resource in doc["Resources"].items():
        if not isinstance(resource, dict) or "Type" not in resource:
            problems.append(f"resource {lid} has no Type")
            continue
        depends = resource.get("DependsOn", [])
        for target in [depends] if isinstance(depends, str) else depends:
            if target not in doc["Resources"]:
                problems.append(f"{lid} DependsOn {target} is not a resource")
        if "Condition" in resource and resource["Condition"] not in doc.get("Conditions", {}):
            problems.append(f"{lid} Condition {resource['Condition']} is not defined")
    found = []
    walk({k: v for k, v in doc.items() if k != "Mappings"}, found)
    for key, arg in found:
        problems += check_intrinsic(key, arg, doc)
    return problems


def check_template(path: Path) -> tuple:
    text = path.read_text(encoding="utf-8")
    try:
        doc = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=CfnLoader)
    except (ValueError, yaml.YAMLError) as error:
        return [f"{path}: parse error: {str(error).splitlines()[0]}"], 1
    return [f"{path}: {problem}" for problem in check_template_doc(doc)], 1


# ------------------------------------------------------------------------------------------------- main

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    modules = sorted(p for p in (args.corpus / "terraform").glob("*") if p.is_dir())
    templates = sorted(p for p in (args.corpus / "templates").glob("*") if p.suffix in (".yaml", ".json"))
    if not modules and not templates:
        print(f"check_corpus.py: no terraform/ or templates/ under {args.corpus}", file=sys.stderr)
        return 2
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        tf = list(pool.map(check_module, modules, chunksize=8))
        cfn = list(pool.map(check_template, templates, chunksize=16))
    problems = [p for result, _ in tf + cfn for p in result]
    for problem in problems:
        print(problem)
    print(f"checked {len(modules)} modules ({sum(n for _, n in tf)} .tf files) and {len(templates)} templates: "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
