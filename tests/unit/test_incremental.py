"""The preview (serve) renders again only the pages whose inputs changed. What it shows must be exactly
what a full render shows, after every kind of edit a contributor makes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.format import formatters
from generator.config import SiteConfig
from generator.corpus.core import build_corpus
from generator.render.pages import Memo, Output, SiteRenderer, render_site
from generator.format.validate import ValidationCache, validate_tree
from helpers import FIXTURES


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def move_to_year(papers: Path, path: str, year: int) -> None:
    old = papers / path
    (papers / str(year)).mkdir(exist_ok=True)
    edit(old, f"year: {old.parent.name}", f"year: {year}")
    old.rename(papers / str(year) / old.name)


NEW_PAPER = """format: 2
title: Pyramid Scene Parsing Network Revisited
name: PSPNet-R
authors: [Hengshuang Zhao]
year: 2017
venue: cvpr
topics: [context-aggregation]
sources:
  paper: {kind: paper, name: The paper, url: https://example.org/p}
results:
  - id: cityscapes-test
    dataset: cityscapes
    split: test
    metrics: {mIoU: 79.9}
    source: paper
    locator: Table 2
"""

# each edit, applied after the ones before it, as a contributor's session would
EDITS = [
    (
        "a title",
        lambda p: edit(
            p / "2017" / "pspnet.yaml", "title: Pyramid Scene Parsing Network", "title: Pyramid Scene Parsing Networks"
        ),
    ),
    ("a score that reorders a leaderboard", lambda p: edit(p / "2015" / "fcn.yaml", "mIoU: 65.3", "mIoU: 85.3")),
    (
        "a note only",
        lambda p: edit(
            p / "2018" / "deeplabv3-plus.yaml",
            "Encoder-decoder with atrous convolution.",
            "Encoder-decoder with *atrous* convolution.",
        ),
    ),
    (
        "a new paper (its BibTeX key collides with PSPNet's)",
        lambda p: (p / "2017" / "pspnet-r.yaml").write_text(NEW_PAPER),
    ),
    (
        "a lineage link",
        lambda p: edit(
            p / "2018" / "deeplabv3-plus.yaml",
            "topics: [context-aggregation]",
            "topics: [context-aggregation]\nbuilds_on: [pspnet]",
        ),
    ),
    ("a registry name", lambda p: edit(p / "datasets.yaml", "name: Cityscapes", "name: Cityscapes (fine)")),
    ("a paper removed", lambda p: (p / "2017" / "pspnet-r.yaml").unlink()),
    ("a year changed", lambda p: move_to_year(p, "2015/fcn.yaml", 2014)),
]


FIRST = {"en/papers/fcn/", "zh/leaderboards/cityscapes-test/"}  # the pages serve makes first (render_first)


def corpus_of(papers: Path, cache: ValidationCache | None = None, previous=None):
    checked = validate_tree(papers, cache=cache)
    assert not checked.problems, [formatters.text(p) for p in checked.problems]
    return build_corpus(checked.registries, checked.papers, previous=previous)


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_incremental_render_equals_a_full_render_after_every_edit(tmp_path):
    papers = tmp_path / "papers"
    shutil.copytree(FIXTURES / "valid" / "papers", papers)
    config = SiteConfig.from_env(papers=papers)
    cache, memo = ValidationCache(), Memo()
    first = Output()
    corpus = corpus_of(papers, cache)
    SiteRenderer(corpus, config, first, memo).render()
    assert len(memo.made) == len(memo.now)  # the first render makes every unit
    assert first.files == render_site(corpus_of(papers), config).files
    for what, change in EDITS:
        change(papers)
        incremental, first = Output(), Output()
        corpus = corpus_of(papers, cache, previous=corpus)  # as serve builds it
        renderer = SiteRenderer(corpus, config, incremental, memo)
        renderer.render_first(FIRST, first)  # serve: the pages a writer looks at, before the rest
        renderer.render()
        full = render_site(corpus_of(papers), config).files
        assert {path.rpartition("/")[0] + "/" for path in first.files if path.endswith("index.md")} <= FIRST
        assert first.files and all(full[path] == content for path, content in first.files.items()), what
        assert incremental.files.keys() == full.keys(), what
        stale = sorted(path for path in full if incremental.files[path] != full[path])
        assert stale == [], f"after {what}: pages differ from a full render"
        if what == "a note only":  # the point of it: pages that do not show the paper are not made again
            assert "en/papers/deeplabv3-plus/" in memo.made and "zh/papers/deeplabv3-plus/" in memo.made
            assert not {"en/papers/fcn/", "en/papers/pspnet/", "en/years/2015/", "en/data/"} & set(memo.made)


def test_unchanged_corpus_renders_nothing_again(tmp_path):
    config = SiteConfig.from_env(papers=FIXTURES / "valid" / "papers")
    cache, memo = ValidationCache(), Memo()
    SiteRenderer(corpus_of(FIXTURES / "valid" / "papers", cache), config, Output(), memo).render()
    again = Output()
    SiteRenderer(corpus_of(FIXTURES / "valid" / "papers", cache), config, again, memo).render()
    assert memo.made == []
    assert again.files == render_site(corpus_of(FIXTURES / "valid" / "papers"), config).files


@pytest.mark.parametrize("cached", [True, False])
def test_reuse_does_not_depend_on_the_validation_cache(tmp_path, cached):
    """Equal inputs are reused whether or not the papers are the same objects as last time."""
    papers = tmp_path / "papers"
    shutil.copytree(FIXTURES / "valid" / "papers", papers)
    config = SiteConfig.from_env(papers=papers)
    cache = ValidationCache() if cached else None
    memo = Memo()
    SiteRenderer(corpus_of(papers, cache), config, Output(), memo).render()
    edit(papers / "2015" / "fcn.yaml", "The first *fully convolutional*", "The first *fully-convolutional*")
    out = Output()
    SiteRenderer(corpus_of(papers, cache), config, out, memo).render()
    assert out.files == render_site(corpus_of(papers), config).files
    assert "en/papers/fcn/" in memo.made and "en/papers/deeplabv3-plus/" not in memo.made


def test_a_rebuild_keeps_the_unchanged_papers_and_registries_as_the_same_objects(tmp_path):
    """serve's memo compares what each page was made from: unchanged papers and registries must be the
    very objects of the last build, or each comparison walks every field of every row (25 s a rebuild at
    2,000 papers, for the 16 pages one edit changes)."""
    papers = tmp_path / "papers"
    shutil.copytree(FIXTURES / "valid" / "papers", papers)
    cache = ValidationCache()
    before = corpus_of(papers, cache)
    assert before.boards  # made, as a render makes them
    edit(papers / "2015" / "fcn.yaml", "The first *fully convolutional*", "The first *fully-convolutional*")
    after = corpus_of(papers, cache, previous=before)
    assert after.registries is before.registries
    same = {p.id for p, q in zip(before.papers, after.papers, strict=True) if p is q}
    assert same == {p.id for p in before.papers} - {"fcn"}
    assert after.by_id["fcn"] != before.by_id["fcn"]
    # and so are the leaderboards without the edited paper; those with it are made again, from it
    kept = {b.slug for b in after.boards if b is before.board_by_slug.get(b.slug)}
    with_fcn = {b.slug for b in before.boards if any(r.paper.id == "fcn" for r in b.rows)}
    assert with_fcn and kept == {b.slug for b in before.boards} - with_fcn
    assert all(r.paper is after.by_id["fcn"] for b in after.boards for r in b.rows if r.paper.id == "fcn")
    # a registry edited: every paper is validated again, nothing is carried over
    edit(papers / "datasets.yaml", "name: Cityscapes", "name: Cityscapes (fine)")
    again = corpus_of(papers, cache, previous=after)
    assert again.registries is not after.registries
    assert not {p.id for p, q in zip(after.papers, again.papers, strict=True) if p is q}
