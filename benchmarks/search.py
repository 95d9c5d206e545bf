"""Search's first query in a real browser (issue 17): bytes fetched and time to the first result.

    .venv/bin/python benchmarks/search.py SITE [--query en=segmentation --query zh=语义分割] [--runs 3]

SITE is a built site (`python -m generator build --site-dir SITE …`), with either design:
  material   mkdocs-material's search plugin (search/search_index.json, lunr in a web worker)
  pagefind   Pagefind (pagefind/ in each language, assets/search.js)
The design is read from the site. For each language: a fresh browser context (empty cache) opens the home
page over http (gzip level 6, as bench.py measures page weight) and waits until the network is idle; then,
as a reader does, the search box is opened and the query typed. Measured from opening search:
  bytes   everything the server sends (gzip bytes on the wire) until the first result is shown, split
          into the index (data that grows with the corpus) and code (scripts, WebAssembly: a fixed cost)
  time    from opening search to the first result on screen (median of --runs runs; each cold)
Headless Debian chromium (tests/browser/conftest.py). Note the machine's load (`uptime`) with the figures.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import socketserver
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

GZIP_LEVEL = 6
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


class Handler(http.server.SimpleHTTPRequestHandler):
    sent: list[tuple[float, str, int]]  # (when, path, bytes), set on the class by serve()

    def log_message(self, *args):
        pass

    def send_head(self):
        import io

        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return super().send_head()
        with open(path, "rb") as fh:
            data = fh.read()
        # already compressed (Pagefind's index files are gzip inside): sent as they are
        if "gzip" in self.headers.get("Accept-Encoding", "") and not data.startswith(b"\x1f\x8b"):
            data = gzip.compress(data, GZIP_LEVEL)
            encoded = True
        else:
            encoded = False
        self.sent.append((time.monotonic(), self.path.split("?")[0], len(data)))
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        if encoded:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


def serve(site: Path):
    sent: list = []
    handler = type("H", (Handler,), {"sent": sent})
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, sent


def design(site: Path) -> str:
    if (site / "en" / "pagefind").is_dir():
        return "pagefind"
    if (site / "en" / "search" / "search_index.json").is_file():
        return "material"
    raise SystemExit(f"{site}: no search index of either design")


OPEN = {"material": "label.md-search__icon, .md-search__input", "pagefind": "button.ss-search-open"}
RESULT = {"material": ".md-search-result__item", "pagefind": ".ss-search-results a"}


def is_index(path: str) -> bool:
    return path.endswith(("search_index.json", ".pf_meta", ".pf_index", ".pf_fragment", "pagefind-entry.json"))


def one(browser, base: str, sent: list, kind: str, lang: str, query: str) -> dict:
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN" if lang == "zh" else "en-US")
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/{lang}/")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    mark = len(sent)
    start = time.monotonic()
    page.locator(OPEN[kind]).first.click()
    page.keyboard.insert_text(query)
    page.keyboard.press("End")  # material listens to keyup
    page.wait_for_selector(RESULT[kind], timeout=60000)
    elapsed = time.monotonic() - start
    page.wait_for_timeout(
        200
    )  # requests still in flight when the first result shows (counted: the reader's network carries them)
    got = sent[mark:]
    n = page.locator(RESULT[kind]).count()
    ctx.close()
    return {
        "ms": elapsed * 1000,
        "index": sum(b for _, p, b in got if is_index(p)),
        "code": sum(b for _, p, b in got if not is_index(p)),
        "requests": len(got),
        "results": n,
        "errors": errors,
        "files": sorted({p for _, p, _ in got}),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("site", type=Path)
    ap.add_argument("--query", action="append", default=[], help="LANG=QUERY (default en=segmentation, zh=语义分割)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("-v", "--verbose", action="store_true", help="list the files fetched")
    args = ap.parse_args(argv)
    queries = [tuple(q.split("=", 1)) for q in args.query] or [("en", "segmentation"), ("zh", "语义分割")]
    kind = design(args.site)
    from playwright.sync_api import sync_playwright

    httpd, sent = serve(args.site)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    print(f"design: {kind}   load: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for lang, query in queries:
            runs = [one(browser, base, sent, kind, lang, query) for _ in range(args.runs)]
            r = runs[-1]
            print(
                f"{lang} {query!r}: first query fetches {r['index'] / 1024:.1f} KB index + {r['code'] / 1024:.1f} KB code"
                f" = {(r['index'] + r['code']) / 1024:.1f} KB gzip in {r['requests']} requests;"
                f" first result after {statistics.median(x['ms'] for x in runs):.0f} ms"
                f" (runs: {', '.join(str(round(x['ms'])) for x in runs)}); {r['results']} results shown"
                + (f"; script errors: {r['errors']}" if r["errors"] else "")
            )
            if args.verbose:
                for f in r["files"]:
                    print("   ", f)
        browser.close()
    httpd.shutdown()
    print(f"load after: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
