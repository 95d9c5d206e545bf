"""How problems are printed: detection lives in load/validate, output formats here (yamllint's split)."""

from __future__ import annotations

import sys
from typing import Sequence

from generator.format.problems import Problem, summary


def print_problems(problems: Sequence[Problem], fmt: str, files: int) -> None:
    """Every problem in the format asked for, then a one-line summary on standard error."""
    for p in problems:
        print(p.github() if fmt == "github" else p.text(), file=sys.stdout if fmt == "github" else sys.stderr)
    if problems:
        print(summary(list(problems), files), file=sys.stderr)
