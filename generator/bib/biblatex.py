"""BibLaTeX entries (for biber): the same record as the BibTeX entry, in biblatex's data model.

An article names its `journaltitle`, a paper in proceedings its `booktitle`; a preprint is `@online`
with `eprinttype = {arxiv}` (biblatex's own type for a document known by its URL and e-print id); the
preprint of a published paper stays as `eprint`. Dates are `date`. Values are encoded like the BibTeX
writer's (generator/bib/write.py), which biber reads as LaTeX too. Checked by `biber --validate-datamodel`.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from generator.bib.record import record
from generator.bib.write import BibEntry, _raw, latex, names, title, write
from generator.corpus.core import Corpus
from generator.format.model import PaperFile

CONTAINER = {"article": "journaltitle", "inproceedings": "booktitle", "incollection": "booktitle"}


def entry(pf: PaperFile, corpus: Corpus, key: str) -> BibEntry:
    rec = record(pf, corpus)
    etype = {"preprint": "online", "phdthesis": "thesis", "techreport": "report"}.get(rec.kind, rec.kind)
    if not rec.authors and etype in CONTAINER:
        etype = "misc"  # biblatex's data model requires the authors of an article or a paper in proceedings
    fields: dict[str, str] = {}
    if rec.authors:
        fields["author"] = names(rec.authors)
    else:
        fields["sortkey"] = latex(rec.label)
    fields["title"] = title(rec.title)
    if rec.container:
        fields[CONTAINER.get(etype, "howpublished")] = latex(rec.container)
    if rec.kind == "phdthesis":
        fields["type"] = "phdthesis"
    fields["date"] = str(rec.year)
    for name_ in ("volume", "number", "pages", "publisher"):
        value = getattr(rec, name_)
        if value and not (name_ == "publisher" and etype == "article"):  # biblatex's article has no publisher
            fields[name_] = latex(value)
    if rec.doi:
        fields["doi"] = _raw(rec.doi)
    if rec.arxiv:
        fields["eprint"] = _raw(rec.arxiv)
        fields["eprinttype"] = "arxiv"
    if rec.url:
        fields["url"] = _raw(rec.url)
    return BibEntry(key, etype, tuple(fields.items()))


def entries(papers: Iterable[PaperFile], corpus: Corpus, keys: Mapping[str, str]) -> list[BibEntry]:
    return [entry(pf, corpus, keys[pf.id]) for pf in papers]


def biblatex(papers: Iterable[PaperFile], corpus: Corpus, keys: Mapping[str, str]) -> str:
    return write(entries(papers, corpus, keys))
