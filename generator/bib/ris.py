"""RIS (the tagged format of EndNote, Zotero, Mendeley): one record per paper, from generator/bib/record.py.

Types: JOUR (journal article), CONF (paper in proceedings: Zotero and bibutils read it as one), CHAP, RPRT, THES, BOOK; a preprint is
UNPB (unpublished work) with its arXiv id in `AN`; anything else GEN. Names are written
`Family, Given`; text is UTF-8 (no LaTeX). Lines end in CRLF as the format's specification asks.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from generator.bib.record import record
from generator.corpus.core import Corpus
from generator.format.model import PaperFile

TYPES = {
    "article": "JOUR",
    "inproceedings": "CONF",
    "incollection": "CHAP",
    "techreport": "RPRT",
    "phdthesis": "THES",
    "book": "BOOK",
    "preprint": "UNPB",
}


def _name(author: str) -> str:
    words = author.split()
    return author if len(words) < 2 else f"{words[-1]}, {' '.join(words[:-1])}"


def _line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(str(value).split())}\r\n"


def ris_record(pf: PaperFile, corpus: Corpus, key: str) -> str:
    rec = record(pf, corpus)
    out = [_line("TY", TYPES.get(rec.kind, "GEN")), _line("ID", key)]
    out += [_line("AU", _name(a)) for a in rec.authors]
    out.append(_line("TI", rec.title))
    if rec.container:
        out.append(_line("T2", rec.container))
    if rec.container_short and rec.kind == "article":
        out.append(_line("J2", rec.container_short))
    out.append(_line("PY", str(rec.year)))
    if rec.volume:
        out.append(_line("VL", rec.volume))
    if rec.number:
        out.append(_line("IS", rec.number))
    if rec.pages:
        first, _, last = rec.pages.replace("--", "-").partition("-")
        out.append(_line("SP", first))
        if last:
            out.append(_line("EP", last))
    if rec.publisher:
        out.append(_line("PB", rec.publisher))
    if rec.doi:
        out.append(_line("DO", rec.doi))
    if rec.arxiv:
        out.append(_line("AN", f"arXiv:{rec.arxiv}"))
    if rec.url:
        out.append(_line("UR", rec.url))
    out.append("ER  - \r\n")
    return "".join(out)


def ris(papers: Iterable[PaperFile], corpus: Corpus, keys: Mapping[str, str]) -> str:
    return "\r\n".join(ris_record(pf, corpus, keys[pf.id]) for pf in papers)
