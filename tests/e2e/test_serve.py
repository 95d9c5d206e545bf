"""`generator serve` as a contributor uses it: edit a paper, see the page change; break it, read the
located error in the terminal while the last good page stays; fix it, see the preview recover."""

import os
import re
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

from helpers import FIXTURES, ROOT

pytestmark = pytest.mark.slow

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


class Serve:
    """The command in its own process group; its terminal output collected as it comes."""

    def __init__(self, work: Path, papers: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        env.pop("SITE_URL", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--port", str(self.port), "--papers", str(papers),
             "--site-dir", str(work / "site"), "--build-dir", str(work / "build")],
            cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
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


@pytest.fixture
def serve(tmp_path):
    papers = tmp_path / "papers"
    shutil.copytree(FIXTURES / "valid" / "papers", papers)
    s = Serve(tmp_path, papers)
    try:
        yield s, papers
    finally:
        s.stop()


def test_edit_break_and_fix_a_paper_while_serving(serve):
    s, papers = serve
    fcn = papers / "2015" / "fcn.yaml"
    html = s.wait_for(lambda: s.page("/en/papers/fcn/"), "the FCN page")
    assert "FCN-8s" in html
    # built for the address it is served at (material's language switch needs it), with the reload script
    assert f"<loc>http://127.0.0.1:{s.port}/en/papers/fcn/</loc>" in s.page("/en/sitemap.xml")
    assert re.search(r'<script src="[./]*assets/reload\.js"', html)
    assert "Content-Security-Policy" in html and "script-src 'self'" in html
    build = s.wait_for(lambda: re.search(r'"build": (\d+)', s.page("/__build")), "the build endpoint").group(1)

    # 1. edit: the served page shows the change, and so does the leaderboard it is ranked on
    fcn.write_text(fcn.read_text().replace("model: FCN-8s", "model: FCN-8s Edited"), encoding="utf-8")
    s.wait_for(lambda: "FCN-8s Edited" in s.page("/en/papers/fcn/"), "the edited model name on the paper page")
    assert "FCN-8s Edited" in s.page("/en/leaderboards/cityscapes-test/")
    assert "FCN-8s Edited" in s.page("/zh/papers/fcn/")
    assert s.page("/en/papers/pspnet/")  # the other pages are still there
    assert re.search(r'"build": (\d+)', s.page("/__build")).group(1) != build  # open tabs reload
    assert "Content-Security-Policy" in s.page("/en/papers/fcn/")

    # 2. break: the terminal names file, line and column; the last good page is still served
    fcn.write_text(fcn.read_text().replace("dataset: cityscapes", "dataset: cityscape"), encoding="utf-8")
    s.wait_for(lambda: "error: unknown dataset 'cityscape'" in s.output, "the located error in the terminal")
    assert re.search(r"papers/2015/fcn\.yaml:12:14: error: unknown dataset 'cityscape' \(did you mean 'cityscapes'\?\)",
                     s.output), s.output
    assert "FCN-8s Edited" in s.page("/en/papers/fcn/")
    assert "cityscape'" in s.page("/__build")  # open tabs show the error

    # 3. fix: the preview recovers with the new content
    fcn.write_text(fcn.read_text().replace("dataset: cityscape\n", "dataset: cityscapes\n")
                   .replace("FCN-8s Edited", "FCN-8s Fixed"), encoding="utf-8")
    s.wait_for(lambda: "FCN-8s Fixed" in s.page("/en/papers/fcn/"), "the fixed page")
    assert '"error": null' in s.page("/__build")
    assert "Traceback" not in s.output


def test_ctrl_c_stops_cleanly(serve):
    s, _ = serve
    s.wait_for(lambda: s.page("/en/"), "the home page")
    os.killpg(s.proc.pid, signal.SIGINT)
    assert s.proc.wait(timeout=30) in (0, 130)
    time.sleep(0.2)
    assert "Traceback" not in s.output, s.output
    assert fetch(s.base + "/en/")[0] == 0  # nothing listens any more
