"""Which paper a record is, and the id a new one gets: the rules `validate`, `new` and the importers share.

Two records are the same paper when they share an arXiv id (without version), a DOI, or a title once
case, accents and punctuation are folded. A new paper's id comes from its method name (`pspnet`), else
from its first author's family name and year (`zhao2017`); ids are lower-case letters, digits and `-`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterable, Mapping, Optional

from generator.format.model import PaperFile

ID_RULE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def fold_title(title: str) -> str:
    """A title with case, accents and punctuation folded away, for comparison."""
    text = unicodedata.normalize("NFKD", title).casefold()
    return "".join(ch for ch in text if ch.isalnum())


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
    raise ValueError("no free id")  # pragma: no cover


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
