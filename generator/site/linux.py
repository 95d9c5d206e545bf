"""What the build does differently on Linux, each with its portable fallback.

- die_with_parent(): a build's child processes end when the build is killed (PR_SET_PDEATHSIG), so a
  killed build leaves no generator or MkDocs behind. Elsewhere: nothing (the children run to their end).
- swap(): the new site and the old one exchanged in one step (renameat2 RENAME_EXCHANGE), so site/ is
  always whole. Elsewhere (or on a file system without it): the old site renamed aside, the new one
  renamed in; between the two renames site/ is missing for an instant, never half-built.
- each(): a piece of work for each of a few items at once, in copies of this process (fork), which
  share what it holds (the validated corpus) instead of making it again. Elsewhere: one after the other.
- in_copies(): a few pieces of work at once, each other than the first in a copy of this process that
  gives its result back pickled (validation's shares of the paper files). Elsewhere: one after the other.
"""

from __future__ import annotations

import contextlib
import copyreg
import ctypes
import ctypes.util
import functools
import gc
import os
import pickle
import shutil
import signal
import sys
import tempfile
import traceback
import types
from pathlib import Path
from typing import IO, Any, Callable, Sequence, TypeVar

T = TypeVar("T")
EXIT_CRASHED = 70  # each(): the work raised in a copy (its traceback printed)


@functools.cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c") if sys.platform.startswith("linux") else None
    return ctypes.CDLL(name, use_errno=True) if name else None


def die_with_parent(parent: int) -> None:
    """Ask to be killed when the parent process ends; exit now if `parent` is gone already."""
    prctl = getattr(_libc(), "prctl", None)
    if prctl is not None:
        PR_SET_PDEATHSIG = 1
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # it died before we asked
            os._exit(1)


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths atomically; False where the system cannot."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    return renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0


def swap(new: Path, site_dir: Path) -> None:
    """Put the folder `new` in the place of `site_dir` (which may not exist yet); the old one is deleted."""
    if not site_dir.exists():
        os.replace(new, site_dir)
    elif exchange(new, site_dir):
        shutil.rmtree(new)  # `new` holds the previous site now
    else:
        old = site_dir.with_name(site_dir.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(site_dir, old)
        os.replace(new, site_dir)
        shutil.rmtree(old)


def _fork(parent: int, run: Callable[[], int]) -> int:
    """A copy of this process that runs `run` and ends with its exit status (EXIT_CRASHED, its traceback
    printed, if it raised), dying with `parent`; its pid."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover  (coverage does not follow a fork)
        code = EXIT_CRASHED
        try:
            die_with_parent(parent)  # a fork does not inherit it
            code = run()
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    return pid


def _kill(pids: list[int]) -> None:
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _ended(pid: int) -> int:
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def _forks() -> bool:
    if _libc() is None or not hasattr(os, "fork"):
        return False
    sys.stdout.flush()  # or every copy would write what is buffered
    sys.stderr.flush()
    return True


def each(items: Sequence[T], work: Callable[[T], int]) -> list[int]:
    """work(item) for every item, at once: the first here, each other one in a copy of this process (see
    _fork). Their exit statuses, in order, once all have ended. Elsewhere: one after the other, here.

    Nothing should run in other threads (a copy has only the thread that forked). What the process holds
    is frozen for the collector first, which would otherwise copy every page it walks in each copy."""
    if not _forks():
        return [work(item) for item in items]
    gc.freeze()
    parent, children = os.getpid(), []
    try:
        for item in items[1:]:
            children.append(_fork(parent, functools.partial(work, item)))
        codes = [work(items[0])]
    except BaseException:
        _kill(children)
        raise
    finally:
        gc.unfreeze()
    return codes + [_ended(pid) for pid in children]


class CopyFailed(Exception):
    pass


def _mapping(items: dict) -> types.MappingProxyType:
    return types.MappingProxyType(items)


# what a result is pickled with: the models' read-only mappings too (pickle has no reducer for them)
_REDUCERS = {**copyreg.dispatch_table, types.MappingProxyType: lambda m: (_mapping, (dict(m),))}


def _pickled(work: Callable[[], Any], out: IO[bytes]) -> int:
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _REDUCERS
    pickler.dump(work())
    out.flush()
    return 0


def in_copies(works: Sequence[Callable[[], T]]) -> list[T]:
    """Each work's result, in order: the first run here, each other at once in a copy of this process that
    pickles its result into a file for this one to read. Raises CopyFailed when a copy fails (its
    traceback printed). Elsewhere: one after the other, here. As for each(): no other threads."""
    if not _forks():
        return [work() for work in works]
    parent, children = os.getpid(), []
    with contextlib.ExitStack() as files:
        try:
            for work in works[1:]:
                out = files.enter_context(tempfile.TemporaryFile())
                children.append((_fork(parent, functools.partial(_pickled, work, out)), out))
            results: list[Any] = [works[0]()]
        except BaseException:
            _kill([pid for pid, _ in children])
            raise
        codes = [_ended(pid) for pid, _ in children]
        for (pid, out), code in zip(children, codes, strict=True):
            if code != 0:
                raise CopyFailed(f"a copy of the process (pid {pid}) failed with exit status {code}; see above")
            out.seek(0)
            results.append(pickle.load(out))
    return results
