"""`python -m generator import bibtex FILE [--update]`: one new paper file per entry not already in papers/.

With --update, the entries first fill the missing fields of papers already present (authors, venue, the
published version, DOI, pages); every field filled and every conflict (a field the paper already gives
otherwise, never overwritten) is listed, and the result is validated before it is written.

Each entry becomes papers/<year>/<id>.yaml with what BibTeX records — title, authors, year, venue, arXiv
id, DOI, paper link — decoded from LaTeX to Unicode. BibTeX holds no results, so new files carry none.
An entry already present (same DOI, arXiv id, or title once case and punctuation are folded) is skipped
and said so; a broken entry is reported at its line (`refs.bib:12: error: ...`) and nothing is written
for it, while the others are still imported. Existing files are never overwritten.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Mapping

from generator.bib import read as bibparse
from generator.bib.to_paper import EntryError, check, paper_from_record
from generator.format.identity import existing_paper, unique_id
from generator.format.model import Paper, PaperFile
from generator.format.problems import relpath
from generator.format.validate import DEFAULT_ROOT, is_papers_folder, validate_tree

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


# The command -----------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    from generator.commands.common import validated
    from generator.format.formatters import print_problems
    from generator.authoring.paper_yaml import paper_yaml
    from generator.format.model import FORMAT_VERSION

    root = Path(args.papers) if args.papers else DEFAULT_ROOT
    source = Path(args.file)
    shown = args.file
    try:
        text = sys.stdin.read() if args.file == "-" else source.read_text(encoding="utf-8")
    except FileNotFoundError:
        print(f"import: no such file: {args.file}", file=sys.stderr)
        return EXIT_USAGE
    except (OSError, UnicodeDecodeError) as exc:
        print(f"import: cannot read {args.file}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not is_papers_folder(root):
        print(f"import: no papers folder at {root} (looked for {root}/datasets.yaml)", file=sys.stderr)
        return EXIT_USAGE
    checked = validated(root, "import", "importing")
    if checked is None:
        return EXIT_PROBLEMS
    if getattr(args, "update", False):
        status = _update(root, source, args)
        if status != EXIT_OK:
            return status
        checked = validated(root, "import", "importing")
        if checked is None:
            return EXIT_PROBLEMS
    regs = checked.registries
    assert regs is not None

    known: list[PaperFile] = list(checked.papers)
    taken = {pf.id for pf in known} | {p.stem for p in root.glob("*/*.yaml")}
    new: list[tuple[bibparse.Record, dict]] = []  # entries written (or to be) in this run
    written: list[Path] = []
    errors = skipped = 0
    verb = "would write" if args.dry_run else "wrote"

    for item in bibparse.read(text):
        where = f"{shown}:{item.line}"
        label = f" [{item.key}]" if item.key else ""
        if isinstance(item, bibparse.BadEntry):
            print(f"{where}: error: {item.message}{label}; nothing written for this entry", file=sys.stderr)
            errors += 1
            continue
        try:
            data, notes = paper_from_record(item, regs)
        except EntryError as exc:
            print(f"{where}: error: {exc}{label}; nothing written for this entry", file=sys.stderr)
            errors += 1
            continue
        dup = existing_paper(data, known)
        if dup:
            print(f"skipped {where}{label}: already in {dup[0].path} (same {dup[1]})")
            skipped += 1
            continue
        earlier = next((r for r, d in new if existing_paper(data, [_as_file(d)])), None)
        if earlier is not None:
            print(f"skipped {where}{label}: the same paper as the entry at line {earlier.line}")
            skipped += 1
            continue
        pid = unique_id(data, taken)
        path = root / str(data["year"]) / f"{pid}.yaml"
        if path.exists():  # never overwrite, whatever the corpus index says
            print(f"skipped {where}{label}: {relpath(path)} exists")
            skipped += 1
            continue
        body = paper_yaml({"format": FORMAT_VERSION, **data}, header=True)
        problems = check(body, relpath(path))
        if problems:
            print(
                f"{where}: error: the entry does not make a valid paper file{label}: {'; '.join(problems)}",
                file=sys.stderr,
            )
            errors += 1
            continue
        taken.add(pid)
        new.append((item, data))
        if not args.dry_run:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "x", encoding="utf-8") as out:  # "x": fail rather than overwrite
                out.write(body)
            written.append(path)
        print(f"{verb} {relpath(path)} from {where}{label}")
        for note in notes:
            print(f"  note: {note}")

    if written:
        after = validate_tree(root)
        if after.problems:
            print_problems(after.problems, "text", after.files_checked)
            errors += 1
    print(
        f"import: {len(new)} {'to write' if args.dry_run else 'written'}, {skipped} skipped, "
        f"{errors} error{'s' if errors != 1 else ''}",
        file=sys.stderr,
    )
    return EXIT_PROBLEMS if errors else EXIT_OK


def _update(root: Path, source: Path, args: argparse.Namespace) -> int:
    """--update: fill the fields papers already present lack (authors, venue, the published version, DOI,
    pages...) from the file's entries; list every field filled and every conflict (a field the paper gives
    otherwise is never overwritten). Validated before anything is written."""
    from generator.commands.common import apply_import
    from generator.importers import bibliography

    if args.file == "-":
        print("import bibtex --update: read from a file, not standard input", file=sys.stderr)
        return EXIT_USAGE
    records, skipped = bibliography.read(source, bibliography.load_venues(root))
    print("update of papers already present:")
    return apply_import(root, [], records, skipped, "import bibtex --update", args.dry_run)


def _as_file(data: Mapping[str, Any]) -> PaperFile:
    """Just enough of a PaperFile to compare a new entry with another new entry."""
    from generator.format.model import FORMAT_VERSION, Ids

    ids = data.get("ids") or {}
    paper = Paper(
        format=FORMAT_VERSION,
        title=data["title"],
        year=data["year"],
        ids=Ids(arxiv=ids.get("arxiv"), doi=ids.get("doi")) if ids else None,
    )
    return PaperFile("", "", paper)
