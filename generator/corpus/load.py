"""papers/ -> a validated corpus, or None after printing what is wrong (the first step of every build)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from generator.corpus.core import Corpus, build_corpus
from generator.format.formatters import print_problems
from generator.format.validate import validate_tree


def load_corpus(root: Path, fmt: str = "text") -> Optional[Corpus]:
    """Validate, then build the corpus; print problems and return None when there are any."""
    checked = validate_tree(root)
    if checked.problems:
        print_problems(checked.problems, fmt, checked.files_checked)
        return None
    assert checked.registries is not None
    return build_corpus(checked.registries, checked.papers)
