"""Real BibTeX files (`real-bib/*.bib`) -> bibliographic records, and filling a paper from one.

Each file starts with a header naming the repository, path(s), commit and licence it was copied from;
that is the record's source. Entries are read with `generator.bibparse` and turned into paper fields
with `generator.importer.paper_from_record` (venue by `match_venue`, arXiv id, DOI, decoded authors).
`update` fills only what a paper lacks and lists every field where the record says something else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Mapping, Optional

import yaml

from generator.bib import read as bibparse
from generator.bib.to_paper import EntryError, paper_from_record
from generator.format.model import Names, Registries, Venue
from generator.format.identity import fold_title
from .records import PaperRef, SourceRef, Skipped


@dataclass(frozen=True)
class BibHeader:
    repository: Optional[str]  # https://github.com/owner/name
    paths: tuple[str, ...]
    commit: Optional[str]
    licence: Optional[str]  # as the header writes it


@dataclass(frozen=True)
class BibRecord:
    """One entry: the paper it describes, the version of record where it states one, and its source."""

    paper: PaperRef
    published: Mapping[str, Any]  # venue, year, volume, number, pages, doi, publisher (only those given)
    source: SourceRef
    key: str  # citation key
    line: int
    path: Optional[str] = None  # the file in the repository the entry was copied from ("% from:")
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Conflict:
    field: str
    existing: Any
    record: Any
    source: str  # the record's source key and citation key


def load_venues(papers_dir: Path) -> dict[str, Venue]:
    """venues.yaml as `Venue`s (what `match_venue` reads)."""
    data = yaml.safe_load((papers_dir / "venues.yaml").read_text(encoding="utf-8"))
    out = {}
    for slug, v in data.items():
        name = v["name"]
        names = Names(name, name) if isinstance(name, str) else Names(name["en"], name.get("zh", name["en"]))
        out[slug] = Venue(name=names, short=v["short"], type=v["type"], url=v.get("url"))
    return out


_HDR = re.compile(r"^%\s*(Source|Commit|Licence|License):\s*(.*)$", re.M | re.I)


def read_header(text: str) -> BibHeader:
    """The '% Source: URL paths', '% Commit: sha ...', '% Licence: ...' lines at the top of a file."""
    found = {m.group(1).casefold().replace("license", "licence"): m.group(2).strip() for m in _HDR.finditer(text)}
    repo: Optional[str] = None
    paths: tuple[str, ...] = ()
    if "source" in found:
        parts = found["source"].split()
        repo = parts[0] if parts and parts[0].startswith("http") else None
        paths = tuple(p for p in parts[1:] if "/" in p or "." in p and not p.startswith("("))
    commit = None
    m = re.match(r"([0-9a-f]{40})", found.get("commit", ""))
    if m:
        commit = m.group(1)
    return BibHeader(repository=repo, paths=paths, commit=commit, licence=found.get("licence"))


_SPDX = [
    (re.compile(r"^apache", re.I), "Apache-2.0"),
    (re.compile(r"^mit\b", re.I), "MIT"),
    (re.compile(r"attribution-noncommercial 4\.0", re.I), "CC-BY-NC-4.0"),
    (re.compile(r"^bsd-3", re.I), "BSD-3-Clause"),
]


def spdx(licence: Optional[str]) -> Optional[str]:
    """The SPDX id of a header's licence text where it is one of the plain ones; else None."""
    for pattern, ident in _SPDX:
        if licence and pattern.search(licence):
            return ident
    return None


def _source(path: Path, header: BibHeader, entry_path: Optional[str]) -> SourceRef:
    repo = (header.repository or "").rstrip("/")
    name = repo.removeprefix("https://github.com/") or path.stem
    target = entry_path or (header.paths[0] if header.paths else "")
    url = f"{repo}/blob/{header.commit}/{target}" if repo and header.commit and target else repo
    key = "bib-" + re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")
    return SourceRef(
        key=key, kind="paper", name=f"{name} citation ({target or 'README'})", url=url, licence=spdx(header.licence)
    )


def read(path: Path, venues: Mapping[str, Venue]) -> tuple[list[BibRecord], list[Skipped]]:
    """Every entry of one real-bib file as a record; broken or unusable entries as Skipped."""
    text = Path(path).read_text(encoding="utf-8")
    header = read_header(text)
    # only venues are needed; the others empty, whichever registries the format has
    empty: dict[str, Any] = {f.name: {} for f in fields(Registries)}
    regs = Registries(**{**empty, "venues": venues})
    froms = [
        (text.count("\n", 0, m.start()) + 1, m.group(1).strip()) for m in re.finditer(r"^%\s*from:\s*(\S+)", text, re.M)
    ]
    records: list[BibRecord] = []
    skipped: list[Skipped] = []
    for item in bibparse.read(text):
        where = f"{path.name}:{item.line}"
        if isinstance(item, bibparse.BadEntry):
            skipped.append(Skipped(path.name, where, f"broken entry: {item.message}"))
            continue
        try:
            data, notes = paper_from_record(item, regs)
        except EntryError as exc:
            skipped.append(Skipped(path.name, where, f"entry not usable: {exc}"))
            continue
        entry_path = next((p for line, p in reversed(froms) if line < item.line), None)
        source = _source(Path(path), header, entry_path)
        f = item.fields
        ids = data.get("ids") or {}
        venue = data.get("venue")
        paper = PaperRef(
            title=data.get("title"),
            name=data.get("name"),
            authors=tuple(data.get("authors", ())),
            arxiv=(ids.get("arxiv") or "").split("v")[0] or None,
            doi=ids.get("doi"),
            url=(data.get("links") or {}).get("paper"),
            venue=venue,
            year=data.get("year"),
        )
        published: dict[str, Any] = {}
        if venue and venue != "arxiv":
            published["venue"] = venue
            if data.get("year"):
                published["year"] = data["year"]
            for name in ("volume", "number", "pages"):
                value = " ".join(f.get(name, "").split())
                if value:
                    published[name] = bibparse.decode(value) if name != "pages" else value
            if ids.get("doi"):
                published["doi"] = ids["doi"]
            if f.get("publisher"):
                published["publisher"] = bibparse.decode(f["publisher"])
        records.append(
            BibRecord(
                paper=paper,
                published=published,
                source=source,
                key=item.key,
                line=item.line,
                path=entry_path,
                notes=tuple(notes),
            )
        )
    return records, skipped


def read_all(folder: Path, venues: Mapping[str, Venue]) -> tuple[list[BibRecord], list[Skipped]]:
    records: list[BibRecord] = []
    skipped: list[Skipped] = []
    for path in sorted(Path(folder).glob("*.bib")):
        r, s = read(path, venues)
        records += r
        skipped += s
    return records, skipped


# Filling a paper -----------------------------------------------------------------------------


def _same(field_: str, a: Any, b: Any) -> bool:
    if field_ == "title":
        return fold_title(str(a)) == fold_title(str(b))
    if field_ == "authors":
        return [fold_title(x) for x in a] == [fold_title(x) for x in b]
    if field_ in ("ids.doi", "published.doi"):
        return str(a).casefold() == str(b).casefold()
    if field_ == "ids.arxiv":
        return str(a).split("v")[0] == str(b).split("v")[0]
    return str(a) == str(b)


def record_fields(rec: BibRecord) -> dict[str, Any]:
    """The paper fields (dotted names) a record gives."""
    p = rec.paper
    out: dict[str, Any] = {}
    for name, value in (
        ("title", p.title),
        ("authors", list(p.authors) or None),
        ("year", p.year),
        ("venue", p.venue),
        ("ids.arxiv", p.arxiv),
        ("ids.doi", p.doi),
        ("links.paper", p.url),
    ):
        if value:
            out[name] = value
    for name, value in rec.published.items():
        out[f"published.{name}"] = value
    return out


def _get(paper: Mapping[str, Any], dotted: str) -> Any:
    node: Any = paper
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def update(paper: Mapping[str, Any], rec: BibRecord) -> tuple[dict[str, Any], list[Conflict]]:
    """What a matching record adds to a paper, and where it disagrees: (filled fields by dotted name,
    conflicts). Only missing fields are filled; a field that differs is never overwritten. Where the
    record's venue is arXiv, the paper's venue is left alone (a preprint is cited, not the paper's venue),
    and links.paper is filled only where the paper has no link."""
    filled: dict[str, Any] = {}
    conflicts: list[Conflict] = []
    where = f"{rec.source.key}:{rec.key}"
    venue = (paper.get("published") or {}).get("venue") or paper.get("venue")
    other_version = bool(rec.published) and venue not in (None, "arxiv", rec.published.get("venue"))
    if other_version:  # the entry's version of record is at another venue than the paper's: say so, fill none
        conflicts.append(Conflict("published.venue", venue, rec.published.get("venue"), where))
    for name, value in record_fields(rec).items():
        if other_version and name.startswith("published."):
            continue
        have = _get(paper, name)
        if have in (None, "", [], {}):
            if name == "venue" and value == "arxiv" and paper.get("venue"):
                continue
            filled[name] = value
        elif name == "links.paper":
            continue  # a paper has many links; another one is not a disagreement
        elif not _same(name, have, value):
            if name == "venue" and value == "arxiv":
                continue  # the entry cites the preprint of a paper whose venue is known
            if name == "year" and rec.paper.venue == "arxiv":
                continue  # the preprint's year, not the year of the version shown
            conflicts.append(Conflict(name, have, value, where))
    return filled, conflicts


def apply(paper: Mapping[str, Any], filled: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the paper with the filled fields set (dotted names make nested maps)."""
    out = {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in paper.items()}
    for dotted, value in filled.items():
        node = out
        *parents, last = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return out


__all__ = [
    "BibHeader",
    "BibRecord",
    "Conflict",
    "read",
    "read_all",
    "read_header",
    "load_venues",
    "update",
    "apply",
    "record_fields",
    "spdx",
]
