"""What several commands share: a corpus that must validate first, and writing an export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

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
