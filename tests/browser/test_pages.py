"""What a reader sees, in Debian's Chromium: every page kind in both languages, charts, tables, switching."""

import pytest

from conftest import every_row, requested


def test_plotly_is_loaded_only_where_a_chart_is_drawn(server, new_page):
    page = new_page()
    fetched = requested(page)
    page.goto(f"{server}/en/papers/pspnet/")
    page.wait_for_load_state("networkidle")
    page.goto(f"{server}/en/leaderboards/cityscapes-test/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in fetched if "plotly" in u]
    page.locator(".ss-chart").first.hover()
    page.wait_for_selector(".ss-chart[data-rendered]", timeout=15000)
    assert len([u for u in fetched if "plotly" in u]) == 1
    # hovering a point shows the model and its score
    page.locator(".ss-chart[data-rendered] .scatterlayer .point").first.hover(force=True)
    page.wait_for_selector(".hoverlayer .hovertext", timeout=5000)
    assert "mIoU" in page.locator(".hoverlayer .hovertext").first.text_content()


PAGES = [
    "",
    "leaderboards/",
    "leaderboards/cityscapes-test/",
    "compare/",
    "years/",
    "years/2017/",
    "topics/",
    "topics/real-time/",
    "timeline/",
    "papers/pspnet/",
    "data/",
    "contributing/",
]
CHARTS = {"leaderboards/cityscapes-test/", "timeline/", "compare/"}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", PAGES)
def test_page_opens_without_script_errors(server, new_page, lang, path):
    page = new_page()
    page.goto(f"{server}/{lang}/{path}")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == lang
    if path in CHARTS:
        # a static drawing first (no plotly fetched), the interactive chart once the reader points at it
        assert page.locator(".ss-chart svg.ss-svg circle").count() > 0
        assert not page.evaluate("!!window.Plotly")
        page.locator(".ss-chart").first.hover()
        page.wait_for_selector(".ss-chart[data-rendered] .main-svg", timeout=15000)
        page.locator(".ss-chart[data-rendered] .main-svg").first.hover()
    assert page.errors == []


def test_cityscapes_board_sorts_and_filters_by_click(server, new_page):
    page = new_page()
    page.goto(f"{server}/en/leaderboards/cityscapes-test/")
    table = page.locator("#board-table")
    total = every_row(page)
    assert total >= 95 and table.locator("tbody tr:visible").count() == total
    # the filter form appears only with JavaScript, then filters rows
    page.check("form.ss-filters input[name=extra]")
    shown = table.locator("tbody tr:visible").count()
    assert 0 < shown < total
    assert table.locator("tbody tr:visible[data-extra='1']").count() == 0
    page.uncheck("form.ss-filters input[name=extra]")
    page.fill("form.ss-filters input[name=q]", "PSPNet")
    visible = table.locator("tbody tr:visible")
    assert 1 <= visible.count() < 10
    page.fill("form.ss-filters input[name=q]", "")
    # sorting: click the model header twice -> descending alphabetical
    header = table.locator("thead th", has_text="Model")
    header.click()
    first = table.locator("tbody tr td:nth-child(2)").first.inner_text()
    header.click()
    first_desc = table.locator("tbody tr td:nth-child(2)").first.inner_text()
    assert first != first_desc
    assert header.get_attribute("aria-sort") in ("ascending", "descending")


def test_language_switch_keeps_the_reader_on_the_same_page(server, new_page):
    page = new_page()
    page.goto(f"{server}/en/papers/pspnet/")
    page.locator(".md-header__option .md-select").first.hover()
    page.locator("a[hreflang=zh]").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/zh/papers/pspnet/"), page.url
    assert page.errors == []
