"""Typed configuration loading: a pydantic model, a YAML file and `--set key=value` overrides.

Every stage declares its config as a pydantic model whose fields carry a help text
(`Field(description=...)`). `load_config` merges, in order of precedence:
defaults < YAML file (`--config FILE.yaml`) < CLI options < `--set a.b=value`.
Values given with `--set` are parsed as YAML scalars (`--set dedup.threshold=0.7`,
`--set languages=[fr,en]`). Unknown keys and invalid values fail at load time with
the dotted field name in the message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from chatforge.errors import ConfigError

T = TypeVar("T", bound=BaseModel)


class StageConfig(BaseModel):
    """Base for every stage config: unknown keys are errors, assignments are validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


def parse_override(item: str) -> tuple[list[str], Any]:
    """Split `a.b.c=value` into (["a", "b", "c"], parsed value)."""
    if "=" not in item:
        raise ConfigError(f"--set {item!r}: expected key=value")
    key, raw = item.split("=", 1)
    key = key.strip()
    if not key:
        raise ConfigError(f"--set {item!r}: empty key")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError as exc:
        raise ConfigError(f"--set {key}: cannot parse value {raw!r}: {exc}") from exc
    return key.split("."), value


def _set_path(tree: dict, path: list[str], value: Any) -> None:
    node = tree
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[path[-1]] = value


def read_yaml(path: str | Path) -> dict:
    """Read a YAML mapping; a missing file or a non-mapping is a ConfigError."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"config file not found: {p}")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{p}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{p}: top level must be a mapping of field: value")
    return data


def _format_validation_error(exc: ValidationError, cls: type[BaseModel]) -> str:
    lines = [f"invalid {cls.__name__}:"]
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "(root)"
        lines.append(f"  {field}: {err['msg']} (got {err.get('input')!r})")
    return "\n".join(lines)


def load_config(
    cls: type[T],
    config_file: str | Path | None = None,
    overrides: list[str] | None = None,
    **cli_values: Any,
) -> T:
    """Build a validated `cls` from defaults, a YAML file, CLI values and `--set` overrides.

    CLI values that are None are ignored, so an option left unset keeps the file's value.
    """
    data: dict = read_yaml(config_file) if config_file else {}
    for key, value in cli_values.items():
        if value is not None:
            _set_path(data, key.split("."), value)
    for item in overrides or []:
        path, value = parse_override(item)
        _set_path(data, path, value)
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_format_validation_error(exc, cls)) from None


def config_help(cls: type[BaseModel], prefix: str = "") -> list[tuple[str, str, str]]:
    """(dotted name, default, help) for every field, nested models flattened."""
    rows: list[tuple[str, str, str]] = []
    for name, field in cls.model_fields.items():
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            rows.extend(config_help(ann, f"{prefix}{name}."))
        else:
            rows.append(
                (f"{prefix}{name}", repr(field.get_default(call_default_factory=True)), field.description or "")
            )
    return rows
