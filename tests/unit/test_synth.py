"""The benchmark's synthetic corpus (benchmarks/synth.py) is in the current paper format: `make bench`
measures a corpus that the validator accepts, not one it rejects on the first file."""

import pytest
import subprocess
import sys

from helpers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_a_synthetic_corpus_validates_without_errors(tmp_path):
    out = synth.generate(60, tmp_path / "papers", seed=9)
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "validate", str(out)], cwd=ROOT, capture_output=True, text=True
    )
    errors = [line for line in proc.stdout.splitlines() + proc.stderr.splitlines() if ": error:" in line]
    assert proc.returncode == 0 and errors == [], errors[:5]
    assert "ok: 60 papers" in proc.stderr + proc.stdout
    files = sorted(out.glob("*/*.yaml"))
    assert any("sources:" in f.read_text(encoding="utf-8") for f in files)


def test_the_benchmarks_reference_pages_are_written_from_a_synthetic_corpus(tmp_path):
    import yaml

    import bench

    out = synth.generate(20, tmp_path / "papers", seed=3)
    papers = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in sorted(out.glob("*/*.yaml"))]
    with_results = [p for p in papers if p.get("results")]
    page = bench.reference_page(with_results[0], "en")
    first = with_results[0]["results"][0]
    assert with_results[0]["sources"][first["source"]]["url"] in page
