"""`check-links` follows every external link of papers/ against a server on 127.0.0.1 that answers 200,
301, 404, 405-to-HEAD and not at all; and a source's `archived` copy is validated and shown beside it."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from helpers import local_http, run_cli

from generator.config import SiteConfig
from generator.corpus.core import build_corpus
from generator.format.formatters import text
from generator.format.rules import ERROR
from generator.format.validate import validate_tree
from generator.render.pages import render_site

SLOW = 3.0  # seconds the slow page takes; the checker waits 1


def answer(method: str, path: str, headers: dict):
    if path.startswith("/ok"):
        return 200, {"Content-Type": "text/html"}, b"<p>here</p>"
    if path == "/moved":
        return 301, {"Location": "/ok-after-move"}, b""
    if path == "/elsewhere":  # another site: localhost is not 127.0.0.1
        return 301, {"Location": f"http://localhost:{headers['Host'].rsplit(':', 1)[1]}/ok-there"}, b""
    if path == "/no-head":
        return (405, {"Allow": "GET"}, b"") if method == "HEAD" else (200, {}, b"<p>GET only</p>")
    if path == "/slow":
        time.sleep(SLOW)
        return 200, {}, b"late"
    return 404, {"Content-Type": "text/html"}, b"<p>gone</p>"


LINKY = """title: "Linky: A Paper With Links"
year: 2024
venue: cvpr
links:
  paper: [{base}/ok, {base}/moved]
  code: {base}/gone
  project: {base}/elsewhere
format: 2
sources:
  lb:
    kind: leaderboard
    name: A leaderboard that has gone
    url: {base}/slow
    archived: {base}/no-head
    retrieved: 2024-01-02
results:
  - id: cityscapes-test
    dataset: cityscapes
    split: test
    metrics: {{mIoU: 50.5}}
    source: lb
    locator: row 1
"""


@pytest.fixture
def site():
    with local_http(answer) as (base, seen):
        yield base, seen


@pytest.fixture
def papers(corpus: Path, site) -> Path:
    base, _ = site
    # every link of the fixture corpus points at the local server: the test never reaches the network
    for f in corpus.rglob("*.yaml"):
        text = f.read_text(encoding="utf-8")
        f.write_text(
            re.sub(r"https?://[^\s,\]}]+", lambda m: f"{base}/ok-{abs(hash(m.group(0))) % 1000}", text),
            encoding="utf-8",
        )
    (corpus / "2024").mkdir()
    (corpus / "2024" / "linky.yaml").write_text(LINKY.format(base=base), encoding="utf-8")
    assert errors(validate_tree(corpus)) == []
    return corpus


def errors(checked) -> list[str]:
    """The errors (warnings, e.g. a leaderboard source without its retrieved date, do not stop a page)."""
    return [text(p) for p in checked.problems if p.level == ERROR]


def check(papers: Path, *args: str):
    return run_cli("check-links", "--papers", str(papers), "--timeout", "1", "--delay", "0", *args)


def test_dead_links_are_reported_where_they_are_written_and_exit_1(papers, site, tmp_path):
    base, seen = site
    report = tmp_path / "dead.md"
    started = time.monotonic()
    proc = check(papers, "--report", str(report))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout
    assert f"{papers}/2024/linky.yaml:6:9: warning: link {base}/gone answered 404 [links.code]" in out
    assert re.search(
        rf"linky\.yaml:13:10: warning: link {base}/slow did not answer within 1 s \[sources\.lb\.url\]", out
    )
    # followed, GET after a refused HEAD: alive, not reported
    assert f"{base}/ok " not in out and f"{base}/moved" not in out and f"{base}/no-head" not in out
    # a redirect to another site is a note, not a death
    assert re.search(
        rf"linky\.yaml:7:12: note: link {base}/elsewhere redirects to another site: http://localhost:\d+/ok-there", out
    )
    assert sum(1 for line in out.splitlines() if ": warning: " in line) == 2
    assert "places hold a dead link" in proc.stderr and "Traceback" not in proc.stderr
    assert time.monotonic() - started < SLOW + 20
    # polite: HEAD first, GET only after a refused HEAD, a User-Agent that names the project
    methods = {(m, p) for m, p, _ in seen}
    assert ("HEAD", "/moved") in methods and ("GET", "/moved") not in methods
    assert ("HEAD", "/no-head") in methods and ("GET", "/no-head") in methods
    assert all(h.get("User-Agent", "").startswith("semseg-survey/") for _, _, h in seen)
    # each distinct link once, however often it is written
    assert len([p for m, p, _ in seen if m == "HEAD"]) == len({p for m, p, _ in seen if m == "HEAD"})
    text = report.read_text(encoding="utf-8")
    assert "## Dead links in papers/" in text and f"`{base}/gone`" in text and "answered 404" in text


def test_all_alive_exits_0(papers):
    linky = papers / "2024" / "linky.yaml"
    text = linky.read_text(encoding="utf-8")
    for dead in ("/gone", "/slow"):
        text = text.replace(dead, "/ok")
    linky.write_text(text, encoding="utf-8")
    proc = check(papers)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert ": warning: " not in proc.stdout


def test_the_cap_on_requests_is_kept_and_what_was_left_is_said(papers, site):
    _, seen = site
    proc = check(papers, "--max-requests", "3")
    assert len(seen) == 3
    assert "was not checked: the cap on requests was reached" in proc.stdout


def test_untrusted_link_text_cannot_break_the_markdown_report(tmp_path):
    from generator.authoring.linkcheck import Checker, Link, Outcome, markdown
    from generator.format.problems import Span

    url = "https://example.org/a|b`<script>`"
    md = markdown(
        [Link(url, Span("papers/2024/x.yaml", 3, 9), "links.code")], {url: Outcome(url, status=404)}, Checker(), "today"
    )
    row = next(line for line in md.splitlines() if "example.org" in line)
    assert row.count("|") == 4 and row.count("`") == 6  # three cells, each one code span


def test_an_archived_copy_must_be_a_url(corpus):
    pf = corpus / "2017" / "pspnet.yaml"
    pf.write_text(
        pf.read_text(encoding="utf-8").replace(
            "    url: https://example.org/lb\n", "    url: https://example.org/lb\n    archived: web.archive.org/x\n", 1
        ),
        encoding="utf-8",
    )
    problems = [text(p) for p in validate_tree(corpus).problems]
    assert any("pspnet.yaml:25:" in p and "expected an http(s) URL" in p and "archived" in p for p in problems), (
        problems
    )


def test_pages_show_the_original_and_the_archived_copy_in_both_languages(corpus):
    pf = corpus / "2017" / "pspnet.yaml"
    archived = "https://web.archive.org/web/2024/https://example.org/lb"
    pf.write_text(
        pf.read_text(encoding="utf-8").replace(
            "    url: https://example.org/lb\n", f"    url: https://example.org/lb\n    archived: {archived}\n", 1
        ),
        encoding="utf-8",
    )
    checked = validate_tree(corpus)
    assert errors(checked) == []
    out = render_site(build_corpus(checked.registries, checked.papers), SiteConfig.from_env(papers=corpus))
    for lang, label in (("en", "archived copy"), ("zh", "存档副本")):
        page = out.files[f"{lang}/papers/pspnet/index.md"]
        row = next(line for line in page.splitlines() if archived in line)
        assert 'href="https://example.org/lb"' in row and f'href="{archived}"' in row and label in row
        board = out.files[f"{lang}/leaderboards/cityscapes-test/index.md"]
        assert archived in board
