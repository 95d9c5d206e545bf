"""Every URL of the site, once: each page kind with its path, how to build it and how to recognise it.

The paths are a contract (docs/product.md's URL table: readers cite them, tests open them). A page's path
is what follows the language prefix (`/en/`, `/zh/`): the same path is the same page in both languages.
Language-neutral files (scope "root") are once at the site root. The renderer (pages.py), the URL helpers
of the templates (views.py), the build tree (site/tree.py: which pages get blocks set aside) and the search
trimming (site/finish.py) all take their paths and patterns from here, and README's "from a page's URL to
the file that makes it" table is checked against ROUTES (tests/unit/test_routes.py).

A pattern names its parameters in angle brackets; PARAMS says what each may hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, Optional

# What a parameter of a pattern may hold (a segment never holds a slash, except a board's
# `<task>/<dataset>-<split>` for a task other than the survey's default task)
PARAMS = {
    "board": r"[^/]+(?:/[^/]+)?",
    "year": r"\d{4}",
    "topic": r"[^/]+",
    "id": r"[^/]+",
}
_PARAM = re.compile(r"<([a-z_]+)>")


@dataclass(frozen=True)
class Route:
    """One kind of page or file."""

    kind: str
    pattern: str  # e.g. "years/<year>/": after the language prefix, or from the site root (scope "root")
    made_by: tuple[str, ...]  # the files that make it, from the repository root (README's table shows them)
    about: tuple[str, str]  # what it is, in English and in Chinese (README's table)
    scope: Literal["lang", "root"] = "lang"
    listing: bool = False  # lists many papers or results: big HTML blocks set aside, search keeps its head
    regex: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts, at = [], 0
        for m in _PARAM.finditer(self.pattern):
            parts += [re.escape(self.pattern[at : m.start()]), f"(?P<{m.group(1)}>{PARAMS[m.group(1)]})"]
            at = m.end()
        parts.append(re.escape(self.pattern[at:]))
        object.__setattr__(self, "regex", re.compile("".join(parts)))

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(_PARAM.findall(self.pattern))

    def path(self, **values: object) -> str:
        """The path of one page of this kind: ROUTES["year"].path(year=2017) == "years/2017/"."""
        if set(values) != set(self.params):
            raise TypeError(f"route {self.kind} takes {self.params}, got {tuple(values)}")
        out = _PARAM.sub(lambda m: str(values[m.group(1)]), self.pattern)
        if not self.regex.fullmatch(out):
            raise ValueError(f"{out!r} is not a path of route {self.kind} ({self.pattern})")
        return out

    def parse(self, path: str) -> Optional[dict[str, str]]:
        """The parameters of a path of this kind, or None when the path is not one."""
        m = self.regex.fullmatch(path)
        return m.groupdict() if m else None

    def url(self) -> str:
        """The pattern as a reader sees it: "/<lang>/years/<year>/" (both languages), "/data/papers.bib"."""
        return f"/{self.pattern}" if self.scope == "root" else f"/<lang>/{self.pattern}"


T = "generator/render/templates/"
CHARTS = "generator/render/charts.py"
DATA = "generator/render/data.py"
BIB = "generator/bib/write.py"
DERIVED = "generator/corpus/derived.py"
FEEDS = "generator/render/feeds.py"
API = "generator/render/api.py"

ROUTE_LIST = (
    Route(
        "home",
        "",
        (T + "home.md.j2",),
        ("home: counts, newest papers, best on each main benchmark", "首页：统计、最新论文、各主要基准的最佳结果"),
    ),
    Route(
        "leaderboards", "leaderboards/", (T + "boards.md.j2",), ("every leaderboard, by task", "全部排行榜，按任务分组")
    ),
    Route(
        "board",
        "leaderboards/<board>/",
        (T + "board.md.j2", "generator/corpus/core.py", CHARTS),
        (
            "one leaderboard; `<task>/` first for a task other than the survey's default",
            "一个排行榜；非默认任务的路径以 `<task>/` 开头",
        ),
        listing=True,
    ),
    Route(
        "compare",
        "compare/",
        (T + "compare.md.j2", CHARTS),
        ("methods across benchmarks, accuracy against cost", "方法跨基准对比、精度与开销"),
        listing=True,
    ),
    Route("years", "years/", (T + "years.md.j2",), ("every year", "全部年份")),
    Route("year", "years/<year>/", (T + "year.md.j2",), ("the papers of one year", "某一年的论文"), listing=True),
    Route("topics", "topics/", (T + "topics.md.j2",), ("every topic", "全部主题")),
    Route(
        "topic", "topics/<topic>/", (T + "topic.md.j2",), ("the papers of one topic", "某一主题的论文"), listing=True
    ),
    Route(
        "timeline",
        "timeline/",
        (T + "timeline.md.j2", CHARTS),
        ("every paper on one time axis", "全部论文的时间轴"),
        listing=True,
    ),
    Route("paper", "papers/<id>/", (T + "paper.md.j2", "papers/<year>/<id>.yaml"), ("one paper", "一篇论文")),
    Route("data", "data/", (T + "data.md.j2",), ("the downloads", "下载")),
    Route(
        "writers",
        "writers/",
        ("docs/en/writers/index.md", "docs/zh/writers/index.md"),
        (
            "for writers: cite papers and the survey, a leaderboard as a LaTeX table",
            "写作者指南：引用论文与本综述，把排行榜做成 LaTeX 表格",
        ),
    ),
    Route(
        "contributing",
        "contributing/",
        ("CONTRIBUTING.md", "CONTRIBUTING.zh.md", "generator/site/tree.py"),
        ("how to contribute", "如何贡献"),
    ),
    Route("papers.bib", "data/papers.bib", (BIB,), ("every paper as BibTeX", "全部论文的 BibTeX"), scope="root"),
    Route(
        "papers.json",
        "data/papers.json",
        (DATA,),
        ("every paper in the paper format", "论文格式的全部论文"),
        scope="root",
    ),
    Route(
        "results.csv",
        "data/results.csv",
        (DATA,),
        ("one row per result and metric", "每个结果与指标一行"),
        scope="root",
    ),
    Route(
        "papers.csl.json",
        "data/papers.csl.json",
        (DATA,),
        ("every paper as CSL-JSON", "全部论文的 CSL-JSON"),
        scope="root",
    ),
    Route(
        "paper.schema.json",
        "data/paper.schema.json",
        ("generator/format/jsonschema.py", DATA),
        ("the JSON Schema of a paper file", "论文文件的 JSON Schema"),
        scope="root",
    ),
    Route("paper.bib", "data/bib/<id>.bib", (BIB,), ("one paper's BibTeX", "一篇论文的 BibTeX"), scope="root"),
    Route(
        "board.tex",
        "data/boards/<board>.tex",
        ("generator/render/latex.py",),
        (
            "a leaderboard as a booktabs table for a paper (pdflatex + bibtex)",
            "排行榜的 booktabs 表格，可直接用于论文（pdflatex + bibtex）",
        ),
        scope="root",
    ),
    Route(
        "board.bib",
        "data/boards/<board>.bib",
        ("generator/render/latex.py", BIB),
        (
            "the BibTeX the board's table cites (its papers and the board itself)",
            "该表格引用的 BibTeX（其中的论文与排行榜本身）",
        ),
        scope="root",
    ),
    # for readers and their scripts: chosen methods side by side, feeds, badges, the static API
    Route(
        "compare-methods",
        "compare/methods/",
        (T + "methods.md.j2", "docs/assets/compare.js", API),
        (
            "chosen methods side by side (`?ids=<id>,<id>,…`), drawn in the browser from `/api/v1/methods.json`",
            "所选方法并列对比（`?ids=<id>,<id>,…`），由浏览器根据 `/api/v1/methods.json` 绘制",
        ),
    ),
    Route("feed-results", "feeds/results.xml", (FEEDS, DERIVED), ("Atom feed of new results", "新结果的 Atom 订阅")),
    Route(
        "feed-sota",
        "feeds/sota.xml",
        (FEEDS, DERIVED),
        ("Atom feed of new state-of-the-art records", "新 SOTA 记录的 Atom 订阅"),
    ),
    Route(
        "board-feed",
        "leaderboards/<board>/feed.xml",
        (FEEDS, DERIVED),
        ("Atom feed of one leaderboard's new results and records", "某一排行榜新结果与新纪录的 Atom 订阅"),
    ),
    Route(
        "board-rows",
        "leaderboards/<board>/rows.html",
        (T + "board_rows.html.j2", T + "_board.j2"),
        (
            "every row of a long leaderboard as one plain table: its page shows the first rows and fetches the rest from here",
            "长排行榜的全部行，一张朴素的表格：排行榜页先显示前面的行，其余从这里取",
        ),
    ),
    Route(
        "badge",
        "badges/<id>/<board>.svg",
        ("generator/render/badges.py",),
        ("a paper's rank badge on one leaderboard", "论文在某一排行榜上的排名徽章"),
        scope="root",
    ),
    Route(
        "api-index",
        "api/v1/index.json",
        (API,),
        ("the API's index: every board and paper with its file", "API 索引：全部排行榜与论文及其文件"),
        scope="root",
    ),
    Route(
        "api-board",
        "api/v1/boards/<board>.json",
        (API, DERIVED),
        ("one leaderboard as JSON", "一个排行榜的 JSON"),
        scope="root",
    ),
    Route(
        "api-paper",
        "api/v1/papers/<id>.json",
        (API, DERIVED),
        (
            "one paper with its results, ranks, lineage and reproductions as JSON",
            "一篇论文及其结果、排名、谱系与复现的 JSON",
        ),
        scope="root",
    ),
    Route(
        "api-methods",
        "api/v1/methods.json",
        (API, DERIVED),
        (
            "each method's best result on every board (the compare page reads it)",
            "每个方法在各排行榜上的最佳结果（对比页读取）",
        ),
        scope="root",
    ),
    Route(
        "api-schema",
        "api/v1/schema.json",
        (API,),
        ("the JSON Schema of the API files", "API 文件的 JSON Schema"),
        scope="root",
    ),
)
ROUTES: dict[str, Route] = {r.kind: r for r in ROUTE_LIST}


def match(path: str, scope: str = "lang") -> Optional[tuple[Route, dict[str, str]]]:
    """The route of a path (after the language prefix, or from the root for scope "root") and its values."""
    for route in ROUTE_LIST:
        if route.scope == scope:
            values = route.parse(path)
            if values is not None:
                return route, values
    return None


def kind(path: str) -> Optional[str]:
    m = match(path)
    return m[0].kind if m else None


def _union(routes) -> re.Pattern:
    return re.compile("|".join(f"(?:{r.regex.pattern})" for r in routes))


# The patterns the build needs (site/tree.py, site/finish.py): use with fullmatch on a page's path
LISTING_PAGES = _union(r for r in ROUTE_LIST if r.listing)
PAPER_PAGE = ROUTES["paper"].regex


# Builders, by what they take -----------------------------------------------------------------------


def home() -> str:
    return ROUTES["home"].path()


def leaderboards() -> str:
    return ROUTES["leaderboards"].path()


def board(slug: str) -> str:
    """`slug` is corpus.Board.slug: `<dataset>-<split>`, or `<task>/<dataset>-<split>` off the default task."""
    return ROUTES["board"].path(board=slug)


def year(y: int) -> str:
    return ROUTES["year"].path(year=y)


def topic(slug: str) -> str:
    return ROUTES["topic"].path(topic=slug)


def paper(paper_id: str) -> str:
    return ROUTES["paper"].path(id=paper_id)


def paper_bib(paper_id: str) -> str:
    """Where a paper's .bib is, from the site root (one file for both languages)."""
    return ROUTES["paper.bib"].path(id=paper_id)


def board_feed(slug: str) -> str:
    return ROUTES["board-feed"].path(board=slug)


def board_rows(slug: str) -> str:
    return ROUTES["board-rows"].path(board=slug)


def badge(paper_id: str, slug: str) -> str:
    """A paper's rank badge on a board, from the site root: badges/<id>/<dataset>-<split>.svg."""
    return ROUTES["badge"].path(id=paper_id, board=slug)


def api_board(slug: str) -> str:
    return ROUTES["api-board"].path(board=slug)


def api_paper(paper_id: str) -> str:
    return ROUTES["api-paper"].path(id=paper_id)


def board_file(slug: str, ext: str) -> str:
    """Where a board's table for a paper (ext "tex") and its .bib (ext "bib") are, from the site root."""
    return ROUTES[f"board.{ext}"].path(board=slug)


def page(kind_: str) -> str:
    """The path of a page or file kind that has one (home, compare, years, feed-results, api-index, …)."""
    return ROUTES[kind_].path()


def data_file(name: str) -> str:
    """A language-neutral data file by name ("papers.bib") from the site root."""
    route = ROUTES[name]
    assert route.scope == "root" and not route.params, name
    return route.path()


# README's "from a page's URL to the file that makes it" (tests/unit/test_routes.py checks both READMEs) --

README_HEAD = {
    "en": (
        "| URL | page | made by |",
        "Every page of a language is rendered by `generator/render/pages.py` from the "
        "template named, at the path `generator/render/routes.py` gives it.",
    ),
    "zh": (
        "| URL | 页面 | 由谁生成 |",
        "每种语言的页面都由 `generator/render/pages.py` 用所列模板渲染，路径由 `generator/render/routes.py` 给出。",
    ),
}


def readme_table(lang: str) -> str:
    head, note = README_HEAD[lang]
    rows = [head, "| --- | --- | --- |"]
    for r in ROUTE_LIST:
        rows.append(f"| `{r.url()}` | {r.about[0 if lang == 'en' else 1]} | {', '.join(f'`{f}`' for f in r.made_by)} |")
    return "\n".join(rows) + "\n\n" + note + "\n"


if __name__ == "__main__":  # python -m generator.render.routes en|zh: the README table of a language
    import sys

    print(readme_table(sys.argv[1] if len(sys.argv) > 1 else "en"), end="")
