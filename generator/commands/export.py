"""`python -m generator export KIND`: the corpus, or a selection of it (generator/render/select.py), as
BibTeX, BibLaTeX, RIS, CSL-JSON, JSON, CSV, a SQLite database, a LaTeX table, or the format's schema."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.bib import biblatex, ris
from generator.bib import write as bibtex
from generator.commands.common import emit
from generator.corpus.load import load_corpus
from generator.errors import EXIT_OK, EXIT_PROBLEMS, UsageError
from generator.format.validate import DEFAULT_ROOT
from generator.render import data
from generator.render.select import Query, parse_date, select


def run(args: argparse.Namespace) -> int:
    if args.kind == "schema":  # the format itself: needs no papers, so a broken corpus does not stop it
        emit(data.schema_json(), args.output, "the paper schema")
        return EXIT_OK
    root = Path(args.papers) if args.papers else DEFAULT_ROOT
    query = Query(
        year=args.year,
        topic=args.topic,
        dataset=args.dataset,
        boards=tuple(args.board or ()),
        results=tuple(args.result or ()),
        as_of=parse_date(args.as_of) if args.as_of else None,
        peer_reviewed=args.peer_reviewed,
    )
    corpus = load_corpus(root)
    if corpus is None:
        return EXIT_PROBLEMS
    sel = select(corpus, query)
    keys = bibtex.keys(corpus)
    papers = sel.papers
    if args.kind == "latex":
        from generator.commands import export_latex

        return export_latex.run(args, corpus, sel, keys)
    if args.kind == "sqlite":
        if not args.output:
            raise UsageError("export sqlite needs -o FILE (a database is not written to standard output)")
        from generator.render import sqlite

        sqlite.write(Path(args.output), corpus, sel, keys)
        print(f"wrote {len(papers)} papers and {len(sel.results)} results to {args.output}", file=sys.stderr)
        return EXIT_OK
    if args.kind == "json":
        text = data.papers_json(papers, corpus)
    elif args.kind == "csv":
        text = data.results_csv(papers, corpus, keys, sel.results)
    elif args.kind == "csl":
        text = data.csl_json(papers, corpus, keys)
    elif args.kind == "biblatex":
        text = biblatex.biblatex(papers, corpus, keys)
    elif args.kind == "ris":
        text = ris.ris(papers, corpus, keys)
    else:
        text = bibtex.write(bibtex.paper_entries(papers, corpus, keys))
    emit(text, args.output, f"{len(papers)} papers")
    return EXIT_OK
