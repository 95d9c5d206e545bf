"""Browser tests: the real corpus built once, served on 127.0.0.1, opened in Debian's Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import threading
from pathlib import Path

import pytest

from helpers import ROOT, run_build

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder `browser` (pytest ignores `pytestmark` in a conftest).

    Each of them builds the site or starts a server too, so they are `slow` as well: `-m "not slow"` must
    not open Chromium either.
    """
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


def need_chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI ({CHROMIUM} not found)")
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")


class Quiet(http.server.SimpleHTTPRequestHandler):
    """A static server like GitHub Pages: gzip for clients that accept it, short cache lifetime."""

    def log_message(self, *args):  # keep test output readable
        pass

    def send_head(self):
        import gzip
        import io

        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not os.path.isfile(path):
            return super().send_head()
        with open(path, "rb") as fh:
            data = gzip.compress(fh.read(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(data)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(directory: Path, port: int = 0):
    handler = functools.partial(Quiet, directory=str(directory))
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", port), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def build_into(papers: Path, work: Path, port: int) -> Path:
    site = work / "site"
    # site_url is where the test server puts the site (port included), so that the pages' absolute URLs
    # (canonical links, sitemap, feeds, badges) point at the server the tests read
    proc = run_build(
        papers,
        site,
        work / "build",
        {"SITE_URL": f"http://127.0.0.1:{port}/", "REPO_URL": "https://github.com/owner/repo"},
    )
    assert proc.returncode == 0, proc.stderr
    return site


@pytest.fixture(scope="session")
def real_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def real_site(tmp_path_factory, real_port) -> Path:
    return build_into(ROOT / "papers", tmp_path_factory.mktemp("real"), real_port)


@pytest.fixture(scope="session")
def server(real_site, real_port):
    httpd = serve(real_site, real_port)
    yield f"http://127.0.0.1:{real_port}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def every_row(page, table: str = "#board-table") -> int:
    """A board's rows all in its table and shown: a long board has its first rows on the page and fetches the
    rest from rows.html ("show all", site.js restRows). The number of rows, as the table states it."""
    from playwright.sync_api import expect

    total = int(page.locator(table).get_attribute("data-rows"))
    more = page.locator(f"a[data-show-all='{table.removeprefix('#')}']")
    if more.count() and more.is_visible():
        more.click()
    # polled by Playwright, not by a string evaluated in the page: the site's policy forbids that (no
    # 'unsafe-eval'), and Playwright falls back to it when the first look finds the rows not there yet
    expect(page.locator(f"{table} tbody tr:not([hidden])")).to_have_count(total)
    return total


class Page:
    """A page with the script errors and CSP violations it produced collected."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)

    def __getattr__(self, name):
        return getattr(self.page, name)


def requested(page) -> list[str]:
    """The URLs the page fetches from now on (filled as it goes)."""
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    return urls


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(color_scheme: str = "light", locale: str = "en-US", **kw) -> Page:
        ctx = browser.new_context(
            color_scheme=color_scheme, locale=locale, viewport={"width": 1280, "height": 900}, **kw
        )
        contexts.append(ctx)
        return Page(ctx.new_page())

    yield make
    for ctx in contexts:
        ctx.close()
