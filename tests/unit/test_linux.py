"""The new site takes the place of the old one whole, with renameat2 on Linux and without it elsewhere;
a child asked to die with its parent is still running while the parent lives."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.site import linux


def folder(path: Path, text: str) -> Path:
    (path / "en").mkdir(parents=True)
    (path / "en" / "index.html").write_text(text)
    return path


def tree(path: Path) -> dict[str, str]:
    return {p.relative_to(path).as_posix(): p.read_text() for p in path.rglob("*") if p.is_file()}


@pytest.fixture(params=["native", "fallback"])
def how(request, monkeypatch):
    if request.param == "fallback":
        monkeypatch.setattr(linux, "_libc", lambda: None)  # as on macOS or Windows
    elif linux._libc() is None or not hasattr(linux._libc(), "renameat2"):
        pytest.skip("no renameat2 here")
    return request.param


def test_swap_replaces_the_old_site_and_leaves_nothing_beside_it(tmp_path, how):
    site = folder(tmp_path / "site", "old")
    (site / "gone.html").write_text("a page the new build no longer has")
    new = folder(tmp_path / ".site-x", "new")
    if how == "native":
        assert linux.exchange(tmp_path / "site", tmp_path / ".site-x")  # and back: the native path is real
        assert linux.exchange(tmp_path / "site", tmp_path / ".site-x")
    else:
        assert not linux.exchange(site, new)
    linux.swap(new, site)
    assert tree(site) == {"en/index.html": "new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_swap_into_a_missing_site(tmp_path, how):
    linux.swap(folder(tmp_path / ".site-x", "new"), tmp_path / "site")
    assert tree(tmp_path / "site") == {"en/index.html": "new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_die_with_parent_keeps_a_child_of_a_living_parent(how):
    fallback = "linux._libc = lambda: None; " if how == "fallback" else ""
    code = f"import sys; from generator.site import linux; {fallback}linux.die_with_parent(int(sys.argv[1])); print('alive')"
    out = subprocess.run([sys.executable, "-c", code, str(os.getpid())], capture_output=True, text=True, check=True)
    assert out.stdout == "alive\n"
    if how == "native":  # a wrong parent (one that is gone already): the child stops at once
        gone = subprocess.run([sys.executable, "-c", code, "1"], check=False, capture_output=True, text=True)
        assert (gone.returncode, gone.stdout) == (1, "")
