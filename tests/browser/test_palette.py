"""The light/dark toggle in the header (the survey's own script over material's markup): a reader's system
setting is followed until they choose, the choice holds on the next page, and a chart follows it."""

import pytest


def scheme(page) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_toggle_switches_and_the_choice_holds_on_the_next_page(server, browser, lang):
    ctx = browser.new_context(color_scheme="light")
    try:
        page = ctx.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{server}/{lang}/leaderboards/cityscapes-test/")
        assert scheme(page) == "default"
        to_dark = page.locator("form[data-ss-palette] label:visible")
        assert to_dark.count() == 1
        to_dark.click()
        assert scheme(page) == "slate"
        assert page.locator("form[data-ss-palette] label:visible").count() == 1
        # a dark page really is dark: the body's background is not white
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") not in (
            "rgb(255, 255, 255)",
            "rgba(0, 0, 0, 0)",
        )
        page.goto(f"{server}/{lang}/papers/pspnet/")
        assert scheme(page) == "slate"
        page.locator("form[data-ss-palette] label:visible").click()
        assert scheme(page) == "default"
        page.goto(f"{server}/{lang}/")
        assert scheme(page) == "default"
        assert errors == []
    finally:
        ctx.close()


def test_a_dark_system_gets_the_dark_palette_until_the_reader_chooses(server, browser):
    ctx = browser.new_context(color_scheme="dark")
    try:
        page = ctx.new_page()
        page.goto(f"{server}/en/")
        page.wait_for_load_state("load")
        assert scheme(page) == "slate"
        page.locator("form[data-ss-palette] label:visible").click()
        assert scheme(page) == "default"
        page.goto(f"{server}/en/years/")
        assert scheme(page) == "default"
    finally:
        ctx.close()
