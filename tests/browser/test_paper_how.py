"""A paper page says how each of its results was obtained (issue 14). A paper with many results (PSPNet: the
model zoos' configurations) folds that list; the model named in a results row leads to its card and opens it."""

import pytest

SUMMARY = {"en": "Training data, evaluation and source of each of the", "zh": "各自的训练数据、评测方式与来源"}
TRAINING = {"en": "Training data", "zh": "训练数据"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_row_leads_to_its_card_in_the_folded_list(server, new_page, lang):
    page = new_page()
    page.goto(f"{server}/{lang}/papers/pspnet/")
    folded = page.locator("details.ss-how-all")
    assert SUMMARY[lang] in folded.locator("summary").inner_text()
    assert folded.get_attribute("open") is None
    cards = folded.locator(".ss-how-item")
    assert cards.count() == page.locator(".ss-table tbody tr").count() > 100
    assert not cards.first.is_visible()

    # the SSSegmentation row: trained on ADE20K train, no extra data, as its README says
    row = page.locator(".ss-table tbody tr", has_text="SSSegmentation").first
    link = row.locator("td").first.locator("a")
    target = link.get_attribute("href")
    link.click()
    card = page.locator(target)
    card.wait_for(state="visible")
    assert folded.get_attribute("open") is not None
    assert card.evaluate("el => el.matches(':target')")
    assert TRAINING[lang] in card.inner_text()
    assert "ADE20K" in card.inner_text() and "SSSegmentation" in card.inner_text()
    box = card.bounding_box()
    assert box and 0 <= box["y"] < page.viewport_size["height"]
    assert page.errors == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_link_from_elsewhere_to_a_card_opens_it(server, new_page, lang):
    page = new_page()
    page.goto(f"{server}/{lang}/papers/pspnet/")
    target = page.locator(".ss-how-item").nth(40).get_attribute("id")
    page.goto(f"{server}/{lang}/papers/pspnet/#{target}")
    page.locator(f"#{target}").wait_for(state="visible")
    assert page.locator("details.ss-how-all").get_attribute("open") is not None


def test_a_paper_with_few_results_shows_them_unfolded(server, new_page):
    page = new_page()
    page.goto(f"{server}/en/papers/segnet/")
    cards = page.locator("details.ss-how-all .ss-how-item")
    assert 0 < cards.count() <= 12
    assert cards.first.is_visible()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_results_come_as_one_table_per_leaderboard(server, new_page, lang):
    """153 results in one table were laid out at once (Lighthouse's main-thread time); one table per board,
    its caption the board, is laid out as it scrolls into view."""
    page = new_page()
    page.goto(f"{server}/{lang}/papers/pspnet/")
    tables = page.locator(".ss-table-wrap.ss-res table.ss-table")
    captions = [tables.nth(i).locator("caption a").get_attribute("href") for i in range(tables.count())]
    assert len(captions) == len(set(captions)) > 10  # each leaderboard once
    assert all("/leaderboards/" in href for href in captions)
    first = tables.first
    assert first.locator("thead th").count() == 4  # model, metrics, rank, source: the board is the caption
    n = first.locator("tbody tr").count()
    assert (f"{n} results" if lang == "en" else f"{n} 个结果") in first.locator("caption").inner_text()
    ranks = [int(t.split("/")[0].strip("# ")) for t in first.locator("tbody tr td:nth-child(3)").all_inner_texts()]
    assert ranks == sorted(ranks)  # best rank first
    assert page.errors == []
