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


def _where(item: str) -> int:
    if item == "boom":
        raise RuntimeError("boom")
    return {"ok": 0, "problems": 1}.get(item, os.getpid() % 200 + 2)


def test_each_runs_every_item_and_gives_their_exit_statuses_in_order(how, capfd):
    codes = linux.each(["ok", "problems", "boom" if how == "native" else "ok"], _where)
    if how == "native":  # the others in copies of this process: a copy that raises ends with EXIT_CRASHED
        assert codes == [0, 1, linux.EXIT_CRASHED]
        assert "RuntimeError: boom" in capfd.readouterr().err
        pids = linux.each(["a", "b", "c"], _where)
        assert pids[0] == os.getpid() % 200 + 2 and len(set(pids)) == 3
    else:  # one after the other, here
        assert codes == [0, 1, 0]
        assert linux.each(["a", "b"], _where) == [os.getpid() % 200 + 2] * 2


def test_in_copies_gives_each_result_in_order_read_only_mappings_too(how):
    import types

    made = linux.in_copies(
        [lambda: ("first", os.getpid()), lambda: ("second", os.getpid(), types.MappingProxyType({"mIoU": 1}))]
    )
    assert made[0] == ("first", os.getpid())
    assert made[1][0] == "second" and made[1][2] == {"mIoU": 1} and isinstance(made[1][2], types.MappingProxyType)
    assert (made[1][1] != os.getpid()) == (how == "native")


def test_a_copy_that_fails_is_an_error_not_a_result(how):
    def boom():
        raise RuntimeError("boom")

    if how == "native":
        with pytest.raises(linux.CopyFailed, match="exit status 70"):
            linux.in_copies([lambda: 1, boom])
    else:
        with pytest.raises(RuntimeError, match="boom"):
            linux.in_copies([lambda: 1, boom])
