"""`generator serve` as a contributor uses it: edit a paper, see the page change; break it, read the
located error in the terminal while the last good page stays; fix it, see the preview recover."""

import os
import re
import signal
import time

import pytest

from helpers import fetch, located, run_build, serving_fixture_papers

pytestmark = pytest.mark.slow


@pytest.fixture
def serve(tmp_path):
    with serving_fixture_papers(tmp_path) as served:
        yield served


def test_edit_break_and_fix_a_paper_while_serving(serve):
    s, papers = serve
    fcn = papers / "2015" / "fcn.yaml"
    html = s.wait_for(lambda: s.page("/en/papers/fcn/"), "the FCN page")
    assert "FCN-8s" in html
    # built for the address it is served at (material's language switch needs it), with the reload script
    assert f"<loc>http://127.0.0.1:{s.port}/en/papers/fcn/</loc>" in s.page("/en/sitemap.xml")
    assert re.search(r'<script src="[./]*assets/reload\.js"', html)
    assert "Content-Security-Policy" in html and "script-src 'self'" in html
    build = s.wait_for(lambda: re.search(r'"build": (\d+)', s.page("/__build")), "the build endpoint").group(1)

    # 1. edit: the served page shows the change, and so does the leaderboard it is ranked on
    fcn.write_text(fcn.read_text().replace("model: FCN-8s", "model: FCN-8s Edited"), encoding="utf-8")
    s.wait_for(lambda: "FCN-8s Edited" in s.page("/en/papers/fcn/"), "the edited model name on the paper page")
    # the leaderboard follows (the edited paper's pages are made and shown first)
    s.wait_for(lambda: "FCN-8s Edited" in s.page("/en/leaderboards/cityscapes-test/"), "the edit on its leaderboard")
    s.wait_for(lambda: "FCN-8s Edited" in s.page("/zh/papers/fcn/"), "the edit in the other language")
    assert s.page("/en/papers/pspnet/")  # the other pages are still there
    # open tabs reload: the build number changes once the rebuild ends (MkDocs writes the pages a moment before)
    s.wait_for(lambda: re.search(r'"build": (\d+)', s.page("/__build")).group(1) != build, "the new build number")
    assert "Content-Security-Policy" in s.page("/en/papers/fcn/")

    # 2. break: the terminal names file, line and column; the last good page is still served
    fcn.write_text(fcn.read_text().replace("dataset: cityscapes", "dataset: cityscape"), encoding="utf-8")
    where = located(fcn, "dataset: cityscape\n")  # the line and column of the bad value
    s.wait_for(lambda: "error: unknown dataset 'cityscape'" in s.output, "the located error in the terminal")
    assert re.search(
        rf"papers/2015/fcn\.yaml:{where}: error: unknown dataset 'cityscape' \(did you mean 'cityscapes'\?\)", s.output
    ), s.output
    assert "FCN-8s Edited" in s.page("/en/papers/fcn/")
    assert "cityscape'" in s.page("/__build")  # open tabs show the error

    # 3. fix: the preview recovers with the new content
    fcn.write_text(
        fcn.read_text()
        .replace("dataset: cityscape\n", "dataset: cityscapes\n")
        .replace("FCN-8s Edited", "FCN-8s Fixed"),
        encoding="utf-8",
    )
    s.wait_for(lambda: "FCN-8s Fixed" in s.page("/en/papers/fcn/"), "the fixed page")
    # MkDocs writes the page before the rebuild ends and the error is cleared
    s.wait_for(lambda: '"error": null' in s.page("/__build"), "the error cleared")
    assert "Traceback" not in s.output


def test_ctrl_c_stops_cleanly(serve):
    s, _ = serve
    s.wait_for(lambda: s.page("/en/"), "the home page")
    os.killpg(s.proc.pid, signal.SIGINT)
    assert s.proc.wait(timeout=30) in (0, 130)
    time.sleep(0.2)
    assert "Traceback" not in s.output, s.output
    assert fetch(s.base + "/en/")[0] == 0  # nothing listens any more


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_in_the_middle_of_a_rebuild_is_quiet(serve, sig):
    """Found following CONTRIBUTING: stopped while it rebuilt after a save, serve printed 'error: handle is
    closed' and a traceback from the search index's temporary folder."""
    s, papers = serve
    s.wait_for(lambda: s.page("/en/"), "the home page")
    fcn = papers / "2015" / "fcn.yaml"
    fcn.write_text(fcn.read_text().replace("model: FCN-8s", "model: FCN-8s Stopped"), encoding="utf-8")
    s.wait_for(lambda: "change detected" in s.output, "the rebuild starting")
    os.killpg(s.proc.pid, sig)
    assert s.proc.wait(timeout=30) in (0, 130, -sig)
    time.sleep(0.2)
    assert "Traceback" not in s.output, s.output
    assert "error" not in s.output.split("change detected")[-1], s.output


def test_preview_pages_are_the_pages_of_a_full_build(serve, tmp_path):
    """After edits, what the preview serves (rendered and rebuilt incrementally) is what `build` makes,
    but for the preview's reload script."""
    s, papers = serve
    s.wait_for(lambda: s.page("/en/papers/fcn/"), "the first build")
    fcn = papers / "2015" / "fcn.yaml"
    fcn.write_text(
        fcn.read_text().replace("mIoU: 65.3", "mIoU: 85.3").replace("model: FCN-8s", "model: FCN-8s Edited"),
        encoding="utf-8",
    )
    s.wait_for(lambda: "FCN-8s Edited" in s.page("/zh/leaderboards/cityscapes-test/"), "the edit in the preview")
    full = run_build(papers, tmp_path / "full", tmp_path / "full-build", {"SITE_URL": s.base + "/"})
    assert full.returncode == 0, full.stderr
    reload_tag = re.compile(r'\s*<script src="[./]*assets/reload\.js"></script>')
    for lang in ("en", "zh"):
        for page in ("", "papers/fcn/", "papers/pspnet/", "leaderboards/cityscapes-test/", "years/2015/", "timeline/"):
            preview = (tmp_path / "site" / lang / page / "index.html").read_text(encoding="utf-8")
            built = (tmp_path / "full" / lang / page / "index.html").read_text(encoding="utf-8")
            assert reload_tag.search(preview)
            assert reload_tag.sub("", preview) == built, f"{lang}/{page}"
    # the data files at the root follow the pages (they are made once the pages are shown): the same too
    root = (
        "data/papers.json",
        "data/papers.bib",
        "data/results.csv",
        "api/v1/boards/cityscapes-test.json",
        "data/boards/cityscapes-test.tex",
        "data/boards/cityscapes-test.bib",
        "api/v1/papers/fcn.json",
    )
    assert "FCN-8s Edited" in (tmp_path / "full" / root[3]).read_text(encoding="utf-8")
    s.wait_for(
        lambda: all((tmp_path / "site" / rel).read_bytes() == (tmp_path / "full" / rel).read_bytes() for rel in root),
        "the data files of the edit in the preview",
    )


def test_a_change_during_the_data_files_is_not_kept_waiting_for_them(tmp_path):
    """The preview shows a change's pages first, then makes the data files at the root (papers.json, the
    API, the .bib and .tex files). When another change comes meanwhile, those data files are left to the
    next rebuild instead of holding it up; that rebuild makes them from its own papers."""
    import dataclasses
    import shutil

    from generator.config import LANGS, SiteConfig
    from generator.site.serve import Preview, Workers
    from helpers import FIXTURES

    papers = tmp_path / "papers"
    shutil.copytree(FIXTURES / "valid" / "papers", papers)
    config = dataclasses.replace(
        SiteConfig.from_env(papers=papers, site_dir=tmp_path / "site", build_dir=tmp_path / "build"),
        papers=papers.resolve(),
    )
    another_change = [False]
    workers = Workers(LANGS)
    try:
        preview = Preview(config, workers, pending=lambda: another_change[0])
        assert preview.rebuild()
        api = tmp_path / "site" / "api" / "v1" / "papers" / "fcn.json"
        assert "FCN-8s Edited" not in api.read_text(encoding="utf-8")
        fcn = papers / "2015" / "fcn.yaml"
        fcn.write_text(fcn.read_text().replace("model: FCN-8s", "model: FCN-8s Edited"), encoding="utf-8")

        another_change[0] = True  # a change comes while this rebuild runs
        assert preview.rebuild()
        assert "FCN-8s Edited" in (tmp_path / "site" / "en" / "papers" / "fcn" / "index.html").read_text("utf-8")
        assert "FCN-8s Edited" not in api.read_text(encoding="utf-8")  # left for the next rebuild

        another_change[0] = False
        assert preview.rebuild()  # the next one, with nothing else changed: it makes them
        assert "FCN-8s Edited" in api.read_text(encoding="utf-8")
        bib = (tmp_path / "site" / "data" / "papers.bib").read_text(encoding="utf-8")
        assert bib.count("@") >= 2  # written whole, not the files of a run cut short
    finally:
        workers.close()


def test_after_an_edit_the_pages_a_writer_looks_at_are_shown_first(tmp_path):
    """A rebuild makes, builds and reloads the edited paper's own pages and the pages open in a browser
    first; the rest of the change (here the English leaderboard, open nowhere) follows in the same rebuild."""
    import dataclasses
    import shutil

    from generator.config import LANGS, SiteConfig
    from generator.site.serve import Preview, Workers
    from helpers import FIXTURES

    papers = tmp_path / "papers"
    shutil.copytree(FIXTURES / "valid" / "papers", papers)
    config = dataclasses.replace(
        SiteConfig.from_env(papers=papers, site_dir=tmp_path / "site", build_dir=tmp_path / "build"),
        papers=papers.resolve(),
    )
    pages = ("en/papers/fcn/", "zh/papers/fcn/", "zh/leaderboards/cityscapes-test/", "en/leaderboards/cityscapes-test/")
    shown: list[dict[str, bool]] = []  # at each new build number: which of the pages show the edit
    workers = Workers(LANGS)
    try:
        preview = Preview(config, workers)
        assert preview.rebuild()
        publish = preview._publish

        def publish_and_look(built: bool = False, error=None) -> None:
            publish(built, error)
            if built:
                shown.append(
                    {
                        page: "FCN-8s Edited" in (tmp_path / "site" / page / "index.html").read_text("utf-8")
                        for page in pages
                    }
                )

        preview._publish = publish_and_look  # type: ignore[method-assign]
        preview.seen("/zh/leaderboards/cityscapes-test/")  # reload.js's poll from a tab open on it
        fcn = papers / "2015" / "fcn.yaml"
        fcn.write_text(fcn.read_text().replace("model: FCN-8s", "model: FCN-8s Edited"), encoding="utf-8")
        assert preview.rebuild()
        first = dict.fromkeys(pages[:3], True) | {pages[3]: False}
        assert shown == [first, dict.fromkeys(pages, True)]
    finally:
        workers.close()
