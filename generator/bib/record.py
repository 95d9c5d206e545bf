"""What a citation of a paper says, once, for every citation format (BibTeX, BibLaTeX, RIS, CSL-JSON).

The version of record wins when the corpus knows it: the paper's `published` block (format v2: venue,
year, volume, number, pages, DOI, publisher), else its venue and year when the venue is a journal or a
proceedings. The preprint stays as `eprint` (arXiv). A paper known only as a preprint is cited as a
preprint (never as an article of a journal called "arXiv"); anything else as what its venue says it is.

Nothing is guessed: a field the paper file does not give stays out of every format.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

from generator.corpus.core import Corpus
from generator.format.model import PaperFile

# venue types that are a version of record, and the kind of container each names
OF_RECORD = ("article", "inproceedings", "incollection")
ARXIV_DOI = "10.48550/"  # DataCite DOIs that arXiv mints for its preprints


@dataclass(frozen=True)
class Record:
    kind: str  # article | inproceedings | incollection | preprint | misc | techreport | phdthesis | book
    authors: tuple[str, ...]
    title: str
    year: int
    label: str  # the paper's short name (what styles sort an entry without authors by)
    container: Optional[str] = None  # journal or proceedings, in full
    container_short: Optional[str] = None
    volume: Optional[str] = None
    number: Optional[str] = None
    pages: Optional[str] = None
    publisher: Optional[str] = None
    doi: Optional[str] = None  # of the version cited (an arXiv DOI only for a preprint)
    arxiv: Optional[str] = None
    url: Optional[str] = None
    month: Optional[int] = None  # of the first public version, where known
    repositories: tuple[str, ...] = ()  # where the code is

    @property
    def of_record(self) -> bool:
        """Cites a journal article or a paper in proceedings (peer-reviewed venues in this corpus)."""
        return self.kind in OF_RECORD


def record(pf: PaperFile, corpus: Corpus) -> Record:
    p = pf.paper
    pub = getattr(p, "published", None)  # format v2
    venues = corpus.registries.venues
    slug = (pub.venue if pub is not None and getattr(pub, "venue", None) else None) or p.venue
    venue = venues.get(slug) if slug and slug != "arxiv" else None
    ids_doi = p.ids.doi if p.ids and p.ids.doi else None
    arxiv = p.ids.arxiv if p.ids and p.ids.arxiv else None
    links = p.links.all("paper") if p.links else ()
    base = Record(
        kind="misc",
        authors=tuple(p.authors),
        title=p.title,
        year=p.year,
        label=p.label,
        arxiv=arxiv,
        url=links[0] if links else (f"https://arxiv.org/abs/{arxiv}" if arxiv else None),
        month=int(p.date[5:7]) if p.date and len(p.date) >= 7 else None,
        repositories=p.links.all("code") if p.links else (),
    )
    if venue is not None and venue.type in OF_RECORD:
        doi = (getattr(pub, "doi", None) if pub is not None else None) or ids_doi
        if doi and doi.lower().startswith(ARXIV_DOI):
            doi = None
        year = (getattr(pub, "year", None) if pub is not None else None) or p.year
        return replace(
            base,
            kind=venue.type,
            year=year,
            container=venue.name.en,
            container_short=venue.short,
            volume=getattr(pub, "volume", None),
            number=getattr(pub, "number", None),
            pages=getattr(pub, "pages", None),
            publisher=getattr(pub, "publisher", None),
            doi=doi,
        )
    if arxiv:
        return replace(base, kind="preprint", doi=ids_doi)
    return replace(
        base,
        kind=venue.type if venue is not None else "misc",
        container=venue.name.en if venue else None,
        container_short=venue.short if venue else None,
        doi=ids_doi,
    )


def peer_reviewed(pf: PaperFile, corpus: Corpus) -> bool:
    return record(pf, corpus).of_record
