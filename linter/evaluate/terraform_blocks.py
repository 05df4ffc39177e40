"""The top-level block structure Terraform requires of a module: known block types with their number of
labels, no name declared twice, one configuration per provider name and alias, and one backend. Terraform
refuses a module that breaks these, so each is an RL001 finding at the block, instead of rlint silently
reading the first or the last declaration."""
from __future__ import annotations

from ..model import ParseProblem, Unknown
from .hcl_expr import ExprEvaluator

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
            for key, span in [] if override else _names(block, hf.source):
                first = declared.setdefault(key, span)
                if first is not span:
                    problems.append(ParseProblem(span, _duplicate(key, first)))
    return problems


def _duplicate(key: tuple, first) -> str:
    where = f"{first.file}:{first.line}"
    if key[0] == "backend":
        return f"a second backend configuration: a module has only one, and its backend is already configured " \
               f"at {where}"
    if key[0] == "provider configuration" and "." not in key[1]:
        return f"duplicate provider configuration {key[1]!r}: a default (non-aliased) one is already given at " \
               f"{where}; give the others an `alias`"
    if key[0] == "provider configuration":
        name, alias = key[1].split(".", 1)
        return f"duplicate provider configuration {name!r} with alias {alias!r}: already given at {where}; each " \
               f"configuration of one provider needs its own alias"
    return f"duplicate {key[0]} {key[1]!r}: already declared at {where}"


def _is_override(path: str) -> bool:
    """Override files (override.tf, *_override.tf) re-declare blocks on purpose: Terraform merges them."""
    name = path.rsplit("/", 1)[-1]
    for suffix in (".tf", ".tf.json"):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return stem == "override" or stem.endswith("_override")
    return False


def _names(block, source: bytes) -> list:
    """The names a block declares, each keyed by what they must be unique among, with the span Terraform
    points at when one comes twice."""
    kind = block.type
    if kind in ("resource", "data", "ephemeral"):
        return [((kind, ".".join(block.labels)), block.span)]
    if kind in ("variable", "output", "module", "check"):
        return [((kind, block.labels[0]), block.span)]
    if kind == "locals":
        return [(("local value", name), block.span) for name in block.body.attributes]
    if kind == "provider":
        alias = _literal(block.body.attributes.get("alias"), source)
        if alias is False:
            return []  # not a literal name: Terraform refuses it anyway, rlint cannot tell which it is
        return [(("provider configuration", block.labels[0] + (f".{alias}" if alias else "")), block.span)]
    if kind == "terraform":  # several terraform blocks may each hold a backend: one module, one backend
        return [(("backend", ""), nested.span) for nested in block.body.blocks if nested.type == "backend"]
    return []


def _literal(attr, source: bytes):
    """The string an attribute is written as, None when there is no attribute, False when it is no literal."""
    if attr is None:
        return None
    value = ExprEvaluator(source, lambda name, steps, scope, ev: Unknown(f"{name} is not allowed here")).eval(
        attr.expr, {})
    return value if isinstance(value, str) else False
