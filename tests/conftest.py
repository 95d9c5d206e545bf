import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(ROOT))


def run_cli(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m generator ...` as a user would, in a working directory."""
    full_env = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env=full_env, timeout=600)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the valid fixture corpus; tests break one file and validate from tmp_path."""
    dest = tmp_path / "papers"
    shutil.copytree(FIXTURES / "valid" / "papers", dest)
    return dest
