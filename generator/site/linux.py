"""What the build does differently on Linux, each with its portable fallback.

- die_with_parent(): a build's child processes end when the build is killed (PR_SET_PDEATHSIG), so a
  killed build leaves no generator or MkDocs behind. Elsewhere: nothing (the children run to their end).
- swap(): the new site and the old one exchanged in one step (renameat2 RENAME_EXCHANGE), so site/ is
  always whole. Elsewhere (or on a file system without it): the old site renamed aside, the new one
  renamed in; between the two renames site/ is missing for an instant, never half-built.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import shutil
import signal
import sys
from pathlib import Path


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
