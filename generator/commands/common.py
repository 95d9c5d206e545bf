"""What several commands share: a corpus that must validate first, applying an import, and writing an export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

from generator.errors import EXIT_OK, EXIT_PROBLEMS
from generator.format.formatters import print_problems
from generator.format.validate import Checked, validate_tree


def validated(root: Path, command: str, why: str) -> Optional[Checked]:
    """The checked corpus, or None after printing its problems: commands that add papers need a valid one."""
    checked = validate_tree(root)
    if checked.problems:
        print_problems(checked.problems, "text", checked.files_checked)
        print(f"{command}: papers/ must validate before {why}; nothing written", file=sys.stderr)
        return None
    return checked


def emit(text: str, output: Optional[str], what: str) -> None:
    """Write to the file named, or to standard output."""
    if output:
        Path(output).write_text(text, encoding="utf-8")
        print(f"wrote {what} to {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def apply_import(root: Path, rows, records, skipped, name: str, dry_run: bool) -> int:
    """Plan, validate the result, then write it (or say why not): what `import <rows>` and `import bibtex --update` share."""
    from generator.format.formatters import text as problem_text
    from generator.importers import update

    planned = update.plan(root, rows, records, skipped)
    for line in update.summary(planned):
        print(line)
    if not planned.changes:
        print(f"{name}: nothing to change (every row is already present)", file=sys.stderr)
        return EXIT_OK
    checked, scratch = update.check(root, planned.changes)
    if checked.problems:
        for p in checked.problems:
            print(problem_text(p).replace(str(scratch), str(root)), file=sys.stderr)
        print(
            f"{name}: the papers would not validate ({len(checked.problems)} problem(s)); nothing written",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    verb = "would write" if dry_run else "wrote"
    if not dry_run:
        update.commit(planned.changes)
    for c in planned.changes:
        print(f"{verb} {c.path}{' (new)' if c.new else ''}")
    print(f"{name}: {verb} {len(planned.changes)} file(s) ({sum(c.new for c in planned.changes)} new)", file=sys.stderr)
    return EXIT_OK
