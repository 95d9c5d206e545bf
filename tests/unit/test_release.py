"""A citable, dated survey: CITATION.cff as a CFF validator reads it, and the SQLite dump a release
attaches, as `sqlite3` (Debian sqlite3) opens it."""

from __future__ import annotations

import csv
import io
import os
import subprocess
from pathlib import Path

import pytest

from helpers import ROOT, run_cli
from test_citations import need

from generator.corpus.load import load_corpus


def citation(text: str):
    try:
        from cffconvert import Citation
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("cffconvert is needed in CI (make installs requirements-cff.txt)")
        pytest.skip("cffconvert is not installed (pip install --no-deps -r requirements-cff.txt)")
    return Citation(text)


def test_citation_cff_is_valid_and_names_the_version():
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    c = citation(text)
    c.validate()  # raises on any schema error
    version = next(
        line.split(":", 1)[1].strip().strip('"') for line in text.splitlines() if line.startswith("version:")
    )
    assert version == next(
        line.split("=", 1)[1].strip().strip('"')
        for line in (ROOT / "pyproject.toml").read_text().splitlines()
        if line.startswith("version")
    )
    assert "@" in c.as_bibtex() and "Semantic Segmentation Survey" in c.as_bibtex()


def test_the_validator_refuses_a_broken_citation_file():
    bad = (ROOT / "CITATION.cff").read_text(encoding="utf-8").replace("authors:", "author:")
    with pytest.raises(Exception, match="authors|author"):
        citation(bad).validate()


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_sqlite_dump_has_one_table_per_kind_and_opens_in_sqlite3(tmp_path):
    sqlite3 = need("sqlite3", "sqlite3")
    db = tmp_path / "survey.sqlite"
    proc = run_cli("export", "sqlite", "-o", str(db))
    assert proc.returncode == 0, proc.stderr
    q = lambda sql: subprocess.run([sqlite3, "-csv", str(db), sql], capture_output=True, text=True, timeout=60)  # noqa: E731
    tables = q("select name from sqlite_master where type='table' order by name").stdout.split()
    assert tables == ["papers", "results", "sources"]
    corpus = load_corpus(ROOT / "papers")
    assert int(q("select count(*) from papers").stdout) == len(corpus.papers)
    assert q("PRAGMA foreign_key_check").stdout == ""  # every result's paper and source is there
    # the same rows as the CSV export, numbers as published
    rows = list(csv.DictReader(io.StringIO(run_cli("export", "csv", "--board", "cityscapes-test").stdout)))
    got = q(
        "select paper_id, result_id, metric, value from results where board='cityscapes-test' "
        "order by paper_id, result_id, metric"
    ).stdout.split()
    want = sorted(f"{r['paper_id']},{r['result_id']},{r['metric']},{r['value']}" for r in rows)
    assert sorted(got) == want
    best = q("select model, value from results where board='cityscapes-test' and rank=1").stdout.strip()
    board = corpus.board_by_slug["cityscapes-test"]
    assert best.endswith(str(board.best.score)) if board.best else best == ""
    assert run_cli("export", "sqlite").returncode == 2  # a database needs a file


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_every_export_takes_as_of(tmp_path):
    for kind in ("bibtex", "biblatex", "ris", "csl", "json", "csv", "sqlite"):
        out = tmp_path / f"x.{kind}"
        proc = run_cli("export", kind, "--as-of", "2016", "-o", str(out))
        assert proc.returncode == 0 and Path(out).exists(), (kind, proc.stderr)
