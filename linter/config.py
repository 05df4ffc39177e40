"""`.rlint.yaml` (or `[tool.rlint]` in pyproject.toml): discovery, validation, and merging with the CLI.

Precedence: the command line, then the configuration file, then the rules' defaults; `--ignore` adds to
the file's list rather than replacing it. The file is validated against config.schema.json with every
rule's options merged in, so a misspelt key or a wrongly typed option is an error naming its key path;
every error is reported at once.
"""
from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .lazy_regex import lazy_regex

CONFIG_NAMES = (".rlint.yaml", ".rlint.yml")
_PYPROJECT_TABLE = lazy_regex(r"^\s*\[\s*tool\.rlint\s*[\].]", re.M)


class ConfigError(Exception):
    pass


@dataclass
class Config:
    path: Optional[Path] = None
    data: dict = field(default_factory=dict)

    def get(self, key: str, default=None):
        return self.data.get(key, default)


def base_schema() -> dict:
    """The schema as shipped, without the rules' options."""
    from importlib import resources  # imports tempfile, shutil, bz2 ...: only when a config file is validated

    return json.loads(resources.files("rlint").joinpath("config.schema.json").read_text())


def option_schema(default) -> dict:
    """A JSON Schema for an option, inferred from its default (bool before int: bool is an int in Python)."""
    if isinstance(default, bool):
        return {"type": "boolean", "default": default}
    if isinstance(default, int):
        return {"type": "integer", "default": default}
    if isinstance(default, float):
        return {"type": "number", "default": default}
    if isinstance(default, str):
        return {"type": "string", "default": default}
    if isinstance(default, (list, tuple)):
        return {"type": "array", "default": list(default)}
    if isinstance(default, dict):
        return {"type": "object", "default": default}
    return {}


def rule_schema(rule) -> dict:
    """`rules.<id>` for one rule: its severity and exactly its options (a rule may refine them in option_schema)."""
    explicit = getattr(rule, "option_schema", None) or {}
    options = {name: explicit.get(name) or option_schema(default) for name, default in dict(rule.options).items()}
    return {
        "type": "object",
        "additionalProperties": False,
        "description": f"{rule.id} {rule.name}",
        "properties": {
            "severity": {"enum": ["high", "medium", "low", "info"]},
            "options": {"type": "object", "additionalProperties": False, "properties": options},
        },
    }


def schema() -> dict:
    """The full schema: the shipped one with a closed `rules` table, one entry per rule id and name."""
    from .rules import all_rules

    full = copy.deepcopy(base_schema())
    table = full["properties"]["rules"]
    table.pop("propertyNames", None)
    table["additionalProperties"] = False
    table["properties"] = {}
    for rule in [*configurable_engine_rules(), *all_rules()]:
        entry = rule_schema(rule)
        table["properties"][rule.id] = entry
        table["properties"][rule.name] = entry
    return full


def configurable_engine_rules() -> list:
    """RL003 and RL004 take a severity like any rule; RL001 and RL002 always run (rlint.selection)."""
    from .rules import ENGINE_RULES
    from .selection import ALWAYS_ON

    return [r for r in ENGINE_RULES if r.id not in ALWAYS_ON]


def anchored_excludes(patterns, config_dir: Optional[Path], cwd: Optional[Path] = None) -> tuple:
    """`exclude` globs are written relative to the configuration file; reports show paths relative to the
    working directory (absolute outside it). Anchor each pattern so both agree; `*`-led patterns match anywhere."""
    if config_dir is None:
        return tuple(patterns)
    import os

    here = (cwd or Path.cwd()).resolve().as_posix().rstrip("/") + "/"
    base = config_dir.resolve().as_posix().rstrip("/") + "/"
    out = []
    for p in patterns:
        while p.startswith("./"):
            p = p[2:]
        if p.startswith("*") or os.path.isabs(p):
            out.append(p)
            continue
        absolute = base + p
        out.append(absolute[len(here):] if absolute.startswith(here) else absolute)
    return tuple(out)


def dr_settings(data: dict, config_dir: Optional[Path], cwd: Optional[Path] = None) -> dict:
    """The `dr` section for the engine: path globs anchored like `exclude`, every named tier defined."""
    dr = dict(data.get("dr") or {})
    tiers = set(dr.get("objectives") or {})
    by_path = dr.get("tiers_by_path") or {}
    unknown = sorted({t for t in by_path.values() if t not in tiers})
    if unknown:
        raise ConfigError(f"dr.tiers_by_path names tier{'s' if len(unknown) > 1 else ''} "
                          f"{', '.join(map(repr, unknown))} with no dr.objectives entry")
    if by_path:
        anchored = anchored_excludes(tuple(by_path), config_dir, cwd)
        dr["tiers_by_path"] = dict(zip(anchored, by_path.values()))
    return dr


def recreatable_entries(data: dict, config_path: Optional[Path], cwd: Optional[Path] = None) -> list:
    """`stateful.recreatable` as declare.ConfigEntry: file globs anchored like `exclude`, each entry placed at
    its line of the configuration file (for RL004), the file shown like the scanned paths."""
    entries = (data.get("stateful") or {}).get("recreatable") or []
    if not entries:
        return []
    from .declare import ConfigEntry
    from .discover import display_path
    from .model import Span

    where = display_path(config_path.resolve(), (cwd or Path.cwd()).resolve()) if config_path else "<configuration>"
    lines = _entry_lines(config_path, len(entries))
    config_dir = config_path.parent if config_path else None
    out = []
    for entry, line in zip(entries, lines):
        file = anchored_excludes((entry["file"],), config_dir, cwd)[0] if entry.get("file") else ""
        out.append(ConfigEntry(entry["resource"], file, entry["reason"].strip(), Span(where, line, 1, line, 1)))
    return out


def _entry_lines(path: Optional[Path], count: int) -> list:
    """The line of each `stateful.recreatable` entry (1 where it cannot be told)."""
    found: list = []
    try:
        text = path.read_text() if path else ""
    except OSError:
        text = ""
    if path is not None and path.name == "pyproject.toml":
        found = [i for i, line in enumerate(text.splitlines(), 1)
                 if re.match(r"\s*\[\[\s*tool\.rlint\.stateful\.recreatable\s*\]\]", line)]
        if len(found) != count:  # written inline (recreatable = [{...}]): the key's line
            found = [i for i, line in enumerate(text.splitlines(), 1) if re.match(r"\s*recreatable\s*=", line)] * count
    elif text:
        import yaml

        try:
            root = yaml.compose(text)
            stateful = next(v for k, v in root.value if k.value == "stateful")
            listed = next(v for k, v in stateful.value if k.value == "recreatable")
            found = [item.start_mark.line + 1 for item in listed.value]
        except Exception:  # a shape validation accepted cannot fail here; any surprise only loses the line
            found = []
    return (found + [1] * count)[:count]


def find_config(start: Path) -> Optional[Path]:
    """Walk up from the scanned path to the filesystem root looking for a configuration file."""
    here = start.resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for directory in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _PYPROJECT_TABLE().search(pyproject.read_text(errors="replace")):
            return pyproject
    return None


def load_config(path: Optional[Path]) -> Config:
    if path is None:
        return Config()
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    if path.name == "pyproject.toml":
        import tomllib

        try:
            data = tomllib.loads(text).get("tool", {}).get("rlint", {})
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    else:
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: invalid YAML: {exc}") from None
        data = {} if data is None else data
    validate(data, str(path))
    return Config(path, data)


def _key_path(parts) -> str:
    return ".".join(str(p) for p in parts) or "<root>"


def _unexpected(error) -> list:
    declared = error.schema.get("properties", {})
    patterns = error.schema.get("patternProperties", {})
    return [k for k in error.instance if k not in declared and not any(re.search(p, k) for p in patterns)]


def _always_on(key) -> bool:
    from .rules import ENGINE_RULES
    from .selection import ALWAYS_ON

    return any(r.id in ALWAYS_ON and key in (r.id, r.name) for r in ENGINE_RULES)


def _describe(error) -> list:
    """One line per problem; an unexpected key is named at its own path with the keys allowed there."""
    path = list(error.absolute_path)
    if error.validator == "pattern":  # say what is expected, not the regular expression
        what = error.schema.get("description") or "in the expected form"
        return [f"{_key_path(path)}: {error.instance!r} is not {what}"]
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return [f"{_key_path(path)}: {error.message}"]
    allowed = sorted(error.schema.get("properties", {}))
    lines = []
    import difflib

    for key in _unexpected(error):
        if path == ["rules"] and _always_on(key):
            from .selection import always_on_reason

            lines.append(f"rules.{key}: {key} cannot be configured: {always_on_reason()}")
            continue
        close = difflib.get_close_matches(str(key), allowed, n=1) or \
            [a for a in allowed if len(str(key)) >= 3 and a.startswith(str(key))][:1]
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        if path == ["rules"]:
            where = "allowed keys: rule ids or names (`rlint rules` lists them)"
        else:
            where = (f"allowed keys: {', '.join(allowed)}" if allowed
                     else f"{path[1]} has no options" if len(path) == 3 and path[0] == "rules" else "no keys allowed")
        lines.append(f"{_key_path(path + [key])}: unknown key {key!r}{hint}; {where}")
    return lines


def errors(data) -> list:
    """Every validation problem in a configuration document, sorted by key path."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    found = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    return [line for e in found for line in _describe(e)]


def validate(data, where: str) -> None:
    problems = errors(data)
    if problems:
        raise ConfigError("\n".join(f"{where}: {p}" for p in problems))
