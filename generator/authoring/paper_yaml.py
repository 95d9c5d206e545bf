"""A paper file written from plain data, value by value, in the format's field order.

The file starts with `# yaml-language-server: $schema=../paper.schema.json`, so that editors that read it
(VS Code with the YAML extension, and others) check and complete fields as the contributor types. Values
are quoted whenever a YAML reader could take them for something else (arXiv ids that look like numbers,
titles with ': ' or ' #', words like `yes` or `null`).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any, Mapping

SCHEMA_LINE = "# yaml-language-server: $schema=../paper.schema.json"
ORDER = (
    "format",
    "title",
    "name",
    "authors",
    "year",
    "date",
    "venue",
    "published",
    "ids",
    "links",
    "topics",
    "tags",
    "builds_on",
    "abstract",
    "notes",
    "sources",
    "results",
    "bibtex",
)
RESULT_ORDER = (
    "id",
    "task",
    "dataset",
    "split",
    "model",
    "backbone",
    "metrics",
    "per_class",
    "source",
    "locator",
    "also",
    "training",
    "evaluation",
    "hardware",
    "reproduces",
    "artifacts",
    "input_size",
    "tags",
    "protocol",
    "notes",
)

# YAML 1.1 readers (PyYAML's default, many tools) resolve these plain words to booleans or null
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}
# numbers, dates, times, hex, sexagesimal... in any YAML version: quote every word that starts like a number
_NUMBERLIKE = re.compile(r"[-+.]?[0-9][\w.:+\-]*\Z|[-+]?\.(inf|nan)\Z", re.I)
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")


def scalar(value: Any, flow: bool = False) -> str:
    """One YAML scalar: plain when every YAML reader reads it back as this very string, quoted otherwise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):  # a number as published: its text, never rounded
        return str(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    plain = (
        text != ""
        and text == text.strip()
        and "\n" not in text
        and text[0] not in _INDICATORS
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and text.lower() not in _YAML11_WORDS
        and not _NUMBERLIKE.match(text)
        and all(ch.isprintable() for ch in text)
        and not (flow and any(ch in text for ch in ",[]{}#"))
        and "\t" not in text
    )
    return text if plain else _quoted(text)


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's), with anything unprintable escaped."""
    out = json.dumps(text, ensure_ascii=False)
    return "".join(
        c if c.isprintable() or c == " " else (f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}")
        for c in out
    )


def _flow_list(items) -> str:
    return "[" + ", ".join(scalar(i, flow=True) for i in items) + "]"


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.+-]*", key) and not _NUMBERLIKE.match(key) else _quoted(key)


def _block_map(mapping: Mapping[str, Any], indent: str) -> list[str]:
    lines = []
    for key, value in mapping.items():
        if isinstance(value, Mapping):
            lines.append(f"{indent}{_key(key)}:")
            lines.extend(_block_map(value, indent + "  "))
        elif isinstance(value, (list, tuple)) and any(isinstance(v, Mapping) for v in value):
            lines.append(f"{indent}{_key(key)}:")
            lines.extend(_block_list(value, indent + "  "))
        elif isinstance(value, (list, tuple)):
            lines.append(f"{indent}{_key(key)}: {_flow_list(value)}")
        else:
            lines.append(f"{indent}{_key(key)}: {scalar(value)}")
    return lines


def _block_list(items, indent: str) -> list[str]:
    lines = []
    for item in items:
        if isinstance(item, Mapping):
            body = _block_map(item, indent + "  ")
            lines.append(f"{indent}- {body[0][len(indent) + 2 :]}")
            lines.extend(body[1:])
        else:
            lines.append(f"{indent}- {scalar(item)}")
    return lines


def result_order(result: Mapping[str, Any]) -> dict:
    """A result's keys in the format's order (unknown keys last, as given)."""
    out = {k: result[k] for k in RESULT_ORDER if k in result}
    out.update({k: v for k, v in result.items() if k not in out})
    return out


def paper_yaml(data: Mapping[str, Any], header: bool = True, template: bool = False, results: bool = False) -> str:
    """A paper file from plain data (the paper format's keys), fields in the format's order.

    With template=True, the optional fields left out are written as comments showing what goes there,
    followed by a commented results example."""
    unknown = set(data) - set(ORDER)
    if unknown:
        raise ValueError(f"not fields of the paper format: {', '.join(sorted(unknown))}")
    lines = [SCHEMA_LINE] if header else []
    for key in ORDER:
        value = data.get(key)
        if value in (None, (), [], {}):
            if template and key in TEMPLATE:
                lines.extend(TEMPLATE[key])
            continue
        if key == "results" and not results:
            raise ValueError("new files carry no results; write them by hand with their sources")
        if key == "results":
            lines.append("results:")
            lines.extend(_block_list([result_order(r) for r in value], "  "))
        elif isinstance(value, Mapping):
            lines.append(f"{key}:")
            lines.extend(_block_map(value, "  "))
        elif isinstance(value, (list, tuple)):
            lines.append(f"{key}: {_flow_list(value)}")
        else:
            lines.append(f"{key}: {scalar(value)}")
    return "\n".join(lines) + "\n"


TEMPLATE: dict[str, list[str]] = {
    "name": ["# name: PSPNet                       # short method name shown in tables"],
    "authors": ["# authors: [Given Family, Given Family]   # every author, in order, as published"],
    "date": [
        "# date: 2016-12                      # first public version, YYYY-MM or YYYY-MM-DD (an arXiv id 1612.x is 2016-12)"
    ],
    "published": [
        "# published:                         # the version of record, where a source states it",
        "#   venue: cvpr",
        "#   year: 2017",
        "#   pages: 2881--2890",
        "#   doi: 10.1109/CVPR.2017.660",
    ],
    "venue": ["# venue: cvpr                        # a slug in papers/venues.yaml (arxiv for preprints)"],
    "ids": ["# ids:", '#   arxiv: "1612.01105"               # quoted', "#   doi: 10.1109/CVPR.2017.660"],
    "links": [
        "# links:                             # http(s) only",
        "#   paper: https://arxiv.org/abs/1612.01105",
        "#   code: https://github.com/owner/repo",
    ],
    "topics": ["# topics: [context-aggregation]      # slugs in papers/topics.yaml"],
    "tags": ["# tags: [ResNet]                     # free labels shown as filters"],
    "builds_on": ["# builds_on: [fcn]                   # ids of papers this method extends"],
    "abstract": ["# abstract: ...                      # in the original language"],
    "notes": [
        "# notes:                             # Markdown, in either language or both",
        "#   en: What is new, in one or two sentences.",
        "#   zh: 用一两句话说明新意。",
    ],
    "sources": [
        "# sources:                           # every source the results cite, said once",
        "#   paper:                           # a key the results refer to",
        "#     kind: paper                    # paper | leaderboard | model-zoo | reproduction | survey",
        "#     name: Pyramid Scene Parsing Network (CVPR 2017)",
        "#     url: https://arxiv.org/abs/1612.01105",
        "#     retrieved: 2025-06-30          # when you read it (YYYY-MM-DD)",
    ],
    "results": [
        "# results:                           # one entry per reported set of numbers",
        "#   - id: <dataset>-test-pspnet      # unique in this file, never changed once published",
        "#     dataset: <dataset>             # a slug in papers/datasets.yaml",
        "#     split: test                    # the split evaluated on (datasets.yaml lists them)",
        "#     model: PSPNet (ResNet-101)     # row label as the source writes it",
        "#     backbone: resnet-101           # a slug in papers/backbones.yaml",
        "#     metrics: {<metric>: 81.2}      # slugs in papers/metrics.yaml; numbers exactly as published",
        "#     source: paper                  # a key in sources",
        "#     locator: Table 7               # table, figure, page or row",
        "#     training:                      # only what the source says",
        "#       splits: [train, val]",
        "#       extra_data: false            # only when the source says so without naming the data",
        "#     evaluation:",
        "#       mode: multi-scale            # single-scale | multi-scale",
        "#       flip: true",
        "#     hardware: unstated             # required with fps or latency_ms: {device, count, precision, batch, framework, resolution}",
    ],
}

# what `new` tells the contributor to fill in, for fields a new file lacks
TODO = {
    "authors": "authors: every author, 'Given Family', in order (or --author, repeated)",
    "venue": "venue: a slug in papers/venues.yaml, or arxiv for a preprint (or --venue)",
    "ids": "ids: the arXiv id and/or DOI (or --arxiv / --doi)",
    "links": "links.paper: where to read the paper (links.code for its code)",
    "topics": "topics: slugs in papers/topics.yaml",
    "results": "results: the numbers the paper reports, each with an id, a source key (sources:) and a locator",
}
