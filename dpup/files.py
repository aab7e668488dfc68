"""Reading and writing agreement files: YAML (safe loading only), JSON and TOML."""

import json
import tomllib
from pathlib import Path
from typing import Any, Literal

import tomli_w
import yaml

from dpup._private.converter import _HEADER, FORMAT_VERSION, make_converter
from dpup.model import Agreement

__all__ = ["Format", "dump", "dumps", "load", "loads"]

Format = Literal["yaml", "json", "toml"]

_converter = make_converter()


def loads(text: str, format: Format = "yaml") -> Agreement:
    """Load an agreement from text."""
    if format == "yaml":
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    elif format == "json":
        data = json.loads(text)
    else:
        data = tomllib.loads(text)
    return _structure(data)


def load(path: str | Path) -> Agreement:
    """Load an agreement file; the format follows the suffix."""
    p = Path(path)
    return loads(p.read_text(encoding="utf-8"), format=_format_of(p))


def _format_of(p: Path) -> Format:
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    if suffix == ".toml":
        return "toml"
    raise ValueError(f"{p}: cannot tell the format from the suffix {suffix!r}")


def _structure(data: Any) -> Agreement:
    header = data.get("agreement", {})
    body = {k: v for k, v in data.items() if k not in ("dpup", "agreement")}
    return _converter.structure({**header, **body}, Agreement)


def _unstructure(agreement: Agreement) -> dict[str, Any]:
    flat = _converter.unstructure(agreement)
    out: dict[str, Any] = {
        "dpup": FORMAT_VERSION,
        "agreement": {k: flat.pop(k) for k in _HEADER if k in flat},
    }
    out.update(flat)
    return out


def dumps(agreement: Agreement, format: Format = "yaml") -> str:
    """Write an agreement as text."""
    data = _unstructure(agreement)
    if format == "yaml":
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    if format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
    return tomli_w.dumps(data)


def dump(agreement: Agreement, path: str | Path) -> None:
    """Write an agreement file; the format follows the suffix."""
    p = Path(path)
    p.write_text(dumps(agreement, format=_format_of(p)), encoding="utf-8")
