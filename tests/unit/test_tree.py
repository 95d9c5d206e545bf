"""Large HTML blocks go aside before MkDocs and come back after it, byte for byte."""

from __future__ import annotations

import pytest

from generator.site.tree import BODY, TreeError, html_toc, put_back, put_body, set_aside

PAPER = (
    '---\ntitle: X\nbody: html\n---\n\n<h1 class="ss-paper-title">X</h1>\n<div class="ss-paper-head"><p>Ada</p></div>\n'
    '<h2 id="abstract" data-pagefind-ignore>Abstract<a class="headerlink" href="#abstract" title="Permanent link">&para;</a></h2>\n'
    '<div class="ss-abstract" lang="en"><p>Long.</p></div>\n'
    '<h2 id="results">Results &amp; more<a class="headerlink" href="#results" title="Permanent link">&para;</a></h2>\n'
    '<h3 id="how">How<a class="headerlink" href="#how" title="Permanent link">&para;</a></h3>\n'
    '<h2 id="bibtex">BibTeX<a class="headerlink" href="#bibtex" title="Permanent link">&para;</a></h2>\n'
)


def test_an_html_body_s_table_of_contents_is_read_from_its_headings():
    """What Python-Markdown's toc extension would give MkDocs for the same headings: h1 left out, an h3
    under the h2 before it, the name as HTML."""
    assert html_toc(PAPER) == [
        {"level": 2, "id": "abstract", "name": "Abstract", "children": []},
        {
            "level": 2,
            "id": "results",
            "name": "Results &amp; more",
            "children": [{"level": 3, "id": "how", "name": "How", "children": []}],
        },
        {"level": 2, "id": "bibtex", "name": "BibTeX", "children": []},
    ]
    assert html_toc('<h2 id="x">No permalink</h2>') == []  # not a heading as the renderer writes them


def test_a_paper_page_is_not_set_aside_and_its_body_goes_into_the_built_page_whole():
    assert set_aside("en/papers/x/index.md", PAPER) == (PAPER, [])  # it never reaches Python-Markdown
    assert put_body(f"<article>{BODY}</article>", "<p>a</p>", "page") == "<article><p>a</p></article>"
    for damaged in ("<article></article>", f"{BODY}{BODY}"):
        with pytest.raises(TreeError, match="HTML body is missing or repeated"):
            put_body(damaged, "<p>a</p>", "page")


def test_other_pages_keep_small_blocks_and_files_that_are_not_pages_are_untouched():
    page = PAPER.replace("body: html\n", "")
    assert set_aside("en/years/2017/index.md", page) == (page, [])  # blocks under 4 KB stay
    assert set_aside("en/leaderboards/b/b.bib", page) == (page, [])


def test_a_listing_block_goes_aside_whatever_follows_it_on_the_next_line():
    """A board's chart is followed by its filters and its table by the "show all" button, each on the next
    line: every large element that starts a line and closes at the end of one goes aside (when the table was
    followed by the button without a blank line, Python-Markdown parsed every row of every board)."""
    rows = "".join(f"<tr><td>{i}</td></tr>\n" for i in range(400))
    chart = '<figure class="ss-chart"><svg><g>' + "<circle/>" * 600 + "</g></svg></figure>"
    table = f'<div class="ss-table-wrap ss-board-wrap"><table>\n{rows}</table></div>'
    page = (
        "---\ntitle: B\n---\n\n<h1>B</h1>\n<p>Lead.</p>\n"
        + chart
        + '\n<form class="ss-filters"></form>\n\n'
        + table
        + '\n<p class="ss-more"><button>Show all</button></p>\n<p>Legend.</p>\n'
    )
    text, blocks = set_aside("en/leaderboards/b/index.md", page)
    assert blocks == [chart, table]
    assert "<tr>" not in text and "<circle" not in text and "Show all" in text and "ss-filters" in text
    assert put_back(text, blocks, "page") == page
    # an element that does not close at the end of a line is not a block of its own: it stays
    inline = page.replace("</figure>\n<form", "</figure><form")
    assert set_aside("en/leaderboards/b/index.md", inline)[1] == [table]


@pytest.mark.parametrize("damage", ["missing", "repeated"])
def test_a_lost_or_doubled_placeholder_fails_the_build(damage):
    rows = "".join(f"<tr><td>{i}</td></tr>\n" for i in range(400))
    page = f'---\ntitle: B\n---\n\n<div class="ss-table-wrap"><table>\n{rows}</table></div>\n\n<div class="ss-table-wrap"><table>\n{rows}</table></div>\n'
    text, blocks = set_aside("en/leaderboards/b/index.md", page)
    assert len(blocks) == 2
    if damage == "missing":
        text = text.replace('<div data-ss-aside="1"></div>', "")
    else:
        text += '\n<div data-ss-aside="1"></div>'
    with pytest.raises(TreeError, match="placeholder"):
        put_back(text, blocks, "page")


def test_a_preview_search_source_whose_page_is_gone_is_dropped(tmp_path):
    """serve's MkDocs builds are dirty: the prepared pages stay from one build to the next, and one whose
    page was removed must not be indexed again."""
    from generator.site import search

    page = '<html lang="en"><body><article class="md-content__inner md-typeset"><h1>T</h1></article></body></html>'
    for name in ("kept", "gone"):
        (tmp_path / "en" / "papers" / name).mkdir(parents=True)
        (tmp_path / "en" / "papers" / name / "index.html").write_text(page, encoding="utf-8")
        search.write_source(tmp_path, "en", f"papers/{name}/index.html", page)
    search.write_source(tmp_path, "en", "404.html", page)  # not a page the index reads
    (tmp_path / "en" / "papers" / "gone" / "index.html").unlink()
    src = search._prepared(tmp_path, "en")
    assert src == tmp_path / ".pagefind-src-en"
    assert sorted(p.relative_to(src).as_posix() for p in src.rglob("*.html")) == ["papers/kept/index.html"]
    assert search._prepared(tmp_path, "zh") is None  # nothing prepared: index_site makes the copies itself


def test_the_search_index_reads_no_ignored_element():
    """What Pagefind is given of a page leaves out what it would skip (tables, charts, BibTeX marked
    data-pagefind-ignore: most of a board), keeps the rest, meta included, and spaces Han characters."""
    from generator.site.search import SEPARATOR, for_index

    rows = "".join(f"<tr><td>row {i}</td></tr>" for i in range(50))
    html = (
        '<html lang="zh"><body><article class="md-content__inner md-typeset">'
        '<h1 data-pagefind-meta="title:PSPNet · 金字塔">金字塔</h1>'
        '<h2 id="r" data-pagefind-ignore>结果</h2>'
        f'<div class="ss-table-wrap" data-pagefind-ignore><div><table>{rows}</table></div></div>'
        "<p>实时 notes</p><p data-pagefind-ignore>编辑</p>"
        '<details class="ss-how-all" data-pagefind-ignore><section><dl><dt>训练</dt></dl></section></details>'
        '<script type="application/ld+json">{"headline": "金字塔"}</script></article></body></html>'
    )
    text = for_index(html)
    assert text is not None
    assert "row " not in text and "结果" not in text and "编" not in text and "训" not in text
    assert "<script" not in text and "headline" not in text
    assert 'data-pagefind-meta="title:PSPNet · 金字塔"' in text  # attributes are left as they are
    assert f"金{SEPARATOR}字{SEPARATOR}塔</h1>" in text and f"实{SEPARATOR}时 notes" in text
