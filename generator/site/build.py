"""`generator build`: papers/ -> a new site/, swapped in whole.

The work is split over processes so that both cores are busy and the memory of one phase is gone
before the next needs it:

    build (this process)      never loads the corpus
    |- generator (forked)     loads and validates papers/, builds the corpus, writes build/ (static files,
    |  |                      the MkDocs configs) and the data files at the site root; then
    |  |                      renders the en pages one by one, each written as it is made (tree.TreeWriter)
    |  '- writer zh (forked)  meanwhile renders and writes the zh pages
    |- mkdocs en              started as soon as the generator says (on a pipe) that en is written
    '- mkdocs zh              the same for zh
As each MkDocs ends, this process finishes its pages (finish.finish_language: set-aside blocks back, the
Content-Security-Policy, the search index trimmed). Then the root pages are written, and the new site,
assembled in a folder beside site/, is exchanged with site/ in one step (renameat2), so a build that fails
or is killed leaves the previous site/ whole.

Where fork is missing or unsafe (another thread runs) the same steps run in this process, in order; with
one CPU the languages are written one after the other. `--verbose` prints when each step ends.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from generator.config import SiteConfig
from generator.site.finish import finish_language, write_root_pages
from generator.config import LANGS
from generator.render.pages import SiteRenderer
from generator.site.tree import AsideFile, TreeError, TreeWriter, fresh, read_aside, write_static


class BuildError(Exception):
    pass


class Problems(Exception):
    """papers/ has problems; they have been printed."""


@dataclass(frozen=True)
class Summary:
    papers: int
    boards: int


class Clock:
    """With --verbose: when each step ended, and the peak memory of the process that did it."""

    def __init__(self, verbose: bool):
        self.verbose = verbose
        self.start = time.monotonic()

    def say(self, who: str, what: str) -> None:
        if self.verbose:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            print(f"build: {time.monotonic() - self.start:6.1f} s  {who:<12} {what} (peak {peak} MB)",
                  file=sys.stderr, flush=True)


# Processes ----------------------------------------------------------------------------------------

def _can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def _die_with_parent() -> None:
    """A forked child ends when its parent is killed (Linux), so a killed build leaves no writer behind."""
    prctl = getattr(_libc(), "prctl", None)
    if prctl is not None:
        PR_SET_PDEATHSIG = 1
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


EXIT_CRASH = 70


def _fork(fn: Callable[[], None]) -> int:
    """Run fn in a forked child; its exit status says how it went (0, 1 problems, 70 crash: traceback printed)."""
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    code = EXIT_CRASH
    try:
        _die_with_parent()
        if os.getppid() != parent:  # the parent died before we asked to die with it
            os._exit(EXIT_CRASH)
        fn()
        code = 0
    except Problems:
        code = 1
    except BaseException:  # a bug, or interrupted: say so, and never return into the parent's code
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    raise AssertionError("unreachable")


# Generation: corpus -> build/ ------------------------------------------------------------------------

def generate(config: SiteConfig, site_tmp: Path, ready: Callable[[str], None], clock: Clock,
             fork_languages: bool) -> Summary:
    """Load, validate, render and write everything MkDocs needs; `ready(lang)` as each language is written."""
    from generator.corpus.load import load_corpus

    corpus = load_corpus(config.papers)
    if corpus is None:
        raise Problems()
    clock.say("generator", f"{len(corpus.papers)} papers validated")
    fresh(config.build_dir)
    write_static(config.build_dir, config, site_tmp)
    renderer = SiteRenderer(corpus, config)  # BibTeX keys and entries, made once for both languages
    summary = Summary(len(corpus.papers), len(corpus.boards))

    def write_language(lang: str) -> None:
        with AsideFile(config.build_dir, lang) as aside:
            renderer.out = writer = TreeWriter(config.build_dir, site_tmp, aside)
            renderer.render_lang(lang)
        clock.say(f"writer {lang}", f"{len(writer.written)} files written")

    def write_root() -> None:
        renderer.out = TreeWriter(config.build_dir, site_tmp)
        renderer.render_root()

    if not fork_languages:
        for lang in LANGS:
            write_language(lang)
            ready(lang)
        write_root()
        return summary
    # the other languages in forked writers, which inherit the corpus; this process writes the first
    gc.freeze()  # keep the collector from touching (and so copying) the inherited objects
    writers = {_fork(functools.partial(write_language, lang)): lang for lang in LANGS[1:]}
    try:
        write_language(LANGS[0])
        ready(LANGS[0])
        write_root()
        while writers:
            pid, status = os.wait()
            lang = writers.pop(pid, None)
            if lang is None:
                continue
            if os.waitstatus_to_exitcode(status) != 0:
                raise BuildError(f"writing the {lang} pages failed (see above)")
            ready(lang)
    finally:
        for pid in writers:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    return summary


def _generate_forked(config: SiteConfig, site_tmp: Path, ready: Callable[[str], None], clock: Clock) -> Summary:
    """generate() in a forked child that reports on a pipe: this process never holds the corpus."""
    r, w = os.pipe()

    def child() -> None:
        os.close(r)
        with os.fdopen(w, "w", encoding="utf-8") as pipe:
            def say(message: dict) -> None:
                pipe.write(json.dumps(message) + "\n")
                pipe.flush()

            try:
                summary = generate(config, site_tmp, lambda lang: say({"ready": lang}), clock,
                                   fork_languages=(os.cpu_count() or 1) >= 2)
            except (BuildError, TreeError) as exc:
                say({"error": str(exc)})
                return
            say({"papers": summary.papers, "boards": summary.boards})

    pid = _fork(child)
    os.close(w)
    summary = error = None
    try:
        with os.fdopen(r, encoding="utf-8") as pipe:
            for line in pipe:
                message = json.loads(line)
                if "ready" in message:
                    ready(message["ready"])
                elif "error" in message:
                    error = message["error"]
                else:
                    summary = Summary(**message)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    if code == 1:
        raise Problems()
    if error is not None:
        raise BuildError(error)
    if code != 0 or summary is None:
        raise BuildError(f"the generator stopped (exit status {code}; see above)")
    return summary


# MkDocs ------------------------------------------------------------------------------------------------

# a MkDocs build ends with the build that started it (Linux: parent-death signal), like the forked children
MKDOCS = ("import sys\nif sys.platform.startswith('linux'):\n    import ctypes, signal\n"
          "    ctypes.CDLL(None).prctl(1, signal.SIGKILL)\n"
          "from mkdocs.__main__ import cli; cli()")
# material's search segments any Chinese with jieba when it can import it; only the zh site needs that
# (the en pages carry Chinese only in the language menu and marked zh-only notes), and jieba's dictionary
# costs the en process time and ~100 MB
MKDOCS_WITHOUT_JIEBA = "import sys; sys.modules['jieba'] = None\n" + MKDOCS


class MkDocsRuns:
    """One MkDocs build per language, each started when its tree is ready, each finished (finish.py) in
    its own thread as soon as it ends, while the other may still be building."""

    def __init__(self, build_dir: Path, site_tmp: Path, quiet: bool, clock: Clock):
        self.build_dir, self.site_tmp, self.quiet, self.clock = build_dir, site_tmp, quiet, clock
        self.lock = threading.Lock()
        self.stopped = False
        self.procs: dict[str, subprocess.Popen] = {}
        self.threads: list[threading.Thread] = []
        self.errors: dict[str, str] = {}

    def start(self, lang: str) -> None:
        thread = threading.Thread(target=self._run, args=(lang,), name=f"mkdocs-{lang}", daemon=True)
        self.threads.append(thread)
        thread.start()

    def _run(self, lang: str) -> None:
        launcher = MKDOCS if lang == "zh" else MKDOCS_WITHOUT_JIEBA
        cmd = [sys.executable, "-c", launcher, "build", "--strict", "-f", str(self.build_dir / f"mkdocs.{lang}.yml")]
        if self.quiet:
            cmd.append("-q")
        capture = subprocess.PIPE if self.quiet else None
        with self.lock:
            if self.stopped:
                return
            proc = self.procs[lang] = subprocess.Popen(
                cmd, stdout=capture, stderr=capture, text=True, env=dict(os.environ, PYTHONHASHSEED="0"))
        out, err = proc.communicate()
        if proc.returncode != 0:
            self.errors[lang] = ((err or "") + (out or "")).strip() or f"exit status {proc.returncode}"
            return
        self.clock.say(f"mkdocs {lang}", "built")
        try:
            finish_language(self.site_tmp / lang, lang, read_aside(self.build_dir, lang))
        except (TreeError, OSError, ValueError) as exc:
            self.errors[lang] = str(exc)
            return
        self.clock.say(f"finish {lang}", "blocks back, policy, search index")

    def wait(self) -> None:
        for thread in self.threads:
            thread.join()
        if self.errors:
            details = "\n".join(f"[{lang}] {text}" for lang, text in sorted(self.errors.items()))
            raise BuildError(f"mkdocs failed:\n{details}")

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            for proc in self.procs.values():
                if proc.poll() is None:
                    proc.kill()
        for thread in self.threads:
            thread.join()


# The build ---------------------------------------------------------------------------------------------

def build_site(config: SiteConfig, quiet: bool = True) -> Summary:
    """Build site/ from papers/. Raises Problems (printed already) or BuildError; site/ is then unchanged."""
    clock = Clock(verbose=not quiet)
    config.site_dir.parent.mkdir(parents=True, exist_ok=True)
    site_tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=config.site_dir.parent))
    runs = MkDocsRuns(config.build_dir, site_tmp, quiet, clock)
    try:
        if _can_fork():
            summary = _generate_forked(config, site_tmp, runs.start, clock)
        else:
            summary = generate(config, site_tmp, runs.start, clock, fork_languages=False)
        runs.wait()
        write_root_pages(site_tmp)
        os.chmod(site_tmp, 0o755)
        swap_in(site_tmp, config.site_dir)
        clock.say("build", f"site swapped in: {config.site_dir}")
    except BaseException as exc:
        runs.stop()
        shutil.rmtree(site_tmp, ignore_errors=True)
        if isinstance(exc, TreeError):
            raise BuildError(str(exc)) from None
        raise
    return summary


# Swapping the new site in ------------------------------------------------------------------------------

@functools.cache
def _libc():
    """glibc on Linux (renameat2, prctl), else None."""
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name, use_errno=True) if name and sys.platform.startswith("linux") else None


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    fn = getattr(_libc(), "renameat2", None)
    if fn is None:
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    rc = fn(AT_FDCWD, os.fsencode(str(a)), AT_FDCWD, os.fsencode(str(b)), RENAME_EXCHANGE)
    return rc == 0


def swap_in(new: Path, site_dir: Path) -> None:
    if site_dir.exists() and _exchange(new, site_dir):
        shutil.rmtree(new)  # `new` now holds the previous site
        return
    if site_dir.exists():
        old = site_dir.with_name(site_dir.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        os.replace(site_dir, old)
        os.replace(new, site_dir)
        shutil.rmtree(old)
    else:
        os.replace(new, site_dir)


