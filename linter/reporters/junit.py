"""JUnit XML for GitLab and Jenkins test reports: one test suite per rule, one test case per rule × resource.

A resource a rule checked and passed is a passing case, a failing finding a <failure> carrying the message
and file:line, an unknown or suppressed finding a <skipped> case with the reason.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

from ..fold import covered
from ..model import Outcome, root_implied
from .options import ReportOptions


def _position(f) -> str:
    return f"{f.file}:{f.span.line}:{f.span.column}"


def _label(shown_root, deployment) -> str:
    """What tells two cases of one resource apart: the root it was evaluated in, its deployment."""
    return ", ".join(([f"root {shown_root}"] if shown_root else []) + ([f"deployment {deployment}"] if deployment else []))


def _cases(result) -> dict:
    """(rule id, rule name) -> {(file, resource, shown root) -> [findings]} including resources that passed.
    The root is part of a case's identity: a module file reached from two roots is two cases."""
    suites: dict = {}
    for f in result.findings:
        key = (f.file, f.resource or f.file, _label(f.shown_root, f.deployment))
        suites.setdefault((f.rule_id, f.rule), {}).setdefault(key, []).append(f)
    graph = result.graph
    for rule in result.rules or []:
        cases = suites.setdefault((rule.id, rule.name), {})
        named = {(res, root) for _file, res, root in cases}
        # a finding that stands for several resources (RL703 per deployment) is their one case
        named |= {(c.resource, _label(None if root_implied(f.root, c.identity_file) else f.root, f.deployment))
                  for found in cases.values() for f in found for c in covered(f)}
        for res in graph.by_type(*rule.resource_types) if graph is not None else []:
            root = res.meta.get("root", "")
            shown = _label(None if root_implied(root, res.file) else root, res.meta.get("deployment"))
            # a count/for_each block reported once covers its instances
            if (res.address, shown) in named or (res.block_address and (res.block_address, shown) in named):
                continue
            cases.setdefault((res.file, res.address, shown), [])
    return suites


def _case(parent, rule_id: str, rule: str, file: str, resource: str, root: str, findings: list) -> str:
    name = f"{resource} [{root}]" if root else resource
    case = ET.SubElement(parent, "testcase", name=name, classname=f"{rule_id}.{rule}", file=file, time="0")
    failing = [f for f in findings if f.suppressed is None and f.outcome is Outcome.FAIL]
    if failing:
        first = failing[0]
        case.set("line", str(first.span.line))
        body = []
        for f in failing:
            body.append(f"{_position(f)}: {f.rule_id} {f.severity.value}: {f.message}")
            if f.fix is not None:
                manual = f"\nno automatic fix: {f.fix.manual}" if f.fix.manual else ""
                body.append(f"fix: {f.fix.title}{manual}\n{f.fix.snippet}".rstrip("\n"))
        failure = ET.SubElement(case, "failure", message=f"{_position(first)}: {first.message}",
                                type=first.severity.value)
        failure.text = "\n".join(body)
        return "failure"
    if findings:
        f = findings[0]
        case.set("line", str(f.span.line))
        why = (f"suppressed ({f.suppressed.kind}): {f.suppressed.reason or 'no reason given'}"
               if f.suppressed is not None else f"unknown: {f.message}")
        ET.SubElement(case, "skipped", message=f"{_position(f)}: {why}")
        return "skipped"
    return "pass"


def render(result, options: ReportOptions = None) -> str:
    root = ET.Element("testsuites", name="rlint")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for (rule_id, rule), cases in sorted(_cases(result).items()):
        suite = ET.SubElement(root, "testsuite", name=f"{rule_id} {rule}")
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for (file, resource, shown_root), findings in sorted(cases.items()):
            outcome = _case(suite, rule_id, rule, file, resource, shown_root, findings)
            counts["tests"] += 1
            counts["failures"] += outcome == "failure"
            counts["skipped"] += outcome == "skipped"
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
        suite.set("errors", "0")
        suite.set("time", "0")
    for k, v in totals.items():
        root.set(k, str(v))
    root.set("errors", "0")
    root.set("time", f"{result.seconds:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
