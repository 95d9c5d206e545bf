"""`python -m generator serve`: a live preview that rebuilds when a paper file changes.

- The site is built for http://HOST:PORT/ (material's language switch matches absolute sitemap URLs,
  port included) and served from --site-dir over HTTP.
- papers/ is watched (watchdog); changes are debounced, then the site is rebuilt incrementally:
  paper files whose content did not change are not validated again, the Markdown tree is rendered in
  memory and only the files that differ are written, and MkDocs builds "dirty" (only pages whose
  Markdown is newer than their HTML), in one resident worker process per language, so that MkDocs,
  and the theme are imported once. Its hooks (hooks.py) do to each rebuilt page what they do in
  the build. Pagefind then indexes both languages again (site/search.py), in the background: open pages
  reload as soon as MkDocs is done, and search keeps the previous index until the new one is written.
- A paper file with problems prints them located (`file:line:col: error: ...`) and nothing is
  written: the preview keeps serving the last good site. Fixing the file rebuilds.
- Open pages poll `/__build` (assets/reload.js, a same-origin script, allowed by the site's
  `script-src 'self'; connect-src 'self'`) and reload after a successful rebuild; while the papers
  have problems they show a banner saying so.

The preview build is not the published build: it carries reload.js and is not swapped in
atomically (`generator build` is). A MkDocs failure during a preview rebuild is printed; the pages
written before the failure stay.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import http.server
import json
import logging
import multiprocessing
import os
import signal
import socketserver
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Callable, Iterable, Optional

import yaml

from generator.corpus.core import Corpus
from generator.render.pages import Memo, Stopped
from generator.format.validate import ValidationCache, is_papers_folder, validate_tree
from generator.format import formatters
from generator.format.problems import summary

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

BUILD_ENDPOINT = "/__build"
RELOAD_ASSET = "assets/reload.js"
DEBOUNCE = 0.2  # seconds of quiet after the last change before rebuilding (editors write a file in one go)
LONG_POLL = 25.0  # seconds an open page's request for news is held when nothing changes
FIRST_PAPERS = 8  # a rebuild shows first the pages of up to this many edited papers (when more changed: none)
OPEN_PAGES = 16  # and the pages open in a browser: those that asked for news in the last two long polls


def log(message: str) -> None:
    print(f"serve: {message}", file=sys.stderr, flush=True)


# Validation that remembers unchanged files ----------------------------------------------------

# MkDocs in resident worker processes -------------------------------------------------------------

_DIRTY_WARNING = "A 'dirty' build is being performed"


def mkdocs_build(config_file: str, dirty: bool) -> tuple[bool, str]:
    """One MkDocs build in this process; (ok, warnings or error). Warnings fail the build (strict)."""
    from mkdocs.commands import build as mkbuild
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            msg = record.getMessage()
            if record.levelno >= logging.WARNING and not msg.startswith(_DIRTY_WARNING):
                records.append(f"{record.levelname}: {msg}")

    logger = logging.getLogger("mkdocs")
    handler = Collect(logging.WARNING)
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        cfg = load_config(config_file=config_file, strict=False)
        mkbuild.build(cfg, dirty=dirty)
    except (MkDocsException, OSError, ValueError) as exc:
        return False, "\n".join([*records, f"ERROR: {exc}"])
    finally:
        logger.removeHandler(handler)
    if records:
        return False, "\n".join(records)
    return True, ""


def _cache_theme_templates() -> None:
    """Compile the theme's Jinja templates once per worker, not once per build (MkDocs makes a new
    environment for every build; the cache key includes the template's source checksum)."""
    import jinja2
    from mkdocs.theme import Theme

    class MemoryBytecodeCache(jinja2.BytecodeCache):
        def __init__(self) -> None:
            self.store: dict[str, bytes] = {}

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            data = self.store.get(bucket.key)
            if data is not None:
                bucket.bytecode_from_string(data)

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            self.store[bucket.key] = bucket.bytecode_to_string()

    cache = MemoryBytecodeCache()
    original = Theme.get_env

    def get_env(self):
        env = original(self)
        env.bytecode_cache = cache
        return env

    Theme.get_env = get_env  # type: ignore[method-assign]  # the patch is the point


def _worker_main(conn, lang: str) -> None:  # runs in a worker process
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _cache_theme_templates()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        config_file, dirty = job
        started = time.perf_counter()
        try:
            ok, message = mkdocs_build(config_file, dirty)
        except Exception as exc:  # report, never die: the next change may fix it
            ok, message = False, f"ERROR: {type(exc).__name__}: {exc}"
        try:
            conn.send((ok, message, time.perf_counter() - started))
        except (BrokenPipeError, OSError):
            return


class Workers:
    """One resident process per language running MkDocs builds on request."""

    def __init__(self, langs: tuple[str, ...]):
        ctx = multiprocessing.get_context("spawn")
        self.procs = {}
        for lang in langs:
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_worker_main, args=(child, lang), name=f"mkdocs-{lang}", daemon=True)
            proc.start()
            child.close()
            self.procs[lang] = (proc, parent)

    def send(self, jobs: dict[str, tuple[str, bool]]) -> None:
        for lang, job in jobs.items():
            self.procs[lang][1].send(job)

    def receive(self, jobs: dict[str, tuple[str, bool]]) -> dict[str, tuple[bool, str, float]]:
        out = {}
        for lang in jobs:
            try:
                out[lang] = self.procs[lang][1].recv()
            except EOFError:
                out[lang] = (False, "the MkDocs worker stopped", 0.0)
        return out

    def close(self) -> None:
        for _proc, conn in self.procs.values():
            try:
                conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        for proc, conn in self.procs.values():
            proc.join(timeout=3)
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=3)
            conn.close()


# The incremental site build ----------------------------------------------------------------------


class Preview:
    """Builds the preview site; remembers enough of the last build to rebuild only what changed."""

    def __init__(self, config, workers: Workers, pending: Callable[[], bool] = lambda: False):
        self.config = config
        self.workers = workers
        self.pending = pending  # True when papers/ changed again since this rebuild began
        self.validation = ValidationCache()
        self.previous: Optional[dict[str, str | bytes]] = None  # Output.files of the last good build
        self.memo = Memo()  # the rendered pages and what each was made from, to render only what changed
        self.corpus: Optional[Corpus] = None  # the last corpus: unchanged papers stay the same objects
        self.configs: dict[str, str] = {}  # mkdocs.<lang>.yml as last written
        self.build = 0  # number of the last good build, for reload.js
        self.error: Optional[str] = None  # problems of the papers, shown by reload.js
        self.changed = threading.Condition()
        self.stopping = False  # set when serve stops: a rebuild cut short by it is not an error to report
        self._indexing = threading.Lock()  # one Pagefind run at a time
        self._open: dict[str, float] = {}  # page path ("en/papers/fcn/") -> when it last asked for news

    def seen(self, path: str) -> None:
        """A page open in a browser asked for news (reload.js sends its path): its page is made first."""
        name = urllib.parse.unquote(path).lstrip("/").removesuffix("index.html")
        if not name.endswith("/") or len(name) > 300:
            return
        with self.changed:
            self._open[name] = time.monotonic()
            if len(self._open) > OPEN_PAGES:  # the ones seen longest ago go
                for old in sorted(self._open, key=self._open.__getitem__)[: len(self._open) - OPEN_PAGES]:
                    del self._open[old]

    def open_pages(self) -> set[str]:
        with self.changed:
            now = time.monotonic()
            return {name for name, when in self._open.items() if now - when < 2 * LONG_POLL + 5}

    def state(self, since: Optional[int] = None, wait: float = 0.0) -> dict:
        """The build number and the problems; with `since`, waits (up to `wait` s) for a build after it
        or a change of problems, so open pages learn of a rebuild at once (long polling)."""
        with self.changed:
            error = self.error
            if since is not None:
                self.changed.wait_for(lambda: self.build != since or self.error != error, timeout=wait)
            return {"build": self.build, "error": self.error}

    def _lang_config(self, lang: str) -> str:
        from generator.site.tree import lang_config

        cfg = lang_config(lang, self.config, self.config.build_dir / lang, self.config.site_dir / lang)
        base = yaml.safe_load(self.config.base_config.read_text(encoding="utf-8")) or {}
        scripts = list(base.get("extra_javascript") or [])
        cfg["extra_javascript"] = [*scripts, RELOAD_ASSET]
        return yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False)

    def rebuild(self) -> bool:
        """Validate, render what changed, write it, run MkDocs; False (and the site untouched) on problems.
        After an edit, the pages a writer is looking at come first: the edited papers' own pages and the
        pages open in a browser are made, built and reloaded before the rest (leaderboards, lists, charts)."""
        from generator.corpus.core import build_corpus
        from generator.config import LANGS
        from generator.render.pages import Output, SiteRenderer
        from generator.site.tree import TreeError, fresh, write_static

        t0 = time.perf_counter()
        checked = validate_tree(self.config.papers, cache=self.validation)
        if checked.problems:
            lines = [formatters.text(p) for p in checked.problems]
            for line in lines:
                print(line, file=sys.stderr)
            print(summary(list(checked.problems), checked.files_checked), file=sys.stderr)
            log("the preview keeps serving the last good site; fix the file to rebuild")
            self._publish(error="\n".join(lines[:20]))
            return False
        assert checked.registries is not None  # set whenever there are no problems
        before = self.corpus
        corpus = self.corpus = build_corpus(
            checked.registries, checked.papers, self.config.survey, root=self.config.papers, previous=before
        )
        build_dir, site_dir = self.config.build_dir, self.config.site_dir
        full = self.previous is None or not build_dir.is_dir() or not site_dir.is_dir()
        configs = {lang: self._lang_config(lang) for lang in LANGS}
        previous = dict(self.previous or {})
        t1 = time.perf_counter()
        renderer = SiteRenderer(corpus, self.config, None, self.memo)  # only pages whose inputs changed are made
        t_init = time.perf_counter()
        shown_first = 0
        changed: list[str] = []
        try:
            first_built: list[float] = []  # when the first pages were built (and open pages told to reload)
            waiter: Optional[threading.Thread] = None
            if not full and before is not None and configs == self.configs:
                first = Output()
                renderer.render_first(self._first_pages(before, corpus), first)
                changed = self._write(first.files, [r for r, c in first.files.items() if previous.get(r) != c])
                previous.update(first.files)
                if changed:
                    shown_first = sum(1 for rel in changed if rel.endswith(".md"))
                    # MkDocs builds them in its workers while this process renders the rest (in memory:
                    # nothing is written until they are built); the open pages reload as soon as they are
                    jobs = self._mkdocs_send(changed, configs, full=False)

                    def wait_for_first() -> None:
                        try:
                            if self._mkdocs_receive(jobs):
                                first_built.append(time.perf_counter())
                                self._publish(built=True)
                        except (OSError, ValueError) as exc:  # ValueError: a worker's pipe closed by a stop
                            if not self.stopping:
                                log(f"error: {exc}")

                    waiter = threading.Thread(target=wait_for_first, name="first-pages", daemon=True)
                    waiter.start()
            t_first = time.perf_counter()
            out = Output()
            renderer.out = out
            for lang in LANGS:
                renderer.render_lang(lang)
            files = dict(out.files)  # the pages; the data files at the root are made while MkDocs runs
            t2 = time.perf_counter()
            if waiter is not None:
                waiter.join()
                if not first_built:  # MkDocs failed, or its pipe did (logged)
                    self.previous = None  # start again from a full build next time
                    return False
            if full:
                fresh(build_dir)
                site_dir.mkdir(parents=True, exist_ok=True)
                write_static(build_dir, self.config, site_dir, preview=True)
            now = self._write(files, [rel for rel, content in files.items() if previous.get(rel) != content])
            now += self._remove(rel for rel in previous.keys() - files.keys() if not rel.startswith("root/"))
            changed += now
            t3 = time.perf_counter()
            if full:  # the first build: the data files are there when the site is first served
                self._root(renderer, out, previous, files)
            if not self._mkdocs_receive(self._mkdocs_send(now, configs, full)):
                return False
            t4 = time.perf_counter()
        except (TreeError, OSError, ValueError) as exc:  # ValueError: a worker's pipe closed by a stop
            if not self.stopping:
                log(f"error: {exc}")
            self.previous = None  # start again from a full build next time
            return False
        t5 = time.perf_counter()
        self._publish(built=True)  # open pages reload now
        deferred = False
        try:
            # after a change, the data files at the root (API, .bib, .tex, papers.json …) follow the pages:
            # made while MkDocs ran, they took a core from it, and the changed page waited for them. A change
            # made meanwhile stops them: the next rebuild makes them from its papers, and does not wait.
            if not full:
                self._root(renderer, out, previous, files, stop=self.pending)
        except Stopped:
            deferred = True
            files.update((rel, content) for rel, content in previous.items() if rel.startswith("root/"))
        except (TreeError, OSError) as exc:
            if not self.stopping:
                log(f"error: {exc}")
            self.previous = None
            return False
        self.previous = files  # the root's files as they are on disk: the last ones made, if these were not
        if not deferred:  # else the next rebuild's run indexes this one's pages too
            threading.Thread(target=self._index, name="search-index", daemon=True).start()
        t6 = time.perf_counter()
        pages = sum(1 for rel in changed if rel.endswith(".md"))
        kind = "built" if full else "rebuilt"
        first_part = f"{shown_first} of them shown first, after {first_built[0] - t0:.2f}s; " if shown_first else ""
        log(
            f"{kind} {len(corpus.papers)} papers in {t5 - t0:.2f}s ({pages} pages changed; {first_part}"
            f"validate {t1 - t0:.2f}s, render {t_init - t1 + t2 - t_first:.2f}s, write {t3 - t2:.2f}s, "
            f"mkdocs {t4 - t3:.2f}s; "
            + (
                f"the data files left to the next change after {t6 - t5:.2f}s)"
                if deferred
                else f"then the data files {t6 - t5:.2f}s)"
            )
        )
        return True

    def _first_pages(self, before: Corpus, corpus: Corpus) -> set[str]:
        """The pages to show before the rest: the edited papers' own (a few: a checkout that changes many
        papers has no page to put first) and those open in a browser now (their poll of /__build)."""
        from generator.config import LANGS
        from generator.render import routes

        edited = [pf.id for pf in corpus.papers if before.by_id.get(pf.id) is not pf]
        if len(edited) > FIRST_PAPERS:  # a checkout, a registry edited: no paper of them comes first
            edited = []
        names = {f"{lang}/{routes.paper(pid)}" for pid in edited for lang in LANGS}
        return names | self.open_pages()

    def _mkdocs_send(self, changed: list[str], configs: dict[str, str], full: bool) -> dict[str, tuple[str, bool]]:
        """Start MkDocs over the languages with changed files (a dirty build unless its configuration
        changed), in the workers; the jobs sent, for _mkdocs_receive."""
        from generator.config import LANGS

        jobs = {}
        for lang in LANGS:
            path = self.config.build_dir / f"mkdocs.{lang}.yml"
            config_changed = full or self.configs.get(lang) != configs[lang]
            if config_changed:
                path.write_text(configs[lang], encoding="utf-8")
                self.configs[lang] = configs[lang]
            if config_changed or any(rel.startswith(f"{lang}/") for rel in changed):
                jobs[lang] = (str(path), not config_changed)
        self.workers.send(jobs)
        return jobs

    def _mkdocs_receive(self, jobs: dict[str, tuple[str, bool]]) -> bool:
        """Wait for the MkDocs builds sent, then write the root's pages; False, the error logged and
        published, when a build fails."""
        from generator.site.finish import write_root_pages

        results = self.workers.receive(jobs)  # the workers answer every job sent
        failed = {lang: r for lang, r in results.items() if not r[0]}
        if failed:
            for lang, (_, message, _) in failed.items():
                log(f"MkDocs [{lang}] failed:\n{message}")
            self.previous = None
            self._publish(error="MkDocs failed: see the terminal")
            return False
        write_root_pages(self.config.site_dir, self.config.docs, self.config.survey)
        return True

    def _root(
        self,
        renderer,
        out,
        previous: dict[str, str | bytes],
        files: dict[str, str | bytes],
        stop: Callable[[], bool] = lambda: False,
    ) -> None:
        """The files shared by both languages (site root): made, and those that changed written. `stop`
        is asked before each file is made; when it says True, pages.Stopped is raised and nothing written."""
        renderer.render_root(stop)
        root = {rel: content for rel, content in out.files.items() if rel.startswith("root/")}
        self._write(root, [rel for rel, content in root.items() if previous.get(rel) != content])
        self._remove(rel for rel in previous.keys() - root.keys() if rel.startswith("root/"))
        files.update(root)

    def _index(self) -> None:
        """Pagefind over the preview's pages, one run at a time (a later rebuild's run waits for this one)."""
        from generator.site.search import SearchError, SearchInterrupted, index_site

        with self._indexing:
            try:
                t0 = time.perf_counter()
                # keep_sources: the next dirty build adds to them; background: at a lower priority than rebuilds
                index_site(self.config.site_dir, keep_sources=True, background=True)
                log(f"search index updated in {time.perf_counter() - t0:.2f}s")
            except SearchInterrupted:
                pass  # Ctrl-C reached Pagefind too: serve is stopping
            except SearchError as exc:
                if not self.stopping:
                    log(f"error: {exc}")

    def _publish(self, built: bool = False, error: Optional[str] = None) -> None:
        """A new build number (open pages reload) or the papers' problems (open pages show them)."""
        with self.changed:
            if built:
                self.build += 1
            self.error = error
            self.changed.notify_all()

    def _write(self, files: dict[str, str | bytes], rels: list[str]) -> list[str]:
        """Write these files of the rendered site as the build does (tree.TreeWriter)."""
        from generator.site.tree import TreeWriter

        writer = TreeWriter(self.config.build_dir, self.config.site_dir)
        for rel in rels:
            writer.add(rel, files[rel])
        return rels

    def _remove(self, rels: Iterable[str]) -> list[str]:
        build_dir, site_dir = self.config.build_dir, self.config.site_dir
        removed = list(rels)
        for rel in removed:
            if rel.startswith("root/"):
                (site_dir / rel.removeprefix("root/")).unlink(missing_ok=True)
                continue
            (build_dir / rel).unlink(missing_ok=True)
            lang, _, inner = rel.partition("/")
            if inner.endswith("index.md"):  # the page goes: its HTML too
                page_dir = site_dir / lang / inner[: -len("index.md")]
                (page_dir / "index.html").unlink(missing_ok=True)
                try:
                    page_dir.rmdir()
                except OSError:
                    pass
            else:
                (site_dir / lang / inner).unlink(missing_ok=True)
        return removed


# Watching papers/ --------------------------------------------------------------------------------


class Trigger:
    """Set by the watcher, waited on by the builder; debounced."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.last = 0.0

    def fire(self) -> None:
        self.last = time.monotonic()
        self.event.set()

    def wait(self, stop: threading.Event) -> bool:
        while not stop.is_set():
            if self.event.wait(0.2):
                while not stop.is_set():
                    quiet = time.monotonic() - self.last
                    if quiet >= DEBOUNCE:
                        break
                    time.sleep(DEBOUNCE - quiet)
                self.event.clear()
                return not stop.is_set()
        return False


def _relevant(path: str) -> bool:
    name = os.path.basename(path)
    return not (name.startswith(".") or name.endswith(("~", ".swp", ".swx", ".tmp")) or name.startswith("#"))


def watch(papers: Path, trigger: Trigger):
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event):
            if event.event_type in ("opened", "closed_no_write"):
                return
            paths = [event.src_path, getattr(event, "dest_path", "") or ""]
            if any(p and _relevant(os.fsdecode(p)) for p in paths):
                trigger.fire()

    observer = Observer()
    observer.schedule(Handler(), str(papers), recursive=True)
    observer.daemon = True
    observer.start()
    return observer


# Serving ------------------------------------------------------------------------------------------


class Handler(http.server.SimpleHTTPRequestHandler):
    preview: Preview  # set on the subclass made in run()

    def log_message(self, *args) -> None:  # the terminal is for build messages
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        if path == BUILD_ENDPOINT:
            asked = urllib.parse.parse_qs(query)
            since = asked.get("since", [""])[0]
            if "page" in asked:
                self.preview.seen(asked["page"][0])
            state = self.preview.state(int(since) if since.isdigit() else None, LONG_POLL)
            body = json.dumps(state).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if not Path(self.directory).is_dir():
            self.send_error(503, "No site yet: the papers have problems (see the terminal)")
            return
        super().do_GET()

    def send_error(self, code, message=None, explain=None):
        if code == 404:
            page = Path(self.directory) / "404.html"
            if page.is_file():
                body = page.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
                return
        super().send_error(code, message, explain)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return  # the reader went away (closed the tab, or gave up waiting during the first build)
        super().handle_error(request, client_address)


PREVIEW_DIR = "preview"  # below the repository: the preview's own site and tree (git-ignored)


def preview_dirs(args: argparse.Namespace, root: Optional[Path] = None) -> tuple[Path, Path]:
    """Where the preview builds: its own folder, so that site/ stays the last full build (`make site`),
    whose links point at SITE_URL, not at the preview's port. --site-dir / --build-dir override it."""
    from generator.config import ROOT

    base = (root or ROOT) / PREVIEW_DIR
    return (
        Path(args.site_dir) if args.site_dir else base / "site",
        Path(args.build_dir) if args.build_dir else base / "build",
    )


def run(args: argparse.Namespace) -> int:
    from generator.config import ConfigError, SiteConfig
    from generator.config import LANGS

    host, port = args.host, args.port
    url_host = f"[{host}]" if ":" in host else host
    try:
        server = Server((host, port), Handler)
    except OSError as exc:
        print(f"generator serve: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    port = server.server_address[1]  # --port 0 picks a free one
    try:
        config = SiteConfig.from_env(
            site_url=f"http://{url_host}:{port}/",  # passed, not put in os.environ: nothing else changes
            papers=Path(args.papers) if args.papers else None,
            site_dir=preview_dirs(args)[0],
            build_dir=preview_dirs(args)[1],
        )
    except ConfigError as exc:
        server.server_close()
        print(f"generator serve: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not is_papers_folder(config.papers):
        server.server_close()
        print(f"generator serve: no papers folder at {config.papers} (looked for datasets.yaml)", file=sys.stderr)
        return EXIT_USAGE
    config = dataclasses.replace(
        config, papers=config.papers.resolve(), site_dir=config.site_dir.resolve(), build_dir=config.build_dir.resolve()
    )

    def stop_on_term(signum, frame):
        raise KeyboardInterrupt

    previous_term = signal.signal(signal.SIGTERM, stop_on_term)
    workers = observer = None
    preview: Optional[Preview] = None
    serving = False
    stop = threading.Event()
    try:
        workers = Workers(LANGS)
        trigger = Trigger()
        preview = Preview(config, workers, pending=trigger.event.is_set)
        handler = type("PreviewHandler", (Handler,), {"preview": preview})
        server.RequestHandlerClass = functools.partial(handler, directory=str(config.site_dir))
        observer = watch(config.papers, trigger)
        log(f"building {config.papers} ...")
        preview.rebuild()
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
        serving = True
        log(f"serving {config.site_dir} at http://{url_host}:{port}/ (watching {config.papers}; Ctrl-C to stop)")

        def builder() -> None:
            while trigger.wait(stop):
                log("change detected, rebuilding ...")
                try:
                    preview.rebuild()
                except Exception as exc:  # keep serving; the next change may fix it
                    if not preview.stopping:
                        log(f"rebuild failed: {type(exc).__name__}: {exc}")

        thread = threading.Thread(target=builder, daemon=True)
        thread.start()
        while thread.is_alive():
            thread.join(0.5)
        return EXIT_OK
    except KeyboardInterrupt:
        print(file=sys.stderr)
        log("stopped")
        return EXIT_OK
    finally:
        stop.set()
        if preview is not None:
            preview.stopping = True
        signal.signal(signal.SIGTERM, previous_term)
        if observer is not None:
            observer.stop()
        if serving:
            server.shutdown()
        server.server_close()
        if workers is not None:
            workers.close()
