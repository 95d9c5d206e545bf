"""Citations as a writer gets them: keys they can guess and that never change, the version of record,
and every format read by a real reader of it (biber for BibLaTeX, bibutils for RIS, pandoc's citeproc for
CSL-JSON, bibtex for BibTeX). The readers are Debian packages (.ci/run installs them): a test skips on a
machine without one, and fails in CI (CI=true)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from helpers import ROOT, run_cli
from test_bibtex import parse, run_bibtex, write_paper

from generator.bib import keys as citekeys
from generator.bib.record import record
from generator.corpus.load import load_corpus
from generator.format.model import PaperFile

PAPERS = ROOT / "papers"
N_PAPERS = len(list(PAPERS.glob("*/*.yaml")))


def need(tool: str, package: str) -> str:
    exe = shutil.which(tool)
    if exe:
        return exe
    if os.environ.get("CI"):
        pytest.fail(f"{tool} is needed in CI (apt-get install {package})")
    pytest.skip(f"{tool} is not installed (apt-get install {package})")


def export(kind: str, out: Path, *args: str, papers: Path = PAPERS) -> str:
    proc = run_cli("export", kind, "--papers", str(papers), "-o", str(out), *args)
    assert proc.returncode == 0, proc.stderr
    return out.read_text(encoding="utf-8")


# Keys -------------------------------------------------------------------------------------------


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_keys_follow_the_documented_policy_so_a_writer_can_guess_them():
    corpus = load_corpus(PAPERS)
    keys = citekeys.corpus_keys(corpus)
    assert keys["deeplabv3"] == "chen2017deeplabv3"
    assert keys["deeplabv3-plus"] == "chen2018deeplabv3plus"  # the + is spelled, so the two never meet
    assert keys["pspnet"] == "zhao2017pspnet"
    assert keys["unet"] == "ronneberger2015unet"
    assert keys["swiftnet"] == "orsic2019swiftnet"  # Oršić: accents dropped
    assert len(set(keys.values())) == len(keys) == N_PAPERS  # two papers never share a key
    assert all(re.fullmatch(r"[a-z0-9]+", k) for k in keys.values())


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_every_paper_of_the_corpus_has_a_recorded_key():
    proc = run_cli("keys", "--check")
    assert proc.returncode == 0, proc.stderr + "\n(run `python -m generator keys` and commit papers/citation-keys.tsv)"


def test_recorded_keys_are_never_changed_or_removed():
    """Every line the registry ever had is still there, unchanged (git history of papers/citation-keys.tsv)."""
    if not (ROOT / ".git").exists() or not shutil.which("git"):
        pytest.skip("not a git checkout")
    log = subprocess.run(
        ["git", "log", "--format=%H", "--", "papers/citation-keys.tsv"], cwd=ROOT, capture_output=True, text=True
    )
    now = citekeys.read_registry(PAPERS / citekeys.REGISTRY)
    for commit in log.stdout.split():
        old = subprocess.run(
            ["git", "show", f"{commit}:papers/citation-keys.tsv"], cwd=ROOT, capture_output=True, text=True
        ).stdout
        tmp = {l.split("\t")[0]: l.split("\t")[1] for l in old.splitlines() if "\t" in l and not l.startswith("#")}
        for pid, key in tmp.items():
            assert now.get(pid) == key, f"{pid}: key {key} (commit {commit[:8]}) became {now.get(pid)}"


def test_a_recorded_key_survives_new_authors_and_is_never_given_to_another_paper(corpus, tmp_path):
    assert run_cli("keys", "--papers", str(corpus)).returncode == 0
    registry = (corpus / "citation-keys.tsv").read_text(encoding="utf-8")
    assert "deeplabv3-plus\tchen2018deeplabv3plus\n" in registry
    # the record changes: another first author, and a second DeepLabv3+ paper of 2018 by Chen arrives
    path = corpus / "2018" / "deeplabv3-plus.yaml"
    path.write_text(path.read_text().replace("[Liang-Chieh Chen,", "[Ada Lovelace, Liang-Chieh Chen,"))
    write_paper(
        corpus,
        2018,
        "deeplabv3-plus-again",
        "title: Again\nname: DeepLabv3+\nauthors: [Liang-Chieh Chen]\nyear: 2018\nvenue: eccv\n",
    )
    lib = parse(export("bibtex", tmp_path / "a.bib", papers=corpus))
    by_title = {e.fields_dict["title"].value: e.key for e in lib.entries}
    assert by_title["Again"] == "chen2018deeplabv3plusa"
    assert "chen2018deeplabv3plus" in lib.entries_dict  # unchanged, and still the same paper
    assert lib.entries_dict["chen2018deeplabv3plus"].fields_dict["author"].value.startswith("Ada Lovelace")
    # removing the paper does not free its key
    path.unlink()
    lib = parse(export("bibtex", tmp_path / "b.bib", papers=corpus))
    assert "chen2018deeplabv3plus" not in lib.entries_dict and "chen2018deeplabv3plusa" in lib.entries_dict
    # `keys` appends, never rewrites
    assert run_cli("keys", "--papers", str(corpus)).returncode == 0
    assert (corpus / "citation-keys.tsv").read_text(encoding="utf-8").startswith(registry)


# The version of record -------------------------------------------------------------------------


def _paper(**kw) -> PaperFile:
    base = dict(
        title="Pyramid Scene Parsing Network",
        name="PSPNet",
        label="PSPNet",
        authors=("Hengshuang Zhao",),
        year=2017,
        date="2016-12",
        venue="arxiv",
        ids=SimpleNamespace(arxiv="1612.01105", doi=None),
        links=None,
        published=None,
    )
    base.update(kw)
    return PaperFile("pspnet", "papers/2016/pspnet.yaml", SimpleNamespace(**base))  # type: ignore[arg-type]


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_the_version_of_record_wins_and_the_preprint_stays_as_eprint():
    corpus = load_corpus(PAPERS)
    pub = SimpleNamespace(
        venue="tpami",
        year=2019,
        volume="41",
        number="12",
        pages="2881--2890",
        doi="10.1109/TPAMI.2019.1",
        publisher="IEEE",
    )
    rec = record(_paper(published=pub), corpus)
    assert (
        rec.kind,
        rec.container,
        rec.year,
        rec.volume,
        rec.number,
        rec.pages,
        rec.doi,
        rec.publisher,
        rec.arxiv,
    ) == (
        "article",
        corpus.registries.venues["tpami"].name.en,
        2019,
        "41",
        "12",
        "2881--2890",
        "10.1109/TPAMI.2019.1",
        "IEEE",
        "1612.01105",
    )
    # venue and year alone (format v1) are a version of record too; an arXiv DOI is not its DOI
    rec = record(_paper(venue="cvpr", ids=SimpleNamespace(arxiv="1612.01105", doi="10.48550/arXiv.1612.01105")), corpus)
    assert rec.kind == "inproceedings" and rec.of_record and rec.doi is None and rec.arxiv == "1612.01105"
    # known only as a preprint: a preprint, honestly
    rec = record(_paper(), corpus)
    assert rec.kind == "preprint" and not rec.of_record and rec.container is None


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_share_of_entries_that_cite_a_version_of_record_is_reported(capsys):
    corpus = load_corpus(PAPERS)
    kinds = [record(pf, corpus).kind for pf in corpus.papers]
    of_record = sum(k in ("article", "inproceedings", "incollection") for k in kinds)
    with capsys.disabled():
        print(
            f"\nversion of record: {of_record}/{len(kinds)} entries; preprints {kinds.count('preprint')}; "
            f"other {len(kinds) - of_record - kinds.count('preprint')}"
        )
    assert of_record > 0


# BibLaTeX: biber ---------------------------------------------------------------------------------


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_biblatex_export_passes_bibers_data_model_validation(tmp_path):
    biber = need("biber", "biber")
    export("biblatex", tmp_path / "refs.bib")
    proc = subprocess.run(
        [biber, "--tool", "--validate-datamodel", "refs.bib"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    problems = [l for l in out.splitlines() if l.startswith(("WARN", "ERROR"))]
    assert problems == [], "\n".join(problems)
    tool = (tmp_path / "refs_bibertool.bib").read_text(encoding="utf-8")
    assert len(re.findall(r"^@", tool, re.M)) == N_PAPERS  # biber read every entry
    block = tool.split("{zhao2017pspnet,")[1].split("\n}")[0].lower()
    assert "booktitle" in block and "eprinttype" in block and "arxiv" in block


def test_biblatex_types_a_preprint_as_online_and_a_published_paper_by_its_venue(corpus, tmp_path):
    write_paper(
        corpus,
        2019,
        "preprint",
        'title: A Preprint\nauthors: [Ada Lovelace]\nyear: 2019\nvenue: arxiv\nids: {arxiv: "1901.00001"}\n',
    )
    lib = parse(export("biblatex", tmp_path / "r.bib", papers=corpus))
    pre = lib.entries_dict["lovelace2019preprint"]
    assert pre.entry_type == "online" and pre.fields_dict["eprinttype"].value == "arxiv"
    psp = lib.entries_dict["zhao2017pspnet"]
    f = {k: v.value for k, v in psp.fields_dict.items()}
    assert psp.entry_type == "inproceedings" and f["date"] == "2017" and f["doi"] == "10.1109/CVPR.2017.660"
    assert f["booktitle"] == "IEEE/CVF Conference on Computer Vision and Pattern Recognition"
    assert f["eprint"] == "1612.01105"


# RIS: bibutils -----------------------------------------------------------------------------------


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_ris_export_is_read_by_bibutils_record_by_record(tmp_path):
    ris2xml = need("ris2xml", "bibutils")
    xml2bib = need("xml2bib", "bibutils")
    ris = export("ris", tmp_path / "refs.ris")
    assert "\r\n" in (tmp_path / "refs.ris").read_bytes().decode("utf-8")
    mods = subprocess.run([ris2xml, str(tmp_path / "refs.ris")], capture_output=True, text=True, timeout=120)
    assert mods.returncode == 0, mods.stderr
    assert "Did not recognize type" not in mods.stderr, mods.stderr
    back = subprocess.run([xml2bib], input=mods.stdout, capture_output=True, text=True, timeout=120)
    assert back.returncode == 0, back.stderr
    entries = {
        m.group(2): (m.group(1), m.group(3))
        for m in re.finditer(r"@(\w+)\{([^,]+),\n(.*?)\n\}", back.stdout.lstrip("\ufeff"), re.S)
    }
    corpus = load_corpus(PAPERS)
    keys = citekeys.corpus_keys(corpus)
    assert len(entries) == N_PAPERS == ris.count("ER  - ")
    for pf in corpus.papers:
        etype, body = entries[keys[pf.id]]
        rec = record(pf, corpus)
        assert etype == {"article": "Article", "inproceedings": "InProceedings", "preprint": "Unpublished"}.get(
            rec.kind, "Misc"
        ), (pf.id, etype)
        assert f'year="{rec.year}"' in body
        assert body.count("\nand ") + (1 if "author=" in body else 0) == len(rec.authors), pf.id
        if rec.container:
            assert rec.container in body, (pf.id, body)
        if rec.doi:
            assert f'doi="{rec.doi}"' in body


# CSL-JSON: pandoc's citeproc ---------------------------------------------------------------------


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_csl_json_renders_as_a_reference_list_with_pandoc_citeproc(tmp_path):
    pandoc = need("pandoc", "pandoc")
    items = json.loads(export("csl", tmp_path / "refs.json"))
    (tmp_path / "doc.md").write_text("---\nnocite: '@*'\n---\n\n# References\n", encoding="utf-8")
    proc = subprocess.run(
        [pandoc, "doc.md", "--citeproc", "--bibliography", "refs.json", "-t", "plain", "--wrap", "none"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "[WARNING]" not in proc.stderr, proc.stderr
    lines = [l for l in proc.stdout.splitlines() if l.strip() and l.strip() != "References"]
    assert len(lines) == len(items) == N_PAPERS  # one formatted reference per paper (Chicago author-date)
    text = proc.stdout
    assert "Zhao, Hengshuang, Jianping Shi" in text and "Pyramid Scene Parsing Network" in text
    assert "IEEE/CVF Conference on Computer Vision and Pattern Recognition" in text
    for item in items:  # the style changes the case of titles, never their words
        assert item["title"].split()[0].casefold() in text.replace("\u2019", "'").casefold(), item["title"]


# Selections ---------------------------------------------------------------------------------------


def _csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_dataset_selects_results_not_papers_and_the_csv_has_the_cite_key(tmp_path):
    rows = _csv(export("csv", tmp_path / "c.csv", "--dataset", "cityscapes"))
    assert rows and {r["dataset"] for r in rows} == {"cityscapes"}
    bib = parse(export("bibtex", tmp_path / "c.bib", "--dataset", "cityscapes"))
    assert {r["cite_key"] for r in rows} == set(bib.entries_dict)  # every row's \cite resolves in the .bib beside it


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_board_and_result_select_results(tmp_path):
    rows = _csv(export("csv", tmp_path / "b.csv", "--board", "cityscapes-test"))
    assert rows and {(r["dataset"], r["split"]) for r in rows} == {("cityscapes", "test")}
    rows = _csv(export("csv", tmp_path / "r.csv", "--result", "pspnet#1"))
    assert {r["paper_id"] for r in rows} == {"pspnet"} and len(
        {(r["dataset"], r["split"], r["model"]) for r in rows}
    ) == 1
    proc = run_cli("export", "csv", "--board", "cityscape-test")
    assert proc.returncode == 2 and "did you mean 'cityscapes-test'" in proc.stderr


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_as_of_keeps_what_was_public_by_the_date(corpus, tmp_path):
    bib = parse(export("bibtex", tmp_path / "a.bib", "--as-of", "2016-12-31", papers=corpus))
    # PSPNet (first public 2016-12-04, cited as CVPR 2017) is in, FCN (2015) too, DeepLabv3+ (2018) is not
    assert set(bib.entries_dict) == {"zhao2017pspnet", "long2015fcn"}
    bib = parse(export("bibtex", tmp_path / "b.bib", "--as-of", "2016-11", papers=corpus))
    assert set(bib.entries_dict) == {"long2015fcn"}
    # a paper with only a year counts from 31 December; one with a date, from that date (a preprint of
    # 2016 cited as its 2017 version is in)
    papers = json.loads(export("json", tmp_path / "c.json", "--as-of", "2016"))
    assert papers and all((p["date"] <= "2016-12-31") if p.get("date") else p["year"] <= 2016 for p in papers)
    assert max(p["year"] for p in papers if not p.get("date")) == 2016
    proc = run_cli("export", "bibtex", "--as-of", "2016-13")
    assert proc.returncode == 2 and "not a date" in proc.stderr


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_exports_of_a_board_and_a_year_merge_without_repeated_entries(tmp_path):
    board = export("bibtex", tmp_path / "board.bib", "--board", "cityscapes-test")
    year = export("bibtex", tmp_path / "year.bib", "--year", "2017")
    blocks = [b.strip() for b in re.split(r"\n(?=@)", board + "\n" + year) if b.strip()]
    by_key: dict[str, set[str]] = {}
    for b in blocks:
        by_key.setdefault(re.match(r"@\w+\{([^,]+),", b).group(1), set()).add(b)
    in_board = set(re.findall(r"^@\w+\{([^,]+),", board, re.M))
    shared = in_board & set(re.findall(r"^@\w+\{([^,]+),", year, re.M))
    assert shared, "the two selections should share papers for this test to mean anything"
    assert all(len(texts) == 1 for texts in by_key.values())  # the same key is the same text in every export
    for text in (board, year):
        keys = re.findall(r"^@\w+\{([^,]+),", text, re.M)
        assert len(keys) == len(set(keys))  # each entry once per file
    merged = "\n\n".join(sorted({t for texts in by_key.values() for t in texts})) + "\n"  # a de-duplicating merge
    run = run_bibtex(merged, tmp_path / "tex")
    assert run.errors == 0 and run.warnings == [] and "Repeated entry" not in run.blg, run
