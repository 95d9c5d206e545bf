"""Rows from any reader + bibliographic records + the existing papers -> paper files in format 2.

One paper is one file whatever a source calls it: a row is matched by arXiv id (without version), then
DOI, then folded title, then (for a row with none of those) by an unambiguous exact method name. The same
numbers from two sources are one result with the second source under `also`; different numbers stay two
results. Merging rows that are already in a paper adds nothing (idempotent).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

from generator.format.identity import ID_RULE, method_name, unique_id
from generator.format.types import arxiv_in
from .bibliography import BibRecord, Conflict, apply, update
from .records import Row, SourceRef, Skipped
from .yamlio import dump_paper, read_paper_file

DEFAULT_TASK = "semantic-segmentation"


@dataclass(frozen=True)
class PaperOut:
    """A paper file to write: its id, year folder, format-2 data and leading comment lines."""

    id: str
    folder: str
    data: Mapping[str, Any]
    comments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    added: tuple[str, ...] = ()  # ids of new papers
    matched: tuple[tuple[str, str], ...] = ()  # (paper id, by what) per paper that rows matched
    results_added: int = 0
    results_also: int = 0  # rows merged into an existing result as `also`
    results_present: int = 0  # rows already in the paper (same source and locator)
    disagreements: int = 0  # same model and settings, another number, another source
    configurations: int = 0  # same label on the board, other backbone/training/evaluation
    same_source: int = 0  # same label and settings, listed twice by the source itself
    disagreement_list: tuple[tuple[str, str, str], ...] = ()  # (paper id, result id, the other result's id)
    reproductions: int = 0  # zoo results given `reproduces:` (the paper's claim)
    skipped: tuple[Skipped, ...] = ()
    filled: tuple[tuple[str, str, str], ...] = ()  # (paper id, field, source) from bibliographies
    row_filled: tuple[tuple[str, str, str], ...] = ()  # (paper id, field, source) from rows' paper cells
    conflicts: tuple[tuple[str, Conflict], ...] = ()
    bib_unmatched: tuple[str, ...] = ()  # records that matched no paper (not added)

    def text(self) -> str:
        from collections import Counter

        lines = [f"papers added: {len(self.added)}", f"papers matched by rows: {len(self.matched)}"]
        by = Counter(how for _, how in self.matched)
        lines += [f"  by {how}: {n}" for how, n in sorted(by.items())]
        lines += [
            f"results added: {self.results_added}",
            f"  disagreements (same model and settings on the same board, another number from another "
            f"source): {self.disagreements}",
            f"  other configurations of a label already on the board (backbone, training or evaluation "
            f"differ): {self.configurations}",
            f"  the same label and settings listed again with other numbers by the same source: {self.same_source}",
            *[f"    disagreement: {pid}: {a} / {b}" for pid, a, b in self.disagreement_list],
            f"results merged as also: {self.results_also}",
            f"framework results linked to the paper's claim they reproduce: {self.reproductions}",
            f"rows already present: {self.results_present}",
            f"skipped: {len(self.skipped)}",
        ]
        reasons = Counter(_reason_class(s.reason) for s in self.skipped)
        lines += [f"  {n:4d}  {reason}" for reason, n in reasons.most_common()]
        lines.append(f"bibliography fields filled: {len(self.filled)}")
        fields = Counter(f for _, f, _ in self.filled)
        lines += [f"  {n:4d}  {f}" for f, n in sorted(fields.items())]
        lines.append(f"paper fields filled from rows (existing papers): {len(self.row_filled)}")
        fields = Counter(f for _, f, _ in self.row_filled)
        lines += [f"  {n:4d}  {f}" for f, n in sorted(fields.items())]
        lines.append(f"conflicts (fields left as they are): {len(self.conflicts)}")
        lines += [
            f"  {pid}: {c.field}: file has {c.existing!r}, {c.source} says {c.record!r}" for pid, c in self.conflicts
        ]
        lines.append(f"bibliography records matching no paper, not added: {len(self.bib_unmatched)}")
        lines += [f"  {b}" for b in self.bib_unmatched]
        lines.append("skipped, each:")
        lines += [f"  {s.source} {s.locator}: {s.reason}" for s in self.skipped]
        lines.append("papers added, each:")
        lines += [f"  {pid}" for pid in self.added]
        return "\n".join(lines) + "\n"


def _reason_class(reason: str) -> str:
    return re.sub(r"'[^']*'|\"[^\"]*\"|\d+(\.\d+)?", "…", reason)[:110]


# Identity ------------------------------------------------------------------------------------


def fold(title: str) -> str:
    """A title folded for matching: case, accents, punctuation and spaces removed."""
    text = unicodedata.normalize("NFKD", title or "")
    return "".join(c for c in text.casefold() if c.isalnum() and not unicodedata.combining(c))


def slugify(text: str) -> str:
    text = (text or "").replace("++", "-plus-plus").replace("+", "-plus")
    ascii_text = "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii()).lower()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text))


def _bare_arxiv(value: Optional[str]) -> Optional[str]:
    return re.sub(r"v\d+\Z", "", str(value)) if value else None


class _Index:
    """Papers by arXiv id, DOI, folded title and method name."""

    def __init__(self) -> None:
        self.arxiv: dict[str, str] = {}
        self.doi: dict[str, str] = {}
        self.title: dict[str, str] = {}
        self.name: dict[str, set[str]] = {}

    def add(self, pid: str, data: Mapping[str, Any]) -> None:
        ids = data.get("ids") or {}
        arxiv = _bare_arxiv(ids.get("arxiv"))
        if arxiv:
            self.arxiv.setdefault(arxiv, pid)
        if ids.get("doi"):
            self.doi.setdefault(str(ids["doi"]).casefold(), pid)
        if data.get("title"):
            self.title.setdefault(fold(data["title"]), pid)
        if data.get("name"):
            self.name.setdefault(str(data["name"]).casefold(), set()).add(pid)

    def find(
        self, arxiv: Optional[str], doi: Optional[str], title: Optional[str], name: Optional[str]
    ) -> tuple[Optional[str], str]:
        if arxiv and arxiv in self.arxiv:
            return self.arxiv[arxiv], "arXiv id"
        if doi and doi.casefold() in self.doi:
            return self.doi[doi.casefold()], "DOI"
        if title and fold(title) in self.title:
            return self.title[fold(title)], "title"
        if not (arxiv or doi or title) and name:
            found = self.name.get(name.casefold(), set())
            if len(found) == 1:
                return next(iter(found)), "method name"
            return None, "ambiguous method name" if found else ""
        return None, ""


# v1 -> v2 ------------------------------------------------------------------------------------


def source_key(name: str, taken: Iterable[str]) -> str:
    """A key for a source from its name: 'Papers with Code: Semantic Segmentation on Cityscapes test'
    -> pwc-semantic-segmentation-on-cityscapes-test (made unique)."""
    base = slugify(re.sub(r"(?i)papers with code", "pwc", name)) or "source"
    if len(base) > 48:
        base = base[:48].rsplit("-", 1)[0]
    taken = set(taken)
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def result_id(result: Mapping[str, Any], taken: set[str], fallback: str = "") -> str:
    """<dataset>-<split>-<model-slug>, made unique within the paper by -2, -3... in order."""
    model = slugify(str(result.get("model") or fallback))
    parts = [p for p in (slugify(result.get("dataset", "")), slugify(result.get("split", "")), model) if p]
    base = "-".join(parts) or "result"
    rid, n = base, 2
    while rid in taken or not ID_RULE.match(rid):
        rid, n = f"{base}-{n}", n + 1
    taken.add(rid)
    return rid


def to_v2(data: Mapping[str, Any]) -> dict[str, Any]:
    """A paper in format 2. A v1 paper keeps its results as they are: each inline `source` becomes an
    entry of `sources:` (said once) referred to by key, its locator moves to the result, and
    `extra_data` becomes `training.extra_data`; nothing else is added."""
    if data.get("format") == 2:
        return {k: v for k, v in data.items()}
    out: dict[str, Any] = {"format": 2, **{k: v for k, v in data.items() if k != "results"}}
    sources: dict[str, dict] = {}
    results: list[dict] = []
    taken: set[str] = set()
    for r in data.get("results") or []:
        src = dict(r.get("source") or {})
        locator = src.pop("locator", None)
        key = next((k for k, v in sources.items() if v == src), None)
        if key is None:
            key = source_key(src.get("name", ""), sources)
            sources[key] = src
        nr: dict[str, Any] = {}
        for k, v in r.items():
            if k == "source":
                continue
            if k == "extra_data":
                nr.setdefault("training", {})["extra_data"] = v
            else:
                nr[k] = v
        nr["source"] = key
        if locator is not None:
            nr["locator"] = locator
        nr["id"] = result_id(nr, taken, fallback=str(data.get("name") or ""))
        results.append(nr)
    if sources:
        out["sources"] = sources
    if results:
        out["results"] = results
    return out


def load_existing(papers_dir: Path) -> list[PaperOut]:
    """The corpus' paper files (papers/<year>/<id>.yaml), in format 2 (v1 files converted)."""
    out = []
    for path in sorted(Path(papers_dir).glob("*/*.yaml")):
        if not path.parent.name.isdigit():
            continue
        data, comments = read_paper_file(path)
        out.append(PaperOut(id=path.stem, folder=path.parent.name, data=to_v2(data), comments=comments))
    return out


# Results -------------------------------------------------------------------------------------


def _norm_label(label: Any) -> str:
    return re.sub(r"\s+", "", str(label or "")).casefold()


def _settings_agree(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Same settings: the same backbone, and no training/evaluation field that both give differs."""
    if not a.get("backbone") or a.get("backbone") != b.get("backbone"):
        return False
    for part in ("training", "evaluation"):
        x, y = a.get(part) or {}, b.get(part) or {}
        if any(k in y and y[k] != v for k, v in x.items()):
            return False
    return True


def _same_numbers(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    ma, mb = a.get("metrics") or {}, b.get("metrics") or {}
    return (
        (a.get("task") or DEFAULT_TASK) == (b.get("task") or DEFAULT_TASK)
        and a.get("dataset") == b.get("dataset")
        and a.get("split") == b.get("split")
        and set(ma) == set(mb)
        and all(Decimal(str(ma[k])) == Decimal(str(mb[k])) for k in ma)
    )


def same_settings(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """The same model run the same way: task, dataset, split, label, backbone, training and evaluation
    all as each other (a field one states and the other does not is not the same)."""
    return (
        (a.get("task") or DEFAULT_TASK) == (b.get("task") or DEFAULT_TASK)
        and a.get("dataset") == b.get("dataset")
        and a.get("split") == b.get("split")
        and _norm_label(a.get("model")) == _norm_label(b.get("model"))
        and a.get("backbone") == b.get("backbone")
        and (a.get("training") or {}) == (b.get("training") or {})
        and (a.get("evaluation") or {}) == (b.get("evaluation") or {})
    )


def disagrees(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """A disagreement: the same model with the same settings on the same board, a metric both give with
    another number, from another source."""
    if a.get("source") == b.get("source") or not same_settings(a, b):
        return False
    ma, mb = a.get("metrics") or {}, b.get("metrics") or {}
    return any(Decimal(str(ma[k])) != Decimal(str(mb[k])) for k in set(ma) & set(mb))


def _beside(results: list[Mapping[str, Any]], new: Mapping[str, Any]) -> Optional[str]:
    """How a new result stands beside the paper's results of the same label on the same board:
    'disagree' (same settings, another number, another source), 'same_source' (the source itself lists
    the same label and settings twice), 'configuration' (another backbone, training or evaluation), or
    None (no result of that label there)."""
    same_label = [
        r
        for r in results
        if r.get("dataset") == new["dataset"]
        and r.get("split") == new["split"]
        and (r.get("task") or DEFAULT_TASK) == (new.get("task") or DEFAULT_TASK)
        and _norm_label(r.get("model")) == _norm_label(new.get("model"))
    ]
    if not same_label:
        return None
    if any(disagrees(r, new) for r in same_label):
        return "disagree"
    if any(same_settings(r, new) for r in same_label):
        return "same_source"
    return "configuration"


def result_of(row: Row, key: str) -> dict[str, Any]:
    """The v2 result a row gives (without its id)."""
    r: dict[str, Any] = {}
    if row.task and row.task != DEFAULT_TASK:
        r["task"] = row.task
    r.update(dataset=row.dataset, split=row.split)
    if row.model:
        r["model"] = row.model
    if row.backbone:
        r["backbone"] = row.backbone
    r["metrics"] = dict(row.metrics)
    if row.per_class:
        r["per_class"] = dict(row.per_class)
    r["source"] = key
    r["locator"] = row.locator
    notes = [row.notes] if row.notes else []
    for name in ("training", "evaluation", "artifacts"):
        value = dict(getattr(row, name) or {})
        if "crop" in value:  # the format's crop is WIDTHxHEIGHT; '640×640' is that, '640' is kept as a note
            crop = re.sub(r"\s*[×xX]\s*", "x", str(value["crop"]).strip())
            if re.fullmatch(r"\d+x\d+", crop):
                value["crop"] = crop
            else:
                notes.append(f"{name} crop size: {value.pop('crop')} (as the source writes it)")
        if value:
            r[name] = {k: (list(v) if isinstance(v, tuple) else v) for k, v in value.items()}
    if row.hardware:
        r["hardware"] = dict(row.hardware) if isinstance(row.hardware, Mapping) else row.hardware
    if row.reproduces:
        r["reproduces"] = row.reproduces
    if notes:
        r["notes"] = {"en": "; ".join(notes)}
    return r


def _source_entry(src: SourceRef) -> dict[str, Any]:
    entry = {"kind": src.kind, "name": src.name, "url": src.url}
    if src.retrieved:
        entry["retrieved"] = src.retrieved
    if src.licence:
        entry["licence"] = src.licence
    return entry


# The merge -----------------------------------------------------------------------------------


@dataclass
class _Paper:
    id: str
    folder: Optional[str]
    data: dict
    comments: list[str] = field(default_factory=list)
    new: bool = False


def _first_version_year(data: Mapping[str, Any]) -> Optional[int]:
    arxiv = _bare_arxiv((data.get("ids") or {}).get("arxiv"))
    if arxiv and re.match(r"\d{4}\.", arxiv):
        return 2000 + int(arxiv[:2])
    if data.get("date"):
        return int(str(data["date"])[:4])
    if data.get("year"):
        return int(data["year"])
    return None


def _date_of(ref_date: Optional[str], arxiv: Optional[str]) -> Optional[str]:
    if ref_date:
        return ref_date
    if arxiv and re.match(r"\d{4}\.", arxiv):
        return f"{2000 + int(arxiv[:2])}-{arxiv[2:4]}"
    return None


def merge(
    existing: Iterable[PaperOut],
    rows: Iterable[Row],
    records: Iterable[BibRecord] = (),
    skipped: Iterable[Skipped] = (),
    add_records: bool = False,
) -> tuple[list[PaperOut], Report]:
    """Paper files for the existing papers and every row and record, and what was done. A record that
    matches no paper fills nothing; with `add_records` it becomes a new paper (as `import bibtex` makes
    one) where it is a paper: a title, a year and a venue, arXiv id or DOI."""
    papers: dict[str, _Paper] = {}
    index = _Index()
    for pf in existing:
        p = _Paper(pf.id, pf.folder, to_v2(pf.data), list(pf.comments))
        papers[p.id] = p
        index.add(p.id, p.data)
    taken = set(papers)
    added: list[str] = []
    matched: dict[str, str] = {}
    skip: list[Skipped] = list(skipped)
    filled: list[tuple[str, str, str]] = []
    row_filled: list[tuple[str, str, str]] = []
    conflicts: list[tuple[str, Conflict]] = []
    counts: dict[str, Any] = {"added": 0, "also": 0, "present": 0, "disagree": 0, "configuration": 0, "same_source": 0}

    for row in rows:
        ref = row.paper
        arxiv = _bare_arxiv(ref.arxiv or arxiv_in(ref.url))
        pid, how = index.find(arxiv, ref.doi, ref.title, ref.name)
        if pid is None:
            if how == "ambiguous method name":
                skip.append(
                    Skipped(
                        row.source.key, row.locator, f"method name '{ref.name}' names more than one paper; not attached"
                    )
                )
                continue
            if not ref.title:
                skip.append(
                    Skipped(
                        row.source.key,
                        row.locator,
                        "the row names no paper (no title, arXiv id, DOI or known method name)",
                    )
                )
                continue
            data: dict[str, Any] = {"format": 2, "title": ref.title}
            name = ref.name or method_name(ref.title)
            if name:
                data["name"] = name
            if ref.authors:
                data["authors"] = list(ref.authors)
            date = _date_of(ref.date, arxiv)
            if date:
                data["date"] = date
            if ref.venue:
                data["venue"] = ref.venue
            ids = {k: v for k, v in (("arxiv", arxiv), ("doi", ref.doi)) if v}
            if ids:
                data["ids"] = ids
            if ref.url:
                data["links"] = {"paper": ref.url}
            if ref.year:
                data["year"] = ref.year
            short = name or " ".join([w for w in re.findall(r"[A-Za-z0-9]+", ref.title) if len(w) > 3][:4])
            pid = unique_id(
                {"title": ref.title, "name": short, "authors": list(ref.authors), "year": ref.year or ""}, taken
            )
            taken.add(pid)
            papers[pid] = _Paper(pid, None, data, new=True)
            index.add(pid, data)
            added.append(pid)
        else:
            if not papers[pid].new:
                matched.setdefault(pid, how)
            _fill_from_row(papers[pid], row, arxiv, row_filled)
            index.add(pid, papers[pid].data)
        _add_result(papers[pid], row, counts)

    bib_unmatched: list[str] = []
    # versions of record first, so that an entry citing the preprint does not set venue and year
    for rec in sorted(records, key=lambda r: r.paper.venue in (None, "arxiv")):
        ref = rec.paper
        pid, _ = index.find(ref.arxiv, ref.doi, ref.title, None)
        if pid is None and add_records and ref.title and ref.year and (ref.arxiv or ref.doi or ref.venue):
            data = {"format": 2, "title": ref.title}
            name = ref.name or method_name(ref.title)
            if name:
                data["name"] = name
            pid = unique_id(
                {"title": ref.title, "name": name or ref.title, "authors": list(ref.authors), "year": ref.year}, taken
            )
            taken.add(pid)
            papers[pid] = _Paper(pid, None, data, new=True)
            added.append(pid)
        if pid is None:
            why = ""
            if add_records and not (ref.arxiv or ref.doi or ref.venue):
                why = " (no venue, arXiv id or DOI: software or a web page, not a paper)"
            bib_unmatched.append(f"{rec.source.key}:{rec.key} ({ref.title}){why}")
            continue
        p = papers[pid]
        new_fields, found = update(p.data, rec)
        p.data = apply(p.data, new_fields)
        conflicts += [(pid, c) for c in found]
        filled += [(pid, f, f"{rec.source.key}:{rec.key}") for f in new_fields]
        if new_fields:
            line = f"# bibliography: {rec.source.url} ({rec.key}): {', '.join(new_fields)}"
            if line not in p.comments:
                p.comments.append(line)
        index.add(pid, p.data)

    reproductions = sum(link_reproductions(p.id, p.data) for p in papers.values())
    out = []
    for p in papers.values():
        if "year" not in p.data:
            year = _first_version_year(p.data)
            if year:
                p.data["year"] = year
        if "year" not in p.data:  # no source gives a year: the paper cannot be written, its rows are skipped
            added.remove(p.id)
            skip += [
                Skipped(
                    p.data["sources"][r["source"]]["url"],
                    r.get("locator", ""),
                    f"no source gives the year of the paper '{p.data['title']}'",
                )
                for r in p.data.get("results") or []
            ]
            counts["added"] -= len(p.data.get("results") or [])
            continue
        folder = p.folder or str(p.data["year"])  # the folder is the year (validate: year-folder)
        out.append(PaperOut(p.id, folder, p.data, tuple(p.comments)))
    report = Report(
        added=tuple(added),
        matched=tuple(matched.items()),
        results_added=counts["added"],
        results_also=counts["also"],
        results_present=counts["present"],
        disagreements=counts["disagree"],
        configurations=counts["configuration"],
        same_source=counts["same_source"],
        disagreement_list=tuple(counts.get("disagree_list", ())),
        reproductions=reproductions,
        skipped=tuple(skip),
        filled=tuple(filled),
        row_filled=tuple(row_filled),
        conflicts=tuple(conflicts),
        bib_unmatched=tuple(bib_unmatched),
    )
    return out, report


def _fill_from_row(p: _Paper, row: Row, arxiv: Optional[str], filled: list[tuple[str, str, str]]) -> None:
    """What a row says about its paper, where the paper does not say it yet."""
    ref, data, src = row.paper, p.data, row.source.key
    if p.new:  # a paper made in this run: what later rows add is not reported as filled
        filled = []
    if ref.authors and not data.get("authors"):
        data["authors"] = list(ref.authors)
        filled.append((p.id, "authors", src))
    ids = data.setdefault("ids", {})
    for name, value in (("arxiv", arxiv), ("doi", ref.doi)):
        if value and not ids.get(name):
            ids[name] = value
            filled.append((p.id, f"ids.{name}", src))
    if not ids:
        del data["ids"]
    date = _date_of(ref.date, arxiv)
    if date and not data.get("date"):
        data["date"] = date
        filled.append((p.id, "date", src))
    if ref.url and not (data.get("links") or {}).get("paper"):
        data.setdefault("links", {})["paper"] = ref.url
        filled.append((p.id, "links.paper", src))


def _source_key_for(p: _Paper, src: SourceRef) -> str:
    sources = p.data.setdefault("sources", {})
    entry = _source_entry(src)
    if sources.get(src.key) == entry:
        return src.key
    same = next((k for k, v in sources.items() if v == entry), None)
    if same:
        return same
    key = src.key if src.key not in sources else source_key(src.key, sources)
    sources[key] = entry
    return key


def _add_result(p: _Paper, row: Row, counts: dict[str, Any]) -> None:  # counters, and disagree_list
    key = _source_key_for(p, row.source)
    new = result_of(row, key)
    results = p.data.setdefault("results", [])
    for r in results:
        places = {(r.get("source"), r.get("locator"))} | {
            (a.get("source"), a.get("locator")) for a in r.get("also") or []
        }
        if (key, row.locator) in places and _same_numbers(r, new):
            counts["present"] += 1
            return
    for r in results:
        if _same_numbers(r, new) and (
            _norm_label(r.get("model")) == _norm_label(new.get("model")) or _settings_agree(r, new)
        ):
            r.setdefault("also", []).append({"source": key, "locator": row.locator})
            counts["also"] += 1
            return
    kind = _beside(results, new)
    new = {"id": result_id(new, {r["id"] for r in results if "id" in r}, fallback=str(p.data.get("name") or "")), **new}
    if kind:
        counts[kind] += 1
        if kind == "disagree":
            other = next(r for r in results if disagrees(r, new))
            counts.setdefault("disagree_list", []).append((p.id, other.get("id", "?"), new["id"]))
    results.append(new)
    counts["added"] += 1


# Reproductions -------------------------------------------------------------------------------

# Frameworks that reimplement other papers' methods: a result of theirs on a board where the paper's own
# claim is in the corpus reproduces that claim. (First-party repositories release the authors' models.)
FRAMEWORKS = (
    "github.com/open-mmlab/mmsegmentation/",
    "github.com/SegmentationBLWX/sssegmentation/",
    "github.com/PaddlePaddle/PaddleSeg/",
)


def _repo_of(url: str) -> Optional[str]:
    m = re.match(r"https?://(github\.com/[^/]+/[^/]+)", url or "")
    return m.group(1).casefold() if m else None


def link_reproductions(pid: str, data: dict) -> int:
    """Set `reproduces: <pid>#<claim>` on each framework result (FRAMEWORKS) of a paper whose own claim
    on the same board is in the corpus: exactly one result from a paper or leaderboard source on that
    task, dataset and split with the same backbone (both stated), or, where neither states one, the same
    label; and the same extra training data (as stated). A claim that names no backbone is never taken
    for a framework row that names one. Not where the paper's own code is the framework (then it is the
    authors' release). Returns how many."""
    sources = data.get("sources") or {}
    own_code = {_repo_of(u) for u in ((data.get("links") or {}).get("code") or []) if isinstance(u, str)}
    code_link = (data.get("links") or {}).get("code")
    if isinstance(code_link, str):
        own_code.add(_repo_of(code_link))
    results = data.get("results") or []
    claims = [r for r in results if (sources.get(r.get("source")) or {}).get("kind") in ("paper", "leaderboard")]
    n = 0
    for r in results:
        url = (sources.get(r.get("source")) or {}).get("url", "")
        if r.get("reproduces") or not any(f in url for f in FRAMEWORKS) or _repo_of(url) in own_code:
            continue
        found = [
            c
            for c in claims
            if (c.get("task") or DEFAULT_TASK) == (r.get("task") or DEFAULT_TASK)
            and c.get("dataset") == r.get("dataset")
            and c.get("split") == r.get("split")
            and (
                c.get("backbone") == r.get("backbone")
                if c.get("backbone") or r.get("backbone")
                else _norm_label(c.get("model")) == _norm_label(r.get("model"))
            )
            and (c.get("training") or {}).get("extra") == (r.get("training") or {}).get("extra")
        ]
        if len(found) == 1 and found[0].get("id"):
            r["reproduces"] = f"{pid}#{found[0]['id']}"
            n += 1
    return n


# Writing -------------------------------------------------------------------------------------


def write(papers: Iterable[PaperOut], out_dir: Path) -> list[Path]:
    """Each paper as out_dir/<year>/<id>.yaml (format-2 field order, numbers as written)."""
    written = []
    for p in papers:
        path = Path(out_dir) / p.folder / f"{p.id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_paper(p.data, p.comments), encoding="utf-8")
        written.append(path)
    return written


__all__ = [
    "PaperOut",
    "Report",
    "merge",
    "write",
    "load_existing",
    "to_v2",
    "result_id",
    "source_key",
    "fold",
    "result_of",
]
