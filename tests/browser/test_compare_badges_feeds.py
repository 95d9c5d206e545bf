"""A reader ticks rows on a board and compares the methods, shares the compare URL and reopens it; a
script fetches a badge, a feed and an API file from the built site. Both languages, desktop and phone."""

from __future__ import annotations

import json
import urllib.request
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser  # also set for the whole folder by conftest.py

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
A = "{http://www.w3.org/2005/Atom}"


def fetch(url: str) -> tuple[str, bytes]:
    with urllib.request.urlopen(url) as r:
        return r.headers.get("Content-Type", ""), r.read()


def open_page(new_page, viewport: str, lang: str):
    page = new_page(locale="zh-CN" if lang == "zh" else "en-US", permissions=["clipboard-read", "clipboard-write"])
    page.set_viewport_size(VIEWPORTS[viewport])
    return page


def chosen_ids(url: str) -> list[str]:
    return parse_qs(urlsplit(url).query)["ids"][0].split(",")


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_tick_rows_compare_share_and_reopen(server, new_page, lang, viewport):
    page = open_page(new_page, viewport, lang)
    page.goto(f"{server}/{lang}/leaderboards/cityscapes-test/")
    bar = page.locator(".ss-pick")
    bar.wait_for(state="visible")
    go = bar.locator(".ss-pick-go")
    assert go.get_attribute("aria-disabled") == "true"
    boxes = page.locator("#board-table tbody label.ss-pick-box")
    # a tap target of at least 24 px (WCAG 2.2, 2.5.8), with an accessible name naming the method
    size = boxes.first.bounding_box()
    assert size["width"] >= 24 and size["height"] >= 24, size
    first = boxes.nth(0).locator("input")
    name = first.get_attribute("aria-label")
    assert name and name != ""
    ids = []
    for i in range(boxes.count()):
        box = boxes.nth(i).locator("input")
        if box.get_attribute("value") not in ids:
            box.check()
            ids.append(box.get_attribute("value"))
        if len(ids) == 2:
            break
    assert go.get_attribute("aria-disabled") == "false"
    go.click()
    page.wait_for_url("**/compare/methods/?ids=*")
    assert chosen_ids(page.url) == ids
    table = page.locator(".ss-methods-table")
    table.wait_for(state="visible")
    heads = table.locator("thead th[scope=col] a")
    assert heads.count() == 2
    assert table.locator("tbody tr").count() >= 1
    assert page.locator(".ss-methods-table tbody th[scope=row] a").first.inner_text().strip()

    # add a third method by searching for it; the address follows
    q = page.locator("#ss-method-q")
    q.fill("pspnet")
    add = page.locator(".ss-method-found button.ss-add").first
    add.click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('ids').split(',').length === 3")
    assert heads.count() == 3

    # share: copy the link, open it in a new page: the same comparison
    page.locator(".ss-share-button").click()
    page.wait_for_function("async () => (await navigator.clipboard.readText()).includes('ids=')")
    shared = page.evaluate("navigator.clipboard.readText()")
    assert shared == page.url
    again = open_page(new_page, viewport, lang)
    again.goto(shared)
    again.locator(".ss-methods-table").wait_for(state="visible")
    assert again.locator(".ss-methods-table thead th[scope=col] a").all_inner_texts() == heads.all_inner_texts()
    # removing one updates the address
    again.locator(".ss-chosen button.ss-remove").first.click()
    assert len(chosen_ids(again.url)) == 2
    assert page.errors == [] and again.errors == []  # no script error, no CSP violation


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_compare_url_with_unknown_ids_says_what_it_left_out(server, new_page, lang):
    page = open_page(new_page, "phone", lang)
    page.goto(f"{server}/{lang}/compare/methods/?ids=pspnet,no-such-paper,%3Cimg%20src%3Dx%3E")
    status = page.locator(".ss-methods-status")
    page.wait_for_function("() => document.getElementById('ss-methods').dataset.ready === 'true'")
    text = status.inner_text()
    assert "no-such-paper" in text and "<img src=x>" in text  # shown as text, never as markup
    assert page.locator(".ss-methods img").count() == 0
    assert page.locator(".ss-methods-table").is_hidden()  # one known method is not a comparison
    assert page.errors == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_fetch_a_badge_a_feed_and_an_api_file(server, new_page, lang):
    jsonschema = pytest.importorskip("jsonschema")
    page = open_page(new_page, "desktop", lang)
    page.goto(f"{server}/{lang}/papers/pspnet/")
    # the badge the paper page shows, and the Markdown beside it points at the same file
    img = page.locator(".ss-badge img").first
    src = page.evaluate("i => i.src", img.element_handle())
    assert page.evaluate("i => i.complete && i.naturalWidth > 0", img.element_handle())
    ctype, svg = fetch(src)
    assert "svg" in ctype
    root = ET.fromstring(svg)
    assert root.find("{http://www.w3.org/2000/svg}title").text.startswith("PSPNet: rank ")
    md = page.locator(".ss-badge pre code").first.inner_text()
    assert urlsplit(src).path in md
    # the board's feed, linked from the board
    page.goto(f"{server}/{lang}/leaderboards/cityscapes-test/")
    href = page.locator("a.ss-feed").get_attribute("href")
    _, body = fetch(page.evaluate("h => new URL(h, location.href).href", href))
    feed = ET.fromstring(body)
    assert feed.tag == f"{A}feed"
    for tag in ("id", "title", "updated"):
        assert feed.find(f"{A}{tag}").text
    entries = feed.findall(f"{A}entry")
    assert entries and all(
        e.find(f"{A}id").text and e.find(f"{A}updated").text and e.find(f"{A}link").get("href") for e in entries
    )
    # the site's feeds
    for name in ("results", "sota"):
        _, body = fetch(f"{server}/{lang}/feeds/{name}.xml")
        assert ET.fromstring(body).findall(f"{A}entry")
    # an API file, valid against the schema published beside it
    _, schema = fetch(f"{server}/api/v1/schema.json")
    validator = jsonschema.Draft202012Validator(json.loads(schema))
    for path in (
        "api/v1/index.json",
        "api/v1/boards/cityscapes-test.json",
        "api/v1/papers/pspnet.json",
        "api/v1/methods.json",
    ):
        ctype, body = fetch(f"{server}/{path}")
        assert "json" in ctype
        doc = json.loads(body)
        assert list(validator.iter_errors(doc)) == [], path
    assert page.errors == []
