"""`python -m generator.importers.run --data DIR --out DIR`: every public source read, merged, written.

Reads the OpenCodePapers leaderboards (through sources/leaderboards.yaml), the model-zoo readers where
`generator.importers.zoo` is present, and the real BibTeX files; merges them with the existing papers
(migrated to format 2, their results kept as they are) and writes out/<year>/<id>.yaml and out/report.txt.
Nothing in papers/ is changed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional, Sequence

from . import bibliography, leaderboard, merge
from generator.importers import zoo
from .records import Row, Skipped

REPO = Path(__file__).resolve().parents[2]


def leaderboard_rows(data: Path, mapping_path: Path) -> tuple[list[Row], list[Skipped]]:
    mapping = leaderboard.load_mapping(mapping_path)
    rows: list[Row] = []
    skipped: list[Skipped] = []
    for path in sorted((data / "leaderboards" / "opencodepapers").glob("*.json")):
        r, s = leaderboard.read(path, mapping)
        rows += r
        skipped += s
    return rows, skipped


def zoo_rows(data: Path, sources: Path) -> tuple[list[Row], list[Skipped], str]:
    """Rows of the model-zoo readers (metafiles, zoo tables, READMEs), as sources/model-zoos/ maps them."""
    rows, skipped = zoo.read_all(data, sources)
    return list(rows), list(skipped), f"model-zoo rows: {len(rows)}"


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m generator.importers.run", description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, type=Path, help="the shared data folder (leaderboards/, real-bib/)")
    ap.add_argument("--out", required=True, type=Path, help="output folder (paper files and report.txt)")
    ap.add_argument("--papers", type=Path, default=REPO / "papers", help="the existing corpus")
    ap.add_argument("--mapping", type=Path, default=REPO / "sources" / "leaderboards.yaml")
    args = ap.parse_args(argv)

    rows, skipped = leaderboard_rows(args.data, args.mapping)
    lb_count = len(rows)
    z_rows, z_skipped, z_message = zoo_rows(args.data, REPO / "sources")
    print(z_message, file=sys.stderr)
    venues = bibliography.load_venues(args.papers)
    records, b_skipped = bibliography.read_all(args.data / "real-bib", venues)
    existing = merge.load_existing(args.papers)
    papers, report = merge.merge(
        existing, [*rows, *z_rows], records, [*skipped, *z_skipped, *b_skipped], add_records=True
    )

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*/*.yaml"):  # a preview is written afresh
        old.unlink()
    merge.write(papers, out)
    with_authors = sum(1 for p in papers if p.data.get("authors"))
    head = [
        f"existing papers: {len(existing)}",
        f"leaderboard rows: {lb_count}",
        z_message,
        f"bibliography records: {len(records)}",
        f"papers written: {len(papers)}",
        f"papers with authors: {with_authors} of {len(papers)} ({100 * with_authors / max(len(papers), 1):.0f}%)",
        f"results written: {sum(len(p.data.get('results') or []) for p in papers)}",
    ]
    (out / "report.txt").write_text("\n".join(head) + "\n" + report.text(), encoding="utf-8")
    print("\n".join(head), file=sys.stderr)
    print(f"wrote {len(papers)} papers and report.txt to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
