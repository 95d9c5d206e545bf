"""One type for everything a contributor can get wrong.

Detection lives in load/convert/validate, codes and levels in rules.py, output formats in formatters.py
(yamllint keeps the same split).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.format.rules import RULES, WARNING


@dataclass(frozen=True, order=True)
class Span:
    """A position in a source file; line and column are 1-based."""

    file: str
    line: int = 1
    col: int = 1


@dataclass(frozen=True, order=True)
class Problem:
    span: Span
    message: str
    path: str = ""  # key path inside the document, e.g. results[0].source.url
    code: str = ""  # stable identifier in rules.RULES, e.g. unknown-key

    @property
    def level(self) -> str:
        """error or warning, from the registry (rules.py); an unregistered code is a programming error."""
        return RULES[self.code].level

    def __post_init__(self) -> None:
        if self.code not in RULES:
            raise ValueError(f"problem code {self.code!r} is not in generator/format/rules.py")


def relpath(path: Path, root: Path | None = None) -> str:
    """The path as a contributor would type it: relative to the working directory when possible."""
    path = Path(path)
    base = Path(root) if root else Path.cwd()
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def summary(problems: list[Problem], files_checked: int) -> str:
    files = len({p.span.file for p in problems})
    warnings = sum(1 for p in problems if p.level == WARNING)
    errors = len(problems) - warnings
    counts = f"{errors} error{'s' if errors != 1 else ''}"
    if warnings:
        counts += f", {warnings} warning{'s' if warnings != 1 else ''}"
    return f"{counts} in {files} file{'s' if files != 1 else ''} ({files_checked} files checked)"
