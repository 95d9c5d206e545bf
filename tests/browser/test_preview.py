"""The live preview in a real browser: an open page reloads by itself when its paper file is saved, shows
the problems of a broken file in a banner, and recovers when the file is fixed."""

from __future__ import annotations

import pytest

from helpers import located, serving_fixture_papers

pytestmark = pytest.mark.slow

WAIT_MS = 60_000  # a bound on waiting, not a timing assertion


@pytest.fixture
def preview(tmp_path):
    with serving_fixture_papers(tmp_path) as (s, papers):
        s.wait_for(lambda: s.page("/en/papers/fcn/"), "the first build")
        yield s, papers


def test_open_page_follows_edits_without_a_manual_reload(preview, new_page):
    s, papers = preview
    fcn = papers / "2015" / "fcn.yaml"
    page = new_page()
    page.goto(s.base + "/en/papers/fcn/")
    page.wait_for_load_state("load")

    fcn.write_text(fcn.read_text().replace("model: FCN-8s", "model: FCN-8s Edited"), encoding="utf-8")
    page.locator("td", has_text="FCN-8s Edited").first.wait_for(timeout=WAIT_MS)

    fcn.write_text(fcn.read_text().replace("dataset: cityscapes", "dataset: cityscape"), encoding="utf-8")
    where = located(fcn, "dataset: cityscape\n")  # the line and column of the bad value
    banner = page.locator(".ss-preview-error[role=alert]")
    banner.wait_for(timeout=WAIT_MS)
    assert f"fcn.yaml:{where}: error: unknown dataset 'cityscape'" in banner.inner_text()
    assert page.locator("td", has_text="FCN-8s Edited").count() > 0  # the last good page stays

    fcn.write_text(
        fcn.read_text()
        .replace("dataset: cityscape\n", "dataset: cityscapes\n")
        .replace("FCN-8s Edited", "FCN-8s Fixed"),
        encoding="utf-8",
    )
    page.locator("td", has_text="FCN-8s Fixed").first.wait_for(timeout=WAIT_MS)
    assert page.locator(".ss-preview-error").count() == 0
    assert page.errors == []  # no CSP violation, no script error


def test_the_page_open_in_the_browser_is_made_first(preview, new_page):
    """reload.js tells serve which page it is on: after an edit, that page is built with the edited paper's
    own pages, before the rest of the change."""
    s, papers = preview
    page = new_page()
    page.goto(s.base + "/en/leaderboards/cityscapes-test/")
    page.wait_for_load_state("load")
    fcn = papers / "2015" / "fcn.yaml"
    fcn.write_text(fcn.read_text().replace("model: FCN-8s", "model: FCN-8s Edited"), encoding="utf-8")
    page.locator("td", has_text="FCN-8s Edited").first.wait_for(timeout=WAIT_MS)
    s.wait_for(lambda: "serve: rebuilt" in s.output, "serve's line for the rebuild")
    # the paper's page in both languages and the open leaderboard
    assert "3 of them shown first" in s.output.split("serve: rebuilt")[-1], s.output
    assert page.errors == []
