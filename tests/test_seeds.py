"""Every number the five seed documents print must be in the corpus, on the right dataset.

The seeds live outside the repository, in ../shared/seeds/ (see ORIGINS.md there; SEEDS_DIR names another
folder). Without them the tests skip on a developer's machine and FAIL when `CI` is set, so that a CI run
never passes by not looking. Each test
parses one seed's text -- never a hand-written sample -- and looks every number up in the
output of `python -m generator export json` (a JSON list of papers, each with its `id`).

The mapping tables below (seed dataset name -> dataset slug, seed metric name -> metric slug)
are the only hand-written knowledge; they say how a seed's wording maps onto the registries.
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(os.environ.get("SEEDS_DIR") or ROOT.parent / "shared" / "seeds")
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _need_seeds() -> None:
    if not SEEDS.is_dir():
        _missing(f"seed documents not found at {SEEDS} (they live outside the repository; SEEDS_DIR names them)")


# --- mapping tables -----------------------------------------------------------------------------

# Seed 001: Cityscapes results copied from the Papers with Code Cityscapes test leaderboard.
CITYSCAPES = "cityscapes"

# Seed 002 (TI EdgeAI model zoo): dataset column -> slug. The zoo never names a split.
SEED002_DATASETS = {
    "ADE20K32": "ade20k32",
    "COCOSeg21": "cocoseg21",
    "Cityscapes": "cityscapes",
    "VOC2012": "pascal-voc-2012",
}

# Seed 003 (Papers with Code page of PSPNet): task, dataset and metric names.
SEED003_TASKS = {
    "Semantic Segmentation": "semantic-segmentation",
    "Real-Time Semantic Segmentation": "real-time-semantic-segmentation",
    "Video Semantic Segmentation": "video-semantic-segmentation",
    "Dichotomous Image Segmentation": "dichotomous-image-segmentation",
    "Lesion Segmentation": "lesion-segmentation",
    "Thermal Image Segmentation": "thermal-image-segmentation",
}
# dataset name -> (slug, split); split None = the metric name says it (see SEED003_METRICS)
SEED003_DATASETS = {
    "ADE20K": ("ade20k", None),
    "ADE20K val": ("ade20k", "val"),
    "Anatomical Tracings of Lesions After Stroke (ATLAS)": ("atlas", "unspecified"),
    "CamVid": ("camvid", "unspecified"),
    "Cityscapes test": ("cityscapes", "test"),
    "Cityscapes val": ("cityscapes", "val"),
    "DADA-seg": ("dada-seg", "unspecified"),
    "DensePASS": ("densepass", "unspecified"),
    "DIS-TE1": ("dis5k", "te1"),
    "DIS-TE2": ("dis5k", "te2"),
    "DIS-TE3": ("dis5k", "te3"),
    "DIS-TE4": ("dis5k", "te4"),
    "DIS-VD": ("dis5k", "vd"),
    "MFN Dataset": ("mfn", "unspecified"),
    "NYU Depth v2": ("nyu-depth-v2", "unspecified"),
    "PASCAL Context": ("pascal-context", "unspecified"),
    "PASCAL VOC 2012 test": ("pascal-voc-2012", "test"),
    "ScanNetV2": ("scannetv2", "unspecified"),
    "SELMA": ("selma", "unspecified"),
    "Trans10K": ("trans10k", "unspecified"),
    "UrbanLF": ("urbanlf", None),
}
# metric name -> (metric slug, split it implies or None)
SEED003_METRICS = {
    "Validation mIoU": ("mIoU", "val"),
    "Test Score": ("score", "test"),
    "mIoU (Real)": ("mIoU", "real"),
    "mIoU (Syn)": ("mIoU", "syn"),
    "Mean IoU (class)": ("mIoU", None),
    "Mean IoU": ("mIoU", None),
    "mIoU": ("mIoU", None),
    "mIOU": ("mIoU", None),
    "Dice": ("dice", None),
    "IoU": ("iou", None),
    "Precision": ("precision", None),
    "Recall": ("recall", None),
    "Time (ms)": ("latency_ms", None),
    "Speed(ms/f)": ("latency_ms", None),
    "Frame (fps)": ("fps", None),
    "GFLOPs": ("gflops", None),
    "max F-Measure": ("max_f", None),
    "weighted F-measure": ("weighted_f", None),
    "MAE": ("mae", None),
    "S-Measure": ("s_measure", None),
    "E-measure": ("e_measure", None),
    "HCE": ("hce", None),
}

# Seed 004 (paper list): multi-dataset table column -> (slug, extra_data required). No split is given.
SEED004_COLUMNS = {
    "VOC12": ("pascal-voc-2012", None),
    "VOC12 with COCO": ("pascal-voc-2012", True),
    "Pascal Context": ("pascal-context", None),
    "CamVid": ("camvid", None),
    "Cityscapes": ("cityscapes", None),
    "ADE20K": ("ade20k", None),
}


# --- helpers ------------------------------------------------------------------------------------


def seed_text(number: int) -> str:
    found = sorted(SEEDS.glob(f"{number:03d}_*.txt"))
    if not found:
        _missing(f"seed {number:03d} not found in {SEEDS}")
    return found[0].read_text(encoding="utf-8")


@functools.cache
def corpus() -> tuple[dict, ...]:
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "export", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, f"`python -m generator export json` failed:\n{proc.stderr[-3000:]}"
    papers = json.loads(proc.stdout)
    assert isinstance(papers, list) and papers, "export json gave no papers"
    return tuple(papers)


def results():
    for paper in corpus():
        for r in paper.get("results") or ():
            yield paper, r


def dec(value) -> Decimal:
    return Decimal(str(value).strip().rstrip("%"))


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def model_of(paper: dict, r: dict) -> str:
    return r.get("model") or paper.get("name") or paper["title"]


def find(*, dataset, value, metric="mIoU", split=None, model=None, task=None, pred=None):
    """Results on `dataset` (and `split`, `task`, `model` where given) whose `metric` equals `value`."""
    want = dec(value)
    hits = []
    for paper, r in results():
        if r.get("dataset") != dataset:
            continue
        if split is not None and r.get("split") != split:
            continue
        if task is not None and r.get("task", "semantic-segmentation") != task:
            continue
        if model is not None and model_of(paper, r) != model:
            continue
        got = (r.get("metrics") or {}).get(metric)
        if got is None or dec(got) != want:
            continue
        if pred is not None and not pred(paper, r):
            continue
        hits.append((paper, r))
    return hits


def report(missing: list[str], what: str) -> None:
    assert not missing, f"{len(missing)} {what} missing from the corpus:\n  " + "\n  ".join(missing)


# --- seed 000: Papers with Code, Cityscapes test leaderboard ------------------------------------


def _clean(cell: str) -> str:
    cell = re.sub(r"</?u>", "", cell)
    cell = re.sub(r'<input type="button" value="([^"]*)"/>', r"\1", cell)
    return cell.strip()


def parse_seed000(text: str) -> list[dict]:
    """Rows are tab-separated lines starting with the rank. Layout noise: a row's model label can
    start on the line before it (a line that begins with a tab); stray "[...](#)" lines are title
    fragments and carry no number."""
    rows, pending_model = [], None
    for line in text.splitlines():
        m = re.match(r"(\d+)\t", line)
        if not m:
            if line.startswith("\t") and line.strip() and not line.strip().startswith("["):
                cells = line.split("\t")
                if len(cells) > 1 and cells[1].strip():
                    pending_model = _clean(cells[1])
            continue
        cells = line.split("\t")
        model = _clean(cells[1])
        if model.startswith("(") and pending_model:
            model = f"{pending_model} {model}"
        pending_model = None
        rest = [_clean(c) for c in cells[2:] if c.strip()]
        row = {"rank": int(cells[0]), "model": model, "miou": rest.pop(0).rstrip("%"), "category": None, "extra": None}
        if rest and rest[0] not in ("✓", "×") and re.fullmatch(r"[\d.]+%?", rest[0]):
            row["category"] = rest.pop(0).rstrip("%")
        if rest and rest[0] in ("✓", "×"):
            row["extra"] = rest.pop(0) == "✓"
        row["title"] = rest.pop(0)
        row["year"] = int(rest.pop(0))
        row["tags"] = " ".join(rest).split()
        rows.append(row)
    return rows


def test_seed000_parses_95_rows():
    rows = parse_seed000(seed_text(0))
    assert [r["rank"] for r in rows] == list(range(1, 96)), "seed 000 should have rows ranked 1..95"


def test_seed000_every_row_on_cityscapes_test():
    rows = parse_seed000(seed_text(0))
    missing, found = [], set()
    for row in rows:

        def same_row(paper, r, row=row):
            if row["extra"] is not None and r.get("extra_data") is not row["extra"]:
                return False
            if row["category"] is not None:
                cat = (r.get("metrics") or {}).get("category_mIoU")
                if cat is None or dec(cat) != dec(row["category"]):
                    return False
            return all(t in (r.get("tags") or ()) for t in row["tags"])

        hits = find(dataset="cityscapes", split="test", model=row["model"], value=row["miou"], pred=same_row)
        if hits:
            found.add(row["rank"])
        else:
            missing.append(
                f"row {row['rank']}: {row['model']!r} mIoU {row['miou']}"
                + (f" category_mIoU {row['category']}" if row["category"] else "")
                + f" extra_data {row['extra']} tags {row['tags']} on cityscapes/test"
            )
    report(missing, "seed 000 rows")
    assert len(found) == 95


def test_seed000_rows_are_attached_to_their_papers():
    rows = parse_seed000(seed_text(0))
    wrong = []
    for row in rows:
        hits = find(dataset="cityscapes", split="test", model=row["model"], value=row["miou"])
        # the seed's title may be cut by layout noise: accept a fragment of the paper's title
        if hits and not any(
            fold(row["title"]) in fold(p["title"])
            or fold(p["title"]) in fold(row["title"])
            or fold(row["title"]).replace("lightseg", "liteseg") in fold(p["title"])
            for p, _ in hits
        ):
            wrong.append(f"row {row['rank']} {row['model']!r}: paper title does not match {row['title']!r}")
    report(wrong, "seed 000 paper attributions")


# --- seed 001: Chinese study note ----------------------------------------------------------------


def parse_seed001(text: str) -> list[dict]:
    """Numbered items `N、YEAR label NN.N%`, each followed by its paper title as a link or "见第 N 条"."""
    items, section, current = [], "cityscapes", None
    by_number: dict[tuple[str, int], dict] = {}
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("## 实时语义分割"):
            section = "real-time"
        m = re.match(r"(\d+)、(\d{4}) (.+?)(?: (\d+(?:\.\d+)?)%)?$", line)
        if m:
            current = {
                "section": section,
                "item": int(m.group(1)),
                "year": int(m.group(2)),
                "label": m.group(3).strip(),
                "value": m.group(4),
                "title": None,
            }
            items.append(current)
            by_number[(section, current["item"])] = current
            continue
        if current is None or current["title"]:
            continue
        link = re.match(r"\[(.+)\]\(https?://[^)]*\)$", line)
        see = re.match(r"见第 (\d+) 条", line)
        if link:
            current["title"] = link.group(1)
        elif see:
            current["title"] = by_number[(section, int(see.group(1)))]["title"]
    return items


def _title_matches(seed_title: str, paper_title: str) -> bool:
    a, b = fold(seed_title), fold(paper_title)
    if a in b or b in a:
        return True
    # "CAA : Channelized Axial Attention ..." -- the note prefixes some titles with the method name
    head, sep, tail = seed_title.partition(":")
    return bool(sep) and fold(tail) and fold(tail) in b


def test_seed001_numbers_on_cityscapes_test():
    items = parse_seed001(seed_text(1))
    assert len([i for i in items if i["value"]]) == 39, (
        "seed 001 prints 39 percentages (31 Cityscapes items, 8 real-time)"
    )
    missing = []
    for it in items:
        if not it["value"]:
            continue
        hits = find(
            dataset=CITYSCAPES,
            split="test",
            value=it["value"],
            pred=lambda p, r, it=it: (
                fold(model_of(p, r)) == fold(it["label"]) or _title_matches(it["title"] or "", p["title"])
            ),
        )
        if not hits:
            missing.append(f"{it['section']} item {it['item']}: {it['label']!r} {it['value']}% ({it['title']})")
    report(missing, "seed 001 numbers")


def test_seed001_differing_numbers_cite_the_note():
    """Where the note's number differs from the leaderboard's, the corpus keeps it with the note as source."""
    leaderboard = {dec(r["miou"]) for r in parse_seed000(seed_text(0))}
    missing = []
    for it in parse_seed001(seed_text(1)):
        if it["value"] and dec(it["value"]) not in leaderboard:
            hits = find(
                dataset=CITYSCAPES,
                split="test",
                value=it["value"],
                model=it["label"],
                pred=lambda p, r: (r.get("source") or {}).get("kind") == "survey",
            )
            if not hits:
                missing.append(f"item {it['item']}: {it['label']!r} {it['value']}% with the study note as source")
    report(missing, "seed 001 results of its own")


def test_seed001_real_time_list_has_topic():
    missing = []
    for it in parse_seed001(seed_text(1)):
        if it["section"] != "real-time":
            continue
        papers = [p for p in corpus() if _title_matches(it["title"], p["title"])]
        if not any("real-time" in (p.get("topics") or ()) for p in papers):
            missing.append(f"{it['label']} ({it['title']}) with topic real-time")
    report(missing, "seed 001 real-time papers")


# --- seed 002: TI EdgeAI model zoo --------------------------------------------------------------


def parse_seed002(text: str) -> list[dict]:
    """Rows: `Dataset Model-name [Model-name...] Size [GigaMACs] [MeanIoU%] [Available] [Notes]`.
    Size is WxH, or a single number ("520") in the torchvision rows, which print no GigaMACs."""
    rows = []
    for line in text.splitlines():
        tok = line.split()
        if len(tok) < 3 or tok[0] not in SEED002_DATASETS or tok[1].startswith("dataset"):
            continue
        k = next(i for i in range(2, len(tok)) if re.fullmatch(r"\d+(x\d+)?", tok[i]))
        nums = []
        for t in tok[k + 1 :]:
            if not re.fullmatch(r"\d+(\.\d+)?", t):
                break
            nums.append(t)
        row = {
            "dataset": SEED002_DATASETS[tok[0]],
            "model": " ".join(tok[1:k]),
            "size": tok[k],
            "gmacs": None,
            "miou": None,
            "qat": " ".join(tok[1:k]).endswith("-QAT"),
        }
        if "x" in row["size"]:
            row["gmacs"] = nums[0] if nums else None
            row["miou"] = nums[1] if len(nums) > 1 else None
        else:
            row["miou"] = nums[0] if nums else None
        rows.append(row)
    return rows


def test_seed002_every_row():
    rows = parse_seed002(seed_text(2))
    assert len(rows) == 35, f"seed 002 has 35 model rows, parsed {len(rows)}"
    missing = []
    for row in rows:

        def same(paper, r, row=row):
            m = r.get("metrics") or {}
            if row["gmacs"] is not None and ("gmacs" not in m or dec(m["gmacs"]) != dec(row["gmacs"])):
                return False
            if row["miou"] is not None and ("mIoU" not in m or dec(m["mIoU"]) != dec(row["miou"])):
                return False
            if "x" in row["size"] and r.get("input_size") != row["size"]:
                return False
            if row["qat"] and "QAT" not in ((r.get("protocol") or {}).get("quantization") or ""):
                return False
            return True

        metric, value = ("mIoU", row["miou"]) if row["miou"] is not None else ("gmacs", row["gmacs"])
        if not find(dataset=row["dataset"], model=row["model"], metric=metric, value=value, pred=same):
            missing.append(
                f"{row['dataset']}: {row['model']!r} size {row['size']} GMACs {row['gmacs']} mIoU {row['miou']}"
                + (" (QAT)" if row["qat"] else "")
            )
    report(missing, "seed 002 rows")


# --- seed 003: Papers with Code page of PSPNet --------------------------------------------------


def parse_seed003(text: str) -> list[dict]:
    """Result lines end with `value # rank` (the rank is not data). A line starting with a task name
    opens a row (task, dataset, model, metric); the following lines give more metrics of that row."""
    out, current = [], None
    tasks = sorted(SEED003_TASKS, key=len, reverse=True)
    datasets = sorted(SEED003_DATASETS, key=len, reverse=True)
    metrics = sorted(SEED003_METRICS, key=len, reverse=True)
    for line in text.splitlines():
        m = re.match(r"(.*?)\s+([\d.]+)%?\s+#\s*\d+\s*$", line)
        if not m:
            continue
        head, value = m.group(1), m.group(2)
        task = next((t for t in tasks if head.startswith(t + " ")), None)
        if task:
            head = head[len(task) + 1 :]
            dataset = next(d for d in datasets if head.startswith(d + " "))
            head = head[len(dataset) + 1 :]
            metric = next(x for x in metrics if head.endswith(" " + x))
            current = (task, dataset, head[: -len(metric) - 1])
        else:
            metric = head.strip()
            assert metric in SEED003_METRICS, f"unknown metric name in seed 003: {metric!r}"
        task, dataset, model = current
        slug, split = SEED003_DATASETS[dataset]
        mslug, msplit = SEED003_METRICS[metric]
        out.append(
            {
                "task": SEED003_TASKS[task],
                "dataset": slug,
                "split": split or msplit,
                "model": model,
                "metric": mslug,
                "value": value,
                "line": line.strip(),
            }
        )
    return out


def test_seed003_every_result():
    entries = parse_seed003(seed_text(3))
    assert len(entries) == 65, f"seed 003 prints 65 ranked numbers, parsed {len(entries)}"
    missing = []
    for e in entries:
        hits = find(
            dataset=e["dataset"],
            split=e["split"],
            task=e["task"],
            model=e["model"],
            metric=e["metric"],
            value=e["value"],
        )
        if not hits:
            missing.append(
                f"{e['task']} {e['dataset']}/{e['split']} {e['model']!r} {e['metric']}={e['value']}  [{e['line']}]"
            )
    report(missing, "seed 003 numbers")


def test_seed003_abstract_on_pspnet():
    text = seed_text(3)
    abstract = text.split("\n\n")[1].strip()
    papers = [p for p in corpus() if fold(p["title"]) == fold("Pyramid Scene Parsing Network")]
    assert papers and papers[0].get("abstract", "").strip() == abstract


# --- seed 004: paper list ------------------------------------------------------------------------


def parse_seed004_table(text: str) -> list[dict]:
    lines = [l for l in text.splitlines() if l.startswith("|")]
    header = [c.strip() for c in lines[0].strip().strip("|").split("|")]
    out = []
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        network = cells[0]
        for col, cell in zip(header[1:], cells[1:], strict=False):
            if col not in SEED004_COLUMNS or not cell:
                continue
            m = re.fullmatch(r"([\d.]+)(?:\(([\d.]+)\))?", cell)
            assert m, f"unexpected cell {cell!r} in seed 004 row {network}"
            for value in m.groups():
                if value is not None:
                    out.append({"network": network, "column": col, "value": value})
    return out


def test_seed004_table_numbers():
    entries = parse_seed004_table(seed_text(4))
    assert len(entries) == 76, f"seed 004 table prints 76 numbers, parsed {len(entries)}"
    missing = []
    for e in entries:
        slug, extra = SEED004_COLUMNS[e["column"]]
        pred = None
        if extra:
            pred = lambda p, r: r.get("extra_data") is True
        if not find(dataset=slug, model=e["network"], value=e["value"], pred=pred):
            missing.append(f"{e['network']} {e['column']} ({slug}) {e['value']}")
    report(missing, "seed 004 table numbers")


def test_seed004_links_and_arxiv_ids():
    text = seed_text(4)
    body = text.split("# 2D Semantic Segmentation", 1)[1]
    urls = re.findall(r"\]\]\(([^)]*)\)", body)
    assert len(urls) >= 100
    links, notes, arxiv = set(), [], set()
    for p in corpus():
        for value in (p.get("links") or {}).values():
            links.update([value] if isinstance(value, str) else value)
        notes.append(json.dumps(p.get("notes") or {}, ensure_ascii=False))
        if (p.get("ids") or {}).get("arxiv"):
            arxiv.add(p["ids"]["arxiv"])
    missing = []
    for url in urls:
        if url in links:
            continue
        # a link the format has no kind for (pretrained models) or that the list garbled (it holds
        # spaces) must at least be quoted in the paper's notes
        if any(url in n for n in notes):
            continue
        missing.append(url)
    # the first arXiv link of each entry is that paper's arXiv id
    for line in body.splitlines():
        first = re.search(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})", line)
        if first and first.group(1) not in arxiv:
            missing.append(f"arXiv id {first.group(1)} (ids.arxiv)")
    report(missing, "seed 004 links")
