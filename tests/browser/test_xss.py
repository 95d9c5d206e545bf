"""Untrusted text stays text (issue 8): the XSS corpus built, served and used in Chromium.

tests/fixtures/xss/papers carries a script payload in every string field a contributor controls
(papers and registries). Every page that shows it is opened in both languages; charts are hovered,
tables sorted, filters typed into, the search box used, the language switched. No payload may run,
no `javascript:` link or inline event handler may reach the DOM, the payloads must read as the text
that was typed, and every page carries the Content-Security-Policy without the site's own code
tripping it.
"""

from __future__ import annotations

import re

import pytest

from conftest import build_into, free_port, serve
from helpers import FIXTURES

XSS = FIXTURES / "xss" / "papers"

PAGES = [
    "",
    "leaderboards/",
    "leaderboards/cityscapes-test/",
    "leaderboards/ade20k-val/",
    "leaderboards/xss-set-test/",
    "leaderboards/xss-task/xss-set-val/",
    "leaderboards/dichotomous-image-segmentation/dis5k-te1/",
    "years/",
    "years/2019/",
    "years/2020/",
    "topics/",
    "topics/xss-topic/",
    "topics/context-aggregation/",
    "timeline/",
    "compare/",
    "papers/xss-a/",
    "papers/xss-b/",
    "papers/pspnet/",
    "data/",
]

# Recorded by the page itself before any of its scripts run: CSP reports, and any assignment to
# window.__pwned (a setter, so a payload that runs and is then cleaned up is still caught).
INIT = """
window.__csp = [];
window.__pwnedBy = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " blocked=" + e.blockedURI + " sample=" + (e.sample || ""));
});
(function () {
  var value;
  Object.defineProperty(window, "__pwned", {
    configurable: false,
    get: function () { return value; },
    set: function (v) { value = v; window.__pwnedBy.push(String(new Error().stack)); },
  });
})();
"""

# What the DOM must never hold, whatever the page: a scan of every element (SVG included).
SCAN = r"""() => {
  const bad = [];
  const scheme = (v) => v.replace(/[\u0000-\u0020\u007f]/g, "").toLowerCase();
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith("on")) bad.push(`inline handler ${el.tagName}[${a.name}=${a.value.slice(0, 60)}]`);
      if (["href", "xlink:href", "src", "action", "formaction", "data"].includes(name)) {
        const v = scheme(a.value);
        if (/^(javascript|vbscript):/.test(v) || (name !== "src" && v.startsWith("data:")))
          bad.push(`unsafe URL ${el.tagName}[${a.name}=${a.value.slice(0, 60)}]`);
        if (v.includes("evil.example") && !(el.tagName === "A" && /^https?:/.test(v)))
          bad.push(`foreign resource ${el.tagName}[${a.name}=${a.value.slice(0, 60)}]`);
      }
    }
    // data blocks (application/json, and the paper's schema.org JSON-LD) are never run: payload text in
    // them is data, so long as the block is exactly JSON and cannot close its element
    const data = ["application/json", "application/ld+json"].includes(el.type || "");
    if (el.tagName === "SCRIPT" && data && el.type === "application/ld+json") {
      try { JSON.parse(el.textContent); } catch (e) { bad.push("JSON-LD block that is not JSON: " + el.textContent.slice(0, 60)); }
      if (el.textContent.includes("<")) bad.push("JSON-LD block with '<': " + el.textContent.slice(0, 60));
    }
    if (el.tagName === "SCRIPT" && !data && el.textContent.includes("__pwned"))
      bad.push("payload script element: " + el.textContent.slice(0, 60));
    if (el.tagName === "IMG" && el.getAttribute("src") === "x") bad.push("payload <img src=x>");
  }
  for (const a of document.querySelectorAll("svg a")) {
    bad.push("link inside a chart: " + (a.getAttribute("href") || a.getAttribute("xlink:href")));
  }
  return bad;
}"""

PAYLOAD_TEXT = "<script>window.__pwned=1</script>"


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory):
    port = free_port()
    site = build_into(XSS, tmp_path_factory.mktemp("xss"), port)
    httpd = serve(site, port)
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()


@pytest.fixture
def open_page(new_page, xss_server):
    foreign: list[str] = []

    def make(path: str, lang: str = "en"):
        page = new_page()
        page.context.add_init_script(INIT)

        def route(r):
            if r.request.url.startswith(xss_server):
                r.continue_()
            else:  # the site is self-contained: any other request is a payload that got out
                foreign.append(r.request.url)
                r.abort()

        page.context.route("**/*", route)
        page.foreign = foreign
        page.goto(f"{xss_server}/{lang}/{path}")
        page.wait_for_load_state("networkidle")
        return page

    return make


def assert_clean(page, where: str) -> None:
    pwned = page.evaluate("() => [window.__pwned, window.__pwnedBy]")
    assert pwned[0] is None and not pwned[1], f"{where}: a payload ran: {pwned}"
    bad = page.evaluate(SCAN)
    assert bad == [], f"{where}: {bad[:5]}"
    csp = page.evaluate("() => window.__csp")
    assert csp == [], f"{where}: CSP violations (escaping failed or the site's own code is blocked): {csp}"
    assert page.errors == [], f"{where}: console errors: {page.errors}"
    assert page.foreign == [], f"{where}: requests that left the site: {page.foreign}"


def exercise(page) -> None:
    """What a reader does on a page without leaving it: hover points, sort, filter, follow in-page links."""
    hovered: list[str] = []
    charts = page.locator(".ss-chart")
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        chart.hover()  # a static SVG until the reader points at it; then plotly draws it
        page.wait_for_selector(f".ss-chart[data-rendered] >> nth={i} >> .main-svg", timeout=15000)
        points = chart.locator(".scatterlayer .point")
        for j in range(min(points.count(), 12)):
            points.nth(j).hover(force=True)
            hover = chart.locator(".hoverlayer").text_content() or ""
            if "__pwned" in hover:  # the hover label shows contributor text literally, tags and all
                assert "<script>window.__pwned=1</script>" in hover, hover
                hovered.append(hover)
    if charts.count() and "xss" in page.url:
        assert hovered, "hovering the chart points showed no label with the payload"
    for th in page.locator("table[data-sortable] thead th").all():
        th.evaluate("el => el.click()")  # the header itself: its own link (compare) is a navigation
    form = page.locator("form.ss-filters")
    if form.count():
        form.locator("input[name=q]").fill(PAYLOAD_TEXT + ' "><svg onload=window.__pwned=1>')
        form.locator("input[name=q]").fill("")
        form.locator("input[name=extra]").check()
        form.locator("input[name=tta]").check()
        select = form.locator("select[name=tag]")
        if select.count():
            for value in select.locator("option").evaluate_all("os => os.map(o => o.value)"):
                select.select_option(value=value)
    for link in page.locator("a.headerlink").all()[:3]:
        link.evaluate("el => el.click()")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", PAGES)
def test_no_payload_runs_on_any_page(open_page, lang, path):
    page = open_page(path, lang)
    meta = page.locator('meta[http-equiv="Content-Security-Policy"]')
    assert meta.count() == 1, "every page carries the CSP"
    policy = meta.get_attribute("content")
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src and "http" not in script_src
    assert "object-src 'none'" in policy
    exercise(page)
    if page.locator(".ss-chart").count():  # every chart was upgraded to plotly under the CSP
        page.wait_for_function(
            "() => [...document.querySelectorAll('.ss-chart')].every(n => n.hasAttribute('data-rendered'))",
            timeout=15000,
        )
    assert_clean(page, f"/{lang}/{path}")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_payloads_read_as_typed(open_page, lang):
    page = open_page("papers/xss-a/", lang)
    title = page.locator("h1.ss-paper-title").inner_text()
    assert title.startswith("# *bold* [link](http://x) <script>window.__pwned=1</script>"), title
    assert '"><svg onload=window.__pwned=1>' in title and "{{7*7}}" in title
    assert "[x](javascript:window.__pwned=1)" in title
    assert "<script>window.__pwned=1</script>" in page.title()  # MkDocs puts the page title in <title> unescaped
    authors = page.locator(".ss-authors").inner_text()
    assert authors.startswith("Alice <script>") and "张三 <script>" in authors
    # Markdown notes: links to http(s) work, the rest stays inert text
    note = page.locator(".ss-note").first
    assert note.locator('a[href="https://example.org/ok"]').count() == 1
    hrefs = note.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert all(h.startswith("https://") for h in hrefs), hrefs
    text = note.inner_text()
    for inert in (
        "[js](javascript:",
        "[JS](JaVaScRiPt:",
        "[data](data:text/html",
        "[vb](vbscript:",
        "[r]: javascript:",
    ):
        assert inert in text, inert  # shown as typed, not a link
    assert "<script>window.__pwned=1</script>" in note.inner_text()
    assert note.locator("img").count() == 0
    cells = page.locator("table.ss-table tbody td:first-child")  # the model cell
    assert cells.first.inner_text().startswith('=HYPERLINK("http://evil.example"')
    # a registry name inside a Markdown heading (leaderboards index) and on the compare page
    page.goto(page.url.replace("papers/xss-a/", "leaderboards/"))
    heading = page.locator("h2", has_text="window.__pwned").first.inner_text()
    assert "[x](javascript:window.__pwned=1)" in heading and "{: onclick=window.__pwned=1 }" in heading, heading
    page.goto(page.url.replace("leaderboards/", "compare/"))
    heading = page.locator("h3", has_text="window.__pwned").first.inner_text()
    assert "[x](javascript:window.__pwned=1)" in heading and "<script>window.__pwned=1</script>" in heading, heading
    assert_clean(page, "payloads read as typed")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_search_shows_payload_titles_as_text(open_page, lang):
    page = open_page("", lang)
    page.locator("button.ss-search-open").click()
    box = page.locator("input.ss-search__input")
    box.fill(PAYLOAD_TEXT)
    page.wait_for_timeout(500)
    box.fill("")
    # a word of xss-a: the result shows its title
    box.type({"en": "Alice", "zh": "pwned"}[lang], delay=20)
    results = page.locator(".ss-search-results a")
    results.first.wait_for(timeout=15000)
    text = page.locator(".ss-search-results").inner_text()
    assert "<script>window.__pwned=1</script>" in text, text
    box.fill('"><svg onload=window.__pwned=1> bold')
    page.wait_for_timeout(800)
    assert_clean(page, f"search /{lang}/")


def test_following_a_link_switching_language_and_going_back_stay_clean(open_page):
    page = open_page("", "en")
    page.evaluate("window.__sameDocument = true")
    page.locator("a.ss-title", has_text="# *bold*").first.click()
    page.wait_for_url("**/en/papers/xss-a/")
    page.wait_for_load_state("networkidle")
    # a full page load: mkdocs.yml leaves material's navigation.instant off (it would swap the page in place)
    assert page.evaluate("window.__sameDocument") is None
    assert page.locator("h1.ss-paper-title").inner_text().startswith("# *bold*")
    assert_clean(page, "following a link to /en/papers/xss-a/")
    page.locator(".md-header__option .md-select").first.hover()
    page.locator("a[hreflang=zh]").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/zh/papers/xss-a/"), page.url
    assert_clean(page, "language switch")
    page.go_back()
    page.wait_for_load_state("networkidle")
    assert_clean(page, "back")
