"""Paper files in and out, exactly: numbers read as the Decimal written, written back as the same digits.

`load_exact` reads YAML with floats as Decimal and dates kept as their text; `dump_paper` writes a paper
dict in the field order of format version 2, quoting strings with `generator.authoring.paper_yaml.scalar`
so that any YAML reader reads each back as the same string. No tags are ever written.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

# the key order of a paper file is one, for `new` and the importers alike
from generator.authoring.paper_yaml import ORDER as TOP_ORDER
from generator.authoring.paper_yaml import RESULT_ORDER
from generator.authoring.paper_yaml import SCHEMA_LINE, scalar

PUBLISHED_ORDER = ("venue", "year", "volume", "number", "pages", "doi", "publisher")
SOURCE_ORDER = ("kind", "name", "url", "retrieved", "licence")
TRAINING_ORDER = ("splits", "extra", "extra_data", "pretrain", "crop", "schedule", "batch")
EVALUATION_ORDER = ("mode", "scales", "flip", "inference", "crop", "test_server")
HARDWARE_ORDER = ("device", "count", "precision", "batch", "framework", "resolution")


class _ExactLoader(yaml.SafeLoader):
    """SafeLoader with floats as Decimal (from the literal text) and timestamps left as strings."""


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = loader.construct_scalar(node)
    try:
        return Decimal(str(text).replace("_", ""))
    except Exception:  # .inf / .nan: keep the float reading
        return yaml.SafeLoader.construct_yaml_float(loader, node)


def _text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    return loader.construct_scalar(node)


_ExactLoader.add_constructor("tag:yaml.org,2002:float", _decimal)
_ExactLoader.add_constructor("tag:yaml.org,2002:timestamp", _text)


def load_exact(text: str) -> Any:
    return yaml.load(text, Loader=_ExactLoader)  # noqa: S506 - a SafeLoader subclass


def read_paper_file(path: Path) -> tuple[dict, tuple[str, ...]]:
    """A paper file's data and its leading comment lines (the schema line left out)."""
    text = Path(path).read_text(encoding="utf-8")
    comments = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if line != SCHEMA_LINE:
            comments.append(line)
    return load_exact(text) or {}, tuple(comments)


def _ordered(mapping: Mapping[str, Any], order: Iterable[str]) -> list[tuple[str, Any]]:
    order = tuple(order)
    first = [(k, mapping[k]) for k in order if k in mapping]
    return first + [(k, v) for k, v in mapping.items() if k not in order]


_ORDERS = {
    "published": PUBLISHED_ORDER,
    "training": TRAINING_ORDER,
    "evaluation": EVALUATION_ORDER,
    "hardware": HARDWARE_ORDER,
}


def _empty(value: Any) -> bool:
    if value is None or (isinstance(value, str) and value == ""):
        return True
    return isinstance(value, (list, tuple, Mapping)) and len(value) == 0


def _value(value: Any, flow: bool = False) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):  # pragma: no cover - readers give Decimals; never write a float's repr
        raise TypeError(f"a float in paper data: {value!r}; give a Decimal as written")
    return scalar(value, flow=flow)


def _flow(items: Iterable[Any]) -> str:
    return "[" + ", ".join(_value(i, flow=True) for i in items) + "]"


def _map_lines(pairs: list[tuple[str, Any]], indent: str, parent: str = "") -> list[str]:
    lines: list[str] = []
    for key, value in pairs:
        if _empty(value):
            continue
        k = scalar(str(key))
        if isinstance(value, Mapping):
            if parent == "sources":
                sub = _ordered(value, SOURCE_ORDER)
            else:
                sub = _ordered(value, _ORDERS.get(key, ()))
            lines.append(f"{indent}{k}:")
            lines.extend(_map_lines(sub, indent + "  ", parent=key))
        elif isinstance(value, (list, tuple)):
            if all(not isinstance(v, (Mapping, list, tuple)) for v in value):
                lines.append(f"{indent}{k}: {_flow(value)}")
            else:
                lines.append(f"{indent}{k}:")
                order = RESULT_ORDER if key == "results" else ()
                for item in value:
                    item_lines = _map_lines(_ordered(item, order), indent + "    ", parent=key)
                    lines.append(f"{indent}  - {item_lines[0].lstrip()}")
                    lines.extend(item_lines[1:])
        else:
            lines.append(f"{indent}{k}: {_value(value)}")
    return lines


def dump_paper(data: Mapping[str, Any], comments: Iterable[str] = ()) -> str:
    """The text of a paper file: schema line, comments, then the fields in format-2 order."""
    lines = [SCHEMA_LINE, *comments]
    lines += _map_lines(_ordered(data, TOP_ORDER), "")
    return "\n".join(lines) + "\n"


__all__ = ["load_exact", "read_paper_file", "dump_paper", "TOP_ORDER", "RESULT_ORDER"]
