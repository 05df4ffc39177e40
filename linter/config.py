"""`.rlint.yaml` (or `[tool.rlint]` in pyproject.toml): discovery, validation, and merging with the CLI.

Precedence: the command line, then the configuration file, then the rules' defaults; `--ignore` adds to
the file's list rather than replacing it. Every validation error is reported at once with its key path.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Optional

CONFIG_NAMES = (".rlint.yaml", ".rlint.yml")


class ConfigError(Exception):
    pass


@dataclass
class Config:
    path: Optional[Path] = None
    data: dict = field(default_factory=dict)

    def get(self, key: str, default=None):
        return self.data.get(key, default)


def schema() -> dict:
    return json.loads(resources.files("rlint").joinpath("config.schema.json").read_text())


def find_config(start: Path) -> Optional[Path]:
    """Walk up from the scanned path to the filesystem root looking for a configuration file."""
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for directory in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and "[tool.rlint]" in pyproject.read_text(errors="replace"):
            return pyproject
    return None


def load_config(path: Optional[Path]) -> Config:
    if path is None:
        return Config()
    try:
        text = path.read_text()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
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


def validate(data, where: str) -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if not errors:
        return
    lines = []
    for e in errors:
        key = "/".join(str(p) for p in e.absolute_path) or "<root>"
        message = e.message
        if e.validator == "additionalProperties":
            allowed = sorted(e.schema.get("properties", {}))
            message += f"; allowed keys: {', '.join(allowed)}" if allowed else ""
        lines.append(f"{where}: {key}: {message}")
    raise ConfigError("\n".join(lines))
