"""BibTeX export: what the real `bibtex` program makes of it, and what a writer citing a paper gets.

The real-bibtex tests need `bibtex` (Debian texlive-binaries) and plain.bst (Debian texlive-base):
they skip on a machine without them, and fail in CI (CI=true), where .ci/run installs both.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest

from helpers import ROOT, run_cli

from generator.bib import write as bib


def need_bibtex() -> str:
    exe = shutil.which("bibtex")
    style = None
    if exe and shutil.which("kpsewhich"):
        style = subprocess.run(["kpsewhich", "plain.bst"], capture_output=True, text=True).stdout.strip() or None
    if exe and style:
        return exe
    missing = "bibtex (apt-get install texlive-binaries)" if not exe else "plain.bst (apt-get install texlive-base)"
    if os.environ.get("CI"):
        pytest.fail(f"the BibTeX tests need {missing} in CI")
    pytest.skip(f"{missing} is not installed")


class Run:
    def __init__(self, proc: subprocess.CompletedProcess, work: Path):
        self.proc = proc
        self.out = proc.stdout + proc.stderr
        self.blg = (work / "cite.blg").read_text(encoding="utf-8", errors="replace")
        self.bbl = (
            (work / "cite.bbl").read_text(encoding="utf-8", errors="replace") if (work / "cite.bbl").exists() else ""
        )
        self.warnings = [l for l in self.blg.splitlines() if l.startswith("Warning--")]
        counts = re.findall(r"\(There (?:were|was) (\d+) error messages?\)", self.blg)
        self.errors = sum(int(n) for n in counts)
        self.items = re.findall(r"\\bibitem\{([^}]*)\}", self.bbl)

    def __repr__(self) -> str:
        return self.out


def run_bibtex(bib_text: str, work: Path, style: str = "plain") -> Run:
    """`bibtex` on a document citing every entry (\\citation{*}) of bib_text, as LaTeX would run it."""
    exe = need_bibtex()
    work.mkdir(parents=True, exist_ok=True)
    (work / "refs.bib").write_text(bib_text, encoding="utf-8")
    (work / "cite.aux").write_text(
        "\\relax\n\\citation{*}\n\\bibdata{refs}\n\\bibstyle{%s}\n" % style, encoding="utf-8"
    )
    proc = subprocess.run(
        [exe, "cite"], cwd=work, capture_output=True, text=True, timeout=120, env=dict(os.environ, openout_any="p")
    )
    return Run(proc, work)


def export(papers: Path, tmp_path: Path, *args: str) -> str:
    out = tmp_path / "export.bib"
    proc = run_cli("export", "bibtex", "--papers", str(papers), "-o", str(out), *args)
    assert proc.returncode == 0, proc.stderr
    return out.read_text(encoding="utf-8")


def parse(text: str) -> bibtexparser.Library:
    lib = bibtexparser.parse_string(text)
    assert lib.failed_blocks == [], [b.error for b in lib.failed_blocks]
    return lib


def write_paper(papers: Path, year: int, pid: str, text: str) -> None:
    path = papers / str(year) / f"{pid}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("format: 2\n" + text, encoding="utf-8")


# The real corpus through the real bibtex -------------------------------------------------------


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
@pytest.mark.parametrize("style", ["plain", "abbrv"])  # abbrv also abbreviates given names (accents included)
def test_whole_corpus_reads_in_bibtex_without_errors_or_warnings(tmp_path, style):
    need_bibtex()
    text = export(ROOT / "papers", tmp_path)
    run = run_bibtex(text, tmp_path / "tex", style)
    assert run.proc.returncode == 0, run
    assert run.errors == 0, run
    assert run.warnings == [], "\n".join(run.warnings)
    # every paper became one formatted reference (none silently dropped)
    n_papers = len(list((ROOT / "papers").glob("*/*.yaml")))
    assert len(run.items) == n_papers
    assert len(set(run.items)) == n_papers


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_every_field_of_the_corpus_has_balanced_braces(tmp_path):
    text = export(ROOT / "papers", tmp_path)
    lib = parse(text)
    assert len(lib.entries) == len(list((ROOT / "papers").glob("*/*.yaml")))
    for e in lib.entries:
        for f in e.fields:
            assert bib.balanced(f.value), f"{e.key}.{f.key} = {f.value!r}"
        assert re.fullmatch(r"[a-z0-9]+", e.key), e.key


# Names, accents, specials ----------------------------------------------------------------------

HARD = """title: "PSPNet & U-Net: 100% of $x_1$ #1 {braces} ~ ^ \\\\ on ADE20K/RGB-D “quoted” – Lovász"
name: Hard
authors: [Marin Oršić, Piotr Dollár, 何恺明, Siniša Šegvić, Jos van der Berg]
year: 2017
venue: cvpr
ids: {doi: 10.1000/a_b%c, arxiv: "1701.00002"}
links: {paper: "https://example.org/a_b?x=1&y=%20#frag"}
"""


def test_names_accents_and_specials_read_as_bibtex_means_them(corpus, tmp_path):
    write_paper(corpus, 2017, "hard", HARD)
    text = export(corpus, tmp_path)
    run = run_bibtex(text, tmp_path / "tex")
    assert run.errors == 0 and run.warnings == [], run
    hard = next(e for e in parse(text).entries if e.key.startswith("orsic"))
    author = hard.fields_dict["author"].value
    # one name per author, accents as braced special characters, Chinese as UTF-8
    assert author.split(" and ") == [
        "Marin Or{\\v{s}}i{\\'c}",
        "Piotr Doll{\\'a}r",
        "何恺明",
        "Sini{\\v{s}}a {\\v{S}}egvi{\\'c}",
        "Jos van der Berg",
    ]
    # plain.bst formats five authors (the last after ", and"), not one corporate name
    block = run.bbl.split("\\bibitem{" + hard.key + "}")[1].split("\\newblock")[0]
    block = " ".join(block.split())
    assert block == (
        "Marin Or{\\v{s}}i{\\'c}, Piotr Doll{\\'a}r, 何恺明, Sini{\\v{s}}a {\\v{S}}egvi{\\'c}, and Jos van~der Berg."
    ), block
    # sorted by the first author's family name, the accent read as one letter: Chen, Long, Oršić, Zhao
    assert run.items == ["chen2018deeplabv3plus", "long2015fcn", hard.key, "zhao2017pspnet"]
    t = hard.fields_dict["title"].value
    assert t.startswith("{PSPNet} \\& {U-Net}: 100\\% of \\$x\\_1\\$ \\#1 {\\textbraceleft}braces{\\textbraceright}")
    assert "{\\textasciitilde} {\\textasciicircum} {\\textbackslash}" in t
    assert "{ADE20K/RGB-D}" in t and "``quoted'' -- Lov{\\'a}sz" in t


def test_titles_keep_their_meaningful_capitals_under_a_sentence_case_style(corpus, tmp_path):
    text = export(corpus, tmp_path)
    run = run_bibtex(text, tmp_path / "tex")
    assert run.errors == 0 and run.warnings == [], run
    # plain.bst lowercases titles; the method name survives because it is protected
    entry = run.bbl.split("\\bibitem{zhao2017pspnet}")[1]
    assert "Pyramid scene parsing network" in entry
    assert bib.title("PSPNet: Pyramid Scene Parsing Network") == "{PSPNet}: Pyramid Scene Parsing Network"
    assert bib.title("U-Net: Convolutional Networks") == "{U-Net}: Convolutional Networks"
    assert bib.title("A 3D Approach, (DeepLabv3+)") == "A {3D} Approach, ({DeepLabv3+})"
    assert bib.title("Real-time segmentation") == "Real-time segmentation"


def test_a_name_holding_the_word_and_stays_one_author():
    assert (
        bib.names(["Research and Development Team", "Ada Lovelace"])
        == "{Research and Development Team} and Ada Lovelace"
    )


# Entries ---------------------------------------------------------------------------------------


def test_published_venue_wins_over_arxiv_with_eprint_doi_and_url(corpus, tmp_path):
    lib = parse(export(corpus, tmp_path))
    e = lib.entries_dict["zhao2017pspnet"]
    assert e.entry_type == "inproceedings"
    f = {k: v.value for k, v in e.fields_dict.items()}
    assert f["booktitle"] == "IEEE/CVF Conference on Computer Vision and Pattern Recognition"
    assert f["author"] == "Hengshuang Zhao and Jianping Shi and Xiaojuan Qi and Xiaogang Wang and Jiaya Jia"
    assert f["title"] == "Pyramid Scene Parsing Network"
    assert f["year"] == "2017"
    assert f["eprint"] == "1612.01105" and f["archiveprefix"] == "arXiv"
    assert f["doi"] == "10.1109/CVPR.2017.660"
    assert f["url"] == "https://arxiv.org/abs/1612.01105"
    assert "journal" not in f and "howpublished" not in f


def test_preprint_is_misc_and_unknown_authors_never_make_an_incomplete_conference_entry(corpus, tmp_path):
    write_paper(
        corpus,
        2019,
        "preprint",
        'title: A Preprint\nauthors: [Ada Lovelace]\nyear: 2019\nvenue: arxiv\nids: {arxiv: "1901.00001"}\n',
    )
    write_paper(corpus, 2019, "anon", "title: Nobody Recorded the Authors\nname: NoAuth\nyear: 2019\nvenue: eccv\n")
    text = export(corpus, tmp_path)
    lib = parse(text)
    pre = lib.entries_dict["lovelace2019preprint"]
    assert pre.entry_type == "misc"
    assert pre.fields_dict["howpublished"].value == "arXiv preprint arXiv:1901.00001"
    anon = next(e for e in lib.entries if e.fields_dict["title"].value == "Nobody Recorded the Authors")
    assert anon.entry_type == "misc"
    assert anon.fields_dict["howpublished"].value == "European Conference on Computer Vision"
    assert anon.fields_dict["key"].value == "NoAuth"
    run = run_bibtex(text, tmp_path / "tex")
    assert run.errors == 0 and run.warnings == [], run


def test_overrides_win_and_keys_stay_unique(corpus, tmp_path):
    write_paper(
        corpus,
        2017,
        "pspnet-twin",
        "title: Pyramid Scene Parsing Network, Again\nname: PSPNet\n"
        "authors: [Hengshuang Zhao]\nyear: 2017\nvenue: cvpr\n",
    )
    write_paper(
        corpus,
        2017,
        "pspnet-triplet",
        "title: Pyramid Scene Parsing Network, Thrice\nname: PSPNet\n"
        "authors: [Hengshuang Zhao]\nyear: 2017\nvenue: cvpr\n",
    )
    override = (corpus / "2015" / "fcn.yaml").read_text() + (
        "bibtex:\n  key: long2015fully\n  type: article\n  fields: {pages: 3431--3440, journal: CVPR, title: '{FCN} Title'}\n"
    )
    (corpus / "2015" / "fcn.yaml").write_text(override)
    lib = parse(export(corpus, tmp_path))
    keys = [e.key for e in lib.entries]
    assert len(keys) == len(set(keys))
    assert {"zhao2017pspneta", "zhao2017pspnetb", "zhao2017pspnetc"} <= set(keys)
    assert "zhao2017pspnet" not in keys  # a collision suffixes every member, so no key silently changes meaning
    fcn = lib.entries_dict["long2015fully"]
    assert fcn.entry_type == "article"
    assert fcn.fields_dict["pages"].value == "3431--3440"
    assert fcn.fields_dict["journal"].value == "CVPR"
    assert fcn.fields_dict["title"].value == "{FCN} Title"


def test_export_selects_by_year(corpus, tmp_path):
    lib = parse(export(corpus, tmp_path, "--year", "2018"))
    assert [e.key for e in lib.entries] == ["chen2018deeplabv3plus"]


# CSL-JSON (Zotero, pandoc) ---------------------------------------------------------------------

CSL_TYPES = {"article", "article-journal", "paper-conference", "book", "chapter", "report", "thesis", "document"}
CSL_KEYS = {
    "id",
    "type",
    "title",
    "author",
    "issued",
    "container-title",
    "DOI",
    "URL",
    "number",
    "volume",
    "issue",
    "page",
    "publisher",
    "genre",
}


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_export_csl_is_csl_json_zotero_and_pandoc_read(tmp_path):
    import json

    out = tmp_path / "papers.csl.json"
    proc = run_cli("export", "csl", "--papers", str(ROOT / "papers"), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    items = json.loads(out.read_text(encoding="utf-8"))
    bib_keys = [e.key for e in parse(export(ROOT / "papers", tmp_path)).entries]
    assert [i["id"] for i in items] == bib_keys  # one citation key for both formats
    for item in items:
        assert set(item) <= CSL_KEYS, item
        assert item["type"] in CSL_TYPES
        assert isinstance(item["title"], str) and item["title"]
        parts = item["issued"]["date-parts"]
        assert len(parts) == 1 and 1 <= len(parts[0]) <= 3 and all(isinstance(x, int) for x in parts[0])
        for name in item.get("author", []):
            assert set(name) in ({"family", "given"}, {"literal"}), name
        if "DOI" in item:
            assert item["DOI"].startswith("10.") and not item["DOI"].startswith("http")
        if "URL" in item:
            assert item["URL"].startswith(("http://", "https://"))
    pspnet = next(i for i in items if i["id"] == "zhao2017pspnet")
    assert pspnet["type"] == "paper-conference"
    assert pspnet["container-title"] == "IEEE/CVF Conference on Computer Vision and Pattern Recognition"
    assert pspnet["author"][0] == {"family": "Zhao", "given": "Hengshuang"}
    assert pspnet["issued"] == {"date-parts": [[2017]]}
