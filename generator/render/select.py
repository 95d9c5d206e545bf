"""Selections of the corpus for exports: by paper (year, topic, peer-reviewed venue, public by a date) and
by result (board, dataset, one result). A result-level choice selects results; the papers exported are
the papers of those results. `--dataset D` is the results on D (and their papers), never the rows on
another dataset of a paper that also has one on D.

"As of" a date: a paper is public by the date when its first public version (`date`) is on or before it;
a `date` that gives only a month counts as its last day, a paper with only a year as 31 December of that
year (a table for a deadline never holds what was not out yet).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, Optional

from generator.bib.record import peer_reviewed
from generator.corpus.core import Board, Corpus, Row
from generator.errors import UsageError
from generator.format.convert import hint
from generator.format.model import PaperFile, Result

_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def parse_date(text: str) -> dt.date:
    """YYYY-MM-DD, YYYY-MM (its last day) or YYYY (31 December)."""
    m = _DATE.fullmatch(text.strip())
    if not m:
        raise UsageError(f"--as-of: '{text}' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    y, mo, d = int(m.group(1)), int(m.group(2) or 12), m.group(3)
    try:
        return dt.date(y, mo, int(d) if d else calendar.monthrange(y, mo)[1])
    except ValueError as exc:
        raise UsageError(f"--as-of: '{text}' is not a date ({exc})") from None


def first_public(pf: PaperFile) -> dt.date:
    """The latest day the paper's first public version can have appeared on (see the module's note)."""
    p = pf.paper
    return parse_date(p.date) if p.date else dt.date(p.year, 12, 31)


def result_ref(pf: PaperFile, index: int, result: Result) -> str:
    """`<paper id>#<result id>` (format v2), else `<paper id>#<n>` (1 for the paper's first result)."""
    rid = getattr(result, "id", None)
    return f"{pf.id}#{rid}" if rid else f"{pf.id}#{index + 1}"


@dataclass(frozen=True)
class Query:
    year: Optional[int] = None
    topic: Optional[str] = None
    dataset: Optional[str] = None
    boards: tuple[str, ...] = ()
    results: tuple[str, ...] = ()
    as_of: Optional[dt.date] = None
    peer_reviewed: bool = False

    @property
    def by_result(self) -> bool:
        return bool(self.dataset or self.boards or self.results)


@dataclass(frozen=True)
class Selection:
    papers: tuple[PaperFile, ...]  # by id
    results: frozenset[tuple[str, int]]  # (paper id, index of the result in the paper)

    def rows(self, board: Board) -> list[Row]:
        return [r for r in board.rows if (r.paper.id, r.index) in self.results]


def check_board(corpus: Corpus, slug: str) -> Board:
    board = corpus.board_by_slug.get(slug)
    if board is None:
        raise UsageError(
            f"unknown board '{slug}'{hint(slug, corpus.board_by_slug)} (a board is <dataset>-<split>, as in its URL)"
        )
    return board


def paper_ok(pf: PaperFile, corpus: Corpus, q: Query) -> bool:
    p = pf.paper
    if q.year is not None and p.year != q.year:
        return False
    if q.topic and q.topic not in p.topics:
        return False
    if q.as_of is not None and first_public(pf) > q.as_of:
        return False
    if q.peer_reviewed and not peer_reviewed(pf, corpus):
        return False
    return True


def select(corpus: Corpus, q: Query) -> Selection:
    regs = corpus.registries
    if q.topic and q.topic not in regs.topics:
        raise UsageError(f"unknown topic '{q.topic}'{hint(q.topic, regs.topics)}")
    if q.dataset and q.dataset not in regs.datasets:
        raise UsageError(f"unknown dataset '{q.dataset}'{hint(q.dataset, regs.datasets)}")
    on_boards: set[tuple[str, int]] = set()
    for slug in q.boards:
        on_boards |= {(r.paper.id, r.index) for r in check_board(corpus, slug).rows}
    refs = {result_ref(pf, i, r): (pf.id, i) for pf in corpus.papers for i, r in enumerate(pf.paper.results)}
    refs.update({f"{pf.id}#{i + 1}": (pf.id, i) for pf in corpus.papers for i in range(len(pf.paper.results))})
    chosen: set[tuple[str, int]] = set()
    for ref in q.results:
        if ref not in refs:
            raise UsageError(f"unknown result '{ref}'{hint(ref, refs)} (a result is <paper id>#<result id>)")
        chosen.add(refs[ref])
    papers, results = [], set()
    for pf in corpus.papers:
        if not paper_ok(pf, corpus, q):
            continue
        mine = set()
        for i, r in enumerate(pf.paper.results):
            key = (pf.id, i)
            if q.dataset and r.dataset != q.dataset:
                continue
            if (q.boards or q.results) and key not in on_boards and key not in chosen:
                continue
            mine.add(key)
        if q.by_result and not mine:
            continue
        papers.append(pf)
        results |= mine
    return Selection(tuple(papers), frozenset(results))


def of_papers(papers: Iterable[PaperFile]) -> frozenset[tuple[str, int]]:
    return frozenset((pf.id, i) for pf in papers for i in range(len(pf.paper.results)))
