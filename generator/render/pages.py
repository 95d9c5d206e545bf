"""Render the site: {path: content} for each language and the shared root.

Nothing here touches the disk. The renderer adds each file to an Output as soon as it is made: in
memory here (render_site, serve, tests), or build.py's TreeWriter, which writes it out at once, so a
build never holds the whole site."""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable, Collection, Iterator, Optional, Protocol

import hashlib
import re
import json

import jinja2
from markupsafe import Markup

from generator import i18n
from generator.config import SiteConfig
from generator.corpus.core import Board, Corpus
from generator.config import LANGS
from generator.format.model import PaperFile
from generator.bib import write as bibtex
from generator.corpus.derived import Derived, board_updated, source_of
from generator.render import api as api_files
from generator.render import badges
from generator.render import charts
from generator.render import data
from generator.render import latex
from generator.render import meta
from generator.render import select
from generator.render import feeds
from generator.render import routes
from generator.render.select import first_public
from generator.render import svg
from generator.render.text import json_for_script, markdown, yaml_string
from generator.render.views import Helpers, board_columns, rel

TEMPLATES = Path(__file__).parent / "templates"
CJK = re.compile(r"[\u3400-\u9fff]")

DATA_FILES = (  # (route of the file, its name, what it is: catalogue key)
    ("papers.bib", "data.bib"),
    ("papers.json", "data.json"),
    ("results.csv", "data.csv"),
    ("papers.csl.json", "data.csl"),
    ("paper.schema.json", "data.schema"),
)
# the static API on the data page: (URL pattern as a reader sees it, its path when it is one file, catalogue key)
API_LINKS = tuple(
    (routes.ROUTES[kind].url(), None if routes.ROUTES[kind].params else routes.page(kind), key)
    for kind, key in (
        ("api-index", "api.index"),
        ("api-board", "api.board"),
        ("api-paper", "api.paper"),
        ("api-methods", "api.methods"),
        ("api-schema", "api.schema"),
    )
)
DATA_LINKS = tuple((routes.data_file(kind), routes.data_file(kind).rpartition("/")[2], key) for kind, key in DATA_FILES)


@dataclass(frozen=True)
class Chart:
    """A figure, and the file beside its page that holds it for the interactive chart."""

    figure: dict
    src: str  # file name, relative to the page


class DuplicateOutput(Exception):
    pass


def paper_bib(pf: PaperFile) -> str:
    """Where a paper's .bib is, from the site root (one file for both languages)."""
    return routes.paper_bib(pf.id)


class Sink(Protocol):
    """Where rendered files go, by path relative to the build tree ("en/…", "zh/…", "root/…")."""

    def add(self, path: str, content: str | bytes) -> None: ...


class Stopped(Exception):
    """render_root was told to stop; nothing it made is kept (a Memo records no half-made unit)."""


class Output:
    """Files kept in memory. Refuses to write one path twice (as Pelican does)."""

    def __init__(self) -> None:
        self.files: dict[str, str | bytes] = {}

    def add(self, path: str, content: str | bytes) -> None:
        if path in self.files:
            raise DuplicateOutput(f"two outputs for {path}")
        self.files[path] = content


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # a paper's notes and abstract reach several pages (its own, its year, its topics) in two languages:
    # convert each distinct text once per environment (the output only depends on the text)
    env.globals.update(
        markdown=functools.lru_cache(maxsize=None)(markdown), json=json_for_script, yaml_string=yaml_string
    )

    def svg_chart(fig: dict, label: str) -> Markup:
        ident = "c" + hashlib.sha1(json_for_script(fig).encode("utf-8")).hexdigest()[:10]
        # two drawings, one shown by the screen's width (site.css): a phone gets one drawn for its width,
        # not the desktop one shrunk to unreadable text or scrolled sideways
        chart = env.get_template("_chart.svg.j2")
        return Markup(
            chart.render(d=svg.draw(fig, label), id=ident, size="wide")
            + chart.render(d=svg.draw(fig, label, svg.NARROW), id=ident + "n", size="narrow")
        )

    env.globals["svg_chart"] = svg_chart
    return env


@dataclass(frozen=True)
class CompareCell:
    score: Decimal
    extra: bool


@dataclass(frozen=True)
class CompareRow:
    paper: PaperFile
    cells: tuple[Optional[CompareCell], ...]


def compare_table(corpus: Corpus, min_papers: int = 2) -> tuple[tuple[Board, ...], tuple[CompareRow, ...]]:
    """One row per method, one column per benchmark of the survey's default task; each cell the paper's best there."""
    columns = tuple(b for b in corpus.boards if b.task == corpus.default_task and b.ranked_papers >= min_papers)
    best: dict[str, dict[int, CompareCell]] = defaultdict(dict)
    for ci, board in enumerate(columns):
        for row in board.ranked:  # ranked best first: the first row of a paper is its best
            best[row.paper.id].setdefault(ci, CompareCell(row.ranked_score, row.extra))
    rows = tuple(
        CompareRow(pf, tuple(best[pf.id].get(ci) for ci in range(len(columns))))
        for pf in sorted((corpus.by_id[pid] for pid in best), key=lambda p: (p.paper.year, p.paper.label.casefold()))
    )
    return columns, rows


@dataclass(frozen=True)
class ReproView:
    """A reproduction as the paper page shows it."""

    board: Board
    claim: Optional[object]  # the claimed row, None when not on this site
    row: object  # the reproduction's row
    gap: str  # signed, as exact as the numbers: "+0.3", "−1.20"; empty when unknown
    other_paper: bool  # the reproduction sits in another paper's file
    source: object


@dataclass(frozen=True)
class BadgeView:
    board: Board
    src: str  # relative URL of the SVG
    alt: str
    markdown: str  # what an author pastes into a README


BOARD_CLIP = 50  # a longer board's page has this many rows and links to all of them (route board-rows), which its script adds on demand or when filtered or sorted (site.js restRows)
HOW_OPEN = 12  # a paper page with more results shows 'how each was obtained' folded: its cards are laid out on demand
BADGE_MIN_PAPERS = 3  # a paper page offers badges of boards that rank at least this many papers


def gap_text(gap: Optional[Decimal]) -> str:
    if gap is None:
        return ""
    return f"+{gap}" if gap > 0 else (f"\u2212{-gap}" if gap < 0 else "±0")


class SiteRenderer:
    def __init__(self, corpus: Corpus, config: SiteConfig, out: Optional[Sink] = None, memo: Optional[Memo] = None):
        self.corpus = corpus
        self.config = config
        self.env = environment()
        self.keys = bibtex.keys(corpus)
        self.snapshot = latex.Snapshot.of(config.papers, None)  # the commit (and date) of the data, in captions
        self.memo = memo
        if memo is not None:
            memo.begin((corpus.registries, config))
        self.entries = {e.key: e for e in self._entries()}
        self.out: Sink = Output() if out is None else out
        self.compare = compare_table(corpus)
        self.derived = Derived(corpus)
        self._entry_texts: dict[bibtex.BibEntry, str] = {}
        self._stop: Callable[[], bool] = lambda: False
        self._only: Optional[frozenset[str]] = None  # render_first: the units to make, the others passed over

    def _entries(self) -> list[bibtex.BibEntry]:
        """Each paper's BibTeX entry; with a Memo, last time's entry of an unchanged paper (same key)."""
        if self.memo is None:
            return bibtex.paper_entries(self.corpus.papers, self.corpus, self.keys)
        out = []
        last, now = self.memo.entries, {}
        for pf in self.corpus.papers:
            key = self.keys[pf.id]
            kept = last.get(pf.id)
            e = kept[2] if kept is not None and kept[1] == key and kept[0] == pf else bibtex.entry(pf, self.corpus, key)
            now[pf.id] = (pf, key, e)
            out.append(e)
        self.memo.entries = now
        return out

    def bib(self, papers) -> str:
        """BibTeX of a selection of papers: each entry is written once (bibtex.write of several entries
        is theirs joined by a blank line) and reused for every page and file that lists it."""
        texts = self.memo.entry_texts if self.memo is not None else self._entry_texts
        out = []
        for pf in papers:
            e = self.entries[self.keys[pf.id]]
            text = texts.get(e)
            if text is None:
                text = texts[e] = bibtex.write([e])
            out.append(text)
        return "\n".join(out)

    def chart(self, lang: str, page_dir: str, name: str, figure: dict | None) -> Chart | None:
        if figure is None:
            return None
        self.out.add(f"{lang}/{page_dir}{name}", json.dumps(figure, ensure_ascii=False, separators=(",", ":")))
        return Chart(figure, name)

    def page(self, lang: str, page_dir: str, template: str, **context) -> None:
        h = Helpers(self.corpus, lang, page_dir, self.config.repo_url, self.config.branch)
        text = self.env.get_template(template).render(h=h, **context)
        self.out.add(f"{lang}/{page_dir}index.md", text)

    def render_first(self, names: Collection[str], out: Sink) -> None:
        """Only the pages named, into `out` (a unit's name is its page's path: "en/papers/fcn/"): serve shows
        the pages a writer is looking at before the rest is made. The render_lang calls that follow reuse
        them (the same renderer: the same inputs)."""
        assert self.memo is not None, "render_first keeps what it makes in the Memo"
        kept = self.out
        self._only, self.out = frozenset(names), out
        try:
            for lang in LANGS:
                self.render_lang(lang)
        finally:
            self._only, self.out = None, kept

    def render(self) -> Sink:
        for lang in LANGS:
            self.render_lang(lang)
        self.render_root()
        return self.out

    def render_root(self, stop: Callable[[], bool] = lambda: False) -> None:
        """The files shared by both languages, at the site root. `stop` is asked before each file is made:
        when it says True, Stopped is raised (serve: another change came; its rebuild makes them)."""
        self._stop = stop
        self.unit("root/", (self.corpus.papers, tuple(self.keys.items())), self._root)

    def _go_on(self) -> None:
        if self._stop():
            raise Stopped()

    def _root(self) -> None:
        c = self.corpus
        root = lambda kind: f"root/{routes.data_file(kind)}"  # noqa: E731
        self._go_on()
        self.out.add(root("papers.bib"), self.bib(c.papers))
        self._go_on()
        self.out.add(root("papers.json"), data.papers_json_bytes(c.papers))
        self._go_on()
        self.out.add(root("results.csv"), data.results_csv(c.papers, c, self.keys))
        self._go_on()
        self.out.add(root("papers.csl.json"), data.csl_json(c.papers, c, self.keys))
        self.out.add(root("paper.schema.json"), data.schema_json(self.config.site_url, self.corpus.survey.name["en"]))
        for pf in c.papers:
            self._go_on()
            self.out.add(f"root/{paper_bib(pf)}", self.bib([pf]))
        everything = select.Selection(c.papers, select.of_papers(c.papers))
        for board in c.boards:  # a table for a paper, and the .bib it cites ("cite this board")
            self._go_on()
            url = f"{self.config.site_url}en/{routes.board(board.slug)}"
            table = latex.board_table(
                c, board, everything, self.keys, snapshot=self.snapshot, url=url, bib_name=board.slug.rpartition("/")[2]
            )
            self.out.add(f"root/{routes.board_file(board.slug, 'tex')}", table.tex)
            # the papers' entries as every other .bib has them (written once a run), and the board's own
            own = [bibtex.write([table.cites_itself])] if table.cites_itself else []
            self.out.add(
                f"root/{routes.board_file(board.slug, 'bib')}",
                "\n".join([*([self.bib(table.papers)] if table.papers else []), *own]),
            )
        self._api_and_badges()

    def _api_and_badges(self) -> None:
        """The static API (/api/v1/) and the rank badges (/badges/): language-neutral, at the site root."""
        c, d = self.corpus, self.derived
        a = api_files.Api(c, d, self.config.site_url)
        self.out.add(f"root/{routes.page('api-index')}", a.index())
        self.out.add(f"root/{routes.page('api-methods')}", a.methods())
        self.out.add(f"root/{routes.page('api-schema')}", api_files.schema(self.config.site_url, c.survey.name["en"]))
        for board in c.boards:
            self._go_on()
            self.out.add(f"root/{routes.api_board(board.slug)}", a.board(board))
        h = Helpers(c, "en", "", self.config.repo_url, self.config.branch)  # badges are in English (READMEs)
        for pf in c.papers:
            self._go_on()
            self.out.add(f"root/{routes.api_paper(pf.id)}", a.paper(pf))
            for mb in d.bests(pf):
                self.out.add(
                    f"root/{routes.badge(pf.id, mb.board.slug)}",
                    badges.board_badge(
                        mb.board,
                        mb.row,
                        h.board_title(mb.board),
                        h.metric(mb.board.metric),
                        h.unit(mb.board.metric),
                        h.survey("site.name"),
                    ),
                )

    def render_lang(self, lang: str) -> None:
        """Every page of one language. Each page (with its chart and .bib) is one unit, made from the inputs
        named by its key: with a Memo (serve), a unit whose key equals last time's is not rendered again."""
        c = self.corpus
        boards_with_best = c.main_boards
        counts = {"papers": len(c.papers), "results": c.result_count, "boards": len(c.boards), "years": len(c.by_year)}
        self.unit(
            f"{lang}/{routes.home()}",
            (tuple(counts.values()), boards_with_best, c.newest_first[:10]),
            lambda: self.page(
                lang, routes.home(), "home.md.j2", counts=counts, best=boards_with_best, newest=c.newest_first[:10]
            ),
        )
        groups = tuple((task, tuple(b for b in c.boards if b.task == task)) for task in c.tasks_used)
        self.unit(
            f"{lang}/{routes.leaderboards()}",
            groups,
            lambda: self.page(lang, routes.leaderboards(), "boards.md.j2", groups=groups),
        )
        for board in c.boards:
            self.unit(
                f"{lang}/{routes.board(board.slug)}",
                (board, self._bib_keys(board.papers)),
                functools.partial(self._board, lang, board),
            )
        years = tuple(c.by_year.items())
        self.unit(
            f"{lang}/{routes.page('years')}",
            years,
            lambda: self.page(lang, routes.page("years"), "years.md.j2", years=years),
        )
        for year, papers in years:
            self.unit(
                f"{lang}/{routes.year(year)}",
                (year, papers, self._bib_keys(papers)),
                functools.partial(self._year, lang, year, papers),
            )
        topics = tuple((slug, papers) for slug, papers in c.by_topic.items() if papers)
        self.unit(
            f"{lang}/{routes.page('topics')}",
            topics,
            lambda: self.page(lang, routes.page("topics"), "topics.md.j2", topics=topics),
        )
        for slug, papers in topics:
            self.unit(
                f"{lang}/{routes.topic(slug)}",
                (slug, papers, self._bib_keys(papers)),
                functools.partial(self._topic, lang, slug, papers),
            )
        self.unit(f"{lang}/{routes.page('timeline')}", c.newest_first, functools.partial(self._timeline, lang))
        self.unit(f"{lang}/{routes.page('compare')}", (self.compare, c.boards), functools.partial(self._compare, lang))
        self.unit(
            f"{lang}/{routes.page('data')}",
            (),
            lambda: self.page(
                lang,
                routes.page("data"),
                "data.md.j2",
                files=DATA_LINKS,
                api=API_LINKS,
                feeds=(routes.page("feed-results"), routes.page("feed-sota")),
            ),
        )
        self.unit(f"{lang}/{routes.page('compare-methods')}", (), functools.partial(self._methods, lang))
        self.unit(f"{lang}/{routes.page('feed-results')}", c.papers, functools.partial(self._feeds, lang))
        board_order = {b.slug: i for i, b in enumerate(c.boards)}
        for pf in c.papers:
            name = f"{lang}/{routes.paper(pf.id)}"
            if self._only is not None and name not in self._only:
                continue  # render_first: its key is not worth working out
            # in the order of the leaderboards (main benchmarks first), then best rank first
            results = tuple(
                sorted(
                    (c.ranks_of[(pf.id, i)] for i in range(len(pf.paper.results))),
                    key=lambda br: (board_order[br[0].slug], br[1].rank or 10**9, br[1].index),
                )
            )
            builds_on = self.derived.builds_on(pf)
            later = self.derived.extended_by(pf)
            repro = self.derived.reproductions(pf)
            # what the page shows of each board: its title, its link and how many rows are ranked
            shown = tuple((b.slug, b.task, b.dataset, b.split, len(b.ranked), row) for b, row in results)
            self.unit(
                name,
                (pf, self.keys[pf.id], shown, builds_on, later, repro),
                functools.partial(self._paper, lang, pf, results, builds_on, later),
            )

    def _bib_keys(self, papers: tuple[PaperFile, ...]) -> tuple[str, ...]:
        return tuple(self.keys[pf.id] for pf in papers)

    def _board(self, lang: str, board: Board) -> None:
        c = self.corpus
        d = routes.board(board.slug)
        h = Helpers(c, lang, d, self.config.repo_url, self.config.branch)
        tags = tuple(sorted({t for r in board.rows for t in r.tags}, key=lambda t: (t.casefold(), t)))
        cols = board_columns(board)
        updated = board_updated(board)
        public = sorted(first_public(row.paper) for row in board.rows)  # the "public by" date picker's range
        as_of_range = (public[0].isoformat(), public[-1].isoformat()) if public else ("", "")
        clip = len(board.rows) > BOARD_CLIP
        rows_first, rows = self._board_rows(lang, board, h, cols)
        rows_path = f"{lang}/{routes.board_rows(board.slug)}"
        cite_board = bibtex.write(
            [latex.board_citation(c, board, f"{self.config.site_url}{lang}/{d}", self.snapshot, lang)]
        )
        self.page(
            lang,
            d,
            "board.md.j2",
            cite_board=cite_board.strip(),
            board_tex=rel(f"{lang}/{d}", routes.board_file(board.slug, "tex")),
            board_bib=rel(f"{lang}/{d}", routes.board_file(board.slug, "bib")),
            board=board,
            dataset=c.registries.datasets[board.dataset],
            figure=self.chart(lang, d, "chart.json", charts.board_figure(h, c, board)),
            tags=tags,
            cols=cols,
            bib_file="board.bib",
            as_of_range=as_of_range,
            clip=clip,
            rows_first=rows_first,
            rows_file=rel(f"{lang}/{d}", rows_path),
            updated=updated.isoformat() if updated else None,
            feed=h.url(routes.board_feed(board.slug)),
        )
        if clip:
            self.out.add(
                rows_path,
                self.env.get_template("board_rows.html.j2").render(
                    h=h, board=board, cols=cols, rows=rows, canonical=f"{self.config.site_url}{lang}/{d}"
                ),
            )
        self.out.add(f"{lang}/{d}board.bib", self.bib(board.papers))
        self.out.add(
            f"{lang}/{routes.board_feed(board.slug)}", feeds.Feeds(c, self.derived, self.config, lang).board(board)
        )

    def _board_rows(
        self, lang: str, board: Board, h: Helpers, cols: object
    ) -> tuple[tuple[Markup, ...], Iterator[Markup]]:
        """The board's first rows (its page) and all its rows (its rows.html) as HTML (_board.j2 `row`; both
        pages are in the board's folder: the same links), each row made once per build, and in serve only
        when its inputs changed (an edited title leaves the board's other rows as they were)."""
        module = self.env.get_template("_board.j2").make_module({"h": h, "board": board, "cols": cols})
        make: Callable[[object], Markup] = module.row  # type: ignore[attr-defined]  # the macro of _board.j2
        if self.memo is None:  # a build: each row made as the page that shows it is written, the first ones kept
            first = tuple(make(row) for row in board.rows[:BOARD_CLIP])
            return first, itertools.chain(first, (make(row) for row in board.rows[BOARD_CLIP:]))
        last_cols, last = self.memo.rows.get((lang, board.slug), (None, {}))
        if last_cols != cols:
            last = {}
        now: dict[tuple[str, int], tuple[object, tuple, Markup]] = {}
        for row in board.rows:
            at = (row.paper.id, row.index)
            ranks = tuple(bv.ranks.get(at) for bv in board.views)
            kept = last.get(at)
            if kept is not None and kept[1] == ranks and kept[0] == row:
                now[at] = kept
            else:
                now[at] = (row, ranks, make(row))
        self.memo.rows[(lang, board.slug)] = (cols, now)
        rows = tuple(now[(row.paper.id, row.index)][2] for row in board.rows)
        return rows[:BOARD_CLIP], iter(rows)

    def _year(self, lang: str, year: int, papers: tuple[PaperFile, ...]) -> None:
        d = routes.year(year)
        self.page(lang, d, "year.md.j2", year=year, papers=papers, bib_file=f"{year}.bib")
        self.out.add(f"{lang}/{d}{year}.bib", self.bib(papers))

    def _topic(self, lang: str, slug: str, papers: tuple[PaperFile, ...]) -> None:
        d = routes.topic(slug)
        self.page(
            lang,
            d,
            "topic.md.j2",
            slug=slug,
            topic=self.corpus.registries.topics[slug],
            papers=papers,
            bib_file=f"{slug}.bib",
        )
        self.out.add(f"{lang}/{d}{slug}.bib", self.bib(papers))

    def _timeline(self, lang: str) -> None:
        c = self.corpus
        d = routes.page("timeline")
        h = Helpers(c, lang, d, self.config.repo_url, self.config.branch)
        self.page(
            lang,
            d,
            "timeline.md.j2",
            figure=self.chart(lang, d, "timeline.json", charts.timeline_figure(h, c)),
            papers=c.newest_first,
        )

    def _compare(self, lang: str) -> None:
        c = self.corpus
        d = routes.page("compare")
        h = Helpers(c, lang, d, self.config.repo_url, self.config.branch)
        columns, rows = self.compare
        pareto = tuple(
            (board, cost, self.chart(lang, d, f"pareto-{board.slug.replace('/', '-')}-{cost}.json", fig), front)
            for board, cost, fig, front in charts.pareto_figures(h, c)
        )
        self.page(lang, d, "compare.md.j2", columns=columns, rows=self._compare_rows(lang, h, rows), pareto=pareto)

    def _compare_rows(self, lang: str, h: Helpers, rows: tuple[CompareRow, ...]) -> tuple[Markup, ...]:
        """The comparison table's rows as HTML (_compare.j2 `row`); in serve, a row is made again only when
        it changed (its paper or its cells: an edited paper leaves the other methods' rows as they were)."""
        module = self.env.get_template("_compare.j2").make_module({"h": h})
        make: Callable[[CompareRow], Markup] = module.row  # type: ignore[attr-defined]  # the macro of _compare.j2
        if self.memo is None:
            return tuple(make(row) for row in rows)
        last = self.memo.compare_rows.get(lang, {})
        now: dict[str, tuple[CompareRow, Markup]] = {}
        for row in rows:
            kept = last.get(row.paper.id)
            now[row.paper.id] = kept if kept is not None and kept[0] == row else (row, make(row))
        self.memo.compare_rows[lang] = now
        return tuple(now[row.paper.id][1] for row in rows)

    def _paper(
        self,
        lang: str,
        pf: PaperFile,
        results: tuple,
        builds_on: tuple[PaperFile, ...],
        extended_by: tuple[PaperFile, ...],
    ) -> None:
        d = routes.paper(pf.id)
        h = Helpers(self.corpus, lang, d, self.config.repo_url, self.config.branch)
        # its .bib is written once for both languages, at the site root (render_root)
        # one table per leaderboard, in the order of `results`: a table laid out only when it scrolls into view
        by_board = tuple(
            (board, tuple(row for _, row in group)) for board, group in itertools.groupby(results, key=lambda br: br[0])
        )
        self.page(
            lang,
            d,
            "paper.md.j2",
            pf=pf,
            results=results,
            by_board=by_board,
            how_open=len(results) <= HOW_OPEN,
            bibtex=self.bib([pf]).strip(),
            bib_file=rel(f"{lang}/{d}", paper_bib(pf)),
            report=bool(self.config.repo_url),
            topics=pf.paper.topics,
            builds_on=builds_on,
            extended_by=extended_by,
            abstract_lang="zh" if pf.paper.abstract and CJK.search(pf.paper.abstract) else "en",
            reproductions=self._repro_views(pf),
            badges=self._badge_views(h, pf),
            coins=meta.coins(pf, self.corpus),
            json_ld=meta.json_ld(pf, self.corpus, f"{self.config.site_url}{lang}/{d}"),
        )

    def _repro_views(self, pf: PaperFile) -> tuple[ReproView, ...]:
        return tuple(
            ReproView(rep.board, rep.claim, rep.row, gap_text(rep.gap), rep.row.paper.id != pf.id, source_of(rep.row))
            for rep in self.derived.reproductions(pf)
        )

    def _badge_views(self, h: Helpers, pf: PaperFile) -> tuple[BadgeView, ...]:
        out = []
        for mb in self.derived.bests(pf):
            if mb.board.ranked_papers < BADGE_MIN_PAPERS:
                continue  # its file exists, but "#1 of 1" is no claim worth a README
            alt = h.t("badge.alt", name=pf.paper.label, rank=mb.row.rank, board=h.board_title(mb.board))
            out.append(
                BadgeView(
                    mb.board,
                    h.root_url(routes.badge(pf.id, mb.board.slug)),
                    alt,
                    badges.badge_markdown(self.config.site_url, h.lang, pf.id, mb.board, alt),
                )
            )
        return tuple(out)

    def _methods(self, lang: str) -> None:
        """The page of chosen methods: a shell that assets/compare.js fills from /api/v1/methods.json."""
        keys = (
            "add",
            "remove",
            "none_found",
            "empty",
            "one",
            "full",
            "unknown",
            "benchmark",
            "rank",
            "copied",
            "failed",
            "only_one",
        )
        texts = {k: i18n.t(lang, f"methods.{k}") for k in keys}
        self.page(
            lang,
            routes.page("compare-methods"),
            "methods.md.j2",
            methods_src=routes.page("api-methods"),
            home=routes.home(),
            texts=texts,
        )

    def _feeds(self, lang: str) -> None:
        f = feeds.Feeds(self.corpus, self.derived, self.config, lang)
        self.out.add(f"{lang}/{routes.page('feed-results')}", f.results())
        self.out.add(f"{lang}/{routes.page('feed-sota')}", f.sota())

    # Units: what a page is made from, so that an unchanged page need not be made again --------------

    def unit(self, name: str, key: object, make: Callable[[], None]) -> None:
        if self._only is not None and name not in self._only:
            return
        memo = self.memo
        if memo is None:
            make()
            return
        done = memo.now.get(name)
        if done is not None and done[0] == key:  # made by render_first
            for path, content in done[1]:
                self.out.add(path, content)
            return
        last = memo.last.get(name)
        if last is not None and last[0] == key:
            for path, content in last[1]:
                self.out.add(path, content)
            memo.now[name] = last
            return
        out, recorder = self.out, _Recorder(self.out)
        self.out = recorder
        try:
            make()
        finally:
            self.out = out
        memo.now[name] = (key, recorder.added)
        memo.made.append(name)


class _Recorder:
    def __init__(self, out: Sink):
        self.out = out
        self.added: list[tuple[str, str | bytes]] = []

    def add(self, path: str, content: str | bytes) -> None:
        self.out.add(path, content)
        self.added.append((path, content))


class Memo:
    """What the last render made, unit by unit, with the key of each: kept by serve between rebuilds.
    The key holds everything a page shows besides the registries and the configuration, which are
    compared once (`epoch`): when they change, every page is made again."""

    def __init__(self) -> None:
        self.epoch: object = None
        self.last: dict[str, tuple[object, list[tuple[str, str | bytes]]]] = {}
        self.now: dict[str, tuple[object, list[tuple[str, str | bytes]]]] = {}
        self.made: list[str] = []  # units rendered by the last render (the others were reused)
        self.entry_texts: dict[bibtex.BibEntry, str] = {}  # BibTeX of each entry, a pure function of it
        self.entries: dict[str, tuple[PaperFile, str, bibtex.BibEntry]] = {}  # paper id -> (paper, key, entry)
        # each board's rows as HTML, by language and board: (columns, {(paper id, index): (row, ranks, html)})
        self.rows: dict[tuple[str, str], tuple[object, dict[tuple[str, int], tuple[object, tuple, Markup]]]] = {}
        self.compare_rows: dict[str, dict[str, tuple[CompareRow, Markup]]] = {}  # by language: paper id -> (row, html)

    def begin(self, epoch: object) -> None:
        if epoch != self.epoch:
            self.entries = {}
            self.rows = {}
            self.compare_rows = {}
        self.last = self.now if epoch == self.epoch else {}
        if len(self.entry_texts) > 100_000:  # entries of papers edited many times over
            self.entry_texts.clear()
        self.epoch, self.now, self.made = epoch, {}, []


def render_site(corpus: Corpus, config: SiteConfig) -> Output:
    out = Output()
    SiteRenderer(corpus, config, out).render()
    return out


def nav(lang: str) -> list:
    """The navigation of one language: index pages only (paper pages stay out of nav)."""
    return [
        {i18n.t(lang, f"nav.{kind}"): f"{routes.page(kind)}index.md"}
        for kind in (
            "home",
            "leaderboards",
            "compare",
            "years",
            "topics",
            "timeline",
            "data",
            "writers",
            "contributing",
        )
    ]
