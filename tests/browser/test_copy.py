"""A writer on a paper page copies its BibTeX with material's copy button, or downloads the .bib."""

from __future__ import annotations

import urllib.request

import bibtexparser
import pytest

pytestmark = pytest.mark.browser  # also set for the whole folder by conftest.py


def _entry(text: str):
    lib = bibtexparser.parse_string(text)
    assert lib.failed_blocks == [] and len(lib.entries) == 1, text
    return lib.entries[0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_copy_button_copies_the_bibtex_entry(server, new_page, lang):
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(f"{server}/{lang}/papers/pspnet/")
    block = page.locator(".ss-bibtex pre").first
    code = block.locator("code")
    shown = code.inner_text().strip()
    assert shown.startswith("@inproceedings{zhao2017pspnet,"), shown
    page.evaluate("navigator.clipboard.writeText('')")
    block.hover()
    # material (9.6+) puts its copy button in a nav before the code: <button class="md-code__button" data-md-type="copy">
    button = block.locator("button.md-code__button[data-md-type=copy]")
    button.click()
    page.wait_for_function("async () => (await navigator.clipboard.readText()).length > 0", timeout=5000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == shown
    e = _entry(copied)
    assert e.key == "zhao2017pspnet" and e.entry_type == "inproceedings"
    assert e.fields_dict["author"].value.startswith("Hengshuang Zhao and Jianping Shi")
    assert e.fields_dict["title"].value == "Pyramid Scene Parsing Network"
    # what was copied is the same entry the .bib link downloads
    href = page.locator(".ss-bibtex a[download]").first.get_attribute("href")
    url = page.evaluate("h => new URL(h, location.href).href", href)
    with urllib.request.urlopen(url) as response:
        downloaded = response.read().decode("utf-8")
    assert downloaded.strip() == copied.strip()
    assert page.errors == []


def test_accented_names_are_copied_as_braced_bibtex(server, new_page):
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(f"{server}/en/papers/swiftnet/")
    block = page.locator(".ss-bibtex pre").first
    block.hover()
    block.locator("button.md-code__button[data-md-type=copy]").click()
    page.wait_for_function("async () => (await navigator.clipboard.readText()).includes('@')", timeout=5000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "Marin Or{\\v{s}}i{\\'c} and Ivan Kre{\\v{s}}o" in copied
    assert "&amp;" not in copied and "&#" not in copied  # text, not the page's HTML escapes
