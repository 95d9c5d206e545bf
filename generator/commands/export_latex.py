"""`python -m generator export latex`: a booktabs table of a board (--board) or of chosen methods across
benchmarks (--method ...), and the .bib of the papers it cites beside it (generator/render/latex.py)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Mapping

from generator.config import SiteConfig
from generator.corpus.core import Corpus
from generator.errors import EXIT_OK, UsageError
from generator.format.convert import hint
from generator.render import latex, routes
from generator.render.select import Selection, check_board


def site_url(root: Path) -> str:
    return SiteConfig.from_env(papers=root).site_url if os.environ.get("SITE_URL") else "http://127.0.0.1:8000/"


def run(args: argparse.Namespace, corpus: Corpus, sel: Selection, keys: Mapping[str, str]) -> int:
    root = corpus.root or Path("papers")
    snapshot = latex.Snapshot.of(root, sel_as_of(args))
    out = Path(args.output) if args.output else None
    bib_name = out.stem if out else "refs"
    base = site_url(root)
    metrics = tuple(m.strip() for m in (args.metrics or "").split(",") if m.strip())
    for m in metrics:
        if m not in corpus.registries.metrics:
            raise UsageError(f"--metrics: unknown metric '{m}'{hint(m, corpus.registries.metrics)}")
    if args.method:
        missing = [m for m in args.method if m not in corpus.by_id]
        if missing:
            raise UsageError(f"--method: unknown paper '{missing[0]}'{hint(missing[0], corpus.by_id)}")
        methods = [corpus.by_id[m] for m in args.method]
        boards = (
            [check_board(corpus, b) for b in args.board]
            if args.board
            else [
                b
                for b in corpus.boards
                if b.task == corpus.default_task
                and b.split != "unspecified"
                and any(
                    (pf.id, r.index) in sel.results and r.score is not None
                    for pf in methods
                    for r in b.rows
                    if r.paper.id == pf.id
                )
            ]
        )
        table = latex.methods_table(
            corpus,
            methods,
            boards,
            sel,
            keys,
            lang=args.lang,
            snapshot=snapshot,
            url=f"{base}{args.lang}/{routes.page('compare')}",
            fragment=args.fragment,
            bib_name=bib_name,
            comparable=args.comparable,
        )
    else:
        if not args.board or len(args.board) != 1:
            raise UsageError(
                "export latex needs one --board B (a leaderboard), or --method PAPER ... (methods across benchmarks)"
            )
        board = check_board(corpus, args.board[0])
        table = latex.board_table(
            corpus,
            board,
            sel,
            keys,
            lang=args.lang,
            top=args.top,
            metrics=metrics,
            comparable=args.comparable,
            peer_reviewed=args.peer_reviewed,
            snapshot=snapshot,
            url=f"{base}{args.lang}/{routes.board(board.slug)}",
            fragment=args.fragment,
            bib_name=bib_name,
        )
    if not table.papers:
        print(
            "export latex: no result is left in the table (with --comparable: no result of the board states both its "
            "test-time augmentation and its training data)",
            file=sys.stderr,
        )
    bib = latex.table_bib(corpus, table, keys)
    if out is None:
        sys.stdout.write(table.tex)
        print("export latex: the .bib is written beside the table with -o FILE.tex", file=sys.stderr)
        return EXIT_OK
    out.write_text(table.tex, encoding="utf-8")
    out.with_suffix(".bib").write_text(bib, encoding="utf-8")
    print(f"wrote {out} and {out.with_suffix('.bib')} ({len(table.papers)} papers cited)", file=sys.stderr)
    return EXIT_OK


def sel_as_of(args: argparse.Namespace):
    from generator.render.select import parse_date

    return parse_date(args.as_of) if args.as_of else None
