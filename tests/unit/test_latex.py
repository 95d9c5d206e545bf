"""`export latex`: the table a writer puts in a paper, compiled as they would compile it (pdflatex + bibtex,
xelatex for Chinese), its numbers read back from the PDF (pdftotext) and compared with the board.

Needs Debian texlive-latex-base, texlive-latex-recommended (booktabs), texlive-xetex, texlive-lang-chinese
(ctex) and poppler-utils: a test skips without them, and fails in CI (CI=true), where .ci/run installs them.
"""

from __future__ import annotations

import re

import pytest
import subprocess
from pathlib import Path

from helpers import ROOT, run_cli
from test_citations import need

from generator.corpus.load import load_corpus

PAPERS = ROOT / "papers"


def compile_tex(path: Path, engine: str = "pdflatex") -> str:
    """engine, bibtex, engine, engine — as the file's first line says; the text of the PDF (pdftotext)."""
    exe = need(engine, "texlive-xetex" if engine == "xelatex" else "texlive-latex-base")
    bibtex = need("bibtex", "texlive-binaries")
    pdftotext = need("pdftotext", "poppler-utils")
    work, stem = path.parent, path.stem
    run = lambda *cmd: subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=600)  # noqa: E731
    first = run(exe, "-interaction=nonstopmode", "-halt-on-error", path.name)
    assert first.returncode == 0, first.stdout[-3000:]
    bib = run(bibtex, stem)
    blg = (work / f"{stem}.blg").read_text(encoding="utf-8")
    assert bib.returncode == 0 and "error message" not in blg and "Warning--" not in blg, blg
    for _ in range(2):
        last = run(exe, "-interaction=nonstopmode", "-halt-on-error", path.name)
        assert last.returncode == 0, last.stdout[-3000:]
    log = (work / f"{stem}.log").read_text(encoding="utf-8", errors="replace")
    assert not re.search(r"^! ", log, re.M), log[-3000:]
    assert "undefined" not in log.lower(), [
        l for l in log.splitlines() if "undefined" in l.lower()
    ]  # every \cite resolved
    assert "Rerun to get" not in log
    text = subprocess.run(
        [pdftotext, "-layout", f"{stem}.pdf", "-"], cwd=work, capture_output=True, text=True, timeout=120
    )
    assert text.returncode == 0, text.stderr
    return text.stdout


def export(tmp_path: Path, name: str, *args: str, papers: Path = PAPERS) -> tuple[str, str]:
    out = tmp_path / f"{name}.tex"
    proc = run_cli("export", "latex", "--papers", str(papers), "-o", str(out), *args)
    assert proc.returncode == 0, proc.stderr
    return out.read_text(encoding="utf-8"), (tmp_path / f"{name}.bib").read_text(encoding="utf-8")


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_a_board_table_compiles_and_its_pdf_shows_the_boards_numbers(tmp_path, capsys):
    tex, bib = export(tmp_path, "cityscapes", "--board", "cityscapes-test", "--top", "10")
    assert "\\toprule" in tex and "\\midrule" in tex and "\\bottomrule" in tex
    cites = re.findall(r"\\cite\{([^}]+)\}", tex)
    # ten rows and the board itself (the caption cites it); the .bib is exactly what is cited
    assert len(cites) == 11 and "board-cityscapes-test" in cites
    assert set(cites) == set(re.findall(r"^@\w+\{([^,]+),", bib, re.M))
    text = compile_tex(tmp_path / "cityscapes.tex")
    with capsys.disabled():
        print("\n--- pdftotext of the exported table ---\n" + text.split("References")[0].rstrip() + "\n---")
    board = load_corpus(PAPERS).board_by_slug["cityscapes-test"]
    expected = [str(r.score) for r in board.ranked[:10]]
    rows = [l for l in text.splitlines() if re.match(r"\s*\d+\s{2,}", l)]
    got = [l.split()[-1] for l in rows][:10]
    assert got == expected  # the same numbers, in the same order, as the board (never rounded)
    caption = " ".join(text.split("Table 1:")[1].split(" # ")[0].split())
    assert "Cityscapes test (mIoU): the top 10 results" in caption
    assert "/en/leaderboards/cityscapes-test/" in caption.replace(" ", "")
    source = re.search(r"\\caption\{(.*)\}", tex).group(1)  # what the data is: its commit and date (or an as-of date)
    assert re.search(r"data of commit [0-9a-f]{7,} \(\d{4}-\d{2}-\d{2}\)|data of \d{4}-\d{2}-\d{2}", source)
    assert "References" in text


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_the_chinese_table_compiles_with_xelatex_and_ctex(tmp_path):
    tex, _ = export(tmp_path, "zh", "--board", "cityscapes-test", "--top", "5", "--lang", "zh")
    assert "\\documentclass{ctexart}" in tex
    text = compile_tex(tmp_path / "zh.tex", "xelatex")
    assert "方法" in text and "前 5 名结果" in text.replace("\n", "")
    assert "参考文献" in text


def test_as_of_peer_reviewed_metrics_and_the_fragment(corpus, tmp_path):
    tex, bib = export(tmp_path, "f", "--board", "cityscapes-test", "--as-of", "2017-06", "--fragment", papers=corpus)
    assert "\\documentclass" not in tex and tex.count("\\begin{table}") == 1
    assert "as of 2017-06-30" in tex and "deeplabv3plus" not in bib and "zhao2017pspnet" in bib
    tex, _ = export(tmp_path, "m", "--board", "cityscapes-test", "--metrics", "mIoU,fps", papers=corpus)
    assert "mIoU (\\%) & FPS" in tex
    tex, _ = export(tmp_path, "p", "--board", "cityscapes-test", "--peer-reviewed", papers=corpus)
    assert "Peer-reviewed venues only." in tex
    proc = run_cli("export", "latex", "--papers", str(corpus), "--board", "cityscapes-test", "--metrics", "miou")
    assert proc.returncode == 2 and "did you mean 'mIoU'" in proc.stderr


def test_comparable_keeps_only_results_measured_like_the_best(corpus, tmp_path):
    path = corpus / "2017" / "pspnet.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "    source: fixture-note\n",
        "    source: fixture-note\n    training: {extra_data: false}\n    evaluation: {mode: multi-scale}\n",
        1,
    )
    text = text.replace(
        "    source: fixture-leaderboard\n",
        "    source: fixture-leaderboard\n    training: {extra_data: false}\n"
        "    evaluation: {mode: single-scale, flip: false}\n",
        1,
    )
    path.write_text(text, encoding="utf-8")
    tex, _ = export(tmp_path, "c", "--board", "cityscapes-test", "--comparable", papers=corpus)
    body = tex.split("\\midrule")[1].split("\\bottomrule")[0]
    assert "81.2" in body and "78.4" not in body and "80.2" not in body  # the multi-scale own-data one only
    assert "multi-scale or flipped testing, trained on the dataset's own data" in tex


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_methods_across_benchmarks_compile(tmp_path):
    tex, bib = export(tmp_path, "methods", "--method", "pspnet", "--method", "deeplabv3-plus", "--method", "fcn")
    text = compile_tex(tmp_path / "methods.tex")
    assert "PSPNet" in text and "DeepLabv3+" in text and "FCN" in text
    assert set(re.findall(r"\\cite\{([^}]+)\}", tex)) == {"zhao2017pspnet", "chen2018deeplabv3plus", "long2015fcn"}
