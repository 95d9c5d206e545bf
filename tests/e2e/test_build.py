"""Build a small corpus in both languages, as a user would, and check the pages a reader opens."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import FIXTURES, ROOT, board_rows, run_build

pytestmark = pytest.mark.slow


def build(papers: Path, site: Path, work: Path, *options: str, **env) -> subprocess.CompletedProcess:
    return run_build(
        papers,
        site,
        work / "build",
        {"SITE_URL": "https://example.org/survey/", "REPO_URL": "https://github.com/owner/repo", **env},
        *options,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("site")
    proc = build(FIXTURES / "valid" / "papers", work / "site", work)
    assert proc.returncode == 0, proc.stderr
    return work / "site"


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    "path",
    [
        "",
        "leaderboards/",
        "leaderboards/cityscapes-test/",
        "leaderboards/ade20k-val/",
        "leaderboards/dichotomous-image-segmentation/dis5k-te1/",
        "years/",
        "years/2017/",
        "topics/",
        "topics/context-aggregation/",
        "timeline/",
        "compare/",
        "papers/pspnet/",
        "papers/fcn/",
        "data/",
        "contributing/",
        "writers/",
    ],
)
def test_every_page_exists_in_both_languages(site, lang, path):
    html = page(site, f"{lang}/{path}")
    assert f'<html lang="{lang}"' in html
    assert '<meta http-equiv="Content-Security-Policy"' in html


def test_language_switch_points_to_the_same_page_in_the_other_language(site):
    html = page(site, "zh/papers/pspnet/")
    # relative, so that a reader stays on the server they are on (a preview, a mirror); the sitemap is absolute
    assert 'href="../../../en/papers/pspnet/" hreflang="en"' in html
    assert 'href="../../../zh/papers/pspnet/" hreflang="zh"' in html
    sitemap = (site / "en" / "sitemap.xml").read_text()
    assert '<xhtml:link rel="alternate" hreflang="zh" href="https://example.org/survey/zh/papers/pspnet/"/>' in sitemap
    assert "<lastmod>" not in sitemap  # a build date would make two builds of the same corpus differ


def test_root_sends_readers_to_their_language(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="en/"' in html and 'href="zh/"' in html
    assert "zh" in (site / "lang.js").read_text()


def test_chinese_pages_use_the_chinese_catalogue(site):
    html = page(site, "zh/leaderboards/cityscapes-test/")
    assert "<title>Cityscapes 测试集 - 语义分割文献综述</title>" in html
    assert "按 mIoU 排名" in html


def test_leaderboard_ranks_by_primary_metric_with_disagreement(site):
    html = page(site, "en/leaderboards/cityscapes-test/")
    assert board_rows(html) == [
        ("1", "DeepLabv3+ (Xception-JFT)"),
        ("2", "PSPNet"),
        ("3", "PSPNet++"),
        ("4", "PSPNet"),
        ("5", "FCN-8s"),
    ]
    assert html.count('class="ss-disagree"') == 2  # PSPNet 81.2 vs 78.4, each shows the other with its source
    assert "also reported as 78.4 by" in html


def test_lower_is_better_metric_ranks_ascending(tmp_path):
    papers = tmp_path / "papers"
    shutil.copytree(FIXTURES / "valid" / "papers", papers)
    extra = (
        (papers / "2018" / "deeplabv3-plus.yaml").read_text()
        + """  - id: dis5k-te1
    dataset: dis5k
    split: te1
    task: dichotomous-image-segmentation
    metrics: {mae: 0.05}
    source: fixture-leaderboard
"""
    )
    (papers / "2018" / "deeplabv3-plus.yaml").write_text(extra)
    proc = build(papers, tmp_path / "site", tmp_path)
    assert proc.returncode == 0, proc.stderr
    html = page(tmp_path / "site", "en/leaderboards/dichotomous-image-segmentation/dis5k-te1/")
    assert board_rows(html) == [("1", "DeepLabv3+"), ("2", "PSPNet")]


def test_paper_pages_are_not_in_nav(site):
    html = page(site, "en/")
    tabs = html.split('class="md-tabs__list"')[1].split("</ul>")[0]
    assert "leaderboards/" in tabs and "years/" in tabs
    nav = html.split('class="md-nav md-nav--primary')[1].split("md-sidebar--secondary")[0]
    assert "leaderboards/" in nav
    assert "papers/" not in tabs + nav


def test_note_in_one_language_is_marked_not_dropped(site):
    en = page(site, "en/papers/pspnet/")
    assert "only in Chinese" in en and "金字塔池化模块" in en
    zh = page(site, "zh/papers/fcn/")
    assert "仅英文" in zh and "fully convolutional" in zh


def test_paper_page_lists_results_sources_and_links(site):
    html = page(site, "en/papers/pspnet/")
    assert "Dichotomous image segmentation" in html
    assert 'href="https://github.com/owner/repo/edit/main/' in html
    assert "issues/new?template=wrong-number.yml" in html
    assert "@inproceedings{zhao2017pspnet" in html


def test_data_files_at_the_site_root(site):
    papers = json.loads((site / "data" / "papers.json").read_text())
    assert {p["id"] for p in papers} == {"fcn", "pspnet", "deeplabv3-plus"}
    assert (site / "data" / "papers.bib").read_text().count("@") == 3
    assert (site / "data" / "results.csv").read_text().splitlines()[0].startswith("paper_id,")
    schema = json.loads((site / "data" / "paper.schema.json").read_text())
    assert schema["$defs"]["Paper"]["required"] == ["format", "title", "year"]


class _Meta(__import__("html.parser").parser.HTMLParser):
    """What a reference manager reads from a page: COinS spans, JSON-LD blocks, the CSP meta."""

    def __init__(self):
        super().__init__()
        self.coins, self.ld, self.csp, self._in_ld = [], [], None, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "span" and "Z3988" in (a.get("class") or "").split():
            self.coins.append(a["title"])
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in_ld = True
            self.ld.append("")
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp = a["content"]

    def handle_endtag(self, tag):
        self._in_ld = self._in_ld and tag != "script"

    def handle_data(self, data):
        if self._in_ld:
            self.ld[-1] += data


def test_chinese_pages_have_no_english_interface_text_and_no_numbered_anchors(site):
    """The theme's texts that come from the configuration (the palette toggle, the headings' permalinks) are
    in Chinese on Chinese pages, and a Chinese heading has an anchor a link can keep (not #_1, #_2)."""
    pages = {p.relative_to(site).as_posix(): p.read_text("utf-8") for p in sorted((site / "zh").rglob("index.html"))}
    assert "zh/compare/index.html" in pages and "zh/papers/pspnet/index.html" in pages
    english = ("Permanent link", "Switch to dark mode", "Switch to light mode")
    assert {path: word for path, html in pages.items() for word in english if word in html} == {}
    assert "永久链接" in pages["zh/compare/index.html"] and "切换到深色模式" in pages["zh/index.html"]
    assert [path for path, html in pages.items() if re.search(r'\bid="_\d+"', html)] == []
    assert 'id="accuracy-against-cost"' in pages["zh/compare/index.html"]


def test_every_html_page_of_the_site_has_its_content_security_policy(site):
    """The policy is what stops a contributor's text from running as script: no page goes without it,
    the root's language chooser and 404 included."""
    pages = sorted(site.rglob("*.html"))
    assert {"index.html", "404.html", "en/index.html", "zh/papers/pspnet/index.html"} <= {
        p.relative_to(site).as_posix() for p in pages
    }
    missing = [p for p in pages if '<meta http-equiv="Content-Security-Policy"' not in p.read_text("utf-8")]
    assert missing == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_paper_pages_carry_coins_and_scholarly_article_json_ld(site, lang):
    from urllib.parse import parse_qs

    meta = _Meta()
    meta.feed(page(site, f"{lang}/papers/pspnet/"))
    assert len(meta.coins) == 1
    kev = parse_qs(meta.coins[0])
    assert kev["ctx_ver"] == ["Z39.88-2004"] and kev["rft.genre"] == ["proceeding"]
    assert kev["rft.atitle"] == ["Pyramid Scene Parsing Network"] and kev["rft.date"] == ["2017"]
    assert kev["rft.au"][0] == "Hengshuang Zhao" and len(kev["rft.au"]) == 5
    assert "info:doi/10.1109/CVPR.2017.660" in kev["rft_id"] and "info:arxiv/1612.01105" in kev["rft_id"]
    (ld,) = [json.loads(x) for x in meta.ld]
    assert ld["@context"] == "https://schema.org" and ld["@type"] == "ScholarlyArticle"
    assert ld["headline"] == "Pyramid Scene Parsing Network" and ld["author"][0]["name"] == "Hengshuang Zhao"
    assert ld["url"] == f"https://example.org/survey/{lang}/papers/pspnet/"
    assert {"@type": "SoftwareSourceCode", "codeRepository": "https://github.com/hszhao/PSPNet"} in ld["workExample"]
    assert ld["identifier"]["value"] == "10.1109/CVPR.2017.660"
    # the JSON-LD is data: the policy still allows no inline script but the theme's, by hash
    assert meta.csp and "'unsafe-inline'" not in meta.csp.split("script-src")[1].split(";")[0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_board_page_offers_its_table_its_bib_and_a_citation_of_itself(site, lang):
    html = page(site, f"{lang}/leaderboards/cityscapes-test/")
    assert ("Cite this board" if lang == "en" else "引用本排行榜") in html
    assert (
        'href="../../../data/boards/cityscapes-test.tex"' in html
        and 'href="../../../data/boards/cityscapes-test.bib"' in html
    )
    assert (
        "@misc{board-cityscapes-test" in html
        and f"https://example.org/survey/{lang}/leaderboards/cityscapes-test/" in html
    )
    tex = (site / "data" / "boards" / "cityscapes-test.tex").read_text(encoding="utf-8")
    bib = (site / "data" / "boards" / "cityscapes-test.bib").read_text(encoding="utf-8")
    assert "\\begin{tabular}" in tex and "\\bibliography{cityscapes-test}" in tex
    assert set(re.findall(r"\\cite\{([^}]+)\}", tex)) == set(re.findall(r"^@\w+\{([^,]+),", bib, re.M))
    other = site / "data" / "boards" / "dichotomous-image-segmentation" / "dis5k-te1.tex"
    assert other.is_file()  # a board of another task: data/boards/<task>/<dataset>-<split>.tex


def test_the_writers_page_in_both_languages(site):
    en, zh = (re.sub(r"<[^>]+>", "", page(site, f"{lang}/writers/")) for lang in ("en", "zh"))
    assert "export latex" in en and "chen2018deeplabv3plus" in en and "pdflatex" in en
    assert "写作者指南" in zh and "export latex" in zh and "引用键" in zh


def test_invalid_corpus_writes_nothing_and_keeps_the_site(site, tmp_path):
    papers = tmp_path / "papers"
    shutil.copytree(FIXTURES / "valid" / "papers", papers)
    (papers / "2017" / "pspnet.yaml").write_text("title: [broken\n")
    target = tmp_path / "site"
    shutil.copytree(site, target)
    before = sorted(p.relative_to(target).as_posix() for p in target.rglob("*"))
    proc = build(papers, target, tmp_path)
    assert proc.returncode == 1
    assert "papers/2017/pspnet.yaml:2:1: error: YAML syntax error" in proc.stderr.replace(str(tmp_path) + "/", "")
    assert "Traceback" not in proc.stderr
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == before
    assert not (tmp_path / "build").exists()


def test_killed_build_leaves_previous_site_whole(site, tmp_path):
    target = tmp_path / "site"
    shutil.copytree(site, target)
    snapshot = {p.relative_to(target).as_posix(): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    papers = tmp_path / "papers"
    shutil.copytree(FIXTURES / "valid" / "papers", papers)
    (papers / "2015" / "fcn.yaml").write_text(
        (papers / "2015" / "fcn.yaml").read_text().replace("FCN-8s", "FCN-8s changed")
    )
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        SITE_URL="https://example.org/survey/",
        REPO_URL="https://github.com/owner/repo",
    )
    cmd = [
        sys.executable,
        "-m",
        "generator",
        "build",
        "--papers",
        str(papers),
        "--site-dir",
        str(target),
        "--build-dir",
        str(tmp_path / "build"),
    ]
    for delay in (0.3, 0.8, 1.3):  # kill during generation, during the MkDocs builds, near the end
        proc = subprocess.Popen(
            cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)  # the build process alone: what it started must not outlive it
        proc.wait()
        deadline = time.monotonic() + 0.5  # a signal, not the end of their work (which takes seconds)
        while processes_mentioning(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = processes_mentioning(tmp_path)
        if left:
            os.killpg(proc.pid, signal.SIGKILL)
        assert left == []
        now = {p.relative_to(target).as_posix(): p.read_bytes() for p in target.rglob("*") if p.is_file()}
        if now != snapshot:  # the build finished before the kill: then it is the complete new site
            assert "FCN-8s changed" in (target / "en" / "leaderboards" / "cityscapes-test" / "index.html").read_text()

            # the same files, but for the search index's, which are named by their content
            def files(paths):
                return {p for p in paths if "/pagefind/" not in p}

            assert files(now) == files(snapshot)
            for lang in ("en", "zh"):
                assert f"{lang}/pagefind/pagefind-entry.json" in now
                assert any(p.startswith(f"{lang}/pagefind/index/") for p in now)
            snapshot = now
    assert not list(target.glob(".site-*"))  # a killed build's half-built site is never inside site/


def processes_mentioning(path: Path) -> list[str]:
    """Command lines of running processes that name `path` (a build's generator, writers, MkDocs)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if str(path) in text:
            found.append(text)
    return found


def test_build_is_deterministic(site, tmp_path):
    proc = build(FIXTURES / "valid" / "papers", tmp_path / "site", tmp_path)
    assert proc.returncode == 0, proc.stderr
    first = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {
        p.relative_to(tmp_path / "site").as_posix(): p.read_bytes()
        for p in (tmp_path / "site").rglob("*")
        if p.is_file()
    }
    assert first.keys() == second.keys()
    differing = sorted(k for k in first if first[k] != second[k])
    assert differing == []


def test_verbose_build_reports_each_step_in_order(site, tmp_path):
    proc = build(FIXTURES / "valid" / "papers", tmp_path / "site", tmp_path, "-v")
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("build:")]
    pattern = re.compile(r"build: +[\d.]+ s  (\S+(?: en| zh)?) +(.*) \(peak \d+ MB\)")
    assert all(pattern.fullmatch(line) for line in lines), proc.stderr  # whole lines: never cut by the other language's
    steps = [pattern.fullmatch(line).groups() for line in lines]  # type: ignore[union-attr]
    who = [w for w, _ in steps]
    assert sorted(who) == sorted(
        ["generator", "writer en", "writer zh", "root", "mkdocs en", "mkdocs zh", "search", "build"]
    ), proc.stderr
    # the two languages run side by side: each language's pages are written before its MkDocs build ends,
    # the data files at the site root after the first language's pages (while the MkDocs builds run), and
    # the search index and the swap come after all
    assert who[0] == "generator", proc.stderr
    assert who.index("writer en") < who.index("mkdocs en") and who.index("writer zh") < who.index("mkdocs zh"), (
        proc.stderr
    )
    assert who.index("writer en") < who.index("root") < who.index("search"), proc.stderr
    assert who[-2:] == ["search", "build"], proc.stderr
    assert steps[-1] == ("build", f"site swapped in: {tmp_path / 'site'}")
    assert "3 papers validated" in steps[0][1]


def test_the_search_index_sources_are_not_published(site):
    """MkDocs' hook writes each page as Pagefind reads it beside the language's folder; the build removes
    them once both indexes are written."""
    assert not [p for p in site.rglob(".pagefind-src*")]
    for lang in ("en", "zh"):
        assert (site / lang / "pagefind" / "pagefind-entry.json").is_file()
        assert not (site / lang / ".pagefind-new").exists()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_search_index_reads_a_paper_by_its_head_and_notes_not_its_results(site, lang):
    """Pagefind is given a paper page's title, authors and notes; not its result tables, nor the cards of
    how each result was obtained (at 5,000 papers they were 45 % of what Pagefind read and took 270 MB of its
    memory in each language), nor its BibTeX, badges or JSON-LD."""
    from generator.site.search import for_index

    text = for_index((site / lang / "papers" / "pspnet" / "index.html").read_text(encoding="utf-8"))
    assert text is not None and 'class="ss-paper-title' in text and 'class="ss-authors' in text
    assert 'class="ss-note' in text
    for cls in ("ss-table-wrap", "ss-how-all", "ss-how-item", "ss-bibtex", "ss-badges", "ss-edit"):
        assert f'class="{cls}' not in text, cls
    assert "<script" not in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_paper_page_is_html_from_end_to_end_with_its_sections_in_the_table_of_contents(site, lang):
    """A paper page (the renderer's HTML, `body: html`) never reaches Python-Markdown; the built page has
    it whole, and its table of contents lists its sections, each with a stable anchor in both languages
    (Python-Markdown gave the Chinese headings "_1", "_2": a link to a section changed with the text)."""
    source = (site.parent / "build" / lang / "papers" / "pspnet" / "index.md").read_text(encoding="utf-8")
    assert "\nbody: html" in source.split("\n---\n")[0] and "\n## " not in source
    built = page(site, f"{lang}/papers/pspnet")
    body = source.split("\n---\n", 1)[1]
    assert body.strip() in built  # byte for byte, nothing of it converted
    toc = built.split('data-md-component="toc"', 1)[1].split('<div class="md-content"', 1)[0]
    assert re.findall(r'<a href="#([^"]+)" class="md-nav__link">', toc) == [
        "abstract",
        "notes",
        "results",
        "how",
        "lineage",
        "reproductions",
        "bibtex",
        "badges",
    ]
    assert '<h2 id="results" data-pagefind-ignore>' in built
    assert 'title="Permanent link"' not in built if lang == "zh" else 'title="Permanent link"' in built


def test_paper_pages_filled_from_the_theme_s_shell_are_the_pages_the_theme_renders(tmp_path):
    """The theme is rendered once per kind of paper page and filled (site/shell.py): every page of the
    real corpus, in both languages, is byte for byte what MkDocs and material render for it one by one."""
    import yaml

    proc = build(ROOT / "papers", tmp_path / "site", tmp_path)
    assert proc.returncode == 0, proc.stderr
    for lang in ("en", "zh"):
        built = {}
        for way, shells in (("shell", True), ("one-by-one", False)):
            config = yaml.safe_load((tmp_path / "build" / f"mkdocs.{lang}.yml").read_text(encoding="utf-8"))
            config["extra"]["shell"] = shells
            config["site_dir"] = str(tmp_path / way / lang)
            (tmp_path / f"{way}.{lang}.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
            run = subprocess.run(
                [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(tmp_path / f"{way}.{lang}.yml")],
                capture_output=True,
                text=True,
                env=dict(os.environ, PYTHONPATH=str(ROOT)),
            )
            assert run.returncode == 0, run.stderr
            built[way] = run.stderr
        papers = sorted((tmp_path / "shell" / lang / "papers").glob("*/index.html"))
        assert len(papers) > 300
        # every paper page came from a shell, and there are a few kinds of them (the sections a page has)
        filled = re.search(r"(\d+) pages filled from the theme's shell \((\d+) of (\d+) kinds", built["shell"])
        assert filled and int(filled[1]) == len(papers) and filled[2] == filled[3] and int(filled[3]) > 1, built[
            "shell"
        ]
        assert "filled from the theme's shell" not in built["one-by-one"]
        for page_file in papers:
            alone = tmp_path / "one-by-one" / lang / page_file.relative_to(tmp_path / "shell" / lang)
            assert page_file.read_bytes() == alone.read_bytes(), page_file


def test_a_link_to_a_missing_section_of_a_paper_page_fails_the_build(site, tmp_path):
    """A paper page's body is HTML that Python-Markdown never reads (hooks._HtmlBodyPage): MkDocs still
    knows its anchors, so a writer's link to a section it lacks fails the strict build, naming it."""
    import yaml

    tree = tmp_path / "en"
    shutil.copytree(site.parent / "build" / "en", tree)
    config = yaml.safe_load((site.parent / "build" / "mkdocs.en.yml").read_text(encoding="utf-8"))
    config.update(docs_dir=str(tree), site_dir=str(tmp_path / "site"))
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")

    def built_with(link: str) -> subprocess.CompletedProcess:
        (tree / "links.md").write_text(f"# Links\n\n[PSPNet's results]({link})\n", encoding="utf-8")
        return subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(tmp_path / "mkdocs.yml")],
            capture_output=True,
            text=True,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
        )

    assert built_with("papers/pspnet/index.md#results").returncode == 0
    missing = built_with("papers/pspnet/index.md#no-such-section")
    assert missing.returncode == 1
    assert "no-such-section" in missing.stderr and "links.md" in missing.stderr
