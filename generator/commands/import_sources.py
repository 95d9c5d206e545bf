"""`python -m generator import leaderboard|model-index|table|bibtex ...`: the public record into papers/.

    import leaderboard FILE ...          OpenCodePapers (Papers with Code) benchmark JSON, mapped to
                                         datasets, splits and metrics by sources/leaderboards.yaml
    import model-index PATH ...          OpenMMLab metafiles (a configs/ folder or metafile.yaml), mapped
                                         by the OpenMMLab mapping in sources/model-zoos/ (open-mmlab+*.yaml)
    import table FILE --mapping MAP      the Markdown tables of a model zoo's README, as MAP says
    import bibtex FILE [--update]        see generator/commands/import_bibtex.py

Each reports what it added, matched, enriched (fields filled), skipped and why. Papers already in the
folder are matched by arXiv id, DOI, then folded title; a row already present adds nothing, so importing
the same file twice changes nothing. The folder as it would be afterwards is validated first (in a
scratch copy): when it would not validate, its problems are printed and nothing is written (exit 1).
A file the mapping does not cover, or a board or column it does not map, is an error naming it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from generator.errors import EXIT_PROBLEMS, EXIT_USAGE, UsageError

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO / "sources"


def run(args: argparse.Namespace) -> int:
    if args.kind == "bibtex":
        from generator.commands import import_bibtex

        if len(args.files) != 1:
            print("import bibtex: give one BibTeX file", file=sys.stderr)
            return EXIT_USAGE
        args.file = args.files[0]
        return import_bibtex.run(args)
    if args.update:
        print(f"import {args.kind}: --update is for bibtex (rows always fill missing fields)", file=sys.stderr)
        return EXIT_USAGE
    return import_rows(args)


def import_rows(args: argparse.Namespace) -> int:
    from generator.commands.common import apply_import, validated
    from generator.format.validate import DEFAULT_ROOT, is_papers_folder
    from generator.importers.zoocommon import MappingError

    root = Path(args.papers) if args.papers else DEFAULT_ROOT
    name = f"import {args.kind}"
    if not is_papers_folder(root):
        print(f"{name}: no papers folder at {root} (looked for {root}/datasets.yaml)", file=sys.stderr)
        return EXIT_USAGE
    for f in args.files:
        if not Path(f).exists():
            print(f"{name}: no such file: {f}", file=sys.stderr)
            return EXIT_USAGE
    reader = READERS[args.kind]
    try:
        rows, skipped = reader(args)
    except UsageProblem as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (MappingError, ValueError, KeyError, OSError) as exc:
        # a board, column, table or file the mapping does not cover: named, nothing guessed or written
        print(f"{name}: error: {exc}; nothing written", file=sys.stderr)
        return EXIT_PROBLEMS
    if validated(root, name, "importing") is None:
        return EXIT_PROBLEMS
    return apply_import(root, rows, (), skipped, name, args.dry_run)


class UsageProblem(Exception):
    pass


def _backbones():
    from generator.importers.zoocommon import Backbones

    return Backbones.from_file(SOURCES / "backbones.yaml")


def read_leaderboards(args: argparse.Namespace):
    from generator.importers import leaderboard

    mapping = leaderboard.load_mapping(Path(args.mapping) if args.mapping else SOURCES / "leaderboards.yaml")
    rows, skipped = [], []
    for f in args.files:
        r, s = leaderboard.read(Path(f), mapping)
        rows += r
        skipped += s
    return rows, skipped


def read_model_index(args: argparse.Namespace):
    from generator.importers import modelindex
    from generator.importers.zoocommon import load_yaml

    if args.mapping:
        mapping_file = Path(args.mapping)
    else:
        found = sorted((SOURCES / "model-zoos").glob("open-mmlab+*.yaml"))
        if len(found) != 1:
            raise UsageError(
                f"name the metafiles' mapping with --mapping ({len(found)} OpenMMLab mappings in sources/model-zoos/)"
            )
        mapping_file = found[0]
    mapping = load_yaml(mapping_file)
    rows, skipped = [], []
    for f in args.files:
        r, s = modelindex.read(Path(f), mapping, _backbones())
        rows += r
        skipped += s
    return rows, skipped


def read_table(args: argparse.Namespace):
    """FILE is a README of the repository the mapping is for; the mapping's `files` says which one it is
    (the FILE's path ends with that key) and how its tables read."""
    from generator.importers import tables
    from generator.importers.zoocommon import load_yaml

    if not args.mapping:
        raise UsageProblem("give the mapping file with --mapping (e.g. sources/model-zoos/<owner>+<repo>.yaml)")
    mapping = load_yaml(Path(args.mapping))
    rows, skipped = [], []
    for f in args.files:
        path = Path(f).resolve()
        keys = [rel for rel in mapping.get("files", {}) if path.as_posix().endswith("/" + rel)]
        if not keys:
            raise UsageProblem(f"{f} is none of the files of {args.mapping} ({', '.join(mapping.get('files', {}))})")
        rel = max(keys, key=len)
        repo_dir = Path(path.as_posix()[: -len(rel) - 1])
        one = {**mapping, "files": {rel: mapping["files"][rel]}}
        r, s = tables.read(repo_dir, one, _backbones())
        rows += r
        skipped += s
    return rows, skipped


READERS: dict[str, Callable] = {"leaderboard": read_leaderboards, "model-index": read_model_index, "table": read_table}
