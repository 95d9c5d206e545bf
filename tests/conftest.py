import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from helpers import FIXTURES  # noqa: E402


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the valid fixture corpus; tests break one file and validate from tmp_path."""
    dest = tmp_path / "papers"
    shutil.copytree(FIXTURES / "valid" / "papers", dest)
    return dest
