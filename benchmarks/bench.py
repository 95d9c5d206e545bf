"""Benchmark of `validate` and the full bilingual `build` against plain mkdocs-material (issue 9).

For each size N (default 500, 2000, 5000) this script
  1. writes a synthetic corpus of N papers (benchmarks/synth.py, fixed seed) to benchmarks/out/papers-N/;
  2. times `python -m generator validate` on it;
  3. times `python -m generator build` on it (en ∥ zh, the real command, a fresh build and site folder);
  4. builds a REFERENCE: plain mkdocs-material (this venv, same versions, the same mkdocs.yml theme
     settings, search plugin on) building, in one process, as many pages as step 3 produced in both
     languages together, one paper-like Markdown page each (front matter, headings, paragraphs, a
     Markdown results table, a BibTeX block; en pages in English, zh pages in Chinese), none in nav;
  5. measures page weight (gzip) and the search index of each language.

Time is wall-clock (and CPU = user+sys of the whole process tree, from wait4). Peak memory is the
largest sum of PSS (shared pages counted once) and of RSS over the whole process tree at one instant
(sampled from /proc every 20 ms), and
also the largest single process (ru_maxrss from wait4). All figures come from one run.

    .venv/bin/python benchmarks/bench.py [--sizes 500,2000,5000] [--keep]
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
import subprocess
import sys
import threading
import time
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

SEED = 9
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
        ppid = int(stat[stat.rfind(b")") + 2:].split()[1])
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
    return Run(wall, ru.ru_utime + ru.ru_stime, peak[0] / 1024, ru.ru_maxrss / 1024, p.returncode,
               b"".join(chunks).decode("utf-8", "replace"), peak[1] / 1024)


# the reference ----------------------------------------------------------------------------------

ZH_HEAD = {"abstract": "摘要", "notes": "笔记", "results": "结果", "meta": "发表"}
EN_HEAD = {"abstract": "Abstract", "notes": "Notes", "results": "Results", "meta": "Published"}


def reference_page(p: dict, lang: str) -> str:
    head = ZH_HEAD if lang == "zh" else EN_HEAD
    links = " · ".join(f"[{k}]({v})" for k, v in (p.get("links") or {}).items())
    lines = ["---", f"title: {json.dumps(p.get('name') or p['title'], ensure_ascii=False)}", "---", "",
             f"# {p['title']}", "", ", ".join(p.get("authors") or []), "",
             f"{head['meta']}: {p.get('venue', '').upper()} {p.get('date') or p['year']} · arXiv "
             f"[{p['ids']['arxiv']}](https://arxiv.org/abs/{p['ids']['arxiv']})", "", links, ""]
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
            src = r["source"]
            lines.append(f"| [{r['dataset']} {r['split']}](#) | {r['model']} | {metrics} | #{i + 1} / 100 | "
                         f"[{src['name']}]({src['url']}), {src.get('locator', '')} |")
        lines.append("")
    else:
        lines += ["—", ""]
    authors = " and ".join(p.get("authors") or [])
    lines += ["## BibTeX", "", "```bibtex", f"@article{{ref{p['ids']['arxiv'].replace('.', '')},",
              f"  author = {{{authors}}},", f"  title = {{{p['title']}}},", f"  year = {{{p['year']}}},",
              f"  eprint = {{{p['ids']['arxiv']}}},", f"  url = {{https://arxiv.org/abs/{p['ids']['arxiv']}}}",
              "}", "```", ""]
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
    cfg = {"INHERIT": str(ROOT / "mkdocs.yml"), "docs_dir": str(docs), "site_dir": str(dest / "site"),
           "site_url": "http://127.0.0.1:8000/", "plugins": ["search"], "nav": [{"Home": "index.md"}]}
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
        index = json.loads((site / urlsplit(urljoin(site_base + "/", "search/search_index.json")).path.lstrip("/")).read_text(encoding="utf-8"))
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
    row.build = run([PY, "-m", "generator", "build", "--papers", str(papers), "--site-dir", str(site),
                     "--build-dir", str(build)], env)
    if row.build.rc != 0:
        sys.exit(f"build failed for N={n}:\n{row.build.out[-3000:]}")
    paper_html = list((site / "en" / "papers").glob("*/index.html")) + list((site / "zh" / "papers").glob("*/index.html"))
    row.html_kb["paper pages"] = sum(p.stat().st_size for p in paper_html) / 1024 / len(paper_html)
    for lang in ("en", "zh"):
        row.pages[lang] = count_pages(site / lang)
        idx = site / lang / "search" / "search_index.json"
        row.search_kb[lang] = (idx.stat().st_size / 1024, _gz(idx.read_bytes()) / 1024)
        mds = list((build / lang).rglob("*.md"))
        row.md_kb[lang] = sum(p.stat().st_size for p in mds) / 1024 / max(1, len(mds))
    # page weight: the Cityscapes test leaderboard and a paper page without a chart, both languages
    for lang in ("en", "zh"):
        row.weights[f"board-{lang}"] = page_weight(site, f"{lang}/leaderboards/cityscapes-test/index.html")
        paper_page = next(p for p in sorted((site / lang / "papers").glob("*/index.html"))
                          if b"data-plotly" not in p.read_bytes())
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
    return (f"nproc {os.cpu_count()}, CPU {cpu}, memory {mem}, Python {platform.python_version()}, "
            f"mkdocs {mkdocs.__version__}, mkdocs-material {getattr(material, '__version__', '?')}, "
            f"load average at start {os.getloadavg()[0]:.2f}")


def report(rows: list[Row]) -> str:
    out = []
    hdr = ("| N | results | validate s | build s (cpu s) | reference s (cpu s) | build / reference | "
           "peak MB tree: PSS / RSS (largest process) | pages en+zh | search index KB en / zh (gzip) |")
    out += [hdr, "|" + "|".join("---" for _ in range(hdr.count("|") - 1)) + "|"]
    for r in rows:
        out.append(
            f"| {r.n} | {r.results} | {r.validate.wall:.2f} | {r.build.wall:.1f} ({r.build.cpu:.1f}) | "
            f"{r.ref.wall:.1f} ({r.ref.cpu:.1f}) | **{r.build.wall / r.ref.wall:.2f}** | "
            f"{r.build.peak_pss_mb:.0f} / {r.build.peak_tree_mb:.0f} ({r.build.peak_proc_mb:.0f}) | "
            f"{r.pages['en']}+{r.pages['zh']} = {r.pages['en'] + r.pages['zh']} (ref {r.ref_pages}) | "
            f"{r.search_kb['en'][0]:.0f} ({r.search_kb['en'][1]:.0f}) / {r.search_kb['zh'][0]:.0f} ({r.search_kb['zh'][1]:.0f}) |")
    out.append("")
    hdr2 = "| N | page (gzip KB) | html | css+js (search worker included) | first visit | on opening search (index, lunr) | on pointing at a chart (plotly, figure) | first visit + chart |"
    out += [hdr2, "|" + "|".join("---" for _ in range(hdr2.count("|") - 1)) + "|"]
    for r in rows:
        for k, w in r.weights.items():
            out.append(f"| {r.n} | {k} | {w['html'] / 1024:.0f} | {w['assets'] / 1024:.0f} | **{w['total'] / 1024:.0f}** | "
                       f"{w['search'] / 1024:.0f} | {w['plotly'] / 1024:.0f} | {w['interactive'] / 1024:.0f} |")
    out.append("")
    for r in rows:
        out.append(f"N={r.n}: average Markdown page handed to MkDocs (after set-aside) {r.md_kb['en']:.1f} KB en, {r.md_kb['zh']:.1f} KB zh, "
                   f"reference {r.md_kb['reference']:.1f} KB; average HTML paper page {r.html_kb['paper pages']:.1f} KB, "
                   f"reference page {r.html_kb['reference pages']:.1f} KB; reference search index {r.search_kb['reference'][0]:.0f} KB "
                   f"({r.search_kb['reference'][1]:.0f} gzip); validate peak {r.validate.peak_tree_mb:.0f} MB; "
                   f"reference peak {r.ref.peak_tree_mb:.0f} MB")
    if len(rows) > 1:
        by = {r.n: r for r in rows}
        if 2000 in by and 5000 in by:
            out.append(f"growth: build(5000) / build(2000) = {by[5000].build.wall / by[2000].build.wall:.2f} "
                       f"(cpu {by[5000].build.cpu / by[2000].build.cpu:.2f}); linear would be 2.5")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="validate/build benchmark against plain mkdocs-material")
    ap.add_argument("--sizes", default="500,2000,5000", help="comma-separated numbers of papers")
    ap.add_argument("--keep", action="store_true", help="keep the built sites under benchmarks/out/")
    a = ap.parse_args(argv)
    sizes = [int(s) for s in a.sizes.split(",") if s.strip()]
    OUT.mkdir(exist_ok=True)
    print(machine(), flush=True)
    rows = []
    for n in sizes:
        t = time.perf_counter()
        rows.append(bench_size(n, a.keep))
        r = rows[-1]
        print(f"N={n}: validate {r.validate.wall:.2f}s, build {r.build.wall:.1f}s, reference {r.ref.wall:.1f}s, "
              f"ratio {r.build.wall / r.ref.wall:.2f}, peak {r.build.peak_pss_mb:.0f} MB PSS / {r.build.peak_tree_mb:.0f} MB RSS "
              f"(size done in {time.perf_counter() - t:.0f}s, load {os.getloadavg()[0]:.2f})", flush=True)
    print()
    print(report(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
