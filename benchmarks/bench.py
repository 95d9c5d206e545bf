"""Benchmark of `validate` and the full bilingual `build` against plain mkdocs-material (issue 9).

For each size N (default 500, 2000, 5000) this script
  1. writes a synthetic corpus of N papers (benchmarks/synth.py, fixed seed) to benchmarks/out/papers-N/;
  2. times `python -m generator validate` on it;
  3. times `python -m generator build` on it (en ∥ zh, the real command, a fresh build and site folder);
  4. builds a REFERENCE: plain mkdocs-material (this venv, same versions, the same mkdocs.yml theme
     settings, search plugin on) building, in one process, as many pages as step 3 produced in both
     languages together, one paper-like Markdown page each (front matter, headings, paragraphs, a
     Markdown results table, a BibTeX block; en pages in English, zh pages in Chinese), none in nav;
  5. measures page weight (gzip) and the search index of each language;
  6. for N = 2000 (--serve-sizes), times the live preview (`python -m generator serve`): from writing a
     changed paper file to its page showing the change in both languages, three edits.

Time is wall-clock (and CPU = user+sys of the whole process tree, from wait4). Peak memory is the
largest sum of PSS (shared pages counted once) and of RSS over the whole process tree at one instant
(sampled from /proc every 20 ms), and
also the largest single process (ru_maxrss from wait4). All figures come from one run.

    .venv/bin/python benchmarks/bench.py [--sizes 500,2000,5000] [--serve-sizes 2000] [--keep]
"""

from __future__ import annotations

import argparse
import gzip
import html.parser
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
PY = sys.executable
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

sys.path.insert(0, str(ROOT))
from generator.site.tree import is_html, set_aside  # noqa: E402

SEED = 9


def _for_markdown(rel: str, text: str) -> str:
    from mkdocs.utils.meta import get_data

    body, meta = get_data(text)
    return "" if is_html(meta) else set_aside(rel, body)[0]


GZIP_LEVEL = 6  # what common static hosts and `gzip` use by default


# measuring processes ----------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(b")") + 2 :].split()[1])
        tree.setdefault(ppid, []).append(int(d))
    return tree


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except (OSError, IndexError, ValueError):
        return 0


def _pss_kb(pid: int) -> int:
    """Proportional set size: pages shared by several processes (a fork's copy-on-write memory, shared
    libraries) counted once over them all, so a tree's sum is the memory it really holds."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        pass
    return 0


def _tree_kb(root: int, pss: bool = True) -> tuple[int, int]:
    """(sum of RSS, sum of PSS or 0) over the process tree, now."""
    tree = _children()
    rss = pss_total = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        rss += _rss_kb(pid)
        pss_total += _pss_kb(pid) if pss else 0
        todo += tree.get(pid, [])
    return rss, pss_total


@dataclass
class Run:
    wall: float
    cpu: float  # user + sys of the whole tree
    peak_tree_mb: float  # largest sum of RSS over the tree at one instant
    peak_proc_mb: float  # largest single process (ru_maxrss)
    rc: int
    out: str = ""
    peak_pss_mb: float = 0.0  # largest sum of PSS over the tree at one instant (shared pages once)


def run(cmd: list[str], env: dict | None = None, cwd: Path = ROOT) -> Run:
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        # RSS every 20 ms; PSS (smaps_rollup walks every page table, itself costly) every 200 ms
        n = 0
        while not done.is_set():
            rss, pss = _tree_kb(p.pid, pss=n % 10 == 0)
            peak[0] = max(peak[0], rss)
            peak[1] = max(peak[1], pss)
            n += 1
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(p.stdout.read()), daemon=True)
    reader.start()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    reader.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        wall,
        ru.ru_utime + ru.ru_stime,
        peak[0] / 1024,
        ru.ru_maxrss / 1024,
        p.returncode,
        b"".join(chunks).decode("utf-8", "replace"),
        peak[1] / 1024,
    )


# the reference ----------------------------------------------------------------------------------

ZH_HEAD = {"abstract": "摘要", "notes": "笔记", "results": "结果", "meta": "发表"}
EN_HEAD = {"abstract": "Abstract", "notes": "Notes", "results": "Results", "meta": "Published"}


def reference_page(p: dict, lang: str) -> str:
    head = ZH_HEAD if lang == "zh" else EN_HEAD
    links = " · ".join(f"[{k}]({v})" for k, v in (p.get("links") or {}).items())
    lines = [
        "---",
        f"title: {json.dumps(p.get('name') or p['title'], ensure_ascii=False)}",
        "---",
        "",
        f"# {p['title']}",
        "",
        ", ".join(p.get("authors") or []),
        "",
        f"{head['meta']}: {p.get('venue', '').upper()} {p.get('date') or p['year']} · arXiv "
        f"[{p['ids']['arxiv']}](https://arxiv.org/abs/{p['ids']['arxiv']})",
        "",
        links,
        "",
    ]
    topics = p.get("topics") or []
    if topics:
        lines += [" ".join(f"`{t}`" for t in topics), ""]
    if p.get("abstract"):
        lines += [f"## {head['abstract']}", "", p["abstract"], ""]
    notes = p.get("notes") or {}
    note = notes.get(lang) or next(iter(notes.values()), None)
    if note:
        lines += [f"## {head['notes']}", "", note, ""]
    lines += [f"## {head['results']}", ""]
    results = p.get("results") or []
    if results:
        lines += ["| Benchmark | Model | Metrics | Rank | Source |", "| --- | --- | --- | --- | --- |"]
        for i, r in enumerate(results):
            metrics = " · ".join(f"{k} {v}" for k, v in r["metrics"].items())
            src = p["sources"][r["source"]]  # format 2: a key into the paper's sources, the locator on the result
            lines.append(
                f"| [{r['dataset']} {r['split']}](#) | {r['model']} | {metrics} | #{i + 1} / 100 | "
                f"[{src['name']}]({src['url']}), {r.get('locator', '')} |"
            )
        lines.append("")
    else:
        lines += ["—", ""]
    authors = " and ".join(p.get("authors") or [])
    lines += [
        "## BibTeX",
        "",
        "```bibtex",
        f"@article{{ref{p['ids']['arxiv'].replace('.', '')},",
        f"  author = {{{authors}}},",
        f"  title = {{{p['title']}}},",
        f"  year = {{{p['year']}}},",
        f"  eprint = {{{p['ids']['arxiv']}}},",
        f"  url = {{https://arxiv.org/abs/{p['ids']['arxiv']}}}",
        "}",
        "```",
        "",
    ]
    return "\n".join(lines)


def write_reference(papers_dir: Path, pages: dict[str, int], dest: Path, assets: Path) -> tuple[Path, int]:
    """One process, pages['en'] English + pages['zh'] Chinese paper-like pages; returns its config."""
    if dest.exists():
        shutil.rmtree(dest)
    docs = dest / "docs"
    docs.mkdir(parents=True)
    papers = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in sorted(papers_dir.glob("*/*.yaml"))]
    n = 0
    for lang in ("en", "zh"):
        for i in range(pages[lang]):
            p = papers[i % len(papers)]
            path = docs / f"{lang}-{i:05d}" / "index.md"
            path.parent.mkdir()
            path.write_text(reference_page(p, lang), encoding="utf-8")
            n += 1
    # the index page replaces one of the pages, so the total is the same
    shutil.rmtree(docs / "en-00000")
    (docs / "index.md").write_text("# Reference\n\nPlain mkdocs-material.\n", encoding="utf-8")
    # the same stylesheet and scripts as the site (mkdocs.yml lists them): the real build's copy of them
    shutil.copytree(assets, docs / "assets")
    cfg = {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "docs_dir": str(docs),
        "site_dir": str(dest / "site"),
        "site_url": "http://127.0.0.1:8000/",
        "plugins": ["search"],
        "nav": [{"Home": "index.md"}],
    }
    conf = dest / "mkdocs.yml"
    conf.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return conf, n


# page weight ------------------------------------------------------------------------------------


class _Refs(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.config = ""
        self._in_config = False
        self.chart = None
        self.figures: list[str] = []
        self.search_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("href") and ({"stylesheet", "icon", "manifest"} & set((a.get("rel") or "").split())):
            self.urls.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "script" and a.get("id") == "__config":
            self._in_config = True
        elif tag == "img" and a.get("src") and not a["src"].startswith("data:"):
            self.urls.append(a["src"])
        elif tag == "form" and a.get("name") == "search":
            self.search_form = True
        if "data-plotly" in a:  # site.js fetches plotly (and the figure) when the reader interacts with a chart
            self.chart = self.chart or a["data-plotly"]
            if a.get("data-figure-src"):
                self.figures.append(a["data-figure-src"])

    def handle_data(self, data):
        if self._in_config:
            self.config += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_config = False


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, GZIP_LEVEL))


def page_weight(site: Path, page: str) -> dict:
    """Bytes a first visit downloads (gzip): the HTML, its CSS, scripts and icon, and material's search
    worker (created on load). Apart: what opening search adds (the search index, held back by
    assets/search-on-demand.js until then, and the lunr language files the worker imports with it), and
    what pointing at a chart adds (plotly and the figure)."""
    path = site / page
    html_bytes = path.read_bytes()
    refs = _Refs()
    refs.feed(html_bytes.decode("utf-8"))
    base = "http://x/" + page.rsplit("index.html", 1)[0]
    files: dict[str, str] = {}
    for u in refs.urls:
        files[urljoin(base, u)] = "assets"
    cfg = json.loads(refs.config) if refs.config.strip() else {}
    site_base = urljoin(base, cfg.get("base", "."))
    if refs.search_form and cfg.get("search"):
        files[urljoin(base, cfg["search"])] = "assets"
        files[urljoin(site_base + "/", "search/search_index.json")] = "search"
        index = json.loads(
            (site / urlsplit(urljoin(site_base + "/", "search/search_index.json")).path.lstrip("/")).read_text(
                encoding="utf-8"
            )
        )
        langs = index["config"]["lang"]
        lunr = urljoin(base, cfg["search"]).rsplit("/workers/", 1)[0] + "/lunr/"
        extra = [f"min/lunr.{lang}.min.js" for lang in langs if lang != "en"]
        extra += ["min/lunr.multi.min.js"] if len(langs) > 1 else []
        if extra:
            files[lunr + "min/lunr.stemmer.support.min.js"] = "search"
            for e in extra:
                files[lunr + e] = "search"
    if refs.chart:
        files[urljoin(base, refs.chart)] = "plotly"
        for f in refs.figures:
            files[urljoin(base, f)] = "plotly"
    out = {"html": _gz(html_bytes), "assets": 0, "search": 0, "plotly": 0}
    for url, kind in files.items():
        local = site / urlsplit(url).path.lstrip("/")
        if local.is_file():
            out[kind] += _gz(local.read_bytes())
    out["total"] = out["html"] + out["assets"]  # first visit, before any interaction
    out["interactive"] = out["total"] + out["plotly"]  # after pointing at a chart
    return out


# one size ---------------------------------------------------------------------------------------


@dataclass
class Row:
    n: int
    papers: int = 0
    results: int = 0
    validate: Run | None = None
    build: Run | None = None
    ref: Run | None = None
    pages: dict = field(default_factory=dict)
    ref_pages: int = 0
    md_kb: dict = field(default_factory=dict)
    html_kb: dict = field(default_factory=dict)
    search_kb: dict = field(default_factory=dict)
    weights: dict = field(default_factory=dict)
    serve: Serve | None = None


def count_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("index.html"))


def bench_size(n: int, keep: bool) -> Row:
    row = Row(n)
    papers = OUT / f"papers-{n}"
    synth.generate(n, papers, SEED)
    site, build = OUT / f"site-{n}", OUT / f"build-{n}"
    for d in (site, build):
        if d.exists():
            shutil.rmtree(d)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL="http://127.0.0.1:8000/")
    row.validate = run([PY, "-m", "generator", "validate", str(papers)], env)
    m = re.search(r"ok: (\d+) papers, (\d+) results", row.validate.out)
    if row.validate.rc != 0 or not m:
        sys.exit(f"validate failed for N={n}:\n{row.validate.out[-3000:]}")
    row.papers, row.results = int(m.group(1)), int(m.group(2))
    row.build = run(
        [PY, "-m", "generator", "build", "--papers", str(papers), "--site-dir", str(site), "--build-dir", str(build)],
        env,
    )
    if row.build.rc != 0:
        sys.exit(f"build failed for N={n}:\n{row.build.out[-3000:]}")
    paper_html = list((site / "en" / "papers").glob("*/index.html")) + list(
        (site / "zh" / "papers").glob("*/index.html")
    )
    row.html_kb["paper pages"] = sum(p.stat().st_size for p in paper_html) / 1024 / len(paper_html)
    for lang in ("en", "zh"):
        row.pages[lang] = count_pages(site / lang)
        idx = site / lang / "search" / "search_index.json"
        if idx.is_file():  # material's search
            row.search_kb[lang] = (idx.stat().st_size / 1024, _gz(idx.read_bytes()) / 1024)
        else:  # Pagefind: the whole index folder (its files are gzip already); a query fetches a few of them
            # (benchmarks/search.py measures that)
            total = sum(f.stat().st_size for f in (site / lang / "pagefind").rglob("*") if f.is_file()) / 1024
            row.search_kb[lang] = (total, total)
        mds = list((build / lang).rglob("*.md"))
        # what Python-Markdown gets: nothing of an HTML body (paper pages), other pages less the blocks
        # hooks.on_page_markdown sets aside
        row.md_kb[lang] = (
            sum(
                len(_for_markdown(p.relative_to(build).as_posix(), p.read_text(encoding="utf-8")).encode()) for p in mds
            )
            / 1024
            / max(1, len(mds))
        )
    # page weight: the Cityscapes test leaderboard and a paper page without a chart, both languages
    for lang in ("en", "zh"):
        row.weights[f"board-{lang}"] = page_weight(site, f"{lang}/leaderboards/cityscapes-test/index.html")
        paper_page = next(
            p for p in sorted((site / lang / "papers").glob("*/index.html")) if b"data-plotly" not in p.read_bytes()
        )
        row.weights[f"paper-{lang}"] = page_weight(site, paper_page.relative_to(site).as_posix())
        row.weights[f"home-{lang}"] = page_weight(site, f"{lang}/index.html")
    # the reference: as many pages as the real build produced, both languages, one process
    ref_dir = OUT / f"reference-{n}"
    conf, row.ref_pages = write_reference(papers, row.pages, ref_dir, build / "en" / "assets")
    ref_mds = list((ref_dir / "docs").rglob("*.md"))
    row.md_kb["reference"] = sum(p.stat().st_size for p in ref_mds) / 1024 / len(ref_mds)
    row.ref = run([PY, "-m", "mkdocs", "build", "-q", "--strict", "-f", str(conf)], env)
    if row.ref.rc != 0:
        sys.exit(f"reference build failed for N={n}:\n{row.ref.out[-3000:]}")
    ref_html = list((ref_dir / "site").glob("*-*/index.html"))
    row.html_kb["reference pages"] = sum(p.stat().st_size for p in ref_html) / 1024 / len(ref_html)
    ref_idx = ref_dir / "site" / "search" / "search_index.json"
    row.search_kb["reference"] = (ref_idx.stat().st_size / 1024, _gz(ref_idx.read_bytes()) / 1024)
    if not keep:
        for d in (site, build, ref_dir):
            shutil.rmtree(d, ignore_errors=True)
    return row


# the live preview -------------------------------------------------------------------------------

SERVE_EDITS = 3
SERVE_TARGET = 3.0  # seconds: "after one paper file changes, the preview shows the change within 3 s"
SERVE_START_TIMEOUT = 600.0  # the first (full) build
SERVE_EDIT_TIMEOUT = 120.0
SERVE_POLL = 0.02
_SERVING = re.compile(r"^serve: serving .* at http://\S+:(\d+)/")
_REBUILT = "serve: rebuilt "
_INDEXED = "serve: search index updated"


@dataclass
class Edit:
    paper: str  # the paper id (its file name without .yaml)
    seconds: float  # from writing the file to the new page in both languages and /__build increased
    every: float  # from writing the file to the rebuild's last new build number (every page of the change built)
    rebuilt: str  # serve's last "rebuilt ..." line for this edit
    rebuilds: int  # how many rebuilds the edit caused


@dataclass
class Serve:
    n: int
    first_build: float  # from starting serve to its "serving" line
    edits: list[Edit] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(e.seconds for e in self.edits)

    @property
    def worst(self) -> float:
        return max(e.seconds for e in self.edits)

    @property
    def every_median(self) -> float:
        return statistics.median(e.every for e in self.edits)


class _Lines:
    """The lines a process writes to a pipe, read in a background thread (so the pipe never fills)."""

    def __init__(self, pipe) -> None:
        self.lines: list[str] = []
        self.cond = threading.Condition()
        self.thread = threading.Thread(target=self._read, args=(pipe,), daemon=True)
        self.thread.start()

    def _read(self, pipe) -> None:
        for raw in pipe:
            with self.cond:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self.cond.notify_all()

    def wait_for(self, pattern: re.Pattern, timeout: float, alive) -> re.Match | None:
        """The first line matching pattern, or None at timeout or once alive() is False."""
        end = time.monotonic() + timeout
        seen = 0
        with self.cond:
            while True:
                for line in self.lines[seen:]:
                    m = pattern.search(line)
                    if m:
                        return m
                seen = len(self.lines)
                left = end - time.monotonic()
                if left <= 0 or not alive():
                    return None
                self.cond.wait(min(left, 0.5))

    def since(self, mark: int, prefix: str) -> list[str]:
        with self.cond:
            return [line for line in self.lines[mark:] if line.startswith(prefix)]

    def mark(self) -> int:
        with self.cond:
            return len(self.lines)

    def tail(self, k: int = 40) -> str:
        with self.cond:
            return "\n".join(self.lines[-k:])


def _build_number(port: int) -> int:
    """serve's build number; -1 while it does not answer (a loaded machine: the rebuild holds the GIL)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/__build", timeout=5) as r:
            state = json.loads(r.read())
    except (TimeoutError, urllib.error.URLError):
        return -1
    if state.get("error"):
        raise RuntimeError(f"serve reports problems:\n{state['error']}")
    return int(state["build"])


def _edit_title(path: Path, marker: str) -> None:
    """Insert marker as the first word of the paper's title (its first line starting with `title: `)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(i for i, line in enumerate(lines) if line.startswith("title: "))
    value = lines[i][len("title: ") :]
    quote = value[0] if value[:1] in ("'", '"') else ""
    lines[i] = f"title: {quote}{marker} {value[len(quote) :]}"
    with open(path, "w", encoding="utf-8") as f:  # in place, as an editor saving the file
        f.write("".join(lines))


def _edited_papers(papers: Path, k: int) -> list[Path]:
    """k paper files spread over the sorted list (paper files live in year folders; registries at the top)."""
    files = sorted(papers.glob("*/*.yaml"))
    return [files[(j * len(files)) // k + len(files) // (2 * k)] for j in range(k)]


def _shown(pages: list[Path], marker: bytes) -> bool:
    try:
        return all(marker in p.read_bytes() for p in pages)
    except OSError:  # being written
        return False


def _time_edit(proc: subprocess.Popen, lines: _Lines, port: int, site: Path, path: Path, marker: str) -> Edit:
    pid = path.stem  # the paper id is the file name without .yaml (validate.py)
    pages = [site / lang / "papers" / pid / "index.html" for lang in ("en", "zh")]
    if not all(p.is_file() for p in pages) or _shown(pages, marker.encode()):
        sys.exit(f"serve benchmark: {pages} missing, or already containing {marker!r}")
    before = _build_number(port)
    mark = lines.mark()
    t0 = time.monotonic()
    _edit_title(path, marker)
    seconds: float | None = None
    build, every = before, 0.0
    # the page first (serve makes an edited paper's pages before the rest), then every page: until serve says
    # the rebuild is done, the time of the last new build number is when the rest of the change was shown
    while seconds is None or not lines.since(mark, _REBUILT):
        number = _build_number(port)
        if number > build:
            build, every = number, time.monotonic() - t0
        if seconds is None and number > before and _shown(pages, marker.encode()):
            seconds = time.monotonic() - t0
        if proc.poll() is not None or time.monotonic() - t0 > SERVE_EDIT_TIMEOUT:
            sys.exit(
                f"serve benchmark: {pid} not shown after {time.monotonic() - t0:.0f}s "
                f"(serve {'exited' if proc.poll() is not None else 'running'}):\n{lines.tail()}"
            )
        time.sleep(SERVE_POLL)
    # a writer reads the page before the next edit: serve is idle again once its search index is updated
    # (a run in the background would take a core from the next rebuild)
    end = time.monotonic() + SERVE_EDIT_TIMEOUT
    while not lines.since(mark, _INDEXED) and time.monotonic() < end and proc.poll() is None:
        time.sleep(0.1)
    rebuilt = lines.since(mark, _REBUILT)
    assert seconds is not None
    return Edit(pid, seconds, every, rebuilt[-1].removeprefix("serve: "), len(rebuilt))


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # its own session: serve and its MkDocs workers
            proc.wait()


def bench_serve(n: int) -> Serve:
    """Time the live preview on a copy of papers-N: three paper files edited one after the other."""
    papers = OUT / f"papers-{n}"
    if not (papers / "datasets.yaml").is_file() or len(list(papers.glob("*/*.yaml"))) != n:
        synth.generate(n, papers, SEED)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("SITE_URL", None)  # serve sets it from its port
    with tempfile.TemporaryDirectory(prefix=f"serve-{n}-", dir=OUT) as tmp_name:
        tmp = Path(tmp_name)
        copy, site = tmp / "papers", tmp / "site"
        shutil.copytree(papers, copy)
        t = time.monotonic()
        proc = subprocess.Popen(
            [
                PY,
                "-m",
                "generator",
                "serve",
                "--papers",
                str(copy),
                "--site-dir",
                str(site),
                "--build-dir",
                str(tmp / "build"),
                "--port",
                "0",
            ],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        lines = _Lines(proc.stdout)
        try:
            m = lines.wait_for(_SERVING, SERVE_START_TIMEOUT, lambda: proc.poll() is None)
            if not m:
                sys.exit(f"serve benchmark: serve did not start for N={n}:\n{lines.tail()}")
            result = Serve(n, time.monotonic() - t)
            port = int(m.group(1))
            lines.wait_for(re.compile(f"^{_INDEXED}"), SERVE_EDIT_TIMEOUT, lambda: proc.poll() is None)
            for k, path in enumerate(_edited_papers(copy, SERVE_EDITS), 1):
                edit = _time_edit(proc, lines, port, site, path, f"Edited{k}")
                result.edits.append(edit)
                print(
                    f"  serve N={n} edit {k} ({edit.paper}): shown in {edit.seconds:.2f} s, every page in "
                    f"{edit.every:.2f} s; "
                    f"{edit.rebuilds} rebuild(s), last: {edit.rebuilt}",
                    flush=True,
                )
        finally:
            _stop(proc)
            lines.thread.join(timeout=5)
    return result


def serve_line(s: Serve) -> str:
    shown = ", ".join(f"{e.seconds:.2f} s" for e in s.edits)
    return (
        f"serve N={s.n}: change shown in {shown} (median {s.median:.2f} s, worst {s.worst:.2f} s, "
        f"target {SERVE_TARGET:g} s); every page of it in {', '.join(f'{e.every:.2f} s' for e in s.edits)} "
        f"(median {s.every_median:.2f} s); first build {s.first_build:.1f} s; last rebuild: {s.edits[-1].rebuilt}"
    )


# report -----------------------------------------------------------------------------------------


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    import mkdocs
    import material

    return (
        f"nproc {os.cpu_count()}, CPU {cpu}, memory {mem}, Python {platform.python_version()}, "
        f"mkdocs {mkdocs.__version__}, mkdocs-material {getattr(material, '__version__', '?')}, "
        f"load average at start {os.getloadavg()[0]:.2f}"
    )


def report(all_rows: list[Row]) -> str:
    rows = [r for r in all_rows if r.build is not None]  # --serve-sizes may add rows with only serve
    out = []
    hdr = (
        "| N | results | validate s | build s (cpu s) | reference s (cpu s) | build / reference | "
        "peak MB tree: PSS / RSS (largest process) | pages en+zh | search index KB en / zh (gzip) |"
    )
    out += [hdr, "|" + "|".join("---" for _ in range(hdr.count("|") - 1)) + "|"]
    for r in rows:
        out.append(
            f"| {r.n} | {r.results} | {r.validate.wall:.2f} | {r.build.wall:.1f} ({r.build.cpu:.1f}) | "
            f"{r.ref.wall:.1f} ({r.ref.cpu:.1f}) | **{r.build.wall / r.ref.wall:.2f}** | "
            f"{r.build.peak_pss_mb:.0f} / {r.build.peak_tree_mb:.0f} ({r.build.peak_proc_mb:.0f}) | "
            f"{r.pages['en']}+{r.pages['zh']} = {r.pages['en'] + r.pages['zh']} (ref {r.ref_pages}) | "
            f"{r.search_kb['en'][0]:.0f} ({r.search_kb['en'][1]:.0f}) / {r.search_kb['zh'][0]:.0f} ({r.search_kb['zh'][1]:.0f}) |"
        )
    out.append("")
    hdr2 = "| N | page (gzip KB) | html | css+js (search worker included) | first visit | on opening search (index, lunr) | on pointing at a chart (plotly, figure) | first visit + chart |"
    out += [hdr2, "|" + "|".join("---" for _ in range(hdr2.count("|") - 1)) + "|"]
    for r in rows:
        for k, w in r.weights.items():
            out.append(
                f"| {r.n} | {k} | {w['html'] / 1024:.0f} | {w['assets'] / 1024:.0f} | **{w['total'] / 1024:.0f}** | "
                f"{w['search'] / 1024:.0f} | {w['plotly'] / 1024:.0f} | {w['interactive'] / 1024:.0f} |"
            )
    out.append("")
    for r in rows:
        out.append(
            f"N={r.n}: average page given to Python-Markdown (HTML bodies and set-aside blocks left out) {r.md_kb['en']:.1f} KB en, {r.md_kb['zh']:.1f} KB zh, "
            f"reference {r.md_kb['reference']:.1f} KB; average HTML paper page {r.html_kb['paper pages']:.1f} KB, "
            f"reference page {r.html_kb['reference pages']:.1f} KB; reference search index {r.search_kb['reference'][0]:.0f} KB "
            f"({r.search_kb['reference'][1]:.0f} gzip); validate peak {r.validate.peak_tree_mb:.0f} MB; "
            f"reference peak {r.ref.peak_tree_mb:.0f} MB"
        )
    served = [r.serve for r in all_rows if r.serve is not None]
    if served:
        out.append("")
        hdr3 = (
            f"| N | serve: change shown s ({SERVE_EDITS} edits) | median s | worst s | target s | "
            "every page of it s | median s | first build s | last rebuild (serve's line) |"
        )
        out += [hdr3, "|" + "|".join("---" for _ in range(hdr3.count("|") - 1)) + "|"]
        for s in served:
            out.append(
                f"| {s.n} | {', '.join(f'{e.seconds:.2f}' for e in s.edits)} | **{s.median:.2f}** | "
                f"{s.worst:.2f} | {SERVE_TARGET:g} | {', '.join(f'{e.every:.2f}' for e in s.edits)} | "
                f"{s.every_median:.2f} | {s.first_build:.1f} | {s.edits[-1].rebuilt} |"
            )
    if len(rows) > 1:
        by = {r.n: r for r in rows}
        if 2000 in by and 5000 in by:
            out.append(
                f"growth: build(5000) / build(2000) = {by[5000].build.wall / by[2000].build.wall:.2f} "
                f"(cpu {by[5000].build.cpu / by[2000].build.cpu:.2f}); linear would be 2.5"
            )
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="validate/build benchmark against plain mkdocs-material")
    ap.add_argument("--sizes", default="500,2000,5000", help="comma-separated numbers of papers")
    ap.add_argument(
        "--serve-sizes",
        default="2000",
        help='comma-separated numbers of papers to time the live preview at ("" for none)',
    )
    ap.add_argument("--keep", action="store_true", help="keep the built sites under benchmarks/out/")
    a = ap.parse_args(argv)
    sizes = [int(s) for s in a.sizes.split(",") if s.strip()]
    serve_sizes = [int(s) for s in a.serve_sizes.split(",") if s.strip()]
    OUT.mkdir(exist_ok=True)
    print(machine(), flush=True)
    rows = []
    for n in sizes:
        t = time.perf_counter()
        rows.append(bench_size(n, a.keep))
        r = rows[-1]
        print(
            f"N={n}: validate {r.validate.wall:.2f}s, build {r.build.wall:.1f}s, reference {r.ref.wall:.1f}s, "
            f"ratio {r.build.wall / r.ref.wall:.2f}, peak {r.build.peak_pss_mb:.0f} MB PSS / {r.build.peak_tree_mb:.0f} MB RSS "
            f"(size done in {time.perf_counter() - t:.0f}s, load {os.getloadavg()[0]:.2f})",
            flush=True,
        )
    for n in serve_sizes:
        row = next((r for r in rows if r.n == n), None)
        if row is None:
            row = Row(n)
            rows.append(row)
        row.serve = bench_serve(n)
        print(serve_line(row.serve), flush=True)
    print()
    print(report(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
