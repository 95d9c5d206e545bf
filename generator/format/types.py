"""The constrained text types of the format and `field()`: what a value must look like, with how to say it.

The models (model.py) are written with these; the converter (convert.py) and the JSON Schema
(jsonschema.py) read them. Nothing here knows about YAML.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from typing import Any


# Constrained text types. Each is a `str` subclass marker carrying a pattern and how to say it.
class Constrained(str):
    pattern: typing.ClassVar[re.Pattern[str]]
    expected: typing.ClassVar[str]
    json_format: typing.ClassVar[str | None] = None


class Slug(Constrained):
    pattern = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
    expected = "a slug: lower-case letters, digits and '-'"


class MetricSlug(Constrained):
    pattern = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
    expected = "a metric slug: letters, digits and '_'"


class Url(Constrained):
    pattern = re.compile(r"https?://[^\s/$.?#][^\s]*\Z", re.IGNORECASE)
    expected = "an http(s) URL"
    json_format = "uri"


class Date(Constrained):
    pattern = re.compile(r"(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\Z")
    expected = "a date YYYY-MM-DD"
    json_format = "date"


class Size(Constrained):
    pattern = re.compile(r"[1-9][0-9]*x[1-9][0-9]*\Z")
    expected = "a size WIDTHxHEIGHT, e.g. 2048x1024"


class ArxivId(Constrained):
    pattern = re.compile(r"(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})(v\d+)?\Z")
    expected = "an arXiv id such as 1612.01105"


class BibKey(Constrained):
    pattern = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:.+-]*\Z")
    expected = "a citation key: letters, digits and _ : . + -"


class BibField(Constrained):
    pattern = re.compile(r"[a-z][a-z0-9_-]*\Z")
    expected = "a lower-case BibTeX field name"


class Doi(Constrained):
    pattern = re.compile(r"10\.\d{4,9}/\S+\Z")
    expected = "a DOI such as 10.1109/CVPR.2017.660 (without https://doi.org/)"


# A link that names a paper by its arXiv id (abs or pdf, any version) or its DOI: the one reading of such links
# for every part that meets them (an issue's answers, leaderboards, model zoos). search() finds one in a
# longer text; fullmatch() asks that the whole link be one.
ARXIV_URL = re.compile(r"(?:https?://)?(?:www\.)?arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?/?", re.I)
DOI_URL = re.compile(r"(?:(?:https?://)?(?:dx\.)?doi\.org/|doi:)(10\.\d{4,9}/\S+)", re.I)


# what a DOI written as a link or with its scheme starts with: `new --doi` and a BibTeX doi field take it off
DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)


def bare_doi(text: str) -> str:
    """A DOI as written, without a https://doi.org/ or doi: prefix; the rest is kept as it is (Doi checks it)."""
    return DOI_PREFIX.sub("", text.strip())


def arxiv_in(url: str | None) -> str | None:
    """The arXiv id (without its version) a link points to, or None."""
    m = ARXIV_URL.search(url or "")
    return m.group(1) if m else None


def doi_in(url: str | None) -> str | None:
    """The DOI a link points to, or None."""
    m = DOI_URL.search(url or "")
    return m.group(1) if m else None


def balanced(value: str) -> bool:
    """Braces balanced the way bibtex counts them: every brace counts, escaped (`\\{`) or not, and none closes
    before it opens. The one rule for BibTeX text: a `bibtex.fields` override must pass it to validate,
    and the writer writes an override that passes it as is."""
    depth = 0
    for ch in value:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def field(*, doc: str = "", default: Any = dataclasses.MISSING, examples: tuple = ()) -> Any:
    meta = {"doc": doc, "examples": examples}
    if default is dataclasses.MISSING:
        return dataclasses.field(metadata=meta)
    if isinstance(default, (list, dict, set)):
        raise TypeError("use a tuple or None for defaults")
    return dataclasses.field(default=default, metadata=meta)


class YearMonth(Constrained):
    """A date with month precision at least: YYYY-MM or YYYY-MM-DD (a first public version)."""

    pattern = re.compile(r"(19|20)\d\d-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?\Z")
    expected = "a date YYYY-MM or YYYY-MM-DD"


class ResultRef(Constrained):
    """A result of another paper: <paper-id>#<result-id>."""

    pattern = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*#[a-z0-9]+(?:-[a-z0-9]+)*\Z")
    expected = "<paper-id>#<result-id>, e.g. pspnet#val-pspnet-r101"


class Spdx(Constrained):
    pattern = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+-]*(?: (?:AND|OR|WITH) [A-Za-z0-9][A-Za-z0-9.+-]*)*\Z")
    expected = "an SPDX licence id such as CC-BY-SA-4.0"
