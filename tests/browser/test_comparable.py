"""The "comparable only" views of a board (issue 14), clicked in both languages on the Cityscapes test board."""

import pytest

from conftest import every_row

VIEW_NAMES = {
    "en": ("all results", "single-scale, no extra data", "single-scale or scales not stated, no extra data"),
    "zh": ("全部结果", "单尺度、无额外数据", "单尺度或未注明尺度、无额外数据"),
}


def _shown(table):
    return table.locator("tbody tr:visible")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_comparable_view_shows_only_rows_of_its_class_ranked_among_themselves(server, new_page, lang):
    page = new_page()
    page.goto(f"{server}/{lang}/leaderboards/cityscapes-test/")
    table = page.locator("#board-table")
    total = every_row(page)
    labels = page.locator("form.ss-filters .ss-views label")
    all_name, strict_name, wide_name = VIEW_NAMES[lang]
    assert all_name in labels.nth(0).inner_text() and f"{total}" in labels.nth(0).inner_text()

    # single-scale, no extra data, both stated by the source
    labels.filter(has_text=strict_name).first.click()
    strict = page.locator("input[name=view][value='single-own']")
    assert strict.is_checked()
    count = int(strict.get_attribute("data-count"))
    assert _shown(table).count() == count
    # a view re-ranks the rows and keeps each row's compare checkbox
    assert table.locator("tbody tr:visible label.ss-pick-box input").count() == count
    for row in _shown(table).all():
        assert (row.get_attribute("data-eval"), row.get_attribute("data-data")) == ("single", "own")
    # on this corpus no Cityscapes test result states its test-time scales: the page says so instead of a bare table
    assert page.locator(".ss-view-empty").is_visible() == (count == 0)
    assert (
        f"{count} / {total}" in page.locator("form.ss-filters output").inner_text()
        or f"{count} of {total}" in page.locator("form.ss-filters output").inner_text()
    )

    # single-scale or scales not stated, no extra data: rows ranked again from 1, a contradicting source left out
    labels.filter(has_text=wide_name).first.click()
    wide = page.locator("input[name=view][value='single-or-unstated-own']")
    count = int(wide.get_attribute("data-count"))
    assert 0 < count < total
    rows = _shown(table).all()
    assert len(rows) == count
    assert page.locator(".ss-view-empty").is_hidden()
    for row in rows:
        assert row.get_attribute("data-data") == "own"
        assert row.get_attribute("data-eval") in ("single", "unknown")
    ranks = [row.locator("td").first.inner_text() for row in rows]
    numbered = [int(r) for r in ranks if r.isdigit()]
    assert numbered[0] == 1 and numbered == sorted(numbered) and numbered[-1] <= count
    assert (
        table.locator("tbody tr:visible", has_text="GALDNet (+Mapillary)").count() == 0
    )  # label: Mapillary; column: no
    assert table.locator("tbody tr", has_text="GALDNet (+Mapillary)").locator(".ss-contradicts").count() == 1

    # back to every result: the board's own ranks
    labels.nth(0).click()
    assert _shown(table).count() == total
    assert table.locator("tbody tr", has_text="GALDNet (+Mapillary)").locator("td").first.inner_text() != ""
    assert page.errors == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_public_by_a_date_shows_the_board_of_that_deadline_ranked_again(server, new_page, lang, tmp_path):
    import csv

    from helpers import run_cli

    out = tmp_path / "asof.csv"
    assert (
        run_cli("export", "csv", "--board", "cityscapes-test", "--as-of", "2018-12-31", "-o", str(out)).returncode == 0
    )
    exported = list(csv.DictReader(out.open(encoding="utf-8")))
    results = {(r["paper_id"], r["result_id"]) for r in exported}
    best = max((r for r in exported if r["metric"] == "mIoU" and r["rank"]), key=lambda r: float(r["value"]))

    page = new_page()
    page.goto(f"{server}/{lang}/leaderboards/cityscapes-test/")
    table = page.locator("#board-table")
    total = every_row(page)
    page.fill("form.ss-filters input[name=asof]", "2018-12-31")
    shown = _shown(table)
    assert shown.count() == len(results) < total  # the same results as `export --as-of`
    dates = [row.get_attribute("data-public") for row in shown.all()]
    assert max(dates) <= "2018-12-31"
    first = shown.first
    assert first.locator(".ss-rank").inner_text() == "1"  # ranked again among the results of the deadline
    assert best["model"] in first.locator("td.ss-c-model").inner_text()
    page.fill("form.ss-filters input[name=asof]", "")
    assert _shown(table).count() == total
    assert page.errors == []
