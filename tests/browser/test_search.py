"""Search on every page, in each language; Chinese words are found inside longer runs of characters."""

import json

from conftest import requested


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


def test_chinese_search_finds_papers_by_a_word_inside_a_longer_phrase(server, new_page):
    # notes say “实时语义分割”: without word segmentation that run of characters is one token,
    # and the word 实时 (real-time) inside it would find no paper
    page = new_page(locale="zh-CN")
    hrefs = search(page, server, "zh", "实时")
    assert any("/zh/papers/" in h for h in hrefs), hrefs
    assert page.errors == []


def test_chinese_search_index_is_segmented(real_site):
    index = json.loads((real_site / "zh" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["zh", "en"]
    assert r"\u200b" in index["config"]["separator"]  # the regex escape, as material passes it to the browser
    enet = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("papers/enet/"))
    assert "实时\u200b语义\u200b分割" in enet


def test_search_index_is_fetched_only_when_the_reader_opens_search(server, new_page):
    page = new_page()
    fetched = requested(page)
    page.goto(f"{server}/en/papers/pspnet/")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert not [u for u in fetched if u.endswith("search/search_index.json")]
    hrefs = search(page, server, "en", "DeepLab")
    assert any("search/search_index.json" in u for u in fetched)
    assert any("papers/" in h for h in hrefs)
