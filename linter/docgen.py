"""Generate docs/rules/*.md and the rule table (docs/rules/README.md) from the rule docstrings.

    python -m rlint.docgen [ROOT]      # rewrite docs/rules/ and its table under ROOT

tests/test_meta.py fails when the committed pages drift from the docstrings.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

README_START = "<!-- rules:start -->"
README_END = "<!-- rules:end -->"
TABLE_PAGE = ("docs", "rules", "README.md")  # the table's home, beside the pages it links to


def rule_page(rule) -> str:
    from .rules import ENGINE_RULES

    kind = "engine (reported while reading files and applying suppressions)" if rule in ENGINE_RULES \
        else f"formats: {', '.join(rule.formats())}"
    return f"# {rule.id} {rule.name}\n\nSeverity: {rule.severity.value} · {kind}\n\n{rule.doc()}\n"


def rule_table() -> str:
    from .rules import ENGINE_RULES, all_rules

    rows = ["| id | name | severity | formats | what |", "|---|---|---|---|---|"]
    for r in ENGINE_RULES:
        rows.append(f"| [{r.id}]({r.id}.md) | {r.name} | {r.severity.value} | engine | {r.summary} |")
    for r in all_rules():
        rows.append(f"| [{r.id}]({r.id}.md) | {r.name} | {r.severity.value} | "
                    f"{', '.join(r.formats())} | {r.summary()} |")
    return "\n".join(rows)


def expected_pages() -> dict:
    from .rules import ENGINE_RULES, all_rules

    return {f"{r.id}.md": rule_page(r) for r in [*ENGINE_RULES, *all_rules()]}


def update_readme(text: str) -> str:
    """The text with the rule table between its markers rewritten (docs/rules/README.md)."""
    pattern = re.compile(re.escape(README_START) + r".*?" + re.escape(README_END), re.S)
    return pattern.sub(README_START + "\n" + rule_table() + "\n" + README_END, text)


def main(root: Path) -> None:
    pages = root / "docs" / "rules"
    pages.mkdir(parents=True, exist_ok=True)
    wanted = expected_pages()
    for old in pages.glob("RL*.md"):
        if old.name not in wanted:
            old.unlink()
    for name, text in wanted.items():
        (pages / name).write_text(text)
    table = root.joinpath(*TABLE_PAGE)
    if table.exists():
        table.write_text(update_readme(table.read_text()))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("."))
