"""What the documentation promises stays true: every field, problem code and command is documented in
both languages, and the README's counts are the corpus's."""

import dataclasses
import re

import pytest

from generator import cli
from generator.format import model
from generator.format.validate import validate_tree
from helpers import ROOT

CONTRIBUTING = [ROOT / "CONTRIBUTING.md", ROOT / "CONTRIBUTING.zh.md"]
READMES = [ROOT / "README.md", ROOT / "README.zh.md"]


def emitted_codes() -> set[str]:
    """Every problem code the checking modules can emit (code literals have a fixed shape)."""
    codes = set()
    for name in ("format/load.py", "format/convert.py", "format/validate.py"):
        text = (ROOT / "generator" / name).read_text(encoding="utf-8")
        codes |= set(re.findall(r'"((?:bad|unknown|missing|duplicate|yaml|empty|file|year|stray|out-of)-[a-z-]+|encoding|io)"',
                                text))
        if 'f"unknown-{what}"' in text:
            codes |= {f"unknown-{w}" for w in re.findall(r'"(dataset|venue|topic|task)", f?"', text)}
    return codes


def test_the_code_scan_finds_codes():
    codes = emitted_codes()
    assert {"unknown-key", "yaml-syntax", "unknown-dataset", "unknown-venue", "out-of-range", "bad-url",
            "bad-choice", "unknown-split", "unknown-split-name"} <= codes


@pytest.mark.parametrize("doc", CONTRIBUTING, ids=lambda p: p.name)
def test_every_problem_code_is_documented(doc):
    text = doc.read_text(encoding="utf-8")
    assert sorted(c for c in emitted_codes() if f"`{c}`" not in text) == []


FORMAT_MODELS = [model.Paper, model.Result, model.Source, model.Protocol, model.Hardware, model.Links,
                 model.Ids, model.Text, model.BibOverride]


@pytest.mark.parametrize("doc", CONTRIBUTING, ids=lambda p: p.name)
def test_every_field_of_the_format_is_documented(doc):
    text = doc.read_text(encoding="utf-8")
    fields = {f.name for m in FORMAT_MODELS for f in dataclasses.fields(m)}
    assert sorted(f for f in fields if f"`{f}`" not in text) == []


@pytest.mark.parametrize("doc", READMES, ids=lambda p: p.name)
def test_every_command_is_in_the_readme(doc):
    text = doc.read_text(encoding="utf-8")
    sub = next(a for a in cli.parser()._actions if a.dest == "command")
    assert sorted(c for c in sub.choices if f"`{c}" not in text) == []
    assert "make site" in text and "make test" in text


def test_readme_counts_are_the_corpus():
    checked = validate_tree(ROOT / "papers")
    papers, results = len(checked.papers), sum(len(p.paper.results) for p in checked.papers)
    en = (ROOT / "README.md").read_text(encoding="utf-8")
    zh = (ROOT / "README.zh.md").read_text(encoding="utf-8")
    assert f"**{papers} papers** and **{results} results**" in en
    assert f"**{papers} 篇论文**和 **{results} 条结果**" in zh
