"""Shape: the packages whose modules a reader follows from a value to the edit that changes it import in one
direction (no cycle, not even through an import inside a function)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

LINTER = Path(__file__).resolve().parent.parent / "linter"


def sibling_imports(package: Path) -> dict:
    graph = {}
    for path in package.glob("*.py"):
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                deps.add(node.module.split(".")[0])
        graph[path.stem] = deps
    return graph


def find_cycle(graph: dict):
    state: dict = {}

    def visit(node, stack):
        state[node] = "open"
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == "open":
                return stack + [node, dep]
            if dep not in state:
                found = visit(dep, stack + [node])
                if found:
                    return found
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node, [])
            if found:
                return found
    return None


@pytest.mark.parametrize("package", ["fixes", "evaluate"])
def test_no_import_cycle(package):
    assert find_cycle(sibling_imports(LINTER / package)) is None


def test_cycle_finder_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_module_evaluator_is_below_the_module_tree():
    graph = sibling_imports(LINTER / "evaluate")
    assert "terraform" in graph["terraform_modules"] and "terraform_modules" not in graph["terraform"]
