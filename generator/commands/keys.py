"""`python -m generator keys [--check]`: record the citation key of every paper not yet in
<papers>/citation-keys.tsv (the registry that keeps published keys from changing; generator/bib/keys.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.bib import keys as citekeys
from generator.corpus.load import load_corpus
from generator.errors import EXIT_OK, EXIT_PROBLEMS
from generator.format.validate import DEFAULT_ROOT


def run(args: argparse.Namespace) -> int:
    root = Path(args.papers) if args.papers else DEFAULT_ROOT
    corpus = load_corpus(root)
    if corpus is None:
        return EXIT_PROBLEMS
    path = citekeys.registry_path(root)
    if args.check:
        missing = citekeys.missing(corpus)
        for pid in missing:
            print(
                f"{path}: error: paper '{pid}' has no recorded citation key (run `python -m generator keys`)",
                file=sys.stderr,
            )
        return EXIT_PROBLEMS if missing else EXIT_OK
    added = citekeys.update_registry(corpus, path)
    for pid, key in added:
        print(f"{pid}\t{key}")
    print(f"keys: {len(added)} new key(s) recorded in {path}", file=sys.stderr)
    return EXIT_OK
