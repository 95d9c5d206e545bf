"""A GitHub issue form's answers, read back from the issue's body, as the fields of a new paper file.

GitHub writes an issue made from a form (`.github/ISSUE_TEMPLATE/*.yml`) as Markdown: each answered field is
`### <its label>`, a blank line and the answer; a field left empty is `_No response_`. The form's own file
says which label is which field (`id`), so the labels can change without this module knowing them.

The body is untrusted text: it is only ever read here as data, never run, and a value that does not read
as what its field asks for is a problem to report back, never a guess.

The results field takes one result a line, its parts separated by `·` (or `|`):
`<dataset> <split> · <model> · <metric> <value> · <url> <where in it>`,
e.g. `kitti test · DepthNet (R-50) · rmse 2.91 · https://arxiv.org/abs/2401.00001 Table 2` (the form's placeholder
shows one of this survey's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping, Optional

import yaml

from generator.format.types import ARXIV_URL, DOI_URL

NO_RESPONSE = "_No response_"
_HEADING = re.compile(r"^### (.+?)\s*$")
_PART_SEP = re.compile(r"\s*[·|]\s*")
_URL = re.compile(r"https?://\S+")


class FormError(ValueError):
    """The form definition itself cannot be read (a maintainer's file, not the contributor's text)."""


@dataclass(frozen=True)
class Answers:
    """What the issue says, by the form's field ids; a field left empty or not in the body is absent."""

    values: Mapping[str, str]
    problems: tuple[str, ...] = ()

    def get(self, key: str) -> Optional[str]:
        return self.values.get(key)


@dataclass
class FromIssue:
    """What a new paper file takes from an issue, and what could not be read."""

    fields: dict[str, Any] = field(default_factory=dict)  # title, id, year, venue, arxiv, doi, links, notes...
    results: list[dict[str, Any]] = field(default_factory=list)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    bibtex: Optional[str] = None  # the BibTeX field as given: `new` reads it as `--bibtex` would


def form_labels(form_text: str) -> dict[str, str]:
    """{label: field id} of a form definition (the body items that have an id)."""
    try:
        form = yaml.safe_load(form_text)
    except yaml.YAMLError as exc:
        raise FormError(f"the form definition is not YAML: {exc}") from exc
    if not isinstance(form, dict) or not isinstance(form.get("body"), list):
        raise FormError("the form definition has no `body` list")
    out: dict[str, str] = {}
    for item in form["body"]:
        if isinstance(item, dict) and item.get("id") and isinstance(item.get("attributes"), dict):
            label = item["attributes"].get("label")
            if isinstance(label, str):
                out[label.strip()] = str(item["id"])
    return out


def read_answers(body: str, labels: Mapping[str, str]) -> Answers:
    """The answers of a body written by GitHub from the form whose labels are given."""
    values: dict[str, list[str]] = {}
    current: Optional[str] = None
    for line in body.replace("\r\n", "\n").split("\n"):
        m = _HEADING.match(line)
        if m:  # a field's heading; one this form does not have ends the field before it
            current = labels.get(m.group(1))
            if current is not None:
                values[current] = []
        elif current is not None:
            values[current].append(line)
    out = {}
    for key, lines in values.items():
        text = "\n".join(lines).strip()
        if text.startswith("```") and text.endswith("```"):  # a textarea with `render:` is fenced
            text = "\n".join(text.split("\n")[1:-1]).strip()
        if text and text != NO_RESPONSE:
            out[key] = text
    problems = () if out else ("the issue's body has none of the form's fields: was it written from the form?",)
    return Answers(out, problems)


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text).casefold()


def _names(names: Any) -> set[str]:
    """A registry entry's names in every language, folded."""
    return {_key(getattr(names, lang)) for lang in ("en", "zh") if getattr(names, lang, None)} if names else set()


def _venue(text: str, venues: Mapping[str, Any]) -> tuple[Optional[str], Optional[int], list[str]]:
    years = re.findall(r"\b(19\d\d|20\d\d)\b", text)
    name = re.sub(r"\b(19\d\d|20\d\d)\b", " ", text).strip(" ,()")
    year = int(years[0]) if years else None
    if not name:
        return None, year, []
    for slug, v in venues.items():
        if _key(name) in {_key(slug), _key(getattr(v, "short", "") or ""), *_names(v.name)}:
            return slug, year, []
    return None, year, [f"venue '{name}' is not in papers/venues.yaml: a maintainer adds it or picks the nearest"]


def _result(line: str, regs: Any, taken: set[str]) -> tuple[Optional[dict[str, Any]], Optional[tuple[str, str]], str]:
    """(result, (source url, locator)) of one results line, or (None, None, why)."""
    parts = [p for p in _PART_SEP.split(line.strip()) if p]
    if len(parts) < 4:
        return None, None, "expected `<dataset> <split> · <model> · <metric> <value> · <url> <where>`"
    where, model, score, source = parts[0], parts[1], parts[2], " ".join(parts[3:])
    words = where.split()
    if len(words) < 2:
        return None, None, f"'{where}': give the dataset and its split, e.g. <dataset> val"
    dataset = next(
        (slug for slug, d in regs.datasets.items() if _key(" ".join(words[:-1])) in {_key(slug), *_names(d.name)}), None
    )
    if dataset is None:
        return None, None, f"dataset '{' '.join(words[:-1])}' is not in papers/datasets.yaml"
    splits = regs.datasets[dataset].splits
    split = next((s for s in splits if _key(s) == _key(words[-1])), None)
    if split is None:
        return None, None, f"split '{words[-1]}' is not one of {dataset}'s ({', '.join(splits)})"
    m = re.fullmatch(r"(.+?)\s*[:=]?\s*([-+]?\d+(?:\.\d+)?)\s*%?", score)
    if not m:
        return None, None, f"'{score}': expected a metric and its number, e.g. <metric> 78.4"
    metric = next((slug for slug in regs.metrics if _key(slug) == _key(m.group(1))), None)
    if metric is None:
        return None, None, f"metric '{m.group(1)}' is not in papers/metrics.yaml"
    try:
        value = Decimal(m.group(2))
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        return None, None, f"'{m.group(2)}' is not a number"
    url = _URL.search(source)
    if url is None:
        return None, None, "no URL of the source (where the number is published)"
    locator = (source[: url.start()] + source[url.end() :]).strip(" ,;")
    base = "-".join(x for x in (dataset, split, re.sub(r"[^a-z0-9]+", "-", model.casefold()).strip("-")) if x)[:60]
    rid, n = base, 2
    while rid in taken:
        rid, n = f"{base}-{n}", n + 1
    taken.add(rid)
    result: dict[str, Any] = {"id": rid, "dataset": dataset, "split": split, "model": model, "metrics": {metric: value}}
    return result, (url.group(0).rstrip(".,;)"), locator), ""


def from_issue(answers: Answers, regs: Any) -> FromIssue:
    """The fields of a new paper file from an `add-paper` issue's answers."""
    out = FromIssue(problems=list(answers.problems))
    title = answers.get("paper-title")
    if title:
        out.fields["title"] = " ".join(title.split())
    pid = (answers.get("paper") or "").strip()
    if pid:
        out.fields["id"] = pid
    url = (answers.get("url") or "").strip()
    if m := ARXIV_URL.fullmatch(url):
        out.fields["arxiv"] = m.group(1)
    elif m := DOI_URL.fullmatch(url):
        out.fields["doi"] = m.group(1)
    elif url.startswith(("https://", "http://")):
        out.fields.setdefault("links", {})["paper"] = url
    elif url:
        out.problems.append(f"link to the paper '{url}' is not a URL")
    venue, year, venue_problems = _venue(answers.get("venue") or "", regs.venues)
    out.problems += venue_problems
    if venue:
        out.fields["venue"] = venue
    if year is None and out.fields.get("arxiv"):
        year = 2000 + int(out.fields["arxiv"][:2])  # the id states the year of its first version
    if year is not None:
        out.fields["year"] = year
    code = (answers.get("code") or "").strip()
    if code.startswith(("https://", "http://")):
        out.fields.setdefault("links", {})["code"] = code
    elif code:
        out.problems.append(f"code '{code}' is not a URL")
    notes = answers.get("notes")
    if notes:
        lang = "zh" if re.search(r"[\u4e00-\u9fff]", notes) else "en"
        out.fields["notes"] = {lang: notes}
    out.bibtex = answers.get("bibtex")
    taken: set[str] = set()
    for n, line in enumerate((answers.get("results") or "").split("\n"), 1):
        if not line.strip():
            continue
        result, source, why = _result(line, regs, taken)
        if result is None or source is None:
            out.problems.append(f"results, line {n}: {why}; left out")
            continue
        url, locator = source
        if not _same_paper(url, out.fields):
            out.problems.append(
                f"results, line {n}: the source {url} is not the paper itself; say in the pull "
                "request what it is (a leaderboard, a model zoo...), a maintainer adds it; left out"
            )
            continue
        # one source for every line: the paper (its page, whichever version a line names); the table is the locator
        out.sources["paper"] = {
            "kind": "paper",
            "name": out.fields.get("title") or "the paper",
            "url": _paper_url(out.fields) or url,
        }
        result["source"] = "paper"
        if locator:
            result["locator"] = locator
        out.results.append(result)
    return out


def _paper_url(fields: Mapping[str, Any]) -> Optional[str]:
    if fields.get("arxiv"):
        return f"https://arxiv.org/abs/{fields['arxiv']}"
    if fields.get("doi"):
        return f"https://doi.org/{fields['doi']}"
    return (fields.get("links") or {}).get("paper")


def _same_paper(url: str, fields: Mapping[str, Any]) -> bool:
    """Whether a source URL is the paper the issue is about (any version of its arXiv id, its DOI, its link)."""
    if (m := ARXIV_URL.fullmatch(url)) and fields.get("arxiv"):
        return m.group(1) == fields["arxiv"]
    if (m := DOI_URL.fullmatch(url)) and fields.get("doi"):
        return m.group(1).casefold() == str(fields["doi"]).casefold()
    return url.rstrip("/") == str((fields.get("links") or {}).get("paper") or "").rstrip("/")
