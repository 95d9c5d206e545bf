"""Search (Pagefind, generator/site/search.py + assets/search.js) on every page, in each language: the box in
the header, the keys, what a query finds (Chinese words inside longer runs of characters included), and
that nothing is fetched for it before the reader opens it."""

import pytest

from conftest import requested

RESULT = ".ss-search-results a.ss-search-result"


def search(page, server, lang, query, path=""):
    page.goto(f"{server}/{lang}/{path}")
    page.wait_for_load_state("networkidle")
    page.locator("button.ss-search-open").click()
    page.keyboard.insert_text(query)
    page.wait_for_selector(RESULT, timeout=15000)
    return [a.get_attribute("href") for a in page.locator(RESULT).all()]


@pytest.mark.parametrize("query", ["Pyramid Scene Parsing", "PSPNet", "Hengshuang Zhao"])
def test_english_search_finds_a_paper_by_title_method_name_and_author(server, new_page, query):
    page = new_page()
    hrefs = search(page, server, "en", query, "years/")
    assert any(h.endswith("/en/papers/pspnet/") for h in hrefs), hrefs
    assert page.errors == []


def test_a_result_shows_the_method_name_with_the_title_and_opens_the_paper(server, new_page):
    page = new_page()
    search(page, server, "en", "PSPNet")
    first = page.locator(RESULT).first
    assert "Pyramid Scene Parsing Network" in first.inner_text()
    first.click()
    page.wait_for_url("**/en/papers/pspnet/")


@pytest.mark.parametrize("query", ["实时", "语义分割"])
def test_chinese_search_finds_words_inside_longer_runs(server, new_page, query):
    # ENet's notes say “实时语义分割”: each word is found inside that longer run of characters
    page = new_page(locale="zh-CN")
    hrefs = search(page, server, "zh", query)
    assert hrefs and all(h.startswith("/zh/") for h in hrefs), hrefs
    assert "个结果" in page.locator(".ss-search__status").inner_text()
    page.locator(".ss-search__input").fill(f"ENet {query}")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.ss-search-results a')].some(a => a.href.endsWith('/zh/papers/enet/'))",
        timeout=15000,
    )
    assert page.errors == []


def test_each_language_searches_its_own_index_with_its_own_words(server, new_page):
    page = new_page(locale="zh-CN")
    fetched = requested(page)
    search(page, server, "zh", "PSPNet")
    assert page.locator(".ss-search__input").get_attribute("placeholder") == "论文、方法、作者…"
    assert page.locator(".ss-search__status").inner_text().endswith("个结果")
    index = [u for u in fetched if "/pagefind/" in u]
    assert index and all("/zh/pagefind/" in u for u in index), index


def test_keyboard_slash_and_s_open_search_arrows_move_escape_closes(server, new_page):
    page = new_page()
    page.goto(f"{server}/en/papers/pspnet/")
    page.wait_for_load_state("networkidle")
    dialog = page.locator("#ss-search")
    for key in ("/", "s"):
        page.keyboard.press(key)
        assert dialog.evaluate("d => d.open")
        assert page.evaluate("() => document.activeElement.classList.contains('ss-search__input')")
        assert page.locator(".ss-search__input").input_value() == ""  # the key opened search; it was not typed
        page.keyboard.press("Escape")
        assert not dialog.evaluate("d => d.open")
    page.keyboard.press("/")
    page.keyboard.insert_text("Zhao")
    page.wait_for_selector(RESULT, timeout=15000)
    page.keyboard.press("ArrowDown")
    first = page.evaluate("() => document.activeElement.getAttribute('href')")
    page.keyboard.press("ArrowDown")
    second = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert first and second and first != second
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("() => document.activeElement.classList.contains('ss-search__input')")
    page.keyboard.press("Enter")  # in the box: the first result
    page.wait_for_url(f"**{first}")
    assert page.errors == []


def test_s_typed_in_a_field_is_a_letter(server, new_page):
    page = new_page()
    page.goto(f"{server}/en/leaderboards/cityscapes-test/")
    page.wait_for_load_state("networkidle")
    field = page.locator("input[type=search]:not(.ss-search__input)").first  # the board's filter
    field.focus()
    page.keyboard.press("s")
    assert not page.locator("#ss-search").evaluate("d => d.open")


def test_nothing_is_fetched_for_search_until_the_reader_opens_it(server, new_page):
    page = new_page()
    fetched = requested(page)
    page.goto(f"{server}/en/papers/pspnet/")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert not [u for u in fetched if "/pagefind/" in u]
    search(page, server, "en", "DeepLab")
    assert any(u.endswith("/en/pagefind/pagefind.js") for u in fetched)


def test_the_search_box_is_in_the_header_of_every_page_kind(server, new_page):
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    for lang in ("en", "zh"):
        for path in ("", "leaderboards/cityscapes-test/", "papers/pspnet/", "years/2017/", "data/"):
            page.goto(f"{server}/{lang}/{path}")
            button = page.locator(".md-header button.ss-search-open")
            assert button.is_visible(), (lang, path)
            box = button.bounding_box()
            assert box["width"] >= 24 and box["height"] >= 24  # WCAG 2.2 target size


def test_the_policy_allows_webassembly_and_no_other_eval(server, new_page):
    page = new_page()
    page.goto(f"{server}/zh/papers/pspnet/")
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    script_src = policy.split("script-src ", 1)[1].split(";", 1)[0].split()
    assert (
        "'wasm-unsafe-eval'" in script_src and "'unsafe-eval'" not in script_src and "'unsafe-inline'" not in script_src
    )
