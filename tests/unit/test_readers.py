"""The readers' files: the static API (valid against its schema), Atom feeds, rank badges, the page of chosen
methods, lineage and reproductions on paper pages, "last updated" on boards. Rendered from the repository's
papers, in memory."""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import xml.etree.ElementTree as ET
import pytest

from helpers import ROOT

from generator.config import LANGS, SiteConfig
from generator.corpus.core import build_corpus
from generator.corpus.derived import Derived, board_updated, result_id, row_date
from generator.corpus.load import load_corpus
from generator.render import routes
from generator.render.pages import render_site

A = "{http://www.w3.org/2005/Atom}"


@functools.cache
def corpus():
    c = load_corpus(ROOT / "papers")
    assert c is not None
    return c


def config() -> SiteConfig:
    return SiteConfig.from_env(papers=ROOT / "papers")


@functools.cache
def files() -> dict:
    return render_site(corpus(), config()).files


def root_json(path: str) -> dict:
    return json.loads(files()[f"root/{path}"])


# the static API ------------------------------------------------------------------------------


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_every_api_file_is_valid_against_the_published_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = root_json(routes.page("api-schema"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    api = [name for name in files() if name.startswith("root/api/v1/") and not name.endswith("schema.json")]
    assert len(api) == 2 + len(corpus().boards) + len(corpus().papers)
    for name in api:
        doc = json.loads(files()[name])
        errors = sorted(validator.iter_errors(doc), key=lambda e: e.path)
        assert not errors, f"{name}: {errors[0].message} at {list(errors[0].path)}"


def test_the_schema_rejects_a_file_that_breaks_it():
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(root_json(routes.page("api-schema")))
    board = root_json(routes.api_board("cityscapes-test"))
    board["rows"][0]["rank"] = "first"
    assert list(validator.iter_errors(board))
    del board["rows"]
    assert list(validator.iter_errors(board))


def test_the_index_lists_every_board_and_paper_with_a_file_that_exists():
    index = root_json(routes.page("api-index"))
    site = config().site_url
    assert [b["slug"] for b in index["boards"]] == [b.slug for b in corpus().boards]
    assert [p["id"] for p in index["papers"]] == [p.id for p in corpus().papers]
    for item in index["boards"] + index["papers"]:
        assert f"root/{item['url'].removeprefix(site)}" in files(), item["url"]


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_a_board_file_is_the_board_in_ranking_order_with_stable_unique_ids():
    board = corpus().board_by_slug["cityscapes-test"]
    doc = root_json(routes.api_board(board.slug))
    assert [r["id"] for r in doc["rows"]] == [f"{r.paper.id}#{result_id(r.paper, r.index)}" for r in board.rows]
    assert len({r["id"] for r in doc["rows"]}) == len(doc["rows"])
    top = doc["rows"][0]
    assert top["rank"] == 1 and top["score"] == float(board.rows[0].ranked_score)
    assert top["source"]["url"].startswith("http")
    assert doc["updated"] == board_updated(board).isoformat()
    # the state-of-the-art line, oldest first, each record better than the one before
    scores = [r["score"] for r in doc["records"]]
    assert scores == sorted(scores) and len(scores) >= 2
    assert [r["id"] for r in doc["rows"] if r["state_of_the_art"]] != []
    # ids do not move between two builds
    again = json.loads(render_site(corpus(), config()).files[f"root/{routes.api_board(board.slug)}"])
    assert again == doc


def test_a_paper_file_has_its_results_ranks_badges_and_lineage():
    doc = root_json(routes.api_paper("pspnet"))
    pf = corpus().by_id["pspnet"]
    assert doc["title"] == pf.paper.title and len(doc["results"]) == len(pf.paper.results)
    ranked = [r for r in doc["results"] if r["rank"]]
    assert ranked and all(r["badge"].endswith(".svg") for r in ranked)
    child = next(p for p in corpus().papers if p.paper.builds_on)
    parent = root_json(routes.api_paper(child.paper.builds_on[0]))
    assert child.id in parent["extended_by"]
    assert root_json(routes.api_paper(child.id))["builds_on"] == list(child.paper.builds_on)


# reproductions -------------------------------------------------------------------------------


def _reproducing(result, ref: str):
    return dataclasses.replace(result, reproduces=ref)


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_a_reproduction_is_shown_on_the_claims_paper_with_its_gap():
    c = corpus()
    board = c.board_by_slug["cityscapes-test"]
    claim = next(r for r in board.ranked if r.paper.id == "pspnet")
    other = next(r for r in board.ranked if r.paper.id != "pspnet" and r.ranked_score != claim.ranked_score)
    ref = f"pspnet#{result_id(claim.paper, claim.index)}"
    results = list(other.paper.paper.results)
    results[other.index] = _reproducing(results[other.index], ref)
    edited = dataclasses.replace(other.paper, paper=dataclasses.replace(other.paper.paper, results=tuple(results)))
    c2 = build_corpus(c.registries, tuple(edited if p.id == edited.id else p for p in c.papers))
    reps = Derived(c2).reproductions(c2.by_id["pspnet"])
    assert len(reps) == 1
    assert reps[0].gap == other.ranked_score - claim.ranked_score
    out = render_site(c2, config()).files
    for lang in LANGS:
        page = out[f"{lang}/papers/pspnet/index.md"]
        section = page[page.index('<h3 id="reproductions">') :]
        gap = reps[0].gap
        shown = f"+{gap}" if gap > 0 else f"\u2212{-gap}"
        assert shown in section and other.model in section, lang
    doc = json.loads(out[f"root/{routes.api_paper('pspnet')}"])
    assert doc["reproductions"][0]["reproduces"] == ref and doc["reproductions"][0]["gap"] == float(reps[0].gap)


def test_a_paper_without_lineage_or_reproductions_says_so_in_both_languages():
    pf = next(p for p in corpus().papers if not p.paper.builds_on and not Derived(corpus()).extended_by(p))
    from generator import i18n

    for lang in LANGS:
        page = files()[f"{lang}/papers/{pf.id}/index.md"]
        assert i18n.t(lang, "lineage.none") in page and i18n.t(lang, "repro.none") in page


def test_lineage_shows_both_directions():
    child = next(p for p in corpus().papers if p.paper.builds_on)
    parent = corpus().by_id[child.paper.builds_on[0]]
    for lang in LANGS:
        assert f'href="../{child.id}/"' in files()[f"{lang}/papers/{parent.id}/index.md"].split('<h2 id="lineage">')[1]
        assert f'href="../{parent.id}/"' in files()[f"{lang}/papers/{child.id}/index.md"].split('<h2 id="lineage">')[1]


# feeds ---------------------------------------------------------------------------------------


def _atom(text: str) -> ET.Element:
    feed = ET.fromstring(text.encode("utf-8"))
    assert feed.tag == f"{A}feed"
    for tag in ("id", "title", "updated"):
        assert feed.find(f"{A}{tag}") is not None and feed.find(f"{A}{tag}").text, tag
    assert feed.find(f"{A}author/{A}name") is not None  # or every entry has one (RFC 4287 4.1.1)
    assert feed.find(f"{A}link[@rel='self']") is not None
    ids = []
    for e in feed.findall(f"{A}entry"):
        for tag in ("id", "title", "updated"):
            assert (e.find(f"{A}{tag}").text or "").strip(), tag
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", e.find(f"{A}updated").text)
        assert e.find(f"{A}link[@rel='alternate']").get("href").startswith("http")
        ids.append(e.find(f"{A}id").text)
    assert len(ids) == len(set(ids)), "entry ids are unique"
    return feed


@pytest.mark.parametrize("lang", LANGS)
def test_feeds_are_valid_atom_dated_from_the_data(lang):
    c, d = corpus(), Derived(corpus())
    results = _atom(files()[f"{lang}/{routes.page('feed-results')}"])
    entries = results.findall(f"{A}entry")
    assert 0 < len(entries) <= 50
    newest = max(row_date(r) for b in c.boards for r in b.rows)
    assert results.find(f"{A}updated").text == f"{newest.isoformat()}T00:00:00Z"  # the data's date, not the clock
    dates = [e.find(f"{A}updated").text for e in entries]
    assert dates == sorted(dates, reverse=True)
    sota = _atom(files()[f"{lang}/{routes.page('feed-sota')}"])
    assert len(sota.findall(f"{A}entry")) == min(50, len(d.records()))
    for board in c.boards:
        feed = _atom(files()[f"{lang}/{routes.board_feed(board.slug)}"])
        assert len(feed.findall(f"{A}entry")) == min(50, len(board.rows))


def test_feed_text_is_escaped_and_in_the_page_language():
    en = files()["en/feeds/sota.xml"]
    zh = files()["zh/feeds/sota.xml"]
    assert "New state of the art" in en and "新 SOTA" in zh
    assert ET.fromstring(zh.encode()).get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-Hans"


# badges --------------------------------------------------------------------------------------


def test_a_badge_is_a_small_accessible_svg_with_rank_board_and_score():
    board = corpus().board_by_slug["cityscapes-test"]
    best = next(r for r in board.ranked if r.paper.id == "pspnet")
    svg = files()[f"root/{routes.badge('pspnet', board.slug)}"]
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg" and root.get("role") == "img"
    title = root.find(f"{ns}title").text
    assert f"rank {best.rank} of {len(board.ranked)}" in title and "Cityscapes test" in title
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert texts == ["Cityscapes test", f"#{best.rank} · mIoU {best.score}%"]
    assert "@font-face" not in svg and "<image" not in svg and "href" not in svg  # nothing fetched
    assert len(svg) < 1500


def test_every_ranked_paper_has_a_badge_per_board_and_the_page_offers_its_markdown():
    c = corpus()
    expected = {routes.badge(r.paper.id, b.slug) for b in c.boards for r in b.ranked}
    assert {n.removeprefix("root/") for n in files() if n.startswith("root/badges/")} == expected
    for lang in LANGS:
        page = files()[f"{lang}/papers/pspnet/index.md"]
        md = "[![PSPNet"  # the alt text starts with the method
        assert md in page and f"({config().site_url}badges/pspnet/cityscapes-test.svg)" in page
        assert f"({config().site_url}{lang}/leaderboards/cityscapes-test/)" in page
        assert '<code class="language-markdown">' in page  # material's copy button, like BibTeX's


# boards and the page of chosen methods ---------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_board_says_when_it_was_last_updated_and_links_its_feed(lang):
    from generator import i18n

    for board in corpus().boards:
        page = files()[f"{lang}/{routes.board(board.slug)}index.md"]
        assert i18n.t(lang, "board.updated", date=board_updated(board).isoformat()) in page
        assert 'href="feed.xml"' in page
        assert 'class="ss-pick" data-pick-table="board-table"' in page


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_of_chosen_methods_loads_the_api_and_has_no_inline_script(lang):
    page = files()[f"{lang}/compare/methods/index.md"]
    assert 'data-src="../../../api/v1/methods.json"' in page
    assert "<script" not in page  # the CSP runs no inline code: assets/compare.js draws it
    import html

    texts = json.loads(html.unescape(re.search(r"data-texts='([^']*)'", page).group(1)))
    from generator import i18n

    assert texts["empty"] == i18n.t(lang, "methods.empty")


def test_methods_json_holds_each_methods_best_ranked_result_per_board():
    doc = root_json(routes.page("api-methods"))
    boards = doc["boards"]
    pspnet = next(m for m in doc["methods"] if m["id"] == "pspnet")
    cs = next(i for i, b in enumerate(boards) if b["slug"] == "cityscapes-test")
    best = next(r for r in corpus().board_by_slug["cityscapes-test"].ranked if r.paper.id == "pspnet")
    assert [b for b in pspnet["best"] if b[0] == cs] == [
        [cs, float(best.ranked_score), best.rank, best.model, int(best.extra), int(best.tta)]
    ]
    assert boards[cs]["name"] == {"en": "Cityscapes test", "zh": boards[cs]["name"]["zh"]} and boards[cs]["name"]["zh"]
    assert len(files()[f"root/{routes.page('api-methods')}"]) < 200_000


@pytest.mark.parametrize("lang", LANGS)
def test_the_data_page_documents_the_api(lang):
    from generator import i18n

    page = files()[f"{lang}/data/index.md"]
    for key in ("api.title", "api.index", "api.board", "api.paper", "api.schema", "api.feeds"):
        assert i18n.t(lang, key) in page, key
    assert "/api/v1/boards/&lt;board&gt;.json" in page and 'href="../../api/v1/schema.json"' in page
