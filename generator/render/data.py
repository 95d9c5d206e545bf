"""Data exports: the papers as JSON (the paper format plus `id`, each result's source resolved and its derived
`extra_data` and `tta`), results as CSV, the JSON Schema."""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import json
from decimal import Decimal
from typing import Any, Container, Iterable, Mapping, Optional

from generator.bib.record import record
from generator.config import load_survey, survey_file
from generator.corpus.core import Corpus, derived_extra_data, derived_tta, paper_date
from generator.format.model import Paper, PaperFile
from generator.format.jsonschema import json_schema

SCHEMA_ID = "paper.schema.json"


@functools.cache
def _fields(cls: type) -> tuple[tuple[str, Any], ...]:
    """A model class's fields: (name, default or MISSING)."""
    return tuple(
        (f.name, dataclasses.MISSING if f.name == "task" else f.default)  # `task` is always written
        for f in dataclasses.fields(cls)
    )


def _plain(value: Any) -> Any:
    """A model as the JSON a contributor would have written (defaults and empties left out)."""
    if dataclasses.is_dataclass(value):
        out = {}
        for name, default in _fields(value.__class__):
            v = getattr(value, name)
            if v is None or v == () or (default is not dataclasses.MISSING and v == default):
                continue
            out[name] = _plain(v)
        return out
    if isinstance(value, Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and "." not in str(value) and "E" not in str(value)
            else float(value)
        )
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "items"):
        return {k: _plain(v) for k, v in value.items()}
    return value


def paper_json(pf: PaperFile, corpus: Corpus | None = None) -> dict:
    """The paper as written, plus for each result: `source` resolved to the paper's source with the result's
    locator (and its `key`), and the derived, read-only `extra_data` and `tta` where they are known (and
    `protocol` with format 1's names of pretraining and quantization, for readers of format-1 exports)."""
    out = {"id": pf.id, **_plain(pf.paper)}
    datasets = corpus.registries.datasets if corpus is not None else {}
    results = []
    for r, plain in zip(pf.paper.results, out.get("results") or (), strict=True):
        cite = pf.paper.cite(r)
        plain = dict(plain)
        plain.pop("locator", None)
        plain["source"] = _plain(cite)
        if r.also:
            plain["also"] = [_plain(c) for c in pf.paper.cites(r)[1:]]
        extra, tta = derived_extra_data(r, datasets.get(r.dataset)), derived_tta(r)
        if extra is not None:
            plain["extra_data"] = extra
        if tta is not None:
            plain["tta"] = tta
        legacy = {
            k: v
            for k, v in (
                ("pretraining", r.training and r.training.pretrain),
                ("quantization", r.evaluation and r.evaluation.quantization),
            )
            if v
        }
        if legacy:  # the format-1 names, for readers of format-1 exports (read-only, like extra_data)
            plain["protocol"] = legacy
        results.append(plain)
    if results:
        out["results"] = results
    return out


def papers_json(papers: Iterable[PaperFile], corpus: Corpus | None = None) -> str:
    return papers_json_bytes(papers, corpus).decode("utf-8")


def papers_json_bytes(papers: Iterable[PaperFile], corpus: Corpus | None = None) -> bytes:
    """Every paper as JSON, on one line (json's C encoder does not indent; with indent=1, 4.6 s of a preview's
    rebuild at 2,000 papers), in UTF-8. Made one paper at a time: the same bytes as the list dumped at once,
    which held every paper's dict and then the text, wide (a Chinese character makes each character take
    two bytes or more), copied once more with its newline: +200 MB at 5,000 papers, the build's peak."""
    chunks = [
        json.dumps(paper_json(pf, corpus), ensure_ascii=False, separators=(",", ":")).encode("utf-8") for pf in papers
    ]
    return b"".join((b"[", b",".join(chunks), b"]\n"))


CSV_COLUMNS = (
    "paper_id",
    "cite_key",
    "paper_title",
    "year",
    "venue",
    "result_id",
    "task",
    "dataset",
    "split",
    "model",
    "metric",
    "value",
    "extra_data",
    "tta",
    "backbone",
    "input_size",
    "hardware",
    "rank",
    "source_kind",
    "source_name",
    "source_url",
    "source_locator",
)


def _cell(value: object) -> str:
    """Spreadsheet-safe: a cell that starts like a formula is prefixed with an apostrophe (OWASP)."""
    text = "" if value is None else str(value)
    if text and text[0] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
        return True
    except Exception:
        return False


def results_csv(
    papers: Iterable[PaperFile],
    corpus: Corpus,
    keys: Mapping[str, str],
    only: Optional[Container[tuple[str, int]]] = None,
) -> str:
    """One row per result and metric; `only`: the (paper id, result index) to write (default: all);
    `cite_key` is the paper's citation key in the .bib of the same export (\\cite{cite_key})."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for pf in papers:
        for i, r in enumerate(pf.paper.results):
            if only is not None and (pf.id, i) not in only:
                continue
            _, row = corpus.ranks_of[(pf.id, i)]
            primary = corpus.registries.datasets[r.dataset].primary_metric
            cite = pf.paper.cite(r)
            tta = derived_tta(r)
            hw = r.hardware_stated
            for metric, value in r.metrics.items():
                writer.writerow(
                    [
                        _cell(v)
                        for v in (
                            pf.id,
                            keys[pf.id],
                            pf.paper.title,
                            pf.paper.year,
                            pf.paper.venue,
                            r.id,
                            r.task,
                            r.dataset,
                            r.split,
                            r.model or pf.paper.label,
                            metric,
                            value,
                            "" if row.extra_data is None else str(row.extra_data).lower(),
                            "" if tta is None else str(tta).lower(),
                            r.backbone,
                            r.input_size,
                            (hw.device if hw else r.hardware),
                            row.rank if metric == primary and row.rank else "",
                            cite.kind,
                            cite.name,
                            cite.url,
                            cite.locator,
                        )
                    ]
                )
    return buf.getvalue()


def schema_json(site_url: str | None = None, name: str | None = None) -> str:
    """The JSON Schema of a paper file; `name` is the survey's (default: the repository's survey.yml)."""
    if name is None:
        name = load_survey(survey_file()).name["en"]
    defs: dict = {}
    root = json_schema(Paper, defs)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{name}: paper file",
        "description": "One paper: papers/<year>/<id>.yaml. Generated from generator/model.py.",
        **({"$id": f"{site_url}data/{SCHEMA_ID}"} if site_url else {}),
        "$ref": root["$ref"],
        "$defs": defs,
    }
    return json.dumps(schema, ensure_ascii=False, indent=1) + "\n"


CSL_TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "incollection": "chapter",
    "preprint": "article",
    "techreport": "report",
    "phdthesis": "thesis",
    "book": "book",
    "misc": "document",
}


def csl_item(pf: PaperFile, corpus: Corpus, key: str) -> dict:
    """One CSL-JSON item (Zotero, pandoc's citeproc): the record of generator/bib/record.py."""
    rec = record(pf, corpus)
    p = pf.paper
    dated = p.date if p.date and p.date.startswith(str(rec.year)) and not rec.of_record else None
    issued = [int(x) for x in dated.split("-")] if dated else [rec.year]
    item: dict[str, Any] = {
        "id": key,
        "type": CSL_TYPES.get(rec.kind, "document"),
        "title": rec.title,
        "issued": {"date-parts": [issued]},
    }
    if rec.authors:
        item["author"] = [_csl_name(a) for a in rec.authors]
    if rec.container:
        item["container-title"] = rec.container
    for csl, value in (
        ("volume", rec.volume),
        ("issue", rec.number),
        ("page", rec.pages and rec.pages.replace("--", "-")),
        ("publisher", rec.publisher),
        ("DOI", rec.doi),
    ):
        if value:
            item[csl] = value
    if rec.kind == "preprint":
        item["genre"] = "Preprint"
        item["publisher"] = "arXiv"
    if rec.arxiv and rec.kind == "preprint":
        item["number"] = f"arXiv:{rec.arxiv}"
    if rec.url:
        item["URL"] = rec.url
    return item


def csl_json(papers: Iterable[PaperFile], corpus: Corpus, keys) -> str:
    """CSL-JSON for Zotero and pandoc."""
    return (
        json.dumps([csl_item(pf, corpus, keys[pf.id]) for pf in papers], ensure_ascii=False, separators=(",", ":"))
        + "\n"
    )


def _csl_name(name: str) -> dict:
    parts = name.split()
    if len(parts) == 1:
        return {"literal": name}
    return {"family": parts[-1], "given": " ".join(parts[:-1])}


__all__ = ["papers_json", "results_csv", "schema_json", "csl_json", "paper_json", "paper_date"]
