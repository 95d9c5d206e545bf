"""Which pages serve makes first after an edit: the edited papers' own pages (when only a few changed) and
the pages open in a browser (their poll of /__build names them)."""

from __future__ import annotations

from types import SimpleNamespace

from generator.config import SiteConfig
from generator.site.serve import FIRST_PAPERS, Preview
from helpers import FIXTURES


def corpus(papers: list) -> SimpleNamespace:
    return SimpleNamespace(papers=papers, by_id={p.id: p for p in papers})


def paper(pid: str) -> SimpleNamespace:
    return SimpleNamespace(id=pid)


def test_the_edited_papers_and_the_open_pages_come_first():
    preview = Preview(SiteConfig.from_env(papers=FIXTURES / "valid" / "papers"), workers=None)  # type: ignore[arg-type]
    kept, old = paper("pspnet"), paper("fcn")
    before, after = corpus([kept, old]), corpus([kept, paper("fcn")])
    assert preview._first_pages(before, after) == {"en/papers/fcn/", "zh/papers/fcn/"}
    preview.seen("/zh/leaderboards/cityscapes-test/index.html")
    preview.seen("/en/%E4%B8%AD/")  # as location.pathname sends it: percent-encoded
    preview.seen("/")  # the language chooser: made by no unit
    assert preview._first_pages(before, after) == {
        "en/papers/fcn/",
        "zh/papers/fcn/",
        "zh/leaderboards/cityscapes-test/",
        "en/中/",
    }


def test_when_many_papers_changed_none_of_them_comes_first():
    """A checkout or a registry edit makes every paper new: putting a few of them first helps nobody."""
    preview = Preview(SiteConfig.from_env(papers=FIXTURES / "valid" / "papers"), workers=None)  # type: ignore[arg-type]
    many = [f"p{i}" for i in range(FIRST_PAPERS + 1)]
    before, after = corpus([paper(i) for i in many]), corpus([paper(i) for i in many])
    assert preview._first_pages(before, after) == set()
    preview.seen("/en/papers/p0/")
    assert preview._first_pages(before, after) == {"en/papers/p0/"}
