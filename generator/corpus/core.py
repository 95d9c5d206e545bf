"""The corpus: validated papers indexed by id, year, topic, task and dataset; leaderboards
with ranks, state-of-the-art steps, disagreements and Pareto fronts. Computed once here;
renderers and templates only present what this module ordered."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Mapping, Optional

import dataclasses

from generator.config import ConfigError, Survey, load_survey, survey_file
from generator.format.model import Cite, Dataset, Metric, PaperFile, Registries, Result
from generator.format.types import Slug


@dataclass(frozen=True)
class Row:
    """One result on one leaderboard."""

    paper: PaperFile
    index: int  # position of the result in the paper's `results`
    result: Result
    score: Optional[Decimal]  # the board's metric; None when the result does not report it
    rank: Optional[int]
    disagrees: tuple[Row, ...] = ()  # other rows of the same model and protocol with another number
    extra_data: Optional[bool] = None  # derived (derived_extra_data): trained with data beyond the standard set
    data_class: str = "unknown"  # training_class: own | extra | unknown
    eval_class: str = "unknown"  # evaluation_class: single | multi | unknown
    contradicts: bool = False  # the source names extra data and says it used none (data_class is unknown)

    @property
    def ranked_score(self) -> Decimal:
        """The score of a row on a board's ranking (`Board.ranked`): every ranked row has one."""
        if self.score is None:
            raise ValueError(f"row {self.model} of {self.paper.id} has no score, so it is not ranked")
        return self.score

    @property
    def model(self) -> str:
        return self.result.model or self.paper.paper.label

    @cached_property  # read several times by each page that shows the row
    def cite(self) -> Cite:
        return self.paper.paper.cite(self.result)

    @cached_property  # read several times by each page that shows the row
    def cites(self) -> tuple[Cite, ...]:
        return self.paper.paper.cites(self.result)

    @cached_property  # read several times by each page that shows the row
    def tta(self) -> bool:
        return bool(derived_tta(self.result))

    @property
    def extra(self) -> bool:
        return bool(self.extra_data)

    @property
    def tags(self) -> tuple[str, ...]:
        return self.result.tags or self.paper.paper.tags

    @property
    def comparability(self) -> tuple[str, str, str, str, str]:
        """(task, dataset, split, evaluation class, training-data class): only rows of one class compare."""
        r = self.result
        return (r.task or "", r.dataset, r.split, self.eval_class, self.data_class)

    @property
    def speed_measured(self) -> bool:
        """Its speeds (fps, latency_ms) were measured on stated hardware: only those are ranked or plotted."""
        return self.result.hardware_stated is not None

    @property
    def protocol(self) -> tuple:
        """What makes two rows of one model comparable: its backbone, how it was trained and evaluated."""
        return (self.result.backbone, self.result.training, self.result.evaluation)


def named_extra(result: Result, dataset: Optional[Dataset]) -> tuple[str, ...]:
    """The training data beyond the standard set that a result's source names: other datasets (`training.extra`)
    and the dataset's own splits marked `extra` (e.g. coarse labels)."""
    t = result.training
    if t is None:
        return ()
    own = tuple(s for s in t.splits if dataset is not None and s in dataset.splits and dataset.splits[s].extra)
    return (*t.extra, *own)


def contradicts(result: Result, dataset: Optional[Dataset]) -> bool:
    """The source names extra training data for the result and says "no extra data" in its column."""
    return result.training is not None and result.training.extra_data is False and bool(named_extra(result, dataset))


def derived_extra_data(result: Result, dataset: Optional[Dataset]) -> Optional[bool]:
    """Whether the result was trained with data beyond its dataset's standard training set, as exported: the
    source's own yes/no (`training.extra_data`) where it gives one (kept even where its label names data,
    see `contradicts`); else True when it names extra data, False when it names only standard splits; None
    when nothing is said."""
    t = result.training
    if t is None:
        return None
    if t.extra_data is not None:
        return t.extra_data
    if named_extra(result, dataset):
        return True
    return False if t.splits else None


def training_class(result: Result, dataset: Optional[Dataset]) -> str:
    """own | extra | unknown: the training-data part of a result's comparability class. A source that
    contradicts itself is unknown."""
    if contradicts(result, dataset):
        return "unknown"
    extra = derived_extra_data(result, dataset)
    return "unknown" if extra is None else ("extra" if extra else "own")


def evaluation_class(result: Result) -> str:
    """single | multi | unknown: the evaluation part of a result's comparability class (test-time scales)."""
    e = result.evaluation
    if e is None:
        return "unknown"
    if e.mode is not None:
        return "single" if e.mode == "single-scale" else "multi"
    return "multi" if len(e.scales) > 1 else "unknown"


def derived_tta(result: Result) -> Optional[bool]:
    """Test-time augmentation: multi-scale or flipped inference; None when the evaluation is not stated."""
    e = result.evaluation
    if e is None or (e.mode is None and e.flip is None):
        return None
    return e.mode == "multi-scale" or bool(e.flip)


SPEED_METRICS = ("fps", "latency_ms")


@dataclass(frozen=True)
class View:
    """A "comparable only" view of a board: the rows whose evaluation class and training-data class are
    among the listed ones (Row.comparability), ranked among themselves."""

    slug: str
    evaluation: tuple[str, ...]  # tuples, not sets: the page lists them in this order in every build
    data: tuple[str, ...]

    def shows(self, row: Row) -> bool:
        return row.eval_class in self.evaluation and row.data_class in self.data


VIEWS = (
    View("single-own", ("single",), ("own",)),  # single-scale, no extra data: both stated
    View("single-or-unstated-own", ("single", "unknown"), ("own",)),  # or the scales not stated
)


@dataclass(frozen=True)
class BoardView:
    view: View
    rows: tuple[Row, ...]  # the board's rows it shows, in the board's order
    ranks: Mapping[tuple[str, int], int]  # (paper id, result index) -> rank among the view's ranked rows

    @property
    def ranked(self) -> int:
        return len(self.ranks)


@dataclass(frozen=True)
class Board:
    task: str
    dataset: str
    split: str
    metric: str
    rows: tuple[Row, ...]  # ranked rows first (best first), then rows without the metric
    metrics: tuple[str, ...]  # every metric any row reports, primary first
    slug: str  # <dataset>-<split>; <task>/<dataset>-<split> for a task other than the survey's default

    @cached_property
    def ranked(self) -> tuple[Row, ...]:  # computed once: every paper page on the board asks for its length
        return tuple(r for r in self.rows if r.rank is not None)

    @cached_property
    def ranked_papers(self) -> int:  # computed once: every paper page on the board asks whether it has enough
        """How many papers have a ranked row on the board."""
        return len({r.paper.id for r in self.ranked})

    @cached_property
    def views(self) -> tuple[BoardView, ...]:
        """The comparable-only views (VIEWS), each with its rows and their ranks within it (competition ranking,
        as the board's)."""
        out = []
        for view in VIEWS:
            rows = tuple(r for r in self.rows if view.shows(r))
            ranks: dict[tuple[str, int], int] = {}
            previous, rank = None, 0
            for i, r in enumerate((r for r in rows if r.rank is not None), start=1):
                if r.score != previous:
                    rank, previous = i, r.score
                ranks[(r.paper.id, r.index)] = rank
            out.append(BoardView(view, rows, ranks))
        return tuple(out)

    @cached_property
    def unstated(self) -> Mapping[str, int]:
        """How many rows do not state their evaluation (`evaluation`), their training data (`data`), or whose
        source contradicts itself on it (`contradicts`): what a comparable view leaves out for want of a statement."""
        return {
            "evaluation": sum(r.eval_class == "unknown" for r in self.rows),
            "data": sum(r.data_class == "unknown" for r in self.rows),
            "contradicts": sum(r.contradicts for r in self.rows),
        }

    @property
    def best(self) -> Optional[Row]:
        return self.rows[0] if self.rows and self.rows[0].rank == 1 else None

    @property
    def papers(self) -> tuple[PaperFile, ...]:
        seen: dict[str, PaperFile] = {}
        for r in self.rows:
            seen.setdefault(r.paper.id, r.paper)
        return tuple(seen.values())


def paper_date(pf: PaperFile) -> dt.date:
    """When a paper appeared, for ordering and time axes: its date (a month: its first day), else the middle
    of its year."""
    if pf.paper.date:
        return dt.date.fromisoformat(pf.paper.date if len(pf.paper.date) == 10 else pf.paper.date + "-01")
    return dt.date(pf.paper.year, 7, 1)


def _better(metric: Metric):
    return (lambda a, b: a > b) if metric.higher_is_better else (lambda a, b: a < b)


def rank_rows(rows: list[Row], metric: Metric) -> list[Row]:
    """Competition ranking (1, 2, 2, 4): ties share a rank; direction from the metric."""
    scored = [(r.score, r) for r in rows if r.score is not None]
    unscored = [r for r in rows if r.score is None]
    sign = -1 if metric.higher_is_better else 1
    scored.sort(
        key=lambda sr: (sign * sr[0], paper_date(sr[1].paper), sr[1].model.casefold(), sr[1].paper.id, sr[1].index)
    )
    out: list[Row] = []
    previous: Optional[Decimal] = None
    rank = 0
    for i, (score, r) in enumerate(scored, start=1):
        if score != previous:
            rank, previous = i, score
        out.append(replace(r, score=score, rank=rank))
    unscored.sort(key=lambda r: (r.model.casefold(), r.paper.id, r.index))
    return out + unscored


def _with_disagreements(rows: list[Row]) -> list[Row]:
    """A disagreement: the same model of the same paper with the same settings (backbone, training and
    evaluation as stated) on the board, another number, from another source. Rows of one model that
    differ in a setting are other configurations, and a source listing its own rows is not a second
    opinion: neither is a disagreement."""
    groups: dict[tuple, list[Row]] = defaultdict(list)
    for r in rows:
        if r.score is not None:
            groups[(r.paper.id, r.model, r.protocol)].append(r)
    out = []
    for r in rows:
        group = groups.get((r.paper.id, r.model, r.protocol), [])
        others = tuple(o for o in group if o is not r and o.score != r.score and o.result.source != r.result.source)
        out.append(replace(r, disagrees=others) if others else r)
    return out


def sota_steps(board: Board, metric: Metric) -> list[Row]:
    """Rows that set a new best when taken in date order (the state-of-the-art line)."""
    better = _better(metric)
    steps: list[Row] = []
    for r in sorted(
        board.ranked,
        key=lambda r: (paper_date(r.paper), -r.ranked_score if metric.higher_is_better else r.ranked_score),
    ):
        if not steps or better(r.ranked_score, steps[-1].ranked_score):
            steps.append(r)
    return steps


def pareto_front(
    points: list[tuple[Decimal, Decimal, Row]], higher_is_better: bool
) -> list[tuple[Decimal, Decimal, Row]]:
    """Points (cost, score, row) not dominated by a cheaper-or-equal, better-or-equal point; by cost."""
    sign = 1 if higher_is_better else -1
    front: list[tuple[Decimal, Decimal, Row]] = []
    best: Optional[Decimal] = None
    for cost, score, row in sorted(points, key=lambda p: (p[0], -sign * p[1])):
        if best is None or sign * score > sign * best:
            front.append((cost, score, row))
            best = score
    return front


@dataclass(frozen=True)
class Corpus:
    registries: Registries
    papers: tuple[PaperFile, ...]  # by id; every result has its task (the survey's default when it named none)
    survey: Survey

    @property
    def default_task(self) -> str:
        return self.survey.default_task

    root: Optional[Path] = field(default=None, compare=False)  # the papers folder (its citation-keys.tsv)
    # paper id -> (the validated paper, the corpus's paper made from it), for build_corpus(previous=…)
    made_from: Mapping[str, tuple[PaperFile, PaperFile]] = field(default_factory=dict, compare=False, repr=False)
    # the previous corpus's boards by slug (build_corpus(previous=…)): a board whose rows are made of the very
    # same papers is the very same board again
    last_boards: Mapping[str, Board] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def by_id(self) -> Mapping[str, PaperFile]:
        return {p.id: p for p in self.papers}

    @cached_property
    def newest_first(self) -> tuple[PaperFile, ...]:
        return tuple(sorted(self.papers, key=lambda p: (-paper_date(p).toordinal(), p.paper.title.casefold())))

    @cached_property
    def by_year(self) -> Mapping[int, tuple[PaperFile, ...]]:
        years: dict[int, list[PaperFile]] = defaultdict(list)
        for p in self.newest_first:
            years[p.paper.year].append(p)
        return {y: tuple(years[y]) for y in sorted(years, reverse=True)}

    @cached_property
    def by_topic(self) -> Mapping[str, tuple[PaperFile, ...]]:
        topics: dict[str, list[PaperFile]] = {t: [] for t in self.registries.topics}
        for p in self.newest_first:
            for t in p.paper.topics:
                topics[t].append(p)
        return {t: tuple(ps) for t, ps in topics.items()}

    @cached_property
    def boards(self) -> tuple[Board, ...]:
        regs = self.registries
        grouped: dict[tuple[str, str, str], list[tuple[PaperFile, int]]] = defaultdict(list)
        for p in self.papers:
            for i, r in enumerate(p.paper.results):
                grouped[(r.task or self.default_task, r.dataset, r.split)].append((p, i))
        boards = []
        for (task, dataset, split), members in grouped.items():
            base = f"{dataset}-{split}"
            slug = base if task == self.default_task else f"{task}/{base}"
            last = self.last_boards.get(slug)
            if last is not None and _made_of(last, members):
                boards.append(last)
                continue
            ds: Dataset = regs.datasets[dataset]
            rows = [
                Row(
                    p,
                    i,
                    r,
                    None,
                    None,
                    extra_data=derived_extra_data(r, ds),
                    data_class=training_class(r, ds),
                    eval_class=evaluation_class(r),
                    contradicts=contradicts(r, ds),
                )
                for p, i in members
                for r in (p.paper.results[i],)
            ]
            metric = regs.metrics[ds.primary_metric]
            rows = [
                replace(
                    r,
                    score=r.result.metrics.get(ds.primary_metric)
                    if ds.primary_metric not in SPEED_METRICS or r.speed_measured
                    else None,
                )
                for r in rows
            ]
            ranked = _with_disagreements(rank_rows(rows, metric))
            present = {m for r in rows for m in r.result.metrics}
            others = sorted(
                present - {ds.primary_metric}, key=lambda m: (regs.metrics[m].kind != "accuracy", m.casefold())
            )
            boards.append(
                Board(task, dataset, split, ds.primary_metric, tuple(ranked), (ds.primary_metric, *others), slug)
            )
        # the survey's default task first, then by number of rows (most-used boards first), then by name
        boards.sort(key=lambda b: (b.task != self.default_task, b.task, -len(b.rows), b.dataset, b.split))
        return tuple(boards)

    @cached_property
    def main_boards(self) -> tuple[Board, ...]:
        """The boards the home page leads with: survey.yml's main_benchmarks in their order (every board when
        it names none), each once it has a best result from at least three papers on a stated split; eight at most."""
        named = self.survey.main_benchmarks
        candidates = [self.board_by_slug[s] for s in named if s in self.board_by_slug] if named else self.boards
        return tuple(b for b in candidates if b.best and b.split != "unspecified" and len(b.papers) >= 3)[:8]

    @cached_property
    def board_by_slug(self) -> Mapping[str, Board]:
        return {b.slug: b for b in self.boards}

    @cached_property
    def ranks_of(self) -> Mapping[tuple[str, int], tuple[Board, Row]]:
        """(paper id, result index) -> its board and row."""
        out = {}
        for b in self.boards:
            for r in b.rows:
                out[(r.paper.id, r.index)] = (b, r)
        return out

    @cached_property
    def tasks_used(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(b.task for b in self.boards))

    @property
    def result_count(self) -> int:
        return sum(len(p.paper.results) for p in self.papers)


def _with_task(pf: PaperFile, task: str) -> PaperFile:
    """The paper with the survey's default task on each result that names none."""
    if all(r.task is not None for r in pf.paper.results):
        return pf
    results = tuple(r if r.task is not None else dataclasses.replace(r, task=Slug(task)) for r in pf.paper.results)
    return dataclasses.replace(pf, paper=dataclasses.replace(pf.paper, results=results))


def build_corpus(
    registries: Registries,
    papers: tuple[PaperFile, ...],
    survey: Optional[Survey] = None,
    root: Optional[Path] = None,
    previous: Optional[Corpus] = None,
) -> Corpus:
    """The corpus of validated papers; `survey` defaults to the repository's survey.yml; `root` is the papers
    folder (its citation-keys.tsv). With `previous` (serve's last corpus), a paper validated into the very
    same object as last time is the very same object in the corpus again: what is made from it (serve's
    memo of pages) then compares it by identity, not field by field (at 2,000 papers: 25 s a rebuild)."""
    survey = survey or load_survey(survey_file())
    if survey.default_task not in registries.tasks:
        raise ConfigError(
            f"{survey.path}: default_task: '{survey.default_task}' is not a task of tasks.yaml "
            f"(it has: {', '.join(registries.tasks) or 'none'})"
        )
    task = survey.default_task
    last = previous.made_from if previous is not None and previous.default_task == task else {}
    made: dict[str, tuple[PaperFile, PaperFile]] = {}
    for p in sorted(papers, key=lambda p: p.id):
        kept = last.get(p.id)
        made[p.id] = (p, kept[1] if kept is not None and kept[0] is p else _with_task(p, task))
    boards: Mapping[str, Board] = {}
    if last and previous is not None and previous.registries is registries and "boards" in previous.__dict__:
        boards = previous.board_by_slug  # only when they were made (a cached_property) and the registries are the same
    return Corpus(registries, tuple(q for _, q in made.values()), survey, root, made, boards)


def _made_of(board: Board, members: list[tuple[PaperFile, int]]) -> bool:
    """The board's rows are exactly these results of these very paper objects (a board is a function of them
    and the registries)."""
    return len(board.rows) == len(members) and {(id(r.paper), r.index) for r in board.rows} == {
        (id(p), i) for p, i in members
    }
