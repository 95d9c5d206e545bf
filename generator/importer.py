"""`python -m generator import bibtex FILE`: one new paper file per entry not already in papers/.

Each entry becomes papers/<year>/<id>.yaml with what BibTeX records — title, authors, year, venue, arXiv
id, DOI, paper link — decoded from LaTeX to Unicode. BibTeX holds no results, so new files carry none.
An entry already present (same DOI, arXiv id, or title once case and punctuation are folded) is skipped
and said so; a broken entry is reported at its line (`refs.bib:12: error: ...`) and nothing is written
for it, while the others are still imported. Existing files are never overwritten.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

from . import bibparse
from .load import LoadError, parse_text
from .model import Paper, PaperFile, Registries, Venue
from .problems import relpath
from .render.bibtex import CONTAINER, balanced
from .schema import INVALID, ArxivId, Converter, Doi, Url
from .validate import DEFAULT_ROOT, ID_RULE, fold_title, validate_tree

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class EntryError(Exception):
    """What makes one entry unusable; reported at the entry's line."""


# Venues ----------------------------------------------------------------------------------------

_STOP = {"proceedings", "proc", "of", "the", "ieee", "cvf", "in", "on", "and", "conference", "advances", "annual",
         "acm", "springer", "for", "s"}
_ORDINAL = re.compile(r"(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)?"
                      r"(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
                      r"\w+teenth|\w+tieth)\Z")


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def _words(text: str) -> tuple[str, ...]:
    """The words that name a venue: parentheses, years, ordinals and filler words left out."""
    text = re.sub(r"\([^)]*\)", " ", _fold(text)).replace("-", "")
    return tuple(w for w in re.findall(r"[a-z]+", text) if w not in _STOP and not _ORDINAL.match(w))


def _aliases(slug: str, venue: Venue) -> set[str]:
    names = {venue.short}
    for inner in re.findall(r"\(([^)]*)\)", venue.name.en):
        names |= {n.strip() for n in inner.split("/") if n.strip()}
    return {n for n in names if len(n) >= 3}


def match_venue(text: str, venues: Mapping[str, Venue]) -> Optional[str]:
    """The slug of the venue a booktitle or journal names: by full name, else by short name (CVPR, ECCV)."""
    if not text:
        return None
    workshop = "workshop" in text.casefold()
    words = _words(text)
    for slug, v in venues.items():
        if slug != "arxiv" and words and words == _words(v.name.en):
            return slug
    found = []
    for slug, v in venues.items():
        if slug == "arxiv" or workshop != ("workshop" in v.name.en.casefold()):
            continue
        if any(re.search(rf"(?<![A-Za-z]){re.escape(a)}(?![A-Za-z])", text) for a in _aliases(slug, v)):
            found.append(slug)
    return found[0] if len(found) == 1 else None


# Identifiers -----------------------------------------------------------------------------------

_ARXIV_IN_TEXT = re.compile(r"(?:arxiv(?:\s+preprint)?\s*:?\s*(?:abs/)?|arxiv\.org/(?:abs|pdf)/|abs/)"
                            r"(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)", re.I)


def _arxiv(f: Mapping[str, str]) -> Optional[str]:
    eprint = f.get("eprint", "").strip()
    kind = (f.get("archiveprefix") or f.get("eprinttype") or "").strip().casefold()
    if eprint and (kind == "arxiv" or not kind) and ArxivId.pattern.match(eprint):
        return eprint
    for name in ("journal", "booktitle", "howpublished", "note", "url", "volume", "eprint"):
        m = _ARXIV_IN_TEXT.search(f.get(name, ""))
        if m and ArxivId.pattern.match(m.group(1)):
            return m.group(1)
    return None


def _doi(f: Mapping[str, str], notes: list[str]) -> Optional[str]:
    raw = f.get("doi", "").strip()
    if not raw:
        return None
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", bibparse.decode(raw), flags=re.I)
    if Doi.pattern.match(doi):
        return doi
    notes.append(f"doi '{raw}' left out: not a DOI")
    return None


def _slug(text: str) -> str:
    text = text.replace("++", "-plus-plus").replace("+", "-plus")
    ascii_text = "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii()).lower()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text))


_NAME = re.compile(r"([^\s:]+(?:\s(?:v?\d+|V\d+|\+\+|II|III))?)\s*:\s+\S")


def method_name(title: str) -> Optional[str]:
    """The method name a title leads with: 'PSPNet: ...' -> PSPNet, 'SAM 2: ...' -> SAM 2."""
    m = _NAME.match(title)
    if not m or len(m.group(1)) > 30 or not re.search(r"[A-Za-z]", m.group(1)):
        return None
    return m.group(1)


def unique_id(data: Mapping[str, Any], taken: set[str]) -> str:
    """A new id: the method name (pspnet), else first author's family name and year (zhao2017); made unique."""
    title = data.get("title", "")
    base = _slug(data.get("name") or method_name(title) or "")
    if not base:
        authors = data.get("authors") or []
        family = _slug(authors[0].split()[-1]) if authors else ""
        base = f"{family or 'paper'}{data.get('year', '')}"
    candidates = [base]
    word = next((w for w in (_slug(w) for w in title.split()) if len(w) > 3 and w not in base), None)
    if word:
        candidates.append(f"{base}-{word}")
    candidates += [f"{base}-{n}" for n in range(2, 1000)]
    for c in candidates:
        if ID_RULE.match(c) and c not in taken:
            return c
    raise EntryError("no free id")  # pragma: no cover


def existing_paper(data: Mapping[str, Any], papers: Iterable[PaperFile]) -> Optional[tuple[PaperFile, str]]:
    """The file that already describes this paper, and by what (the rule validate applies)."""
    ids = data.get("ids") or {}
    arxiv = (ids.get("arxiv") or "").split("v")[0]
    doi = (ids.get("doi") or "").lower()
    title = fold_title(data.get("title", ""))
    for pf in papers:
        p = pf.paper
        if arxiv and p.ids and p.ids.arxiv and p.ids.arxiv.split("v")[0] == arxiv:
            return pf, "arXiv id"
        if doi and p.ids and p.ids.doi and p.ids.doi.lower() == doi:
            return pf, "DOI"
        if title and fold_title(p.title) == title:
            return pf, "title"
    return None


# Entry -> paper --------------------------------------------------------------------------------

def paper_from_record(rec: bibparse.Record, regs: Registries, lenient: bool = False) -> tuple[dict, list[str]]:
    """The paper-format data of one entry, and notes on what was read how. Raises EntryError.

    With lenient, a missing or unusable title or year is left out instead (for `new`, whose flags
    may supply it)."""
    f = rec.fields
    notes: list[str] = []
    data: dict[str, Any] = {}
    title = bibparse.decode(f.get("title", ""))
    if title:
        data["title"] = title
    elif not lenient:
        raise EntryError("missing title")
    year_text = bibparse.decode(f.get("year", ""))
    if re.fullmatch(r"\d{4}", year_text) and 1900 <= int(year_text) <= 2100:
        data["year"] = int(year_text)
    elif not lenient:
        raise EntryError("missing year" if not year_text else f"year '{year_text}' is not a year (YYYY)")
    name = method_name(title) if title else None
    if name:
        data["name"] = name
    if f.get("author"):
        authors, more = bibparse.people(f["author"])
        notes += more
        if authors:
            data["authors"] = authors
    else:
        notes.append("no authors in the entry")

    container = f.get("booktitle") or f.get("journal") or ""
    container_text = bibparse.decode(container)
    arxiv = _arxiv(f)
    venue = match_venue(container_text, regs.venues) or (
        match_venue(bibparse.decode(f.get("journal", "")), regs.venues) if f.get("booktitle") else None)
    if venue is None and "arxiv" in regs.venues and (arxiv or re.search(r"\b(arxiv|corr)\b", container_text, re.I)):
        venue = "arxiv"
    if venue:
        data["venue"] = venue
    elif container_text:
        notes.append(f"venue '{container_text}' is not in papers/venues.yaml: kept in the BibTeX fields")

    ids: dict[str, str] = {}
    if arxiv:
        ids["arxiv"] = arxiv
    doi = _doi(f, notes)
    if doi:
        ids["doi"] = doi
    if ids:
        data["ids"] = ids
    url = bibparse.decode(f.get("url", "")).strip("<>")
    if url and not Url.pattern.match(url):
        notes.append(f"url '{url}' left out: not an http(s) URL")
        url = ""
    if not url and arxiv:
        url = f"https://arxiv.org/abs/{arxiv}"
    if url:
        data["links"] = {"paper": url}
    if f.get("abstract"):
        data["abstract"] = bibparse.decode(f["abstract"])

    # what the format has no field for, but the writer's entry needs, stays as BibTeX overrides
    override: dict[str, Any] = {}
    extra: dict[str, str] = {}
    etype = {"conference": "inproceedings"}.get(rec.type, rec.type)
    if not venue and container and data.get("authors") and etype in CONTAINER:
        override["type"] = etype
        extra[CONTAINER[etype]] = " ".join(container.split())
    for name_ in ("volume", "number", "pages"):
        value = " ".join(f.get(name_, "").split())
        if value and balanced(value) and value not in ("0--0",):
            extra[name_] = value
    if extra:
        override["fields"] = extra
    if override:
        data["bibtex"] = override
    return data, notes


def check(text: str, name: str) -> list[str]:
    """Problems the paper format finds in a generated file (none, unless this module has a bug)."""
    try:
        node = parse_text(text, name)
    except LoadError as exc:
        return [exc.problem.text()]
    conv = Converter()
    paper = conv.convert(node, Paper, "")
    return [p.text() for p in conv.problems] or ([] if paper is not INVALID else ["not a paper"])


# The command -----------------------------------------------------------------------------------

def run(args: argparse.Namespace) -> int:
    from .cli import print_problems, validated
    from .newpaper import paper_yaml

    root = Path(args.papers) if args.papers else DEFAULT_ROOT
    source = Path(args.file)
    shown = args.file
    try:
        text = sys.stdin.read() if args.file == "-" else source.read_text(encoding="utf-8")
    except FileNotFoundError:
        print(f"import: no such file: {args.file}", file=sys.stderr)
        return EXIT_USAGE
    except (OSError, UnicodeDecodeError) as exc:
        print(f"import: cannot read {args.file}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not (root / "venues.yaml").is_file():
        print(f"import: no papers folder at {root} (it holds venues.yaml and the other registries)", file=sys.stderr)
        return EXIT_USAGE
    checked = validated(root, "import", "importing")
    if checked is None:
        return EXIT_PROBLEMS
    regs = checked.registries
    assert regs is not None

    known: list[PaperFile] = list(checked.papers)
    taken = {pf.id for pf in known} | {p.stem for p in root.glob("*/*.yaml")}
    new: list[tuple[bibparse.Record, dict]] = []  # entries written (or to be) in this run
    written: list[Path] = []
    errors = skipped = 0
    verb = "would write" if args.dry_run else "wrote"

    for item in bibparse.read(text):
        where = f"{shown}:{item.line}"
        label = f" [{item.key}]" if item.key else ""
        if isinstance(item, bibparse.BadEntry):
            print(f"{where}: error: {item.message}{label}; nothing written for this entry", file=sys.stderr)
            errors += 1
            continue
        try:
            data, notes = paper_from_record(item, regs)
        except EntryError as exc:
            print(f"{where}: error: {exc}{label}; nothing written for this entry", file=sys.stderr)
            errors += 1
            continue
        dup = existing_paper(data, known)
        if dup:
            print(f"skipped {where}{label}: already in {dup[0].path} (same {dup[1]})")
            skipped += 1
            continue
        earlier = next((r for r, d in new if existing_paper(data, [_as_file(d)])), None)
        if earlier is not None:
            print(f"skipped {where}{label}: the same paper as the entry at line {earlier.line}")
            skipped += 1
            continue
        pid = unique_id(data, taken)
        path = root / str(data["year"]) / f"{pid}.yaml"
        if path.exists():  # never overwrite, whatever the corpus index says
            print(f"skipped {where}{label}: {relpath(path)} exists")
            skipped += 1
            continue
        body = paper_yaml(data, header=True)
        problems = check(body, relpath(path))
        if problems:
            print(f"{where}: error: the entry does not make a valid paper file{label}: {'; '.join(problems)}",
                  file=sys.stderr)
            errors += 1
            continue
        taken.add(pid)
        new.append((item, data))
        if not args.dry_run:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "x", encoding="utf-8") as out:  # "x": fail rather than overwrite
                out.write(body)
            written.append(path)
        print(f"{verb} {relpath(path)} from {where}{label}")
        for note in notes:
            print(f"  note: {note}")

    if written:
        after = validate_tree(root)
        if after.problems:
            print_problems(after.problems, "text", after.files_checked)
            errors += 1
    print(f"import: {len(new)} {'to write' if args.dry_run else 'written'}, {skipped} skipped, "
          f"{errors} error{'s' if errors != 1 else ''}", file=sys.stderr)
    return EXIT_PROBLEMS if errors else EXIT_OK


def _as_file(data: Mapping[str, Any]) -> PaperFile:
    """Just enough of a PaperFile to compare a new entry with another new entry."""
    from .model import Ids

    ids = data.get("ids") or {}
    paper = Paper(title=data["title"], year=data["year"],
                  ids=Ids(arxiv=ids.get("arxiv"), doi=ids.get("doi")) if ids else None)
    return PaperFile("", "", paper)
