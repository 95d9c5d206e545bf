"""One type for everything a contributor can get wrong, and its two output formats.

Detection lives in load/validate; this module only carries and formats problems
(yamllint keeps the same split).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
    path: str = ""  # key path inside the document, e.g. results[0].metrics.mIoU
    code: str = ""  # stable identifier, e.g. unknown-key

    def text(self) -> str:
        where = f"{self.span.file}:{self.span.line}:{self.span.col}"
        suffix = f" [{self.path}]" if self.path else ""
        return f"{where}: error: {self.message}{suffix}"

    def github(self) -> str:
        # Workflow-command escaping: https://github.com/actions/toolkit (command.ts)
        def prop(value: str) -> str:
            return (
                value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
                .replace(":", "%3A").replace(",", "%2C")
            )

        def data(value: str) -> str:
            return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        title = prop(self.code or "error")
        msg = self.message + (f" [{self.path}]" if self.path else "")
        return (
            f"::error file={prop(self.span.file)},line={self.span.line},"
            f"col={self.span.col},title={title}::{data(msg)}"
        )


class ProblemError(Exception):
    """Raised by a phase that cannot go on; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = sorted(problems)


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
    n = len(problems)
    return (
        f"{n} error{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''} "
        f"({files_checked} files checked)"
    )
