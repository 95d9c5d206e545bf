"""Reader of result tables in a repository's README / MODEL_ZOO files (Markdown pipe tables and HTML tables).

Driven by a mapping per repository (`sources/model-zoos/<owner>+<repo>.yaml`):

    source: {repo: o/r, commit: <sha>, licence: SPDX, name: ..., key_prefix: ...}
    paper: {title: ..., arxiv: ..., name: ...}        # what the README says of its paper
    protocols: {ss: {mode: single-scale}, ...}
    columns: {...}                                    # zoocells column specs, shared by the tables
    files:
      README.md:
        tables:
          - table: "Results and Models / ADE20K"      # the end of the headings above the table
            n: 1                                      # the n-th table under those headings (default 1)
            dataset: ade20k
            split: val
            evidence: "the sentence or heading that says so"
            training: {pretrain: imagenet-22k}        # what the heading / sentence states for every row
            columns: {...}                            # overrides / additions for this table
          - table: "Panoptic Segmentation"
            skip: "panoptic segmentation"

Every table of a mapped file must be matched by exactly one entry and every entry must match a table:
otherwise MappingError names the table (file, headings, position). Columns: see zoocells.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Mapping, Optional

from .records import PaperRef, Row, Skipped, SourceRef
from .zoocells import Cell, read_cells
from .zoocommon import Backbones, MappingError, github_blob

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Table:
    headings: tuple[str, ...]  # the headings above the table, outermost first
    position: int  # 1-based position among the tables under the same headings
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    line: int  # 1-based line of the table's first line

    @property
    def name(self) -> str:
        return " / ".join(self.headings) + (f" (table {self.position})" if self.position > 1 else "")


def parse_tables(text: str) -> list[Table]:
    """All tables of a Markdown file with the headings above each."""
    lines = text.splitlines()
    headings: list[tuple[int, str]] = []
    tables: list[Table] = []
    counts: dict[tuple[str, ...], int] = {}
    index = 0
    in_code = False
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if stripped.startswith("```"):
            in_code = not in_code
            index += 1
            continue
        if in_code:
            index += 1
            continue
        match = _HEADING.match(stripped)
        if match:
            level = len(match.group(1))
            headings = [h for h in headings if h[0] < level] + [(level, _plain(match.group(2)))]
            index += 1
            continue
        found: Optional[tuple[tuple[str, ...], list[tuple[Cell, ...]], int]] = None
        start = index
        if "|" in stripped and index + 1 < len(lines) and _is_separator(lines[index + 1]):
            # GFM: the outer pipes are optional ("a | b" rows); a table ends at a line without a pipe
            end = index + 2
            while end < len(lines) and "|" in lines[end] and lines[end].strip():
                end += 1
            header = tuple(c.text for c in _pipe_cells(lines[index]))
            body = [_pipe_cells(row) for row in lines[index + 2 : end]]
            found, index = (header, body, start), end
        elif "<table" in stripped.lower():
            end = index
            while end < len(lines) and "</table>" not in lines[end].lower():
                end += 1
            grid = _html_rows("\n".join(lines[index : end + 1]))
            if grid:
                found = (tuple(c.text for c in grid[0]), grid[1:], start)
            index = end + 1
        else:
            index += 1
        if found:
            path = tuple(h[1] for h in headings)
            counts[path] = counts.get(path, 0) + 1
            header, body, first = found
            tables.append(Table(path, counts[path], _distinct(header), tuple(body), first + 1))
    return tables


def _distinct(header: tuple[str, ...]) -> tuple[str, ...]:
    """Repeated headers (an HTML `colspan` header stands over each column it spans) become "X", "X (2)", ..."""
    seen: dict[str, int] = {}
    named = []
    for text in header:
        seen[text] = seen.get(text, 0) + 1
        named.append(text if seen[text] == 1 or not text else f"{text} ({seen[text]})")
    return tuple(named)


def _is_separator(line: str) -> bool:
    """A GFM delimiter row: cells of one or more dashes, optionally colon-aligned (`:-:` counts)."""
    if "-" not in line:
        return False
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    return bool(cells) and all(re.fullmatch(r":?-+:?", c) for c in cells)


def _plain(text: str) -> str:
    text = _LINK.sub(lambda m: m.group(1), text)
    text = html.unescape(_TAG.sub("", text))  # "Swin-L&dagger;" is "Swin-L†", "640&times;640" is "640×640"
    return re.sub(r"\s+", " ", text.replace("**", "").replace("`", "")).strip()


def _pipe_cells(line: str) -> tuple[Cell, ...]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    cells = re.split(r"(?<!\\)\|", inner)
    return tuple(Cell(_plain(c), tuple((_plain(t), h) for t, h in _LINK.findall(c))) for c in cells)


class _HTMLTable(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[Cell]] = []
        self._text: Optional[list[str]] = None
        self._links: list[tuple[str, str]] = []
        self._href: Optional[str] = None
        self._link_text: list[str] = []
        self._span = (1, 1)
        self._pending: dict[tuple[int, int], Cell] = {}  # (row, column) -> a cell spanning into it

    def _free(self, row: int) -> int:
        """The next column of `row` not taken by a cell spanning down from above (those are filled in)."""
        while (row, len(self.rows[row])) in self._pending:
            self.rows[row].append(self._pending.pop((row, len(self.rows[row]))))
        return len(self.rows[row])

    def close(self) -> None:
        super().close()
        for row in range(len(self.rows)):  # spanning cells at the end of a row
            if self.rows[row]:
                self._free(row)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in {"td", "th"}:
            self._text, self._links = [], []
            spans = dict(attrs)
            self._span = (_int(spans.get("rowspan")), _int(spans.get("colspan")))
        elif tag == "a" and self._text is not None:
            self._href, self._link_text = dict(attrs).get("href"), []
        elif tag == "br" and self._text is not None:
            self._text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self._links.append((_plain("".join(self._link_text)), self._href))
            self._href = None
        elif tag in {"td", "th"} and self._text is not None:
            if not self.rows:
                self.rows.append([])
            cell = Cell(_plain("".join(self._text)), tuple(self._links))
            rowspan, colspan = self._span
            row = len(self.rows) - 1
            for _ in range(colspan):
                column = self._free(row)
                self.rows[row].append(cell)
                for below in range(1, rowspan):  # the cell stands in the rows it spans, as a reader sees it
                    self._pending.setdefault((row + below, column), cell)
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)
            if self._href is not None:
                self._link_text.append(data)


def _int(value: Optional[str]) -> int:
    return int(value) if value and value.strip().isdigit() and int(value) > 0 else 1


def _html_rows(text: str) -> list[tuple[Cell, ...]]:
    parser = _HTMLTable()
    parser.feed(text)
    parser.close()
    return [tuple(row) for row in parser.rows if row]


def _match(tables: list[Table], entries: list[Mapping[str, Any]], where: str) -> list[tuple[Table, Mapping[str, Any]]]:
    pairs: list[tuple[Table, Mapping[str, Any]]] = []
    used: set[int] = set()
    for table in tables:
        joined = " / ".join(table.headings)
        hits = [
            i
            for i, entry in enumerate(entries)
            if (joined == entry["table"] or joined.endswith(" / " + entry["table"]))
            and int(entry.get("n", 1)) == table.position
        ]
        if len(hits) != 1:
            state = "is not in the mapping" if not hits else f"is matched by {len(hits)} entries"
            raise MappingError(f"table {table.name!r} (line {table.line}) of {where} {state}")
        used.add(hits[0])
        pairs.append((table, entries[hits[0]]))
    for i, entry in enumerate(entries):
        if i not in used:
            raise MappingError(f"mapping entry {entry['table']!r} (n={entry.get('n', 1)}) of {where} matches no table")
    return pairs


def read(
    repo_dir: Path, mapping: Mapping[str, Any], backbones: Optional[Backbones] = None
) -> tuple[list[Row], list[Skipped]]:
    """Rows and skipped tables / rows of every file the mapping names, under `repo_dir`."""
    backbones = backbones or Backbones({})
    rows: list[Row] = []
    skipped: list[Skipped] = []
    src = mapping["source"]
    for rel, spec in mapping["files"].items():
        path = repo_dir / rel
        url = github_blob(src["repo"], src["commit"], rel)
        source = SourceRef(
            key=_key(src["key_prefix"], rel),
            kind="model-zoo",
            name=f"{src['name']}: {rel}",
            url=url,
            licence=src.get("licence"),
        )
        if "skip" in spec:
            skipped.append(Skipped(url, rel, spec["skip"]))
            continue
        tables = parse_tables(path.read_text(encoding="utf-8"))
        for table, entry in _match(tables, list(spec.get("tables", [])), rel):
            if "skip" in entry:
                skipped.append(Skipped(url, f"§ {table.name}", entry["skip"]))
                continue
            made, left = _read_table(table, entry, mapping, source, rel, backbones)
            rows.extend(made)
            skipped.extend(left)
    return rows, skipped


def _key(prefix: str, rel: str) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", rel.lower().rsplit(".", 1)[0]).strip("-")
    return f"{prefix}-{stem}"


def _paper(mapping: Mapping[str, Any], entry: Mapping[str, Any], method: Optional[str], where: str) -> PaperRef:
    spec = entry.get("paper") or mapping.get("paper") or {}
    if method is not None and "methods" in mapping:
        if method not in mapping["methods"]:
            raise MappingError(f"method {method!r} ({where}) is not in the mapping's methods")
        spec = mapping["methods"][method]
        if "skip" in spec:
            return PaperRef()
    return PaperRef(title=spec.get("title"), name=spec.get("name"), arxiv=spec.get("arxiv"), url=spec.get("url"))


def _read_table(
    table: Table,
    entry: Mapping[str, Any],
    mapping: Mapping[str, Any],
    source: SourceRef,
    rel: str,
    backbones: Backbones,
) -> tuple[list[Row], list[Skipped]]:
    columns = dict(mapping.get("columns") or {})
    columns.update(entry.get("columns") or {})
    protocols = dict(mapping.get("protocols") or {})
    src = mapping["source"]
    base = posixpath.dirname(rel)

    def resolve(href: str) -> str:
        if re.match(r"^[a-z]+://", href):
            return href
        return github_blob(src["repo"], src["commit"], posixpath.normpath(posixpath.join(base, href)))

    rows: list[Row] = []
    skipped: list[Skipped] = []
    for number, cells in enumerate(table.rows, start=1):
        padded = list(cells) + [Cell("")] * (len(table.header) - len(cells))
        named = {h: c for h, c in zip(table.header, padded, strict=False) if h or c.text}
        label = next((c.text for h, c in named.items() if _role(columns, h) in {"model", "method"} and c.text), "")
        locator = f"§ {table.name}, row {number}" + (f" ({label})" if label else "")
        where = f"{rel} {locator}"
        if "" in named:
            raise MappingError(f"column with an empty header ({where}) is not in the mapping")
        read = read_cells(named, columns, protocols, where, resolve)
        method = read.fields.get("method")
        if method is not None and method in mapping.get("methods", {}) and "skip" in mapping["methods"][method]:
            skipped.append(Skipped(source.url, locator, f"method {method!r}: {mapping['methods'][method]['skip']}"))
            continue
        paper = _paper(mapping, entry, method, where)
        if read.fields.get("skip"):
            skipped.append(Skipped(source.url, locator, "; ".join(read.left)))
            continue
        if not read.groups:
            skipped.append(Skipped(source.url, locator, "; ".join(read.left) or "no metric in the row"))
            continue
        skipped.extend(Skipped(source.url, locator, reason) for reason in read.left)
        selected = read.fields.get("select") or {}
        dataset = selected.get("dataset", entry.get("dataset"))
        if dataset is None:
            raise MappingError(f"{where}: neither the table's entry nor a column names the dataset")
        training = dict(entry.get("training") or {})
        training.update(selected.get("training") or {})
        training.update(read.fields["training"])
        artifacts = dict(read.fields["artifacts"])
        if artifacts and src.get("framework"):
            artifacts["framework"] = src["framework"]
        for group in read.groups:
            evaluation = dict(entry.get("evaluation") or {})
            evaluation.update(group.evaluation)
            evaluation.update(selected.get("evaluation") or {})
            split = group.split or selected.get("split") or entry.get("split")
            if split is None:
                raise MappingError(f"{where}: neither the table's entry nor a column names the split")
            rows.append(
                Row(
                    paper=paper,
                    source=source,
                    locator=locator,
                    dataset=dataset,
                    split=split,
                    metrics=dict(group.metrics),
                    model=read.fields.get("model") or method,
                    backbone=backbones.slug(read.fields.get("backbone_label")),
                    training=training,
                    evaluation=evaluation,
                    hardware=group.hardware if group.hardware is not None else entry.get("hardware"),
                    artifacts=artifacts,
                    notes="; ".join(([entry["note"]] if entry.get("note") else []) + list(read.notes)) or None,
                )
            )
    return rows, skipped


def _role(columns: Mapping[str, Any], header: str) -> Optional[str]:
    spec = columns.get(header)
    if isinstance(spec, str):
        return spec
    return spec.get("role") if isinstance(spec, Mapping) else None
