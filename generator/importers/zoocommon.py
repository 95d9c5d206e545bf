"""Small helpers shared by the model-zoo readers (metafiles, zoo JSON, README tables).

Nothing here guesses: a number is parsed from its literal text (the text is kept, never rounded), a URL
is built from what a source states (repository, commit, path), a backbone label becomes a slug only
through the alias table in `sources/backbones.yaml` or mechanically (lower case, runs of
other characters to "-").
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Mapping, Optional

import yaml


class MappingError(ValueError):
    """A source holds something its mapping does not say how to read (a dataset, table or column)."""


class _DecimalLoader(yaml.SafeLoader):
    """A YAML loader that keeps floats as Decimal of their literal text ("45.0" stays "45.0")."""


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = loader.construct_scalar(node)
    try:
        return Decimal(str(text).replace("_", ""))
    except InvalidOperation:
        return str(text)


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def load_yaml_exact(path: Path) -> Any:
    """Load a YAML file with every float as the Decimal of its literal text."""
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_DecimalLoader)  # noqa: S506 - a SafeLoader subclass


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_FORMATTING = re.compile(r"(\*\*|\*|__|<b>|</b>|<strong>|</strong>)")


def number_text(cell: str, suffixes: tuple[str, ...] = ()) -> Optional[str]:
    """The literal number a cell states, without emphasis markers, a trailing '%' or a stated unit suffix.

    Returns None when the cell is not exactly one number (e.g. "-", "", "N/A", "79.5 (80.1)").
    """
    text = _FORMATTING.sub("", cell).strip()
    if text.endswith("%"):
        text = text[:-1].strip()
    for suffix in suffixes:
        if suffix and text.endswith(suffix):
            text = text[: -len(suffix)].strip()
            break
    if _NUMBER.fullmatch(text):
        return text
    return None


def to_decimal(value: Any, suffixes: tuple[str, ...] = ()) -> Optional[Decimal]:
    """A Decimal from a literal (Decimal from the exact loader, int, or a cell's text); None if not a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):  # a float parsed elsewhere: its repr is the shortest exact text
        return Decimal(repr(value))
    text = number_text(str(value), suffixes)
    return Decimal(text) if text is not None else None


def slugify(label: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", label.lower()).strip("-").replace(".", "-")


def github_blob(repo: str, commit: str, path: str) -> str:
    return f"https://github.com/{repo}/blob/{commit}/{path.lstrip('/')}"


class Backbones:
    """Backbone label -> slug, from the alias table (`slug: [labels]`), else mechanical."""

    def __init__(self, aliases: Mapping[str, list[str]]):
        self._by_label: dict[str, str] = {}
        for slug, labels in aliases.items():
            for label in labels:
                self._by_label[label.casefold()] = slug

    @classmethod
    def from_file(cls, path: Optional[Path]) -> Backbones:
        if path is None or not path.exists():
            return cls({})
        data = load_yaml(path) or {}
        return cls({slug: list(entry.get("labels", [])) for slug, entry in data.items()})

    def slug(self, label: Optional[str]) -> Optional[str]:
        if label is None:
            return None
        text = label.strip()
        if not text or text in {"-", "—"}:
            return None
        return self._by_label.get(text.casefold(), slugify(text))
