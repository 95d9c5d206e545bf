"""BibTeX entries generated from paper files, written so that the classic `bibtex` reads them.

What `bibtex` (and the styles it runs) needs, and how each is met here:

- one name per author, separated by ` and `: names are written `Given Family` one by one (never the
  whole list inside one pair of braces, which bibtex would read as a single corporate author);
- accents as *special characters* — a brace group starting with a control sequence at brace level 1,
  e.g. `Or{\\v{s}}i{\\'c}`, `Doll{\\'a}r` — so that sorting, purifying and abbreviating treat them as one
  letter (pylatexenc with braces-all protection); non-Latin names (Chinese) stay UTF-8 text, which bibtex
  passes through unchanged;
- capitals that carry meaning protected from the styles' case changes: `{PSPNet}`, `{ImageNet}`, `{U-Net}`;
- specials escaped: `& % $ # _` with a backslash, `{ } \\ ~ ^` as text macros (bibtex counts every brace,
  escaped or not, so a literal brace is never written as one);
- an entry bibtex can format without complaint: a paper whose authors are not recorded is written as
  `@misc` naming its venue in `howpublished` (a conference or journal entry requires an author), and
  every entry without an author carries a `key` field for sorting.

bibtexparser 2 writes the file, without its LaTeX-encoding middleware (it would escape the protective
braces): values are encoded here, and its writer only encloses them in braces.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Mapping

import bibtexparser
from bibtexparser.middlewares import AddEnclosingMiddleware
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat
from pylatexenc.latexencode import UnicodeToLatexEncoder

from generator.bib import keys as citekeys
from generator.bib.record import record
from generator.corpus.core import Corpus
from generator.format.model import PaperFile
from generator.format.types import balanced

logging.getLogger("pylatexenc").setLevel(logging.ERROR)  # non-Latin scripts are kept as they are, on purpose

_ENCODER = UnicodeToLatexEncoder(
    non_ascii_only=True, replacement_latex_protection="braces-all", unknown_char_policy="keep"
)

# ASCII characters with a meaning to TeX or to bibtex, and how a value writes them literally.
_ASCII = {
    "\\": r"{\textbackslash}",
    "{": r"{\textbraceleft}",
    "}": r"{\textbraceright}",
    "~": r"{\textasciitilde}",
    "^": r"{\textasciicircum}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
}
# Typography that has a plain LaTeX spelling every reader of a .bib knows.
_TYPOGRAPHY = {
    "\u2013": "--",
    "\u2014": "---",
    "\u2018": "`",
    "\u2019": "'",
    "\u201c": "``",
    "\u201d": "''",
    "\u00a0": "~",
}
_SPECIAL = re.compile("|".join(re.escape(c) for c in (*_ASCII, *_TYPOGRAPHY)))
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)

# the types the styles know, and the field naming a paper's venue in each
CONTAINER = {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle"}


def latex(text: str) -> str:
    """Unicode text as BibTeX-safe LaTeX: specials escaped, accents braced, braces balanced."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    text = _SPECIAL.sub(lambda m: _ASCII.get(m.group()) or _TYPOGRAPHY[m.group()], text)
    return _ENCODER.unicode_to_latex(text)


_TOKEN = re.compile(r"(\s+)")
_EDGE = re.compile(r"^([\"'`(\[]*)(.*?)([\"'.,:;!?)\]]*)$", re.S)


def _protect(core: str) -> bool:
    """A word whose capitals a style must not change: PSPNet, ImageNet, RGB-D, U-Net, 3D, CNNs."""
    if not any(c.isupper() for c in core):
        return False
    if any(c.isupper() for c in core[1:]):
        return True
    # a capital letter standing alone in a compound (U-Net, X-ray)
    parts = re.split(r"[-/]", core)
    return len(parts) > 1 and any(len(part) == 1 and part.isupper() for part in parts)


def title(text: str) -> str:
    """A title with meaningful capitals protected ({PSPNet}) and everything else left to the style."""
    out = []
    for token in _TOKEN.split(" ".join(text.split())):
        if not token or token.isspace():
            out.append(token)
            continue
        edge = _EDGE.match(token)
        assert edge is not None  # every group is optional: the pattern matches any text
        lead, core, trail = edge.groups()
        if core and _protect(core):
            out.append(latex(lead) + "{" + latex(core) + "}" + latex(trail))
        else:
            out.append(latex(token))
    return "".join(out)


def name(author: str) -> str:
    """One author as bibtex reads names: `Given Family`; a name bibtex would split is braced whole."""
    text = latex(author)
    if _AND.search(f" {author} ") or author.count(",") > 2:
        return "{" + text + "}"
    return text


def names(authors: Iterable[str]) -> str:
    return " and ".join(name(a) for a in authors)


def _raw(value: str) -> str:
    """A URL, DOI or identifier: written as is (styles read them verbatim), braces and spaces %-encoded."""
    return value.strip().replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")


def keys(corpus: Corpus) -> Mapping[str, str]:
    """Every paper's citation key (generator/bib/keys.py: the policy, the registry, overrides)."""
    return citekeys.corpus_keys(corpus)


@dataclass(frozen=True)
class BibEntry:
    key: str
    type: str
    fields: tuple[tuple[str, str], ...]  # name -> value as written between the braces (already LaTeX)


def entry(pf: PaperFile, corpus: Corpus, key: str) -> BibEntry:
    """The paper's entry: the version of record when known (generator/bib/record.py), the preprint as eprint."""
    p = pf.paper
    rec = record(pf, corpus)
    etype = {"preprint": "misc"}.get(rec.kind, rec.kind)
    if not rec.authors and etype in CONTAINER:
        etype = "misc"  # bibtex cannot format a conference or journal entry without its authors
    fields: dict[str, str] = {}
    if rec.authors:
        fields["author"] = names(rec.authors)
    else:
        fields["key"] = latex(rec.label)  # what the styles sort by when there is no author
    fields["title"] = title(rec.title)
    if rec.container:
        fields[CONTAINER.get(etype, "howpublished")] = latex(rec.container)
    fields["year"] = str(rec.year)
    for name_ in ("volume", "number", "pages", "publisher"):
        value = getattr(rec, name_)
        if value:
            fields[name_] = latex(value)
    if rec.doi:
        fields["doi"] = _raw(rec.doi)
    if rec.arxiv:
        fields["eprint"] = _raw(rec.arxiv)
        fields["archiveprefix"] = "arXiv"
        if etype == "misc" and "howpublished" not in fields:
            fields["howpublished"] = f"arXiv preprint arXiv:{_raw(rec.arxiv)}"
    if rec.url:
        fields["url"] = _raw(rec.url)
    if p.bibtex:
        etype = p.bibtex.type or etype
        for field_name, value in (p.bibtex.fields or {}).items():
            # an override is BibTeX as its contributor wrote it, written as is: validate refuses one that is not
            # balanced by the same rule (format/types.balanced); encoding stays for papers that were never validated
            fields[field_name.lower()] = value if balanced(value) else latex(value)
    return BibEntry(key, etype, tuple(fields.items()))


_FORMAT = BibtexFormat()
_FORMAT.indent = "  "
_FORMAT.block_separator = "\n"
_FORMAT.trailing_comma = False


def write(entries: Iterable[BibEntry]) -> str:
    lib = bibtexparser.Library()
    for e in entries:
        lib.add(Entry(e.type, e.key, [Field(k, v) for k, v in e.fields]))
    stack = [
        AddEnclosingMiddleware(
            allow_inplace_modification=True,
            default_enclosing="{",
            reuse_previous_enclosing=False,
            enclose_integers=True,
        )
    ]
    return bibtexparser.write_string(lib, unparse_stack=stack, bibtex_format=_FORMAT)


def paper_entries(papers: Iterable[PaperFile], corpus: Corpus, all_keys: Mapping[str, str]) -> list[BibEntry]:
    return [entry(pf, corpus, all_keys[pf.id]) for pf in papers]
