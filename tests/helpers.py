"""Shared by the tests: paths and running the command line as a user would."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(ROOT))


def located(path: Path, text: str) -> str:
    """LINE:COL of the value after the key in the first line holding `text` ("dataset: cityscape\n"), 1-based."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(keepends=True), 1):
        if text in line:
            return f"{n}:{line.index(text) + text.index(':') + 3}"
    raise AssertionError(f"{text!r} is not in {path}")


def board_rows(html: str) -> list[tuple[str, str]]:
    """(rank, model label as a reader sees it) of each row of a built board page, in page order."""
    import html as html_lib
    import re

    cells = re.findall(
        r'<td class="ss-c-rank" data-sort="[^"]*">.*?<span class="ss-rank">([^<]*)</span></td>'
        r'<td class="ss-c-model">(.*?)</td>',
        html,
    )

    def text(model: str) -> str:  # without the tags printed under the model
        return html_lib.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<span class="ss-tags".*?</span>', "", model))).strip()

    return [(rank, text(model)) for rank, model in cells]


def run_cli(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m generator ...` as a user would, in a working directory."""
    full_env = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, env=full_env, timeout=600
    )


def run_build(
    papers: Path, site: Path, build_dir: Path, env: dict | None = None, *options: str
) -> subprocess.CompletedProcess:
    """`python -m generator build` of `papers` into `site`, its working tree in `build_dir`."""
    args = ("--papers", str(papers), "--site-dir", str(site), "--build-dir", str(build_dir))
    return run_cli("build", *options, *args, env=env)


# The live preview (`generator serve`), as a contributor runs it -------------------------------------

WAIT = 90  # seconds: a bound on waiting, not a timing assertion


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def _sigint_default() -> None:  # in the child, before it runs serve
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Serve:
    """The command in its own process group; its terminal output collected as it comes."""

    def __init__(self, work: Path, papers: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        env.pop("SITE_URL", None)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "generator",
                "serve",
                "--port",
                str(self.port),
                "--papers",
                str(papers),
                "--site-dir",
                str(work / "site"),
                "--build-dir",
                str(work / "build"),
            ],
            cwd=work,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            # Ctrl-C as a terminal sends it, whatever the suite was started from: a shell's background job
            # (`make test &`, a CI runner's) ignores SIGINT, the ignoring is inherited, and Python then
            # installs no KeyboardInterrupt handler: serve would not hear the tests' SIGINT at all
            preexec_fn=_sigint_default,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, what, message: str):
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            got = what()
            if got:
                return got
            if self.proc.poll() is not None:
                pytest.fail(f"serve exited with {self.proc.returncode} while waiting for {message}:\n{self.output}")
            time.sleep(0.2)
        pytest.fail(f"waited {WAIT}s for {message}; serve said:\n{self.output}")

    def page(self, path: str) -> str:
        status, body = fetch(self.base + path)
        return body if status == 200 else ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


@contextlib.contextmanager
def serving_fixture_papers(work: Path):
    """`serve` on a copy of the valid fixture corpus in `work`: (Serve, papers folder); stopped after."""
    papers = work / "papers"
    shutil.copytree(FIXTURES / "valid" / "papers", papers)
    s = Serve(work, papers)
    try:
        yield s, papers
    finally:
        s.stop()


# A stand-in for a web service, on 127.0.0.1 (arXiv, Crossref, the pages check-links follows) -------


@contextlib.contextmanager
def local_http(answer):
    """Serve `answer(method, path, headers) -> (status, headers, body)` on 127.0.0.1 from a thread.

    Yields (base URL, the requests seen as (method, path, headers)). `answer` may sleep to play a
    server that does not answer in time."""
    import http.server

    seen: list[tuple[str, str, dict]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _reply(self):
            seen.append((self.command, self.path, dict(self.headers)))
            status, headers, body = answer(self.command, self.path, dict(self.headers))
            try:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a time-out test)

        do_GET = do_HEAD = _reply

        def log_message(self, *args):  # quiet
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
