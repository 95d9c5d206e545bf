"""Machine-readable metadata of a paper page, for reference managers and search engines:

- COinS (OpenURL 1.0 ContextObject in a `<span class="Z3988" title="…">`): what Zotero's connector reads;
- schema.org `ScholarlyArticle` JSON-LD (`<script type="application/ld+json">`: data, never run, so the
  site's Content-Security-Policy, script-src 'self' plus hashes, has nothing to allow), with the paper's
  code repository as `codeRepository` of its `SoftwareSourceCode`.

Both come from the same record as the citations (generator/bib/record.py).
"""

from __future__ import annotations

from urllib.parse import urlencode

from generator.bib.record import record
from generator.corpus.core import Corpus
from generator.format.model import PaperFile

_GENRE = {
    "article": ("journal", "article", "rft.jtitle"),
    "inproceedings": ("book", "proceeding", "rft.btitle"),
    "incollection": ("book", "bookitem", "rft.btitle"),
}


def coins(pf: PaperFile, corpus: Corpus) -> str:
    """The ContextObject as a KEV string (the span's title; the template escapes it for HTML)."""
    rec = record(pf, corpus)
    fmt, genre, container = _GENRE.get(rec.kind, ("journal", "preprint" if rec.kind == "preprint" else "document", ""))
    pairs: list[tuple[str, str]] = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", f"info:ofi/fmt:kev:mtx:{fmt}"),
        ("rft.genre", genre),
        ("rft.atitle", rec.title),
    ]
    if container and rec.container:
        pairs.append((container, rec.container))
    pairs.append(("rft.date", str(rec.year)))
    for a in rec.authors:
        pairs.append(("rft.au", a))
    for key, value in (
        ("rft.volume", rec.volume),
        ("rft.issue", rec.number),
        ("rft.pages", rec.pages),
        ("rft.pub", rec.publisher),
    ):
        if value:
            pairs.append((key, value))
    if rec.doi:
        pairs.append(("rft_id", f"info:doi/{rec.doi}"))
    if rec.arxiv:
        pairs.append(("rft_id", f"info:arxiv/{rec.arxiv}"))
    if rec.url:
        pairs.append(("rft_id", rec.url))
    return urlencode(pairs)


def json_ld(pf: PaperFile, corpus: Corpus, page_url: str) -> dict:
    rec = record(pf, corpus)
    out: dict = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": rec.title,
        "name": rec.title,
        "url": page_url,
        "datePublished": str(rec.year),
    }
    if rec.authors:
        out["author"] = [{"@type": "Person", "name": a} for a in rec.authors]
    if rec.container:
        out["isPartOf"] = {
            "@type": "Periodical" if rec.kind == "article" else "PublicationEvent",
            "name": rec.container,
        }
    if rec.doi:
        out["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": rec.doi}
    same = [
        u
        for u in (
            rec.url,
            f"https://arxiv.org/abs/{rec.arxiv}" if rec.arxiv else None,
            f"https://doi.org/{rec.doi}" if rec.doi else None,
        )
        if u
    ]
    if same:
        out["sameAs"] = list(dict.fromkeys(same))
    if rec.repositories:
        out["workExample"] = [{"@type": "SoftwareSourceCode", "codeRepository": u} for u in rec.repositories]
    if pf.paper.abstract:
        out["abstract"] = pf.paper.abstract
    return out
