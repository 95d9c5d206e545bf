"""Issue 17, as a reader finds it: boards that fit the screen, charts readable on a phone with words for a
touch screen, paper lists and headers that read right, and a language switch that stays on the reader's
server. Both languages, desktop (1,366 px) and phone (390 px)."""

from __future__ import annotations

import pytest

from conftest import every_row, free_port, serve
from helpers import ROOT

DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
BOARD = "leaderboards/cityscapes-test/"

# every visible control whose box is under 24 x 24 CSS px (WCAG 2.2, 2.5.8 target size, minimum); a box in a
# label counts as the label (the label is what a finger hits); a link inside a sentence is exempt (WCAG's
# inline exception): one whose paragraph holds more text than the link
SMALL_TARGETS = """() => {
  const vw = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('a[href], button, input, select, summary')) {
    const t = el.closest('label') || el;
    if (!t.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const r = t.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= 0 || r.left >= vw) continue;
    const block = el.closest('p, li, dd, figcaption, .ss-note, .ss-abstract');
    const inline = el.tagName === 'A' && block && !el.closest('table') && block.textContent.trim().length > el.textContent.trim().length + 2;
    if (inline) continue;
    if (r.width < 24 || r.height < 24) out.push(`${t.tagName}.${t.className} ${Math.round(r.width)}x${Math.round(r.height)} ${t.textContent.trim().slice(0, 30)}`);
  }
  return out;
}"""

# words of the table's cells split over two lines (a browser breaks "ResNet-101" after its hyphen; a short
# compound is kept whole, a long identifier may wrap after - / _ + ( but never inside a piece)
BROKEN_WORDS = """(sel) => {
  const out = [];
  const walker = document.createTreeWalker(document.querySelector(sel), NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    // a word may wrap after - / _ + ( (a compound, a path) and between ")(" (a label without its space), not inside
    const re = /[^\\s\\-\\/_+()]+[\\-\\/_+()]?/g;
    let m;
    while ((m = re.exec(n.data))) {
      range.setStart(n, m.index);
      range.setEnd(n, m.index + m[0].length);
      const rects = [...range.getClientRects()].filter(r => r.width > 0);
      if (rects.length > 1 && new Set(rects.map(r => Math.round(r.top))).size > 1) out.push(m[0]);
    }
  }
  return out;
}"""


def open_page(browser, url, size, color_scheme="light"):
    ctx = browser.new_context(color_scheme=color_scheme, **SIZES[size])
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return ctx, page, errors


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_board_fits_the_screen(server, browser, lang, size):
    ctx, page, errors = open_page(browser, f"{server}/{lang}/{BOARD}", size)
    try:
        vw = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= vw  # the page never scrolls sideways
        wrap = page.locator(".ss-board-wrap")
        table = page.locator("#board-table")
        if size == "desktop":
            # the whole table, its last (source) column included, within its box: no scrolling at 1,366 px
            assert table.evaluate("t => t.scrollWidth") <= wrap.evaluate("w => w.clientWidth")
            last = table.locator("thead th").last.bounding_box()
            assert last["x"] + last["width"] <= vw
        else:
            # rank, model and score in view on arrival; once the table scrolls, rank and model stay
            row = table.locator("tbody tr").first
            for cls in ("ss-c-rank", "ss-c-model", "ss-c-score"):
                box = row.locator(f"td.{cls}").bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= vw, (cls, box)
            wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
            for cls in ("ss-c-rank", "ss-c-model"):
                box = row.locator(f"td.{cls}").bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= vw, (cls, box)
            model = row.locator("td.ss-c-model").bounding_box()
            source = row.locator("td.ss-c-src").bounding_box()
            assert source["x"] + source["width"] <= vw + 1  # the last column was reached, beside the model
            assert source["x"] >= model["x"] + model["width"] - 1
        assert page.evaluate(SMALL_TARGETS) == []
        assert page.evaluate(BROKEN_WORDS, "#board-table") == []
        assert errors == []
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_long_tables_on_a_phone_wrap_between_words(server, browser, lang):
    ctx, page, _ = open_page(browser, f"{server}/{lang}/timeline/", "phone")
    try:
        broken = page.evaluate(BROKEN_WORDS, "article .ss-table-wrap:last-of-type table")
        assert [w for w in broken if "-" not in w and w.isascii()] == []
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_board_shows_only_columns_that_some_row_fills(server, browser, lang):
    ctx, page, _ = open_page(browser, f"{server}/{lang}/{BOARD}", "desktop")
    try:
        every_row(page)
        empty = page.evaluate("""() => {
          const t = document.querySelector('#board-table');
          const heads = [...t.tHead.rows[0].cells];
          return heads.filter((h, i) => [...t.tBodies[0].rows].every(r => !r.cells[i].textContent.trim()))
                      .map(h => h.textContent);
        }""")
        assert empty == []
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("path", [BOARD, "timeline/", "compare/"])
def test_charts_are_readable_without_scrolling_and_say_tap_on_a_touch_screen(server, browser, lang, size, path):
    ctx, page, errors = open_page(browser, f"{server}/{lang}/{path}", size)
    try:
        vw = page.evaluate("document.documentElement.clientWidth")
        svg = page.locator(".ss-chart svg.ss-svg:visible").first
        box = svg.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= vw
        assert page.locator(".ss-chart").first.evaluate("f => f.scrollWidth <= f.clientWidth")
        # axis text at least 9 px on the screen (the drawing is scaled to its box)
        scale = svg.evaluate("s => s.getBoundingClientRect().width / s.viewBox.baseVal.width")
        assert 12 * scale >= 9, scale
        hint = page.locator(".ss-chart-hint").first.inner_text()
        touch = {"en": "Tap", "zh": "轻触"}[lang]
        pointer = {"en": "Point at", "zh": "将指针"}[lang]
        if size == "phone":
            assert touch in hint and pointer not in hint, hint
        else:
            assert pointer in hint, hint
        assert errors == []
    finally:
        ctx.close()


def test_charts_are_drawn_by_month_and_the_timeline_spreads_and_links_papers(real_site):
    import json

    fig = json.loads((real_site / "en" / BOARD / "chart.json").read_text())
    xs = [x for trace in fig["data"] for x in trace["x"]]
    assert all(x[8:] == "01" for x in xs)  # a month (its first day), never a day
    tl = json.loads((real_site / "en" / "timeline" / "timeline.json").read_text())
    lineage = [t for t in tl["data"] if t["mode"] == "lines"]
    assert lineage and None in lineage[0]["x"]  # builds_on drawn, one segment per link
    points = [(x, y) for t in tl["data"] if t["mode"] == "markers" for x, y in zip(t["x"], t["y"], strict=True)]
    assert len(points) == len(set(points))  # no two papers on one point
    # one topic order: the first topic at the top, in the interactive chart as in the drawing
    assert tl["layout"]["yaxis"]["range"][0] > tl["layout"]["yaxis"]["range"][1]
    assert tl["layout"]["yaxis"]["tickvals"] == list(range(len(tl["layout"]["yaxis"]["ticktext"])))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_paper_lists_and_headers_read_right(server, browser, lang, size):
    ctx, page, errors = open_page(browser, f"{server}/{lang}/", size)
    try:
        # the home page is titled once, and each listed title is apart from its venue
        assert page.title().count(page.locator("h1").first.inner_text()) == 1
        for item in page.locator("li.ss-paper").all():
            title = item.locator(".ss-title").inner_text()
            assert title + " " in item.inner_text().replace("\n", " ") or item.locator(".ss-name").count(), title
        text = page.locator("article").inner_text()
        assert "real-bib" not in text and ".bib " not in text and "marks it in red" not in text
        page.goto(f"{server}/{lang}/papers/ddrnet/")
        assert "real-bib" not in page.locator("article").inner_text()
        page.goto(f"{server}/{lang}/papers/pspnet/")
        assert page.locator(".ss-paper-head .ss-venue").inner_text() == "CVPR 2017"
        assert page.locator(".ss-paper-head .ss-venue").get_attribute("title")
        assert page.evaluate(SMALL_TARGETS) == [] if size == "phone" else True
        assert errors == []
    finally:
        ctx.close()


def test_a_paper_header_gives_the_venue_year_and_the_first_public_date_apart(real_site):
    # a paper with both: venue and year of the venue first, the first public version separately
    import re

    from generator.corpus.load import load_corpus

    corpus = load_corpus(ROOT / "papers")
    dated = [pf for pf in corpus.papers if pf.paper.date and pf.paper.venue]
    if not dated:
        pytest.skip("no paper with a venue gives its date yet")
    pf = dated[0]
    for lang, words in (("en", "first public"), ("zh", "首次公开")):
        html = (real_site / lang / "papers" / pf.id / "index.html").read_text()
        venue = corpus.registries.venues[pf.paper.venue].short
        assert re.search(rf'class="ss-venue"[^>]*>{re.escape(venue)} {pf.paper.year}<', html)
        assert f"{words}" in html and pf.paper.date in html


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory):
    """A small survey built for its public address, served from another one (a preview, a mirror)."""
    from helpers import run_build

    work = tmp_path_factory.mktemp("elsewhere")
    proc = run_build(
        ROOT / "tests" / "fixtures" / "xss" / "papers",
        work / "site",
        work / "build",
        {"SITE_URL": "https://survey.example.org/sub/"},
    )
    assert proc.returncode == 0, proc.stderr
    port = free_port()
    httpd = serve(work / "site", port)
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", ["", "leaderboards/", "years/"])
def test_the_language_switch_stays_on_the_readers_server(elsewhere, browser, lang, path):
    other = {"en": "zh", "zh": "en"}[lang]
    ctx, page, _ = open_page(browser, f"{elsewhere}/{lang}/{path}", "desktop")
    try:
        page.locator(".md-header__option .md-select").first.hover()
        page.locator(f"a[hreflang={other}]").first.click()
        page.wait_for_load_state("networkidle")
        assert page.url == f"{elsewhere}/{other}/{path}", page.url
    finally:
        ctx.close()


WEIGHED = [
    "",
    "leaderboards/",
    BOARD,
    "compare/",
    "years/",
    "years/2018/",
    "topics/",
    "topics/real-time/",
    "timeline/",
    "papers/pspnet/",
    "data/",
]
BUDGET = 300_000  # bytes, gzip-compressed, everything a first visit fetches (issue 17)


def largest_board(site) -> str:
    boards = [p.parent for p in (site / "en" / "leaderboards").glob("*/index.html")]
    return max(boards, key=lambda d: (d / "index.html").stat().st_size).name


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_kind_first_visit_is_at_most_300_kb_compressed(server, real_site, browser, lang):
    import gzip
    from urllib.parse import urlsplit

    paths = WEIGHED + [f"leaderboards/{largest_board(real_site)}/"]
    for path in paths:
        for size in ("desktop", "phone"):
            ctx = browser.new_context(**SIZES[size])
            page = ctx.new_page()
            urls: list[str] = []
            page.on("requestfinished", lambda r, urls=urls: urls.append(r.url))
            page.goto(f"{server}/{lang}/{path}")
            page.wait_for_load_state("networkidle")
            ctx.close()
            total = 0
            for url in set(urls):
                local = urlsplit(url).path
                if not url.startswith(server):
                    continue
                f = real_site / local.lstrip("/")
                f = f / "index.html" if f.is_dir() else f
                total += len(gzip.compress(f.read_bytes(), 6))
            assert total <= BUDGET, (path, size, total)
