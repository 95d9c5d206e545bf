import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from helpers import FIXTURES  # noqa: E402


def pytest_addoption(parser):
    parser.addoption(
        "--shard",
        metavar="I/N",
        default=None,
        help="run only the I-th of N interleaved shares of the selected tests "
        "(`make check` runs two at once, one a core)",
    )


@pytest.hookimpl(trylast=True)  # after the deselection by -m, so that the shares are even
def pytest_collection_modifyitems(config, items):
    shard = config.getoption("--shard")
    if not shard:
        return
    try:
        i, n = (int(x) for x in shard.split("/"))
        assert 1 <= i <= n
    except (ValueError, AssertionError):
        raise pytest.UsageError(f"--shard {shard}: expected I/N with 1 <= I <= N") from None
    keep = [item for k, item in enumerate(items) if k % n == i - 1]
    config.hook.pytest_deselected(items=[item for k, item in enumerate(items) if k % n != i - 1])
    items[:] = keep


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the valid fixture corpus; tests break one file and validate from tmp_path."""
    dest = tmp_path / "papers"
    shutil.copytree(FIXTURES / "valid" / "papers", dest)
    return dest
