"""Search on every page, in each language; Chinese words are found inside longer runs of characters."""

import pytest


def search(page, server, lang, query):
    page.goto(f"{server}/{lang}/")
    page.wait_for_load_state("networkidle")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    # as an input method does: the text arrives, then a key is released (material listens to keyup)
    page.keyboard.insert_text(query)
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    return [a.get_attribute("href") for a in page.locator(".md-search-result__link").all()]


def test_english_search_finds_a_paper_by_method_name(server, new_page):
    page = new_page()
    hrefs = search(page, server, "en", "PSPNet")
    assert any("papers/pspnet/" in h for h in hrefs), hrefs
    assert page.errors == []


def test_english_search_finds_a_paper_by_author(server, new_page):
    page = new_page()
    hrefs = search(page, server, "en", "Hengshuang Zhao")
    assert any("papers/pspnet/" in h for h in hrefs), hrefs


@pytest.mark.parametrize("query", ["实时", "学习笔记"])
def test_chinese_search_segments_words(server, new_page, query):
    # the notes say “实时语义分割” and “学习笔记《基于深度学习的图像分割技术》”: without word segmentation
    # these runs of characters are single tokens and a shorter word inside them would find nothing
    page = new_page(locale="zh-CN")
    hrefs = search(page, server, "zh", query)
    assert any("/zh/papers/" in h for h in hrefs), hrefs
    assert page.errors == []
