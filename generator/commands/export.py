"""`python -m generator export KIND`: the corpus (or a selection of it) as BibTeX, JSON, CSV, CSL-JSON, or the format's schema."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional

from generator.bib import write as bibtex
from generator.commands.common import emit
from generator.corpus.core import Corpus
from generator.corpus.load import load_corpus
from generator.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from generator.format.convert import hint
from generator.format.model import PaperFile
from generator.format.validate import DEFAULT_ROOT
from generator.render import data


def run(args: argparse.Namespace) -> int:
    if args.kind == "schema":  # the format itself: needs no papers, so a broken corpus does not stop it
        emit(data.schema_json(), args.output, "the paper schema")
        return EXIT_OK
    corpus = load_corpus(Path(args.papers) if args.papers else DEFAULT_ROOT)
    if corpus is None:
        return EXIT_PROBLEMS
    papers = select(corpus, args)
    if papers is None:
        return EXIT_USAGE
    if args.kind == "json":
        text = data.papers_json(papers, corpus)
    elif args.kind == "csv":
        text = data.results_csv(papers, corpus)
    elif args.kind == "csl":
        text = data.csl_json(papers, corpus, bibtex.keys(corpus))
    else:
        keys = bibtex.keys(corpus)
        text = bibtex.write(bibtex.paper_entries(papers, corpus, keys))
    emit(text, args.output, f"{len(papers)} papers")
    return EXIT_OK


def select(corpus: Corpus, args: argparse.Namespace) -> Optional[list[PaperFile]]:
    regs = corpus.registries
    if args.topic and args.topic not in regs.topics:
        print(f"export: unknown topic '{args.topic}'{hint(args.topic, regs.topics)}", file=sys.stderr)
        return None
    if args.dataset and args.dataset not in regs.datasets:
        print(f"export: unknown dataset '{args.dataset}'{hint(args.dataset, regs.datasets)}", file=sys.stderr)
        return None
    out = []
    for pf in corpus.papers:
        p = pf.paper
        if args.year is not None and p.year != args.year:
            continue
        if args.topic and args.topic not in p.topics:
            continue
        if args.dataset and not any(r.dataset == args.dataset for r in p.results):
            continue
        out.append(pf)
    return out
