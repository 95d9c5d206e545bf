"""Untrusted text in each output context (issue 8): the escaping helpers, and the whole Markdown pipeline.

The helpers are checked one by one, then the XSS corpus (tests/fixtures/xss) is rendered to the Markdown
pages MkDocs reads and converted with the same Python-Markdown extensions as the site: no payload may
come out as a live tag, attribute or link in any page.
"""

from __future__ import annotations

import csv
import html
import io
import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown as pymarkdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.format import formatters
from generator.config import SiteConfig
from generator.corpus.core import build_corpus
from generator.bib import write as bib
from generator.render import data
from generator.render.pages import render_site
from generator.render.text import json_for_script, markdown, plotly_text, safe_url, yaml_string
from generator.format.validate import validate_tree
from helpers import FIXTURES, ROOT

XSS = FIXTURES / "xss" / "papers"
PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '"><svg onload=window.__pwned=1>',
    "</script><script>window.__pwned=1</script>",
    "{{7*7}}",
    "[x](javascript:window.__pwned=1)",
    "# *bold* [link](http://x)",
    '=HYPERLINK("http://evil.example","x")',
    "{: onclick=window.__pwned=1 }",
]


# URLs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "mailto:a@b.c",
        "file:///etc/passwd",
    ],
)
def test_safe_url_refuses_what_a_browser_would_run_or_leave_for(url):
    assert not safe_url(url)


@pytest.mark.parametrize("url", ["https://example.org/a?b=1#c", "http://x.org", "../papers/fcn/", "#results", "a/b"])
def test_safe_url_keeps_web_and_relative_links(url):
    assert safe_url(url)


# Markdown notes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:window.__pwned=1)",
        "[x](JaVaScRiPt:window.__pwned=1)",
        "[x](&#106;avascript:window.__pwned=1)",
        "[x](&#x6A;avascript&#58;window.__pwned=1)",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:window.__pwned=1)",
        "<javascript:window.__pwned=1>",
        "[x][r]\n\n[r]: javascript:window.__pwned=1",
        '<a href="javascript:window.__pwned=1">x</a>',
    ],
)
def test_markdown_drops_unsafe_links(text):
    out = str(markdown(text))
    assert "<a" not in out, out


@pytest.mark.parametrize(
    "text",
    [
        "<script>window.__pwned=1</script>",
        '<img src=x onerror="window.__pwned=1">',
        "<svg onload=window.__pwned=1>",
        '<div onclick="window.__pwned=1">x</div>',
        "<iframe src=https://evil.example></iframe>",
    ],
)
def test_markdown_shows_raw_html_as_text(text):
    out = str(markdown(text))
    assert "<" not in out.replace("<p>", "").replace("</p>", ""), out
    assert html.unescape(re.sub(r"</?p>", "", out)) == text


def test_markdown_keeps_http_links_and_marks_them_external():
    out = str(markdown("see [code](https://github.com/x/y) and *this*"))
    assert '<a rel="nofollow noopener" href="https://github.com/x/y">code</a>' in out
    assert "<em>this</em>" in out


def test_markdown_loads_no_images():
    assert "<img" not in str(markdown("![alt](https://evil.example/track.png)"))


# Script data, front matter, chart text --------------------------------------------------------


@given(st.text())
@settings(max_examples=300, derandomize=True)
def test_json_for_script_cannot_end_its_script_and_round_trips(value):
    out = str(json_for_script({"model": value, "list": [value]}))
    assert not re.search(r"[<>&\u2028\u2029]", out)
    assert json.loads(out) == {"model": value, "list": [value]}


@pytest.mark.parametrize("value", PAYLOADS)
def test_json_for_script_with_payloads(value):
    out = str(json_for_script([value]))
    assert "</script" not in out.lower() and "<!--" not in out
    assert json.loads(out) == [value]


# what the reader admits (load.py): no control characters, no surrogates
_TEXT = st.text(
    st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters=[
            *map(chr, range(0x00, 0x09)),
            "\x0b",
            "\x0c",
            *map(chr, range(0x0E, 0x20)),
            *map(chr, range(0x7F, 0xA0)),
            "\ufffe",
            "\uffff",
        ],
    )
)


@given(_TEXT)
@settings(max_examples=300, derandomize=True)
def test_yaml_string_is_valid_yaml_holding_escaped_html(value):
    """MkDocs puts front-matter titles into <title>, the header and search unescaped: escape once, here."""
    out = str(yaml_string(value))
    assert yaml.safe_load(f"title: {out}\n") == {"title": html.escape(value, quote=True)}


@pytest.mark.parametrize(
    "value", PAYLOADS + ["a: b", "- x", "'quoted'", "#not a comment", "x\n---\ny: 1", "&anchor *alias !tag"]
)
def test_yaml_string_with_payloads(value):
    loaded = yaml.safe_load(f"title: {yaml_string(value)}\nhide: [toc]\n")
    assert loaded == {"title": html.escape(value, quote=True), "hide": ["toc"]}
    assert "<" not in loaded["title"] and '"' not in loaded["title"]


@pytest.mark.parametrize("value", PAYLOADS + ['<a href="https://evil.example/">x</a>', "<b>bold</b><br>"])
def test_plotly_text_leaves_no_tag(value):
    out = plotly_text(value)
    assert "<" not in out and ">" not in out
    assert html.unescape(out) == value


# CSV -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x","y")', "+1+cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_csv_cells_that_start_like_formulas_are_neutralised(value):
    assert data._cell(value) == "'" + value


@pytest.mark.parametrize("value", ["-1.5", "+3", "81.70", "PSPNet", "", None])
def test_csv_numbers_and_text_are_left_as_they_are(value):
    assert data._cell(value) == ("" if value is None else value)


# The corpus, rendered ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xss_pages() -> dict[str, str]:
    checked = validate_tree(XSS)
    assert not checked.problems, [
        formatters.text(p) for p in checked.problems
    ]  # payloads in text fields are valid text
    corpus = build_corpus(checked.registries, checked.papers)
    config = SiteConfig.from_env(papers=XSS)
    return {k: v for k, v in render_site(corpus, config).files.items() if isinstance(v, str)}


def _mkdocs_markdown() -> pymarkdown.Markdown:
    """Python-Markdown with the extensions of mkdocs.yml (the ones that can turn text into markup)."""
    base = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    exts, configs = [], {}
    for item in base["markdown_extensions"]:
        name, conf = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        exts.append(name)
        configs[name] = conf or {}
    return pymarkdown.Markdown(extensions=exts, extension_configs=configs)


class _Tags(HTMLParser):
    """The elements and attributes a browser would build from the HTML (text stays text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []
        self.data_block: list[str] | None = None  # the text of a JSON-LD block being read

    def handle_starttag(self, tag, attrs):
        own_badge = tag == "img" and re.fullmatch(r"(\.\./)+badges/[^:]+\.svg", dict(attrs).get("src") or "")
        # a paper page's schema.org metadata: a data block (never run), allowed when it is exactly JSON
        own_data = tag == "script" and attrs == [("type", "application/ld+json")]
        if own_data:
            self.data_block = []
        if tag in ("script", "img", "iframe", "object", "embed", "style", "base") and not own_badge and not own_data:
            self.bad.append(f"<{tag} {attrs}>")
        for name, value in attrs:
            v = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name.startswith("on"):
                self.bad.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction") and re.match(r"(javascript|vbscript|data):", v):
                self.bad.append(f"<{tag} {name}={value!r}>")
            if name == "href" and v == "https://evil.example/":  # the raw <a> of the payload, made live
                self.bad.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data):
        if self.data_block is not None:
            self.data_block.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self.data_block is not None:
            text = "".join(self.data_block)
            self.data_block = None
            try:
                json.loads(text)
            except ValueError:
                self.bad.append(f"<script type=application/ld+json> that is not JSON: {text[:80]!r}")
            if "<" in text:
                self.bad.append(f"<script type=application/ld+json> holding '<': {text[:80]!r}")


def live_markup(out: str) -> list[str]:
    parser = _Tags()
    parser.feed(out)
    parser.close()
    return parser.bad


def test_every_rendered_page_keeps_payloads_inert(xss_pages):
    md = _mkdocs_markdown()
    pages = [p for p in xss_pages if p.endswith(".md")]
    assert len(pages) >= 30
    for path in pages:
        text = xss_pages[path]
        front, body = re.match(r"---\n(.*?)\n---\n(.*)", text, re.S).groups()
        meta = yaml.safe_load(front)  # the front matter stays valid YAML whatever the title holds
        for key in ("title", "description"):
            assert not re.search(r"[<>\"]", meta.get(key, "")), (path, key, meta.get(key))
        md.reset()
        out = md.convert(body)
        assert live_markup(out) == [], path


def test_payloads_reach_the_pages_as_text(xss_pages):
    """The escaping must not lose the text: a reader sees exactly what the contributor typed."""
    md = _mkdocs_markdown()
    md.reset()
    out = html.unescape(re.sub(r"<[^>]+>", "", md.convert(xss_pages["en/papers/xss-a/index.md"].split("---\n", 2)[2])))
    assert "# *bold* [link](http://x) <script>window.__pwned=1</script>" in out
    for payload in PAYLOADS[:-2]:
        assert payload in out, payload
    md.reset()
    out = html.unescape(re.sub(r"<[^>]+>", "", md.convert(xss_pages["en/leaderboards/index.md"].split("---\n", 2)[2])))
    assert "Task <script>window.__pwned=1</script>" in out and "{: onclick=window.__pwned=1 }" in out


def test_chart_figures_carry_no_markup_from_contributors(xss_pages):
    """Every chart a page loads (data-figure-src, the JSON file beside it) holds only the generator's tags."""
    charts = 0
    for path, text in xss_pages.items():
        for src in re.findall(r'data-figure-src="([^"]*)"', text):
            fig = json.loads(xss_pages[posixpath.join(posixpath.dirname(path), html.unescape(src))])
            charts += 1
            strings = json.dumps(fig, ensure_ascii=False)
            # plotly renders <a>, <b>, <br>, <i>, <span> ... in any text: only the generator's own <b> and <br>
            tags = set(re.findall(r"<(/?[a-z]+)", strings, re.I))
            assert tags <= {"b", "/b", "br", "extra", "/extra"}, (path, src, tags)
    assert charts >= 8, f"the XSS corpus draws charts in both languages; found {charts}: is the markup still read?"


def test_csv_export_neutralises_formulas():
    text = render_csv()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows
    for row in rows:
        for column, cell in row.items():
            assert not cell or cell[0] not in "=+-@\t\r" or re.fullmatch(r"[-+]?[0-9.]+", cell), (column, cell)
    assert any(r["model"].startswith("'=HYPERLINK(") for r in rows)
    assert any(r["source_name"].startswith("'@SUM(") for r in rows)


def render_csv() -> str:
    checked = validate_tree(XSS)
    corpus = build_corpus(checked.registries, checked.papers)
    return data.results_csv(corpus.papers, corpus, bib.keys(corpus))


def test_validate_refuses_script_urls_with_a_located_error(tmp_path: Path):
    """URL payloads are not text: every URL field refuses them, naming file, line and column."""
    import shutil

    from helpers import run_cli

    papers = tmp_path / "papers"
    shutil.copytree(XSS, papers)
    paper = papers / "2019" / "xss-a.yaml"
    text = paper.read_text(encoding="utf-8")
    text = text.replace("  project: https://example.org/project", "  project: javascript:window.__pwned=1")
    text = text.replace("  code: [https://example.org/code,", "  code: ['JaVaScRiPt:window.__pwned=1',")
    text = text.replace(
        '    url: https://example.org/source?a=1&b=<x>"',
        "    url: 'data:text/html,<script>window.__pwned=1</script>'",
        1,
    )
    paper.write_text(text, encoding="utf-8")
    datasets = papers / "datasets.yaml"
    datasets.write_text(
        datasets.read_text(encoding="utf-8").replace(
            "url: https://example.org/xss-set", "url: ' vbscript:window.__pwned=1'"
        ),
        encoding="utf-8",
    )
    proc = run_cli("validate", str(papers), cwd=tmp_path)
    assert proc.returncode == 1
    lines = [line for line in proc.stderr.splitlines() if "error:" in line]
    located = {
        line.split(":", 1)[0] + " " + line.rsplit(" [", 1)[1][:-1]
        for line in lines
        if "expected an http(s) URL" in line
    }
    assert located == {
        "papers/2019/xss-a.yaml links.project",
        "papers/2019/xss-a.yaml links.code[0]",
        "papers/2019/xss-a.yaml sources.sum-1-plus-1-cmd.url",
        "papers/datasets.yaml xss-set.url",
    }, proc.stderr
    for line in lines:  # (and xss-b, which builds on the now invalid xss-a, says so)
        assert re.match(
            r"papers/[\w/.-]+\.yaml:\d+:\d+: error: (expected an http\(s\) URL|unknown paper id 'xss-a')", line
        ), line


@pytest.mark.parametrize("key", ["../../../../escaped", "javascript:window.__pwned=1//"])
def test_bibtex_key_override_cannot_name_a_path_or_a_script_url(tmp_path: Path, key):
    import shutil

    papers = tmp_path / "papers"
    shutil.copytree(FIXTURES / "valid" / "papers", papers)
    paper = papers / "2017" / "pspnet.yaml"
    paper.write_text(paper.read_text(encoding="utf-8") + f"bibtex: {{key: '{key}'}}\n", encoding="utf-8")
    checked = validate_tree(papers)
    # refused by validation, at the key, so it never reaches a file name or a link
    lines = [formatters.text(p) for p in checked.problems]
    last = len(paper.read_text(encoding="utf-8").splitlines())
    assert len(lines) == 1 and re.match(rf".*pspnet\.yaml:{last}:\d+: error: ", lines[0]), lines
