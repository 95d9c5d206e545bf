"""Every imported source file is checked the way the seeds are: each of its rows (that the import did not
skip, with its reason) is in `python -m generator export json` with the same value, on the right board
(task, dataset, split), citing that file (at its commit) and that row.

The rows come from the importers' own readers over ../shared/data/ (SURVEY_SHARED_DATA names another
folder); without the data the test skips on a developer's machine and fails when `CI` is set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # imports the whole public record (12 s before the first test): `make test`

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("SURVEY_SHARED_DATA") or ROOT.parent / "shared" / "data")
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="module")
def imported():
    if not DATA.is_dir():
        if IN_CI:
            pytest.fail(f"shared data not found at {DATA} (CI is set)")
        pytest.skip(f"shared data not found at {DATA} (SURVEY_SHARED_DATA names it)")
    from generator.importers import bibliography, merge, run

    rows, skipped = run.leaderboard_rows(DATA, ROOT / "sources" / "leaderboards.yaml")
    z_rows, z_skipped, _ = run.zoo_rows(DATA, ROOT / "sources")
    records, _ = bibliography.read_all(DATA / "real-bib", bibliography.load_venues(ROOT / "papers"))
    # what the merge itself skipped (a row naming no paper, a paper no source gives a year), by source
    _, report = merge.merge(merge.load_existing(ROOT / "papers"), [*rows, *z_rows], records, add_records=True)
    return [*rows, *z_rows], {(s.source, s.locator) for s in report.skipped}


@pytest.fixture(scope="module")
def exported():
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "export", "json"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    by_place: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for paper in json.loads(proc.stdout):
        for r in paper.get("results") or []:
            for cite in [r["source"], *r.get("also", [])]:
                by_place[(cite["url"], cite.get("locator") or "")].append(r)
    return by_place


def test_every_imported_row_is_in_the_export_with_its_value_on_its_board(imported, exported):
    rows, merge_skipped = imported
    checked = 0
    missing = []
    for row in rows:
        if (row.source.key, row.locator) in merge_skipped or (row.source.url, row.locator) in merge_skipped:
            continue
        found = [
            r
            for r in exported.get((row.source.url, row.locator), [])
            if (r.get("task"), r["dataset"], r["split"])
            == (row.task or "semantic-segmentation", row.dataset, row.split)
            and all(m in r["metrics"] and Decimal(str(r["metrics"][m])) == v for m, v in row.metrics.items())
        ]
        checked += 1
        if not found:
            missing.append(f"{row.source.url} {row.locator}: {row.dataset}/{row.split} {dict(row.metrics)}")
    assert not missing, f"{len(missing)} of {checked} imported rows are not in export json:\n" + "\n".join(missing[:20])
    assert checked >= 2000


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_the_targets_of_the_public_record(exported):
    boards = defaultdict(int)
    years = set()
    for (_, _), results in exported.items():
        for r in results:
            boards[(r["dataset"], r["split"])] += 1
    for board in [
        ("cityscapes", "val"),
        ("cityscapes", "test"),
        ("ade20k", "val"),
        ("ade20k", "test"),
        ("pascal-voc-2012", "test"),
        ("pascal-context", "unspecified"),
        ("coco-stuff", "test"),
        ("camvid", "unspecified"),
    ]:
        assert boards[board] > 0, board
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "export", "json"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    papers = json.loads(proc.stdout)
    years = {p["year"] for p in papers if p.get("results")}
    assert len(papers) >= 350 and sum(len(p.get("results") or []) for p in papers) >= 2000
    assert max(years) >= 2025


def test_every_author_list_a_source_gives_is_on_its_paper(imported):
    """A source row that names its paper's authors (OpenCodePapers' `p.authors`, a model zoo's citation)
    leaves no paper of the corpus without authors; papers no file of the public record gives authors for
    stay without (never guessed)."""
    import re

    import yaml

    rows, _ = imported

    def fold(t):
        return re.sub(r"[^a-z0-9]", "", (t or "").casefold())

    by_arxiv, by_title = {}, {}
    for path in sorted((ROOT / "papers").glob("[0-9]*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        arxiv = (data.get("ids") or {}).get("arxiv")
        if arxiv:
            by_arxiv[str(arxiv)] = (path.name, data.get("authors"))
        by_title[fold(data.get("title"))] = (path.name, data.get("authors"))
    with_authors = [row.paper for row in rows if row.paper.authors]
    assert len(with_authors) > 200  # the leaderboards do give authors
    missing = set()
    for ref in with_authors:
        found = by_arxiv.get(ref.arxiv or "") or by_title.get(fold(ref.title))
        if found and not found[1]:
            missing.add(found[0])
    assert missing == set()
