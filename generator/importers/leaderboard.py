"""OpenCodePapers benchmark files (Papers with Code's leaderboards, continued) -> rows.

A board is read through its entry in a mapping file (`sources/leaderboards.yaml`): the dataset, and for
every metric column the metric slug and split. A board, column or field the mapping does not name is a
`MappingError` naming it; nothing is guessed. Cells keep their number exactly as written ("86.1%" ->
Decimal("86.1")); settings are read from the model label only where it states them (`labels.py`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Mapping, Optional

import yaml

from generator.format.types import arxiv_in, doi_in

from .labels import parse_label
from .records import PaperRef, Row, SourceRef, Skipped

LAYOUT_KEYS = ("p", "c", "n", "d")  # paper, code, model name, release date


class MappingError(ValueError):
    """The mapping does not say how to read a board, a column or a field of the file."""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    metric: Optional[str] = None
    split: Optional[str] = None
    skip: Optional[str] = None
    companion: bool = False  # a cost metric, imported only beside an accuracy metric of its split
    suffix: Optional[str] = None  # unit letter a cell may end with ("G", "M")
    paren: Optional[str] = None  # "device": "(3090)" after a speed is the device it was measured on
    note: Optional[str] = None
    setting: Optional[str] = None  # "extra_data": a yes/no column of PwC's "extra training data"


@dataclass(frozen=True)
class Board:
    file: str
    source: SourceRef
    dataset: str
    task: str
    columns: Mapping[str, Column]
    items: Mapping[int, Mapping[str, str]] = field(default_factory=dict)  # index -> {model, skip}


@dataclass(frozen=True)
class LeaderboardMapping:
    boards: Mapping[str, Board]


def load_mapping(path: Path) -> LeaderboardMapping:
    """The mapping file (`sources/leaderboards.yaml`) as typed boards. Raises MappingError."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    licence = data.get("licence")
    boards: dict[str, Board] = {}
    for file, b in (data.get("boards") or {}).items():
        for need in ("key", "name", "url", "dataset", "columns"):
            if need not in b:
                raise MappingError(f"{path}: board {file}: '{need}' missing")
        source = SourceRef(
            key=b["key"],
            kind="leaderboard",
            name=b["name"],
            url=b["url"],
            licence=b.get("licence", licence),
            retrieved=b.get("retrieved"),
        )
        columns = {}
        for key, c in b["columns"].items():
            if "label" not in c or not (c.get("skip") or (c.get("metric") and c.get("split")) or c.get("setting")):
                raise MappingError(
                    f"{path}: board {file}, column {key}: give label and metric+split, setting, or skip: reason"
                )
            columns[key] = Column(
                key=key,
                label=c["label"],
                metric=c.get("metric"),
                split=c.get("split"),
                skip=c.get("skip"),
                companion=bool(c.get("companion")),
                suffix=c.get("suffix"),
                paren=c.get("paren"),
                note=c.get("note"),
                setting=c.get("setting"),
            )
        items = {int(i): dict(v) for i, v in (b.get("items") or {}).items()}
        boards[file] = Board(
            file=file,
            source=source,
            dataset=b["dataset"],
            task=b.get("task", "semantic-segmentation"),
            columns=columns,
            items=items,
        )
    return LeaderboardMapping(boards=boards)


# Cells ---------------------------------------------------------------------------------------

_CELL = re.compile(r"\s*(?P<num>[-+]?\d+(?:\.\d+)?)\s*(?P<unit>%|[A-Za-z]{1,2})?\s*(?:\((?P<paren>[^()]*)\))?\s*\Z")


@dataclass(frozen=True)
class Cell:
    value: Decimal
    unit: Optional[str] = None
    paren: Optional[str] = None


def parse_metric(text: str) -> Optional[Cell]:
    """A metric cell: '86.1%' -> 86.1, '72.3 (3090)' -> 72.3 with '3090' kept, '8.7G' -> 8.7 unit G.
    The number is exactly the digits written (Decimal from the text, never through a float)."""
    m = _CELL.match(text or "")
    if not m:
        return None
    try:
        value = Decimal(m.group("num"))
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        return None
    return Cell(value, m.group("unit"), (m.group("paren") or "").strip() or None)


_YES = {"yes", "true", "✓", "✔", "y"}
_NO = {"no", "false", "✗", "✘", "n"}


def yes_no(text: str) -> Optional[bool]:
    t = re.sub(r"&[a-z]+;", "", (text or "")).strip().casefold()
    return True if t in _YES else False if t in _NO else None


# Paper and code cells ------------------------------------------------------------------------

_MD_LINK = re.compile(r"\s*\[(?P<text>.*)\]\((?P<url>[^()\s]*)\)\s*\Z", re.S)


def paper_of(p: Any, date: Optional[str]) -> PaperRef:
    """What a `p` cell says: {name, link, authors?} or a Markdown link '[title](url)'."""
    if isinstance(p, Mapping):
        title, url, authors = p.get("name") or None, p.get("link") or None, p.get("authors") or ""
    else:
        m = _MD_LINK.match(p or "")
        title, url, authors = (m.group("text") or None, m.group("url") or None, "") if m else (p or None, None, "")
    title = " ".join(title.split()) if title else None
    arxiv = arxiv_in(url)
    names = authors_of(authors) if isinstance(authors, str) else ()
    return PaperRef(title=title, authors=names, arxiv=arxiv, doi=doi_in(url), url=url, date=paper_date(date, arxiv))


def authors_of(text: str) -> tuple[str, ...]:
    """An authors cell as names: 'A B, C D and E F'; 'Family, Given; Family, Given' turned to 'Given Family'."""
    text = " ".join(text.split())
    if ";" in text:
        out = []
        for person in (p.strip() for p in text.split(";")):
            family, _, given = person.partition(",")
            out.append(f"{given.strip()} {family.strip()}".strip() if given.strip() else family.strip())
        return tuple(p for p in out if p)
    return tuple(a.strip() for a in re.split(r",\s*|\s+and\s+", text) if a.strip())


def code_of(c: Any) -> Optional[str]:
    if not c:
        return None
    m = _MD_LINK.match(c)
    return (m.group("url") if m else c.strip()) or None


def paper_date(d: Optional[str], arxiv: Optional[str]) -> Optional[str]:
    """The row's release date `d` as the paper's date: where there is an arXiv id, only if `d` falls in
    the id's month or the month before (a submission on the last days of a month is announced in the
    next); otherwise it is PwC's date of the paper."""
    if not d or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", d):
        return None
    if not arxiv:
        return d
    y, mth = 2000 + int(arxiv[:2]), int(arxiv[2:4])
    dy, dm = int(d[:4]), int(d[5:7])
    months = (y * 12 + mth) - (dy * 12 + dm)
    return d if months in (0, 1) else None


# The board -----------------------------------------------------------------------------------


def board_of(path: Path, mapping: LeaderboardMapping, data: Mapping[str, Any]) -> Board:
    board = mapping.boards.get(path.name)
    if board is None:
        raise MappingError(f"{path.name}: board not in the mapping (add it to sources/leaderboards.yaml)")
    for f in data["benchmark"]["fields"]:
        key, label = f["key"], f.get("label", "")
        if key in LAYOUT_KEYS:
            continue
        col = board.columns.get(key)
        if col is None:
            raise MappingError(f"{path.name}: column {key} '{label}' not in the mapping")
        if col.label != label:
            raise MappingError(f"{path.name}: column {key} is '{label}' in the file, '{col.label}' in the mapping")
    return board


def read(path: Path, mapping: LeaderboardMapping) -> tuple[list[Row], list[Skipped]]:
    """Every row of one benchmark file: the rows imported and the cells or rows left out (with why)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    board = board_of(Path(path), mapping, data)
    fields = {f["key"] for f in data["benchmark"]["fields"]}
    rows: list[Row] = []
    skipped: list[Skipped] = []
    for index, item in enumerate(data["benchmark"]["items"]):
        r, s = _item(board, index, item, fields)
        rows += r
        skipped += s
    return rows, skipped


def _item(board: Board, index: int, item: Mapping[str, Any], fields: set[str]) -> tuple[list[Row], list[Skipped]]:
    where = f"benchmark.items[{index}]"
    src = board.source.key
    label_raw = item.get("n") or ""
    for key in item:
        if key not in LAYOUT_KEYS and key not in board.columns:
            raise MappingError(f"{board.file}: {where}: field '{key}' not in the mapping")
    override = board.items.get(index)
    if override:
        if override.get("model") != label_raw:
            raise MappingError(f"{board.file}: {where} is '{label_raw}', the mapping expects '{override.get('model')}'")
        return [], [
            Skipped(src, f"{where} ({k})", f"row left out: {override['skip']}")
            for k in item
            if k not in LAYOUT_KEYS and item[k] != ""
        ] or [Skipped(src, where, f"row left out: {override['skip']}")]
    label = " ".join(label_raw.split())
    settings = parse_label(label)
    training = dict(settings.training)
    skipped: list[Skipped] = []
    by_split: dict[str, dict[str, tuple[Decimal, Column]]] = {}
    companions: list[tuple[Column, Cell]] = []
    hardware: dict[str, str] = {}
    notes: list[str] = []
    for key in sorted(k for k in item if k not in LAYOUT_KEYS):
        col = board.columns[key]
        text = item[key]
        cell_where = f"{where} ({key})"
        if text is None or str(text).strip() == "":
            continue
        if col.skip:
            skipped.append(Skipped(src, cell_where, f"column '{col.label}' not imported: {col.skip}"))
            continue
        if col.setting == "extra_data":
            flag = yes_no(str(text))
            if flag is None:
                skipped.append(Skipped(src, cell_where, f"'{text}' in column '{col.label}' is neither yes nor no"))
            elif not training.get("extra") and "coarse" not in training.get("splits", ()):
                training["extra_data"] = flag
            continue
        cell = parse_metric(str(text))
        if cell is None:
            skipped.append(Skipped(src, cell_where, f"'{text}' in column '{col.label}' is not a number"))
            continue
        if cell.unit and cell.unit != "%" and cell.unit != col.suffix:
            skipped.append(
                Skipped(src, cell_where, f"'{text}' in column '{col.label}': unit '{cell.unit}' not expected")
            )
            continue
        if cell.paren:
            if col.paren == "device":
                hardware = {"device": cell.paren}
                notes.append(f"the {col.label} cell reads '{text}': the parenthesis is taken as the device")
            else:
                notes.append(f"the {col.label} cell reads '{text}'")
        if col.companion:
            companions.append((col, cell))
            continue
        _put(by_split, col, cell, src, cell_where, skipped)
    for col, cell in companions:
        if col.split not in by_split:
            skipped.append(
                Skipped(
                    src,
                    f"{where} ({col.key})",
                    f"{col.label} '{item[col.key]}' given without "
                    f"an accuracy metric on {col.split}: a cost alone "
                    f"is not a result",
                )
            )
            continue
        _put(by_split, col, cell, src, f"{where} ({col.key})", skipped)
    if not by_split:
        return [], skipped
    paper = paper_of(item.get("p"), item.get("d"))
    paper = PaperRef(**{**paper.__dict__, "code": code_of(item.get("c"))})
    if label != label_raw:
        notes.append("the source's label has a line break")
    rows = []
    for split, metrics in by_split.items():
        cols = [c for _, c in metrics.values()]
        keys = ", ".join(sorted({c.key for c in cols}))
        values = {m: v for m, (v, _) in metrics.items() if "#" not in m}
        row_notes = list(dict.fromkeys([*notes, *(c.note for c in cols if c.note)]))
        row_hw: Any = None
        if "fps" in values or "latency_ms" in values:
            row_hw = hardware or "unstated"
        rows.append(
            Row(
                paper=paper,
                source=board.source,
                locator=f"{where} ({keys})",
                dataset=board.dataset,
                split=split,
                metrics=values,
                model=label or None,
                task=board.task,
                backbone=settings.backbone,
                training=training,
                evaluation=dict(settings.evaluation),
                hardware=row_hw,
                notes="; ".join(row_notes) or None,
            )
        )
    return rows, skipped


def _put(
    by_split: dict[str, dict[str, tuple[Decimal, Column]]],
    col: Column,
    cell: Cell,
    src: str,
    where: str,
    skipped: list[Skipped],
) -> None:
    assert col.metric is not None and col.split is not None  # a metric column has both (load_mapping checks)
    metrics = by_split.setdefault(col.split, {})
    have = metrics.get(col.metric)
    if have is None:
        metrics[col.metric] = (cell.value, col)
    elif have[0] == cell.value:
        metrics[f"{col.metric}#{col.key}"] = (cell.value, col)  # same number, second column: locator only
    else:
        skipped.append(
            Skipped(
                src,
                where,
                f"column '{col.label}' gives {col.metric} {cell.value}, column "
                f"'{have[1].label}' of the same row {have[0]}: kept the first",
            )
        )
    # an equal value in a second column with the same meaning is the same number: kept once


__all__ = [
    "read",
    "load_mapping",
    "parse_metric",
    "paper_of",
    "paper_date",
    "MappingError",
    "Board",
    "Column",
    "Cell",
    "LeaderboardMapping",
]
