"""Where the time of one `build` goes: the real build_site(), with each phase of generator/build.py
timed (wall, and CPU of this process plus its children), and optionally cProfile'd.

    .venv/bin/python benchmarks/phases.py PAPERS_DIR [--profile OUT.prof] [--mkdocs-profile DIR]

--mkdocs-profile runs each language's `mkdocs build` under cProfile too (DIR/en.prof, DIR/zh.prof).
The phases are wrapped, not copied, so this follows whatever build.py does today.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import build as B  # noqa: E402
from generator.cli import load_corpus  # noqa: E402
from generator.config import SiteConfig  # noqa: E402

TIMES: list[tuple[str, float, float, float]] = []


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _cpu() -> float:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def timed(name, fn):
    def wrapper(*a, **k):
        w, c = time.perf_counter(), _cpu()
        try:
            return fn(*a, **k)
        finally:
            TIMES.append((name, time.perf_counter() - w, _cpu() - c, _rss_mb()))
    return wrapper


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("papers", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "phases")
    ap.add_argument("--profile", type=Path)
    ap.add_argument("--mkdocs-profile", type=Path)
    a = ap.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if a.mkdocs_profile:
        a.mkdocs_profile.mkdir(parents=True, exist_ok=True)
        real_run = B.subprocess.run

        def run(cmd, *args, **kw):
            if "mkdocs" in cmd:
                lang = Path(cmd[cmd.index("-f") + 1]).name.split(".")[1]
                cmd = [cmd[0], "-m", "cProfile", "-o", str(a.mkdocs_profile / f"{lang}.prof"), *cmd[1:]]
            return real_run(cmd, *args, **kw)
        B.subprocess.run = run
    config = SiteConfig.from_env(papers=a.papers, site_dir=a.out / "site", build_dir=a.out / "build")
    w0, c0 = time.perf_counter(), _cpu()
    corpus = timed("validate+corpus", load_corpus)(config.papers)
    # force the corpus indexes now, so that "render" is the rendering alone
    corpus = timed("corpus indexes", lambda c: (c.boards, c.ranks_of, c.by_year, c.by_topic, c.newest_first) and c)(corpus)
    for name in ("render_site", "write_tree", "run_mkdocs", "assemble_root", "add_csp", "swap_in"):
        if hasattr(B, name):
            setattr(B, name, timed(name, getattr(B, name)))
    prof = cProfile.Profile() if a.profile else None
    if prof:
        prof.enable()
    B.build_site(corpus, config)
    if prof:
        prof.disable()
        prof.dump_stats(str(a.profile))
    for name, w, c, rss in TIMES:
        print(f"{name:16s} wall {w:7.2f} s   cpu {c:7.2f} s   this process after it {rss:6.0f} MB")
    print(f"{'total':16s} wall {time.perf_counter() - w0:7.2f} s   cpu {_cpu() - c0:7.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
