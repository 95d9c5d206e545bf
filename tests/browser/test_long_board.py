"""A long board (ADE20K val, 856 rows) has its first rows on its page and every row in rows.html (laying
out and painting all of them blocked a phone for 1.9-2.8 s in Lighthouse): "show all" fetches and shows
the rest, a filter or a sort works on every row, a row fetched later can be picked for comparison, and
without script the same link opens every row."""

import pytest
from playwright.sync_api import expect

from generator.render.pages import BOARD_CLIP

BOARD = "leaderboards/ade20k-val/"
TOTAL = 856
SHOW_ALL = {"en": f"Show all {TOTAL} rows", "zh": f"显示全部 {TOTAL} 行"}
ROWS = "#board-table tbody tr"


def _shown(page) -> int:
    return page.evaluate(f"document.querySelectorAll('{ROWS}:not([hidden])').length")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_long_board_shows_its_first_rows_then_all(server, new_page, lang):
    page = new_page()
    page.goto(f"{server}/{lang}/{BOARD}")
    rows = page.locator(ROWS)
    visible = page.locator(f"{ROWS}:visible")
    assert rows.count() == BOARD_CLIP and visible.count() == BOARD_CLIP
    assert page.locator("form.ss-filters output").inner_text().count(str(TOTAL)) == 2  # "856 of 856 rows shown"
    button = page.locator("[data-show-all=board-table]")
    assert button.inner_text() == SHOW_ALL[lang]
    # a filter shows every matching row, wherever it is in the board
    page.fill("form.ss-filters input[name=q]", "pspnet")
    expect(page.locator(ROWS)).to_have_count(TOTAL)
    matching = rows.evaluate_all("rs => rs.filter(r => r.textContent.toLowerCase().includes('pspnet')).length")
    beyond = rows.evaluate_all(
        f"rs => rs.slice({BOARD_CLIP}).filter(r => r.textContent.toLowerCase().includes('pspnet')).length"
    )
    expect(page.locator(f"{ROWS}:not([hidden])")).to_have_count(matching)
    assert visible.count() == matching >= beyond > 0  # some or all of them are not among the first rows
    assert f"{matching}" in page.locator("form.ss-filters output").inner_text()
    assert not button.is_visible()
    page.fill("form.ss-filters input[name=q]", "")
    expect(page.locator(f"{ROWS}:not([hidden])")).to_have_count(TOTAL)
    assert visible.count() == BOARD_CLIP and button.is_visible()
    button.click()
    assert visible.count() == TOTAL and not button.is_visible()
    assert page.errors == []


def test_show_all_adds_the_rest_and_a_late_row_can_be_compared(server, new_page):
    page = new_page()
    page.goto(f"{server}/en/{BOARD}")
    page.locator("[data-show-all=board-table]").click()
    expect(page.locator(ROWS)).to_have_count(TOTAL)
    assert page.locator(f"{ROWS}:visible").count() == TOTAL
    assert page.url.endswith(f"/en/{BOARD}")  # fetched in place, not followed
    # a row that came from the <noscript> is picked like any other
    late = page.locator(ROWS).nth(TOTAL - 1).locator("label.ss-pick-box input")
    late.check()
    assert page.locator(".ss-pick-go").inner_text() == "Compare chosen (1)"
    assert page.errors == []


def test_a_sort_orders_every_row_of_a_long_board(server, new_page):
    page = new_page()
    page.goto(f"{server}/en/{BOARD}")
    years = page.evaluate("""() => fetch('rows.html').then(r => r.text()).then(text => {
      const rows = new DOMParser().parseFromString(text, 'text/html').querySelectorAll('tbody tr');
      return [...rows].map(r => +r.cells[r.cells.length - 2].textContent);
    })""")
    assert len(years) == TOTAL
    # what makes the test bite: the board's earliest years are not all among its first rows
    assert sorted(years)[:BOARD_CLIP] != sorted(years[:BOARD_CLIP])
    page.locator("#board-table thead th").nth(-2).click()  # Year
    expect(page.locator(ROWS)).to_have_count(TOTAL)
    shown = [int(y) for y in page.locator(f"{ROWS}:visible td:nth-last-child(2)").all_inner_texts()]
    assert len(shown) == BOARD_CLIP
    assert shown == sorted(years)[:BOARD_CLIP]
    assert page.errors == []


def test_without_script_the_link_opens_every_row(server, browser):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(f"{server}/en/{BOARD}")
        heads = page.locator("#board-table thead th").all_inner_texts()
        assert page.locator(f"{ROWS}:visible").count() == BOARD_CLIP
        link = page.locator("a[data-show-all=board-table]")
        assert link.inner_text() == SHOW_ALL["en"]
        link.click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/en/{BOARD}rows.html")
        assert page.locator(f"{ROWS}:visible").count() == TOTAL
        assert page.locator("#board-table thead th").all_inner_texts() == heads
        assert page.title() == f"ADE20K val: all {TOTAL} rows"
        page.locator("a", has_text="ADE20K val").first.click()  # back to the board's page
        page.wait_for_load_state()
        assert page.url.endswith(f"/en/{BOARD}")
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_python_markdown_gets_no_row_of_the_long_board(real_site, lang):
    """The rows, chart and filters are HTML the renderer wrote: none of it reaches Python-Markdown. The
    'show all' button right under the table once sent all 856 rows to it (and at 2,000 synthetic papers,
    every row of every board: MkDocs' step went from 19 s to 32 s)."""
    from generator.site.tree import set_aside

    rel = f"{lang}/{BOARD}index.md"
    text = (real_site.parent / "build" / rel).read_text(encoding="utf-8")
    kept, blocks = set_aside(rel, text)
    assert "<tr" not in kept and "<circle" not in kept, kept[:3000]
    assert any("<tr" in b for b in blocks) and any("<circle" in b for b in blocks)
