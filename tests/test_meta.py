"""Meta tests: the catalogue is consistent, documented, packaged and its imports point one way."""
from __future__ import annotations

import ast
import configparser
import re

from helpers import ROOT, unavailable
from rlint import docgen
from rlint.rules import ENGINE_RULES, all_rules
from rlint.rules.base import REQUIRED_SECTIONS

CATALOGUE = ROOT.parent / "shared" / "rules.md"


def test_ids_and_names_are_unique_and_well_formed():
    rules = list(ENGINE_RULES) + all_rules()
    ids = [r.id for r in rules]
    names = [r.name for r in rules]
    assert len(ids) == len(set(ids)) and len(names) == len(set(names))
    for r in rules:
        assert re.fullmatch(r"RL\d{3}", r.id) and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.name)


def test_ids_and_names_match_the_catalogue_when_it_is_beside_the_repo():
    if not CATALOGUE.exists():
        unavailable(f"the catalogue {CATALOGUE} is not beside the repository (CI has it as ../shared)")
    rows = dict(re.findall(r"^\| (RL\d{3}) \| ([a-z0-9-]+) \|", CATALOGUE.read_text(), re.M))
    for r in list(ENGINE_RULES) + all_rules():
        assert rows.get(r.id) == r.name, f"{r.id}: catalogue says {rows.get(r.id)!r}, code says {r.name!r}"


def test_every_rule_is_documented_with_every_section():
    for rule in all_rules():
        sections = rule.sections()
        for name in REQUIRED_SECTIONS:
            assert sections.get(name), f"{rule.id} lacks '## {name}'"
        assert rule.references(), f"{rule.id} cites no documentation URL"
        assert "```hcl" in sections["Example"] or "terraform" not in rule.formats(), rule.id
        assert "```yaml" in sections["Example"] or "cloudformation" not in rule.formats(), rule.id


def test_docs_pages_are_in_sync_with_docstrings():
    pages = ROOT / "docs" / "rules"
    wanted = docgen.expected_pages()
    present = {p.name: p.read_text() for p in pages.glob("RL*.md")}
    assert present == wanted, "run `python -m rlint.docgen .` and commit docs/rules"
    table = ROOT.joinpath(*docgen.TABLE_PAGE).read_text()
    assert docgen.README_START in table, "the rule table lost its markers"
    assert docgen.update_readme(table) == table, "docs/rules/README.md drifted: run `python -m rlint.docgen .`"


def test_every_package_is_listed_in_setup_cfg():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    listed = set(cfg["options"]["packages"].split())
    found = set()
    for top, package in (("linter", "rlint"), ("rules", "rlint.rules")):
        for init in (ROOT / top).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / top)
            found.add(".".join([package, *rel.parts]) if rel.parts else package)
    assert found == listed


def test_rules_never_import_parsers_engine_or_reporters():
    forbidden = ("rlint.parsers", "rlint.engine", "rlint.reporters", "rlint.suppress", "rlint.discover",
                 "rlint.cli", "tree_sitter", "yaml", "hcl2")
    for path in (ROOT / "rules").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(forbidden), f"{path.relative_to(ROOT)} imports {name}"


def test_tests_share_helpers_and_never_import_other_test_modules():
    for path in (ROOT / "tests").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                assert not name.startswith("test_"), f"tests/{path.name} imports {name}: move it to tests/helpers.py"
            if isinstance(node, ast.FunctionDef) and path.name.startswith("test_"):
                assert node.name not in ("invoke", "rows", "report_schema"), \
                    f"tests/{path.name} defines {node.name}(): use the one in tests/helpers.py"


def test_no_merge_conflict_markers_in_tracked_files():
    """Several streams merge into main: a conflict left unresolved must fail here, not in a reader's hands."""
    import subprocess

    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    markers = re.compile(rb"^(<{7} |={7}$|>{7} )", re.M)
    hits = []
    for name in files.decode().split("\0"):
        path = ROOT / name
        if name and path.is_file() and path.suffix not in (".png", ".bin"):
            if markers.search(path.read_bytes()):
                hits.append(name)
    assert hits == []
