"""`python -m generator validate [PATH ...]`: check papers and registries; every problem, located, at once."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.errors import EXIT_OK, EXIT_PROBLEMS, UsageError
from generator.format.formatters import print_problems
from generator.format.validate import DEFAULT_ROOT, find_root, inside, is_papers_folder, validate_tree


def run(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths]
    for p in paths:
        if not p.exists():
            raise UsageError(f"no such file or folder: {p}")
    dirs = [p for p in paths if p.is_dir()]
    files = [p for p in paths if p.is_file()]
    root = find_root(paths) if paths else DEFAULT_ROOT
    if not is_papers_folder(root) and not root.is_dir():
        raise UsageError(f"no papers folder found (looked for {root}/datasets.yaml)")
    for p in paths:
        if not inside(p, root):
            raise UsageError(
                f"{p} is not in the papers folder {root}/: validate checks {root}/<year>/<id>.yaml "
                "and the registries beside them"
            )
    only = None if (not files or dirs) else set(files)
    checked = validate_tree(root, only=only)
    print_problems(checked.reported, args.format, checked.files_checked)
    if not checked.problems and args.format == "text":
        n = len(checked.papers)
        print(
            f"ok: {n} papers, {sum(len(p.paper.results) for p in checked.papers)} results, "
            f"{checked.files_checked} files checked",
            file=sys.stderr,
        )
    return EXIT_PROBLEMS if checked.problems else EXIT_OK
