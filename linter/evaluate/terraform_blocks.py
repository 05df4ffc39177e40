"""The top-level block structure Terraform requires of a module: known block types with their number of
labels, and no name declared twice. Terraform refuses a module that breaks these, so each is an RL001
finding at the block, instead of rlint silently reading the first or the last declaration."""
from __future__ import annotations

from ..model import ParseProblem

# block type -> number of labels (Terraform 1.11)
LABELS = {"terraform": 0, "locals": 0, "moved": 0, "import": 0, "removed": 0, "provider": 1, "variable": 1,
          "output": 1, "module": 1, "check": 1, "resource": 2, "data": 2, "ephemeral": 2}


def block_problems(files: list) -> list:
    """Problems with the top-level blocks of one module's parsed files (HclFile), in file order."""
    problems: list = []
    declared: dict = {}  # (kind, name) -> span of the first declaration
    for hf in files:
        override = _is_override(hf.path)
        for block in hf.body.blocks:
            expected = LABELS.get(block.type)
            if expected is None:
                problems.append(ParseProblem(block.span, f"unsupported block type {block.type!r}; a module holds "
                                                         f"{', '.join(sorted(LABELS))} blocks"))
                continue
            if len(block.labels) != expected:
                problems.append(ParseProblem(block.span, f"a {block.type} block takes {expected} label"
                                                         f"{'' if expected == 1 else 's'}, not {len(block.labels)}"))
                continue
            for key in [] if override else _names(block):
                first = declared.setdefault(key, block.span)
                if first is not block.span:
                    problems.append(ParseProblem(block.span, f"duplicate {key[0]} {key[1]!r}: already declared at "
                                                             f"{first.file}:{first.line}"))
    return problems


def _is_override(path: str) -> bool:
    """Override files (override.tf, *_override.tf) re-declare blocks on purpose: Terraform merges them."""
    name = path.rsplit("/", 1)[-1]
    for suffix in (".tf", ".tf.json"):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return stem == "override" or stem.endswith("_override")
    return False


def _names(block) -> list:
    """The names a block declares, each keyed by what they must be unique among."""
    kind = block.type
    if kind in ("resource", "data", "ephemeral"):
        return [(kind, ".".join(block.labels))]
    if kind in ("variable", "output", "module", "check"):
        return [(kind, block.labels[0])]
    if kind == "locals":
        return [("local value", name) for name in block.body.attributes]
    return []
