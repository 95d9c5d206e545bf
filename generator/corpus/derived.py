"""What the reader's extra pages need from the corpus, computed once here (templates and renderers only
present it): stable result ids, when each result became known, the state-of-the-art records, each
method's lineage and the reproductions of its numbers, each method's best result on every board.

Dates come from the data only (a paper's date, a source's `retrieved`), never from the clock, so that
two builds of the same papers are byte for byte the same."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping, Optional

from generator.corpus.core import Board, Corpus, Row, paper_date, sota_steps
from generator.format.model import Cite, PaperFile


def result_id(pf: PaperFile, index: int) -> str:
    """The stable id of a paper's result: the format's result `id`."""
    return pf.paper.results[index].id


def result_ref(row: Row) -> str:
    """`<paper-id>#<result-id>`: how `reproduces` names a result, and the API's global id of a result."""
    return f"{row.paper.id}#{result_id(row.paper, row.index)}"


def source_of(row: Row) -> Cite:
    """The source of a row (kind, name, url, locator, retrieved): the paper's source with the row's locator."""
    return row.cite


def extra_data_of(row: Row) -> Optional[bool]:
    """Trained with data beyond the dataset's own training set: True, False, or None when not said."""
    return row.extra_data


def row_date(row: Row) -> dt.date:
    """When a result became known to readers: the later of its paper's date and the day its source was
    read (a leaderboard row read in 2025 of a 2017 paper is news in 2025)."""
    d = paper_date(row.paper)
    retrieved = source_of(row).retrieved
    if retrieved:
        d = max(d, dt.date.fromisoformat(str(retrieved)[:10]))
    return d


def board_updated(board: Board) -> Optional[dt.date]:
    """A board's "last updated": its newest result date (row_date); None for an empty board."""
    return max((row_date(r) for r in board.rows), default=None)


@dataclass(frozen=True)
class Record:
    """A row that set a new state of the art on its board, and the best it beat."""

    board: Board
    row: Row
    previous: Optional[Row]
    date: dt.date  # the record's paper date: the SOTA line is drawn by when methods appeared


@dataclass(frozen=True)
class Reproduction:
    """A result that reproduces another paper's (or its own paper's) claim, with the gap to it."""

    row: Row  # the reproduction
    board: Board
    claim: Optional[Row]  # the claimed result, None when `reproduces` names no result of the corpus
    gap: Optional[Decimal]  # reproduction minus claim on the board's metric, when both report it


@dataclass(frozen=True)
class MethodBest:
    board: Board
    row: Row  # the method's best ranked row on the board


class Derived:
    """The corpus' derived records, each computed once on first use."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self._records: Optional[tuple[Record, ...]] = None
        self._repro: Optional[Mapping[str, tuple[Reproduction, ...]]] = None
        self._extended: Optional[Mapping[str, tuple[PaperFile, ...]]] = None
        self._best: Optional[Mapping[str, tuple[MethodBest, ...]]] = None
        self._records_of: Optional[Mapping[str, tuple[Record, ...]]] = None
        self._record_rows: Optional[frozenset[tuple[str, str, int]]] = None

    # state of the art ------------------------------------------------------------------------

    def records(self) -> tuple[Record, ...]:
        """Every state-of-the-art record of every board, newest first (then by board order)."""
        if self._records is None:
            out = []
            order = {b.slug: i for i, b in enumerate(self.corpus.boards)}
            for board in self.corpus.boards:
                metric = self.corpus.registries.metrics[board.metric]
                previous: Optional[Row] = None
                for row in sota_steps(board, metric):
                    out.append(Record(board, row, previous, paper_date(row.paper)))
                    previous = row
            out.sort(key=lambda rec: (-rec.date.toordinal(), order[rec.board.slug], rec.row.paper.id, rec.row.index))
            self._records = tuple(out)
        return self._records

    def records_of(self, board: Board) -> tuple[Record, ...]:
        if self._records_of is None:
            by_board: dict[str, list[Record]] = defaultdict(list)
            for rec in self.records():
                by_board[rec.board.slug].append(rec)
            self._records_of = {slug: tuple(recs) for slug, recs in by_board.items()}
        return self._records_of.get(board.slug, ())

    def is_record(self, board: Board, row: Row) -> bool:
        if self._record_rows is None:
            self._record_rows = frozenset((rec.board.slug, rec.row.paper.id, rec.row.index) for rec in self.records())
        return (board.slug, row.paper.id, row.index) in self._record_rows

    # new results -----------------------------------------------------------------------------

    def newest_rows(self, board: Optional[Board] = None, limit: int = 50) -> tuple[tuple[Board, Row], ...]:
        """The newest results (row_date), of one board or of all, newest first; ties by board, paper, index."""
        boards = (board,) if board is not None else self.corpus.boards
        order = {b.slug: i for i, b in enumerate(self.corpus.boards)}
        rows = [(b, r) for b in boards for r in b.rows]
        rows.sort(key=lambda br: (-row_date(br[1]).toordinal(), order[br[0].slug], br[1].paper.id, br[1].index))
        return tuple(rows[:limit])

    def updated(self) -> Optional[dt.date]:
        """The newest result date of the whole corpus."""
        return max((d for d in (board_updated(b) for b in self.corpus.boards) if d is not None), default=None)

    # lineage and reproductions ---------------------------------------------------------------

    def extended_by(self, pf: PaperFile) -> tuple[PaperFile, ...]:
        """The papers whose `builds_on` names this one, oldest first."""
        if self._extended is None:
            ext: dict[str, list[PaperFile]] = defaultdict(list)
            for other in self.corpus.papers:
                for base in other.paper.builds_on:
                    ext[base].append(other)
            self._extended = {k: tuple(sorted(v, key=lambda p: (paper_date(p), p.id))) for k, v in ext.items()}
        return self._extended.get(pf.id, ())

    def builds_on(self, pf: PaperFile) -> tuple[PaperFile, ...]:
        return tuple(self.corpus.by_id[o] for o in pf.paper.builds_on if o in self.corpus.by_id)

    def reproductions(self, pf: PaperFile) -> tuple[Reproduction, ...]:
        """Every result of the corpus whose `reproduces` names one of this paper's results, in the paper's
        result order, then by the reproduction's paper and position."""
        if self._repro is None:
            rows_by_ref = {result_ref(r): (b, r) for b in self.corpus.boards for r in b.rows}
            found: dict[str, list[tuple[tuple, Reproduction]]] = defaultdict(list)
            for board in self.corpus.boards:
                for row in board.rows:
                    ref = row.result.reproduces
                    if not ref:
                        continue
                    claimed = rows_by_ref.get(ref)
                    claim = claimed[1] if claimed is not None and claimed[0].slug == board.slug else None
                    gap = (
                        (row.score - claim.score)
                        if claim is not None and row.score is not None and claim.score is not None
                        else None
                    )
                    target = ref.partition("#")[0]
                    key = (claim.index if claim is not None else 10**9, row.paper.id, row.index)
                    found[target].append((key, Reproduction(row, board, claim, gap)))
            self._repro = {pid: tuple(rep for _, rep in sorted(v, key=lambda kv: kv[0])) for pid, v in found.items()}
        return self._repro.get(pf.id, ())

    # each method's best, for the page of chosen methods ----------------------------------------

    def bests(self, pf: PaperFile) -> tuple[MethodBest, ...]:
        """The method's best ranked row on each board it is ranked on, in board order."""
        if self._best is None:
            best: dict[str, list[MethodBest]] = defaultdict(list)
            for board in self.corpus.boards:
                seen: set[str] = set()
                for row in board.ranked:  # best first: a paper's first row is its best
                    if row.paper.id not in seen:
                        seen.add(row.paper.id)
                        best[row.paper.id].append(MethodBest(board, row))
            self._best = {k: tuple(v) for k, v in best.items()}
        return self._best.get(pf.id, ())
