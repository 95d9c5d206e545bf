"""One route table: every page and file the renderer emits is one route's, and routes build what they parse."""

from __future__ import annotations

import functools

import pytest

from helpers import ROOT

from generator.config import LANGS, SiteConfig
from generator.corpus.load import load_corpus
from generator.render import routes
from generator.render.pages import render_site


@functools.cache
def site_files() -> dict:
    corpus = load_corpus(ROOT / "papers")
    assert corpus is not None
    return render_site(corpus, SiteConfig.from_env(papers=ROOT / "papers")).files


def lang_file_route(rest: str):
    """The route of a file of a language that is not a page (a feed), or None (a chart, a list's .bib)."""
    m = routes.match(rest)
    return m[0] if m and not m[0].pattern.endswith("/") and m[0].pattern else None


def page_paths() -> list[tuple[str, str]]:
    """(scope, path) of every page (the Markdown of a language), every file of a language that has its own
    route (feeds) and every root file the renderer emits."""
    out = []
    for name in site_files():
        scope, _, rest = name.partition("/")
        if scope == "root":
            out.append(("root", rest))
        elif rest.endswith("index.md"):
            assert scope in LANGS, name
            out.append(("lang", rest.removesuffix("index.md")))
        elif lang_file_route(rest):
            out.append(("lang", rest))
    return out


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_every_emitted_page_matches_exactly_one_route():
    kinds = set()
    for scope, path in page_paths():
        matching = [r.kind for r in routes.ROUTE_LIST if r.scope == scope and r.parse(path) is not None]
        assert len(matching) == 1, f"{scope}:{path!r} matches {matching}"
        kinds.add(matching[0])
    # every route of the renderer is used by the corpus of the repository (contributing and writers come
    # from the tree: CONTRIBUTING*.md, docs/<lang>/writers/)
    assert kinds == set(routes.ROUTES) - {"contributing", "writers"}


def test_files_beside_a_page_sit_in_its_folder():
    """A chart's JSON or a list's .bib is in the folder of a page that the table knows."""
    pages = {
        (name.partition("/")[0], name.partition("/")[2].removesuffix("index.md"))
        for name in site_files()
        if name.endswith("index.md")
    }
    for name in site_files():
        lang, _, rest = name.partition("/")
        if lang == "root" or rest.endswith("index.md") or lang_file_route(rest):
            continue
        folder = rest.rpartition("/")[0] + "/"
        assert (lang, folder) in pages, name


def test_boards_off_the_default_task_have_their_task_in_the_path():
    paths = [p for s, p in page_paths() if s == "lang" and routes.kind(p) == "board"]
    assert any(p.count("/") == 3 for p in paths), "a board of another task: leaderboards/<task>/<dataset>-<split>/"
    assert any(p.count("/") == 2 for p in paths)


def test_a_path_parses_back_to_what_builds_it():
    for scope, path in sorted(set(page_paths())):
        route, values = routes.match(path, scope)
        assert route.path(**values) == path


def test_builders_give_the_product_urls():
    assert routes.home() == ""
    assert routes.board("cityscapes-test") == "leaderboards/cityscapes-test/"
    assert (
        routes.board("video-semantic-segmentation/camvid-test")
        == "leaderboards/video-semantic-segmentation/camvid-test/"
    )
    assert routes.year(2017) == "years/2017/"
    assert routes.topic("real-time") == "topics/real-time/"
    assert routes.paper("pspnet") == "papers/pspnet/"
    assert routes.paper_bib("pspnet") == "data/bib/pspnet.bib"
    assert [routes.data_file(k) for k in ("papers.bib", "papers.json", "results.csv", "paper.schema.json")] == [
        "data/papers.bib",
        "data/papers.json",
        "data/results.csv",
        "data/paper.schema.json",
    ]
    assert routes.ROUTES["year"].url() == "/<lang>/years/<year>/"
    assert routes.ROUTES["papers.bib"].url() == "/data/papers.bib"
    # the readers' files (docs/product.md's URL table)
    assert routes.page("compare-methods") == "compare/methods/"
    assert [routes.page(k) for k in ("feed-results", "feed-sota")] == ["feeds/results.xml", "feeds/sota.xml"]
    assert routes.board_feed("cityscapes-test") == "leaderboards/cityscapes-test/feed.xml"
    assert routes.badge("pspnet", "cityscapes-test") == "badges/pspnet/cityscapes-test.svg"
    assert routes.page("api-index") == "api/v1/index.json"
    assert (
        routes.api_board("video-semantic-segmentation/camvid-test")
        == "api/v1/boards/video-semantic-segmentation/camvid-test.json"
    )
    assert routes.api_paper("pspnet") == "api/v1/papers/pspnet.json"
    assert routes.kind("leaderboards/cityscapes-test/feed.xml") == "board-feed"
    assert routes.kind("compare/methods/") == "compare-methods"


def test_a_builder_refuses_what_its_pattern_cannot_hold():
    with pytest.raises(ValueError):
        routes.year(17)
    with pytest.raises(ValueError):
        routes.paper("a/b")
    with pytest.raises(TypeError):
        routes.ROUTES["paper"].path(year=2017)


def test_the_build_selects_pages_by_the_table():
    """What tree.py sets aside and finish.py trims follows the route's `listing` flag."""
    listing = {"board", "compare", "year", "topic", "timeline"}
    assert {r.kind for r in routes.ROUTE_LIST if r.listing} == listing
    for scope, path in page_paths():
        if scope == "lang":
            assert bool(routes.LISTING_PAGES.fullmatch(path)) == (routes.kind(path) in listing), path
            assert bool(routes.PAPER_PAGE.fullmatch(path)) == (routes.kind(path) == "paper"), path


@pytest.mark.parametrize("lang,readme", [("en", "README.md"), ("zh", "README.zh.md")])
def test_the_readme_table_is_the_route_table(lang, readme):
    text = (ROOT / readme).read_text(encoding="utf-8")
    start, end = text.index("<!-- routes:"), text.index("<!-- /routes -->")
    block = text[text.index("\n", start) + 1 : end]
    assert block == routes.readme_table(lang), (
        f"{readme}: run `python -m generator.render.routes {lang}` and paste the table"
    )


def test_every_file_the_table_names_exists():
    for r in routes.ROUTE_LIST:
        for f in r.made_by:
            if "<" not in f:
                assert (ROOT / f).is_file(), f"route {r.kind}: {f} does not exist"
