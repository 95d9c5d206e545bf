"""papers/ -> a validated corpus, or None after printing what is wrong (the first step of every build)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from generator.config import Survey, load_survey, survey_file
from generator.corpus.core import Corpus, build_corpus
from generator.format.formatters import print_problems
from generator.format.validate import validate_tree


def load_corpus(root: Path, fmt: str = "text", survey: Optional[Survey] = None) -> Optional[Corpus]:
    """Validate, then build the corpus; print problems and return None when there are any.
    `survey` defaults to the survey.yml beside `root` (else the repository's)."""
    checked = validate_tree(root)
    if checked.problems:
        print_problems(checked.problems, fmt, checked.files_checked)
        return None
    assert checked.registries is not None
    return build_corpus(checked.registries, checked.papers, survey or load_survey(survey_file(root)), root=root)
