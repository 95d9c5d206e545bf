"""A board longer than BOARD_CLIP has its first rows on its page and every row in rows.html beside it,
which its page links to (site.js fetches it; without a script the link opens it). The file holds the same
escaped rows as the page, and no script can run in it."""

from __future__ import annotations

import re
import shutil

from generator.config import SiteConfig
from generator.corpus.core import build_corpus
from generator.format import formatters
from generator.format.validate import validate_tree
from generator.render import pages
from helpers import FIXTURES

ROW = re.compile(r"<tr data-public=")


def _render(papers, monkeypatch, clip):
    monkeypatch.setattr(pages, "BOARD_CLIP", clip)
    checked = validate_tree(papers)
    assert not checked.problems, [formatters.text(p) for p in checked.problems]
    return pages.render_site(build_corpus(checked.registries, checked.papers), SiteConfig.from_env(papers=papers)).files


def test_a_long_board_links_to_every_row_and_escapes_them(tmp_path, monkeypatch):
    papers = tmp_path / "papers"
    shutil.copytree(FIXTURES / "valid" / "papers", papers)
    yaml = papers / "2017" / "pspnet.yaml"
    yaml.write_text(
        yaml.read_text(encoding="utf-8").replace(
            "model: PSPNet++", 'model: "PSPNet++ <img src=x onerror=alert(1)>"', 1
        ),
        encoding="utf-8",
    )
    files = _render(papers, monkeypatch, 2)
    for lang in ("en", "zh"):
        page = files[f"{lang}/leaderboards/cityscapes-test/index.md"]
        rows = files[f"{lang}/leaderboards/cityscapes-test/rows.html"]
        rows = rows if isinstance(rows, str) else rows.decode("utf-8")
        assert len(ROW.findall(page)) == 2 and len(ROW.findall(rows)) == 5
        assert 'href="rows.html" data-show-all="board-table"' in page
        assert f'<html lang="{lang}">' in rows and "default-src 'none'" in rows and "<script" not in rows
        # the page's first rows are the file's first rows, byte for byte
        assert ROW.split(page)[1] == ROW.split(rows)[1]
        assert "<img" not in rows and "&lt;img src=x onerror=alert(1)&gt;" in rows
    # a board no longer than the clip has every row on its page and no file
    files = _render(papers, monkeypatch, 5)
    assert "en/leaderboards/cityscapes-test/rows.html" not in files
    assert "data-show-all" not in files["en/leaderboards/cityscapes-test/index.md"]
