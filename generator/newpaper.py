"""`python -m generator new`: write a new paper file, in the format's field order, that validates.

The file starts with `# yaml-language-server: $schema=../paper.schema.json`, so that editors that read it
(VS Code with the YAML extension, and others) check and complete fields as the contributor types, and
ends with a commented example of a result and its source. The YAML is written here, value by value,
quoting whatever a YAML reader could take for something else (arXiv ids that look like numbers, titles
with ': ' or ' #', words like `yes` or `null`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any, Mapping

from .problems import relpath

SCHEMA_LINE = "# yaml-language-server: $schema=../paper.schema.json"
ORDER = ("title", "name", "authors", "year", "date", "venue", "ids", "links", "topics", "tags", "builds_on",
         "abstract", "notes", "results", "bibtex")
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

# YAML 1.1 readers (PyYAML's default, many tools) resolve these plain words to booleans or null
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}
# numbers, dates, times, hex, sexagesimal... in any YAML version: quote every word that starts like a number
_NUMBERLIKE = re.compile(r"[-+.]?[0-9][\w.:+\-]*\Z|[-+]?\.(inf|nan)\Z", re.I)
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")


def scalar(value: Any, flow: bool = False) -> str:
    """One YAML scalar: plain when every YAML reader reads it back as this very string, quoted otherwise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    plain = (
        text != ""
        and text == text.strip()
        and "\n" not in text
        and text[0] not in _INDICATORS
        and ": " not in text and " #" not in text and not text.endswith(":")
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
    return "".join(c if c.isprintable() or c == " " else
                   (f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}") for c in out)


def _flow_list(items) -> str:
    return "[" + ", ".join(scalar(i, flow=True) for i in items) + "]"


def _block_map(mapping: Mapping[str, Any], indent: str) -> list[str]:
    lines = []
    for key, value in mapping.items():
        if isinstance(value, Mapping):
            lines.append(f"{indent}{key}:")
            lines.extend(_block_map(value, indent + "  "))
        elif isinstance(value, (list, tuple)):
            lines.append(f"{indent}{key}: {_flow_list(value)}")
        else:
            lines.append(f"{indent}{key}: {scalar(value)}")
    return lines


def paper_yaml(data: Mapping[str, Any], header: bool = True, template: bool = False) -> str:
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
        if key == "results":
            raise ValueError("new files carry no results; write them by hand with their sources")
        if isinstance(value, Mapping):
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
    "date": ["# date: 2016-12-04                   # first public version, YYYY-MM-DD (timelines use it)"],
    "venue": ["# venue: cvpr                        # a slug in papers/venues.yaml (arxiv for preprints)"],
    "ids": ["# ids:", '#   arxiv: "1612.01105"               # quoted', "#   doi: 10.1109/CVPR.2017.660"],
    "links": ["# links:                             # http(s) only", "#   paper: https://arxiv.org/abs/1612.01105",
              "#   code: https://github.com/owner/repo"],
    "topics": ["# topics: [context-aggregation]      # slugs in papers/topics.yaml"],
    "tags": ["# tags: [ResNet]                     # free labels shown as filters"],
    "builds_on": ["# builds_on: [fcn]                   # ids of papers this method extends"],
    "abstract": ["# abstract: ...                      # in the original language"],
    "notes": ["# notes:                             # Markdown, in either language or both",
              "#   en: What is new, in one or two sentences.", "#   zh: 用一两句话说明新意。"],
    "results": [
        "# results:                           # one entry per reported set of numbers, each with its source",
        "#   - dataset: cityscapes            # a slug in papers/datasets.yaml",
        "#     split: test                    # a split that the dataset declares",
        "#     model: PSPNet (ResNet-101)     # row label on leaderboards",
        "#     metrics: {mIoU: 81.2}          # copied exactly as published",
        "#     extra_data: false",
        "#     source:",
        "#       kind: paper                  # paper | leaderboard | model-zoo | reproduction | survey",
        "#       name: Pyramid Scene Parsing Network (CVPR 2017)",
        "#       url: https://arxiv.org/abs/1612.01105",
        "#       locator: Table 7             # table, figure, page or row",
    ],
}

# what `new` tells the contributor to fill in, for fields a new file lacks
TODO = {
    "authors": "authors: every author, 'Given Family', in order (or --author, repeated)",
    "venue": "venue: a slug in papers/venues.yaml, or arxiv for a preprint (or --venue)",
    "ids": "ids: the arXiv id and/or DOI (or --arxiv / --doi)",
    "links": "links.paper: where to read the paper (links.code for its code)",
    "topics": "topics: slugs in papers/topics.yaml",
    "results": "results: the numbers the paper reports, each with its source (kind, name, url, locator)",
}


def _usage(message: str) -> int:
    print(f"python -m generator new: {message}", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    from . import bibparse
    from .importer import existing_paper, paper_from_record, unique_id
    from .cli import print_problems, validated
    from .schema import ArxivId, Doi, hint
    from .validate import DEFAULT_ROOT, ID_RULE, validate_tree

    root = Path(args.papers) if args.papers else DEFAULT_ROOT
    if not (root / "venues.yaml").is_file():
        return _usage(f"no papers folder at {root} (it holds venues.yaml and the other registries)")

    data: dict[str, Any] = {}
    notes: list[str] = []
    if args.bibtex:
        try:
            text = sys.stdin.read() if args.bibtex == "-" else Path(args.bibtex).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return _usage(f"cannot read {args.bibtex}: {exc}")
        shown = "<stdin>" if args.bibtex == "-" else args.bibtex
        items = bibparse.read(text)
        if len(items) != 1:
            return _usage(f"{shown} holds {len(items)} entries; `new --bibtex` takes one "
                          f"(`python -m generator import bibtex {shown}` reads many)")
        item = items[0]
        if isinstance(item, bibparse.BadEntry):
            print(f"{shown}:{item.line}: error: {item.message}", file=sys.stderr)
            return EXIT_PROBLEMS

    checked = validated(root, "new", "a paper is added")
    if checked is None:
        return EXIT_PROBLEMS
    regs = checked.registries
    assert regs is not None

    if args.bibtex:
        # lenient: a title or year the entry lacks (or gets wrong) may come from --title / --year
        data, notes = paper_from_record(item, regs, lenient=True)
        for what in ("title", "year"):
            if what not in data and getattr(args, what) is None:
                print(f"{shown}:{item.line}: error: the entry has no usable {what}; give --{what}", file=sys.stderr)
                return EXIT_USAGE

    # flags win over the entry
    if args.title:
        data["title"] = " ".join(args.title.split())
    if args.year is not None:
        data["year"] = args.year
    if args.name:
        data["name"] = args.name.strip()
    if args.author:
        data["authors"] = [" ".join(a.split()) for a in args.author if a.strip()]
    if args.venue:
        data["venue"] = args.venue
    ids = dict(data.get("ids") or {})
    if args.arxiv:
        ids["arxiv"] = args.arxiv.strip()
    if args.doi:
        ids["doi"] = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", args.doi.strip(), flags=re.I)
    if ids:
        data["ids"] = ids
    if ids.get("arxiv") and not (data.get("links") or {}).get("paper"):
        data.setdefault("links", {})["paper"] = f"https://arxiv.org/abs/{ids['arxiv']}"

    texts = [data.get("title") or "", data.get("name") or "", *(data.get("authors") or [])]
    if any(re.search(r"[\x00-\x1f\x7f-\x9f]", t) for t in texts):
        return _usage("a title, name or author holds a control character; remove it")
    missing = [f"--{k}" for k in ("title", "year") if not data.get(k)]
    if missing:
        return _usage(f"give {' and '.join(missing)} (or --bibtex FILE with an entry that has them)")
    if not data["title"].strip():
        return _usage("the title is empty")
    if not 1900 <= data["year"] <= 2100:
        return _usage(f"year {data['year']} is not plausible")
    if data.get("venue") and data["venue"] not in regs.venues:
        return _usage(f"unknown venue '{data['venue']}'{hint(data['venue'], regs.venues)} "
                      f"(venues: {', '.join(regs.venues)})")
    if ids.get("arxiv") and not ArxivId.pattern.match(ids["arxiv"]):
        return _usage(f"--arxiv: expected {ArxivId.expected}, got '{ids['arxiv']}'")
    if ids.get("doi") and not Doi.pattern.match(ids["doi"]):
        return _usage(f"--doi: expected {Doi.expected}, got '{ids['doi']}'")
    if args.id is not None and not ID_RULE.match(args.id):
        return _usage(f"--id '{args.id}' breaks the id rule: lower-case letters, digits and '-' (e.g. my-method)")

    year = data["year"]
    others = list(checked.papers)
    if args.id:
        pid = args.id
    else:
        pid = unique_id(data, {pf.id for pf in others})
    path = root / str(year) / f"{pid}.yaml"
    shown_path = relpath(path)
    if path.exists() and not args.force:
        print(f"new: {shown_path} already exists; edit it, or give --force to overwrite it", file=sys.stderr)
        return EXIT_PROBLEMS
    same_file = {relpath(path)}
    for pf in others:
        if pf.id == pid and pf.path not in same_file:
            print(f"new: id '{pid}' is already used by {pf.path}; choose another --id", file=sys.stderr)
            return EXIT_PROBLEMS
    dup = existing_paper(data, [pf for pf in others if pf.path not in same_file])
    if dup:
        print(f"new: {dup[0].path} already describes this paper (same {dup[1]}); edit that file", file=sys.stderr)
        return EXIT_PROBLEMS

    text = paper_yaml(data, header=True, template=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    after = validate_tree(root, only={path})
    if after.problems:  # a bug here, never the contributor's: say so, and leave the file to be looked at
        print_problems(after.problems, "text", after.files_checked)
        print(f"new: wrote {shown_path}, but it does not validate (please report this)", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"wrote {shown_path}", file=sys.stderr)
    for note in notes:
        print(f"  note: {note}", file=sys.stderr)
    todo = [TODO[k] for k in TODO if not data.get(k) or (k == "links" and not data["links"].get("paper"))]
    if todo:
        print(f"fill in, in {shown_path}:", file=sys.stderr)
        for line in todo:
            print(f"  - {line}", file=sys.stderr)
    print(f"then check it: python -m generator validate {shown_path}", file=sys.stderr)
    return EXIT_OK


__all__ = ["run", "paper_yaml", "scalar", "SCHEMA_LINE", "ORDER"]
