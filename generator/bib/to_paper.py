"""A BibTeX record as paper-format data: title, authors, year, venue, ids, links, decoded to Unicode.

What the format has no field for but a writer's entry needs (volume, pages, a container outside the
venue registry) stays as BibTeX overrides. Nothing is guessed: a field the record lacks stays out.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Mapping, Optional

from generator.bib import read as bibparse
from generator.bib.write import CONTAINER
from generator.format.convert import INVALID, Converter
from generator.format import formatters
from generator.format.identity import method_name
from generator.format.load import LoadError, parse_text
from generator.format.model import Paper, Registries, Venue
from generator.format.types import ArxivId, Doi, Url, balanced, bare_doi


class EntryError(Exception):
    """What makes one entry unusable; reported at the entry's line."""


# Venues ----------------------------------------------------------------------------------------

_STOP = {
    "proceedings",
    "proc",
    "of",
    "the",
    "ieee",
    "cvf",
    "in",
    "on",
    "and",
    "conference",
    "advances",
    "annual",
    "acm",
    "springer",
    "for",
    "s",
}
_ORDINAL = re.compile(
    r"(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)?"
    r"(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"\w+teenth|\w+tieth)\Z"
)


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

_ARXIV_IN_TEXT = re.compile(
    r"(?:arxiv(?:\s+preprint)?\s*:?\s*(?:abs/)?|arxiv\.org/(?:abs|pdf)/|abs/)"
    r"(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)",
    re.I,
)


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
    doi = bare_doi(bibparse.decode(raw))
    if Doi.pattern.match(doi):
        return doi
    notes.append(f"doi '{raw}' left out: not a DOI")
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
        match_venue(bibparse.decode(f.get("journal", "")), regs.venues) if f.get("booktitle") else None
    )
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
        return [formatters.text(exc.problem)]
    conv = Converter()
    paper = conv.convert(node, Paper, "")
    return [formatters.text(p) for p in conv.problems] or ([] if paper is not INVALID else ["not a paper"])
