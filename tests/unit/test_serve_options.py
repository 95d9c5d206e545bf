"""How a contributor starts the preview: on a port of their choice (`make serve PORT=…`), into its own
folder, so that site/ stays the last full build."""

import argparse
import subprocess

from helpers import ROOT

from generator.site.serve import preview_dirs


def test_the_preview_builds_into_its_own_folder_unless_told():
    args = argparse.Namespace(site_dir=None, build_dir=None)
    site, tree = preview_dirs(args, ROOT)
    assert site == ROOT / "preview" / "site" and tree == ROOT / "preview" / "build"
    assert ROOT / "site" not in (site, tree) and ROOT / "build" not in (site, tree)
    chosen = preview_dirs(argparse.Namespace(site_dir="/tmp/s", build_dir="/tmp/b"), ROOT)
    assert chosen == (ROOT.__class__("/tmp/s"), ROOT.__class__("/tmp/b"))
    assert "/preview/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_make_serve_takes_a_port():
    plan = subprocess.run(
        ["make", "-n", "--no-print-directory", "serve", "PORT=8123"], cwd=ROOT, capture_output=True, text=True
    )
    assert plan.returncode == 0, plan.stderr
    assert "-m generator serve --port 8123" in plan.stdout
    default = subprocess.run(["make", "-n", "--no-print-directory", "serve"], cwd=ROOT, capture_output=True, text=True)
    assert "-m generator serve --port 8000" in default.stdout


def test_a_busy_port_is_a_clear_error_not_a_traceback():
    import socket
    import sys

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "generator", "serve", "--port", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in proc.stderr and "Traceback" not in proc.stderr
