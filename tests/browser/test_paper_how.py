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
    link = row.locator("td").nth(1).locator("a")
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
