"""A paper's bibliographic record by its id: the arXiv API (Atom) and Crossref (`works` JSON), one small client.

`new --arxiv ID` and `new --doi DOI` use it; `check-links` shares its User-Agent. One GET per lookup,
through urllib, with a timeout and a size limit; nothing is cached or retried. What a record does
not state stays out (the record's own words, never a guess): a title, the authors in order, the
first version's date, the venue when the record names one in papers/venues.yaml, the ids and a link.

Settings (environment):
  SURVEY_ARXIV_API     the arXiv API's query endpoint (default http://export.arxiv.org/api/query)
  SURVEY_CROSSREF_API  Crossref's REST API (default https://api.crossref.org)
  SURVEY_MAILTO        an e-mail address for the User-Agent, as both services ask of scripts
                       (Crossref's "polite pool"); left out when unset
  REPO_URL             the project named in the User-Agent (default: the git remote, as the site uses)
The tests point the first two at a server on 127.0.0.1.
"""

from __future__ import annotations

import html
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from generator.bib.to_paper import match_venue
from generator.format.model import Venue
from generator.format.types import Date, Doi

ARXIV_API = "http://export.arxiv.org/api/query"
CROSSREF_API = "https://api.crossref.org"
TIMEOUT = 20.0  # seconds for one request
MAX_BYTES = 2 << 20  # an Atom entry or a works record is a few KB; refuse anything absurd

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"


class LookupFailed(Exception):
    """The record could not be had; the message says why, for a contributor."""


class Unreachable(LookupFailed):
    """The service did not answer (offline, a time-out, a server error)."""


class NotFound(LookupFailed):
    """The service answered: there is no such record."""


@dataclass
class Found:
    data: dict[str, Any]  # paper-format fields
    notes: list[str] = field(default_factory=list)
    url: str = ""  # the request, for the contributor to look at


def user_agent() -> str:
    """`semseg-survey/0.1 (+project; mailto:...)`: who is asking, as arXiv and Crossref ask of scripts."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("semseg-survey")
    except PackageNotFoundError:
        v = "0"
    from generator.config import ROOT, _github_url_from_git

    project = os.environ.get("REPO_URL", "").strip() or _github_url_from_git(ROOT) or ""
    mailto = os.environ.get("SURVEY_MAILTO", "").strip()
    parts = [f"+{project}"] if re.fullmatch(r"https?://[^\s;()]+", project) else []
    if re.fullmatch(r"[^@\s;()]+@[^@\s;()]+", mailto):
        parts.append(f"mailto:{mailto}")
    return f"semseg-survey/{v}" + (f" ({'; '.join(parts)})" if parts else "")


def _base(env: str, default: str) -> str:
    return (os.environ.get(env, "").strip() or default).rstrip("/")


def get(url: str, accept: str, timeout: float = TIMEOUT) -> bytes:
    """The body of a GET; NotFound on 404/410, Unreachable on anything else that is not 200."""
    host = urllib.parse.urlsplit(url).netloc
    req = urllib.request.Request(url, headers={"User-Agent": user_agent(), "Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        if exc.code in (404, 410):
            raise NotFound(f"{host} answered {exc.code}") from None
        raise Unreachable(f"{host} answered {exc.code} {exc.reason}") from None
    except TimeoutError:
        raise Unreachable(f"{host} did not answer within {timeout:g} s") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise Unreachable(f"cannot reach {host} ({reason}); are you offline?") from None
    if len(body) > MAX_BYTES:
        raise Unreachable(f"{host} sent more than {MAX_BYTES} bytes")
    return body


def _text(value: Optional[str]) -> str:
    """Whitespace collapsed (the arXiv API wraps titles and abstracts), markup (Crossref's <i>) taken out."""
    value = html.unescape(re.sub(r"<[^>]+>", "", value or ""))
    return " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", value).split())


def _date(parts: list[int]) -> Optional[str]:
    """YYYY-MM-DD, or YYYY-MM where the format accepts that, from [year, month, day]; else None."""
    for n in (3, 2):
        if len(parts) >= n:
            text = "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:n])])
            if Date.pattern.match(text):
                return text
    return None


# arXiv -----------------------------------------------------------------------------------------


def arxiv(arxiv_id: str, venues: Mapping[str, Venue], timeout: float = TIMEOUT) -> Found:
    """The arXiv API's entry for one id (https://info.arxiv.org/help/api/user-manual.html, 3.3)."""
    query = urllib.parse.urlencode({"id_list": arxiv_id, "max_results": "1"})
    url = f"{_base('SURVEY_ARXIV_API', ARXIV_API)}?{query}"
    body = get(url, "application/atom+xml", timeout)
    try:
        feed = ET.fromstring(body)
    except ET.ParseError as exc:
        raise Unreachable(f"the arXiv API sent something that is not an Atom feed ({exc})") from None
    if feed.tag != f"{_ATOM}feed":
        raise Unreachable("the arXiv API sent something that is not an Atom feed")
    entries = feed.findall(f"{_ATOM}entry")
    if not entries:
        raise NotFound(f"arXiv has no paper {arxiv_id}")
    entry = entries[0]
    entry_id = _text(entry.findtext(f"{_ATOM}id"))
    title = _text(entry.findtext(f"{_ATOM}title"))
    if "/api/errors" in entry_id or title == "Error":  # errors come as a feed of one entry (user manual 3.4)
        raise NotFound(f"the arXiv API: {_text(entry.findtext(f'{_ATOM}summary')) or 'error'}")
    if not title:
        raise NotFound(f"arXiv's entry for {arxiv_id} has no title")

    notes: list[str] = []
    data: dict[str, Any] = {"title": title}
    authors = [_text(a.findtext(f"{_ATOM}name")) for a in entry.findall(f"{_ATOM}author")]
    if any(authors):
        data["authors"] = [a for a in authors if a]
    published = _text(entry.findtext(f"{_ATOM}published"))
    m = re.match(r"(\d{4})-(\d\d)-(\d\d)", published)
    if m:
        parts = [int(g) for g in m.groups()]
        data["year"] = parts[0]
        date = _date(parts)
        if date:
            data["date"] = date
    journal = _text(entry.findtext(f"{_ARXIV}journal_ref"))
    venue = match_venue(journal, venues) if journal else None
    year_in_ref = re.findall(r"\b((?:19|20)\d\d)\b", journal)
    if venue:
        data["venue"] = venue
        if len(set(year_in_ref)) == 1:
            data["year"] = int(year_in_ref[0])
    else:
        if journal:
            notes.append(
                f"arXiv's journal reference '{journal}' names no venue in papers/venues.yaml: "
                "set venue and year by hand"
            )
        if "arxiv" in venues:
            data["venue"] = "arxiv"
        if "year" in data:
            notes.append(
                f"year {data['year']} is the first arXiv version's; if the paper appeared at a venue, "
                "set venue and year to it (or give --doi as well)"
            )
    ids = {"arxiv": arxiv_id}
    doi = _text(entry.findtext(f"{_ARXIV}doi"))
    if doi and Doi.pattern.match(doi):
        ids["doi"] = doi
    data["ids"] = ids
    data["links"] = {"paper": f"https://arxiv.org/abs/{re.sub(r'v[0-9]+$', '', arxiv_id)}"}
    summary = _text(entry.findtext(f"{_ATOM}summary"))
    if summary:
        data["abstract"] = summary
    return Found(data, notes, url)


# Crossref --------------------------------------------------------------------------------------


def crossref(doi: str, venues: Mapping[str, Venue], timeout: float = TIMEOUT) -> Found:
    """Crossref's `works` record of one DOI (https://github.com/CrossRef/rest-api-doc, api_format.md)."""
    url = f"{_base('SURVEY_CROSSREF_API', CROSSREF_API)}/works/{urllib.parse.quote(doi, safe='/')}"
    try:
        body = get(url, "application/json", timeout)
    except NotFound:
        raise NotFound(f"Crossref has no record of DOI {doi}") from None
    try:
        doc = json.loads(body)
        work = doc["message"]
        assert isinstance(work, dict)
    except (ValueError, KeyError, TypeError, AssertionError):
        raise Unreachable("Crossref sent something that is not a works record") from None

    def first(key: str) -> str:
        value = work.get(key)
        if isinstance(value, list):
            value = value[0] if value else ""
        return _text(value if isinstance(value, str) else "")

    notes: list[str] = []
    data: dict[str, Any] = {}
    title = first("title")
    if not title:
        raise NotFound(f"Crossref's record of DOI {doi} has no title")
    data["title"] = title
    authors = []
    for a in work.get("author") or []:
        if not isinstance(a, dict):
            continue
        name = _text(" ".join(str(a.get(k) or "") for k in ("given", "family"))) or _text(str(a.get("name") or ""))
        if name:
            authors.append(name)
    if authors:
        data["authors"] = authors
    issued = (work.get("issued") or {}).get("date-parts") or [[]]
    parts = [p for p in (issued[0] if issued and isinstance(issued[0], list) else []) if isinstance(p, int)]
    if parts:
        data["year"] = parts[0]
        date = _date(parts)
        if date:
            data["date"] = date
            notes.append(
                f"date {date} is Crossref's date of the published version; "
                "if a preprint came first, set date to the preprint's"
            )
    container = first("container-title")
    event = _text(str((work.get("event") or {}).get("name") or "")) if isinstance(work.get("event"), dict) else ""
    venue = next((v for v in (match_venue(t, venues) for t in (container, event) if t) if v), None)
    if venue:
        data["venue"] = venue
    elif container or event:
        notes.append(f"venue '{container or event}' is not in papers/venues.yaml: add it there, or set venue by hand")
    data["ids"] = {"doi": doi}  # as given: Crossref lower-cases DOIs, which are case-insensitive
    data["links"] = {"paper": f"https://doi.org/{data['ids']['doi']}"}
    return Found(data, notes, url)


def merge(from_arxiv: Optional[Found], from_crossref: Optional[Found]) -> Found:
    """Both records: Crossref's (the published version) for title, authors, year and venue; arXiv's for
    the first version's date, the abstract and the open link."""
    if not (from_arxiv and from_crossref):
        found = from_arxiv or from_crossref
        assert found is not None
        return found
    a, c = from_arxiv.data, from_crossref.data
    data = dict(a)
    for key in ("title", "authors", "year", "venue"):
        if key in c:
            data[key] = c[key]
    data["ids"] = {**a.get("ids", {}), **c.get("ids", {})}
    notes = [n for n in from_arxiv.notes if not n.startswith(("year ", "arXiv's journal"))]
    notes += [n for n in from_crossref.notes if not n.startswith("date ")]
    return Found(data, notes, f"{from_arxiv.url} and {from_crossref.url}")
