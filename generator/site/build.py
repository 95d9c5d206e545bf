"""`generator build`: papers/ -> a new site/, swapped in whole.

The steps, in processes of their own (worker.py), so that both cores are busy and the corpus's memory
is gone before MkDocs needs its own:

    build (this process)       never loads the corpus
    |- generate                validates papers/ once, then renders each language into build/<lang>/ at
    |                          once, in a copy of itself each (linux.each); then writes the data files at
    |                          the site root, while the MkDocs builds run
    '- mkdocs en, zh           started once every language is written; hooks.py fills paper pages
                               from the theme's shell, sets other pages' large HTML blocks aside and puts
                               them back, adds the Content-Security-Policy
    search en, then zh         Pagefind indexes each language's built pages (search.py), one at a time
Then the root pages are written, and the new site, assembled in a folder beside site/, takes the place
of site/ in one step (linux.swap), so a build that fails or is killed leaves the previous site/ whole.
`--verbose` prints when each step ends.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NoReturn

from generator.config import LANGS, SiteConfig
from generator.site import linux
from generator.site.finish import write_root_pages
from generator.site.search import Indexing, SearchError
from generator.site.search import finish as finish_index
from generator.site.worker import EXIT_ERROR, Clock, config_arg


class BuildError(Exception):
    pass


class Problems(Exception):
    """papers/ has problems; they have been printed."""


@dataclass(frozen=True)
class Summary:
    papers: int
    boards: int


def _worker(*args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "generator.site.worker", "--parent", str(os.getpid()), *args], **popen
    )


def _said(line: str) -> dict:
    """What a generate process said on a line of its stdout ({} for anything else)."""
    try:
        said = json.loads(line)
    except ValueError:
        return {}
    return said if isinstance(said, dict) else {}


def _failed(generator: subprocess.Popen) -> NoReturn:
    """The generate process stopped before its end: Problems (printed already) or BuildError."""
    generator.communicate()
    code = generator.returncode
    if code == 1:
        raise Problems()
    raise BuildError("writing the pages failed" + ("" if code == EXIT_ERROR else f" (exit status {code}; see above)"))


def build_site(config: SiteConfig, quiet: bool = True) -> Summary:
    """Build site/ from papers/. Raises Problems (printed already) or BuildError; site/ is then unchanged."""
    clock = Clock(verbose=not quiet)
    config.site_dir.parent.mkdir(parents=True, exist_ok=True)
    site_tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=config.site_dir.parent))
    procs: list[subprocess.Popen] = []
    indexing: list[Indexing] = []
    logs = contextlib.ExitStack()
    try:
        timing = [] if quiet else ["--clock", repr(clock.start)]
        generator = _worker(
            "generate",
            "--config",
            config_arg(config),
            "--site-tmp",
            str(site_tmp),
            *timing,
            stdout=subprocess.PIPE,
            text=True,
        )
        procs.append(generator)
        out = generator.stdout
        assert out is not None
        # every language's pages are written, and the copies that wrote them are gone with their share of
        # the corpus (two languages' renderers and a MkDocs at once were the build's peak); the generator
        # writes the data files at the site root while the MkDocs builds run
        if _said(out.readline()).get("trees") != list(LANGS):
            _failed(generator)
        mkdocs: dict[str, tuple[subprocess.Popen, IO[str] | None]] = {}
        for lang in LANGS:
            log: IO[str] | None = logs.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8")) if quiet else None  # noqa: SIM115
            cmd = ["mkdocs", lang, str(config.build_dir / f"mkdocs.{lang}.yml"), *(["-q"] if quiet else [])]
            proc = _worker(*cmd, stdout=log, stderr=log, env=dict(os.environ, PYTHONHASHSEED="0"))
            procs.append(proc)
            mkdocs[lang] = (proc, log)
        try:
            for lang, (proc, log) in mkdocs.items():
                if proc.wait() != 0:
                    text = ""
                    if log is not None:
                        log.seek(0)
                        text = log.read().strip()
                    raise BuildError(f"mkdocs failed:\n[{lang}] {text or f'exit status {proc.returncode}'}")
                clock.say(f"mkdocs {lang}", "built: blocks back, policy", children=True)
                # this language's search index while the other one's MkDocs build ends; one Pagefind at a
                # time (each holds 0.5-0.7 GB at 5,000 papers; two at once were the build's peak, +4 s alone)
                if indexing:
                    indexing[-1].wait()
                indexing.append(Indexing(site_tmp, lang))
            # the data files at the site root, written meanwhile (worker.generate)
            told = _said(generator.communicate()[0])  # {"papers": n, "boards": m}
            if generator.returncode != 0 or "papers" not in told:
                _failed(generator)
            summary = Summary(**told)
            finish_index(site_tmp, indexing)
        except SearchError as exc:
            raise BuildError(str(exc)) from None
        clock.say("search", "indexed (Pagefind)", children=True)
        write_root_pages(site_tmp, config.docs, config.survey)
        os.chmod(site_tmp, 0o755)
        linux.swap(site_tmp, config.site_dir)
        clock.say("build", f"site swapped in: {config.site_dir}", children=True)
    except BaseException:
        for run in indexing:
            run.kill()
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        shutil.rmtree(site_tmp, ignore_errors=True)
        raise
    finally:
        logs.close()
    return summary
