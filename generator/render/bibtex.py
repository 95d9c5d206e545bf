"""BibTeX entries generated from paper files, written so that the classic `bibtex` reads them.

Accents are braced ({\\v{S}}egvi{\\'c}), acronyms and mixed-case words in titles are
protected ({PSPNet}), special characters escaped; non-Latin names (Chinese) stay as
UTF-8 text, which bibtex passes through. bibtexparser 2 writes the file."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Mapping

import bibtexparser
from bibtexparser.model import Entry, Field
from pylatexenc.latexencode import UnicodeToLatexEncoder

from ..corpus import Corpus
from ..model import PaperFile

logging.getLogger("pylatexenc").setLevel(logging.ERROR)  # non-Latin scripts are kept as they are, on purpose

_ENCODER = UnicodeToLatexEncoder(non_ascii_only=True, replacement_latex_protection="braces-all",
                                 unknown_char_policy="keep")
_SPECIAL = re.compile(r"([&%$#_])")
_WORD = re.compile(r"(\S+)")


def latex(text: str) -> str:
    """Unicode text as BibTeX-safe LaTeX: specials escaped, accents braced, braces balanced."""
    text = text.replace("\\", r"\textbackslash{}").replace("{", r"\{").replace("}", r"\}")
    text = text.replace(r"\textbackslash\{\}", r"\textbackslash{}")
    text = _SPECIAL.sub(r"\\\1", text)
    text = text.replace("~", r"\textasciitilde{}").replace("^", r"\textasciicircum{}")
    return _ENCODER.unicode_to_latex(unicodedata.normalize("NFC", text))


def _protect(word: str) -> bool:
    core = word.strip(".,:;!?()[]\"'")
    letters = [c for c in core if c.isalpha()]
    if len(letters) < 2:
        return False
    upper_after_first = any(c.isupper() for c in core[1:])
    return upper_after_first or any(c.isdigit() for c in core)


def title(text: str) -> str:
    """Protect words whose capitals carry meaning (PSPNet, ResNet-101, RGB-D) from bibtex styles."""
    return _WORD.sub(lambda m: "{" + latex(m.group(1)) + "}" if _protect(m.group(1)) else latex(m.group(1)), text)


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii() and c.isalnum()).lower()


def _family(author: str) -> str:
    return author.strip().split()[-1] if author.strip() else ""


def base_key(pf: PaperFile) -> str:
    p = pf.paper
    family = _ascii(_family(p.authors[0])) if p.authors else ""
    word = next((_ascii(w) for w in re.split(r"[\s:\-]+", p.name or p.title) if _ascii(w)), "paper")
    return f"{family or _ascii(pf.id) or 'anon'}{p.year}{word}"


def keys(corpus: Corpus) -> Mapping[str, str]:
    """Stable, unique citation keys: overrides win; collisions get a, b, c… in id order."""
    taken: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for pf in corpus.papers:
        if pf.paper.bibtex and pf.paper.bibtex.key:
            out[pf.id] = pf.paper.bibtex.key
    used = set(out.values())
    for pf in corpus.papers:
        if pf.id in out:
            continue
        taken.setdefault(base_key(pf), []).append(pf.id)
    for key, ids in taken.items():
        if len(ids) == 1 and key not in used:
            out[ids[0]] = key
            used.add(key)
            continue
        n = 0
        for pid in ids:
            while True:
                candidate = key + _suffix(n)
                n += 1
                if candidate not in used:
                    break
            out[pid] = candidate
            used.add(candidate)
    return out


def _suffix(n: int) -> str:
    letters = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(97 + r) + letters
    return letters


@dataclass(frozen=True)
class BibEntry:
    key: str
    type: str
    fields: tuple[tuple[str, str], ...]


def entry(pf: PaperFile, corpus: Corpus, key: str) -> BibEntry:
    p = pf.paper
    venue = corpus.registries.venues.get(p.venue) if p.venue else None
    etype = venue.type if venue else "misc"
    fields: dict[str, str] = {}
    if p.authors:
        fields["author"] = " and ".join(latex(a) for a in p.authors)
    fields["title"] = title(p.title)
    if venue and p.venue != "arxiv":
        container = {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle"}.get(etype)
        if container:
            fields[container] = latex(venue.name.en)
    fields["year"] = str(p.year)
    if p.ids and p.ids.doi:
        fields["doi"] = p.ids.doi
    if p.ids and p.ids.arxiv:
        fields["eprint"] = p.ids.arxiv
        fields["archiveprefix"] = "arXiv"
        if etype == "misc":
            fields["howpublished"] = f"arXiv:{p.ids.arxiv}"
    url = p.links.all("paper")[0] if p.links and p.links.all("paper") else None
    if url:
        fields["url"] = url.replace("%", r"\%").replace("#", r"\#")
    if p.bibtex:
        etype = p.bibtex.type or etype
        for name, value in (p.bibtex.fields or {}).items():
            fields[name.lower()] = value
    return BibEntry(key, etype, tuple(fields.items()))


def write(entries: Iterable[BibEntry]) -> str:
    lib = bibtexparser.Library()
    for e in entries:
        lib.add(Entry(e.type, e.key, [Field(k, "{" + v + "}") for k, v in e.fields]))
    return bibtexparser.write_string(lib)


def paper_entries(papers: Iterable[PaperFile], corpus: Corpus, all_keys: Mapping[str, str]) -> list[BibEntry]:
    return [entry(pf, corpus, all_keys[pf.id]) for pf in papers]
