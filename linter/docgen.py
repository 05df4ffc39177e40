"""Generate docs/rules/*.md and the README's rule table from the rule docstrings.

    python -m rlint.docgen [ROOT]      # rewrite docs/rules/ and the README table under ROOT

tests/test_meta.py fails when the committed pages drift from the docstrings.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

README_START = "<!-- rules:start -->"
README_END = "<!-- rules:end -->"


def rule_page(rule) -> str:
    from .rules import ENGINE_RULES

    kind = "engine (reported while reading files and applying suppressions)" if rule in ENGINE_RULES \
        else f"formats: {', '.join(rule.formats())}"
    return f"# {rule.id} {rule.name}\n\nSeverity: {rule.severity.value} · {kind}\n\n{rule.doc()}\n"


def rule_table() -> str:
    from .rules import ENGINE_RULES, all_rules

    rows = ["| id | name | severity | formats | what |", "|---|---|---|---|---|"]
    for r in ENGINE_RULES:
        rows.append(f"| [{r.id}](docs/rules/{r.id}.md) | {r.name} | {r.severity.value} | engine | {r.summary} |")
    for r in all_rules():
        rows.append(f"| [{r.id}](docs/rules/{r.id}.md) | {r.name} | {r.severity.value} | "
                    f"{', '.join(r.formats())} | {r.summary()} |")
    return "\n".join(rows)


def expected_pages() -> dict:
    from .rules import ENGINE_RULES, all_rules

    return {f"{r.id}.md": rule_page(r) for r in [*ENGINE_RULES, *all_rules()]}


def update_readme(text: str) -> str:
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
    readme = root / "README.md"
    if readme.exists():
        readme.write_text(update_readme(readme.read_text()))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("."))
