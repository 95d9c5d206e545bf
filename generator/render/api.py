"""The static API under /api/v1/: an index, one JSON file per board and per paper, each method's best
results (what the page of chosen methods reads), and the JSON Schema of all of them (schema.json).

Readable by scripts and agents the way the Papers with Code API was: every file names its `kind` and the
schema, every result has a stable id (`<paper-id>#<result-id>`, the format's result `id`), every number
is as its source published it and names that source. Pure: corpus in, text out."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Optional

from generator.config import LANGS
from generator.corpus.core import Board, Corpus, Row
from generator.corpus.derived import Derived, board_updated, extra_data_of, result_id, result_ref, row_date, source_of
from generator.format.model import PaperFile
from generator.render import routes

VERSION = "v1"


def _num(value: Optional[Decimal]) -> Any:
    """A published number as a JSON number, its value unchanged (81.70 reads back as 81.7)."""
    if value is None:
        return None
    return (
        int(value)
        if value == value.to_integral_value() and "." not in str(value) and "E" not in str(value)
        else float(value)
    )


def _dump(obj: dict) -> str:
    # one line: json's C encoder does not indent (with indent=1, 3.4 s of a preview's rebuild at 2,000 papers)
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


class Api:
    def __init__(self, corpus: Corpus, derived: Derived, site_url: str):
        self.c = corpus
        self.d = derived
        self.site = site_url

    # URLs -------------------------------------------------------------------------------------

    def root(self, path: str) -> str:
        return f"{self.site}{path}"

    def pages(self, path: str) -> dict[str, str]:
        return {lang: f"{self.site}{lang}/{path}" for lang in LANGS}

    def head(self, kind: str) -> dict[str, Any]:
        return {"$schema": self.root(routes.page("api-schema")), "api": VERSION, "kind": kind}

    def names(self, get) -> dict[str, str]:
        return {lang: get(lang) for lang in LANGS}

    def board_ref(self, board: Board) -> dict[str, Any]:
        regs = self.c.registries
        ds = regs.datasets[board.dataset]
        metric = regs.metrics[board.metric]
        updated = board_updated(board)
        return {
            "slug": board.slug,
            "task": board.task,
            "dataset": board.dataset,
            "split": board.split,
            "name": {lang: ds.name.get(lang) for lang in LANGS},
            "metric": board.metric,
            "unit": metric.unit,
            "higher_is_better": metric.higher_is_better,
            "results": len(board.rows),
            "ranked": len(board.ranked),
            "updated": updated.isoformat() if updated else None,
            "url": self.root(routes.api_board(board.slug)),
            "page": self.pages(routes.board(board.slug)),
        }

    # results ----------------------------------------------------------------------------------

    def result(self, board: Board, row: Row) -> dict[str, Any]:
        r = row.result
        src = source_of(row)
        out: dict[str, Any] = {
            "id": result_ref(row),
            "paper": row.paper.id,
            "result": result_id(row.paper, row.index),
            "board": board.slug,
            "model": row.model,
            "score": _num(row.score),
            "rank": row.rank,
            "metrics": {m: _num(v) for m, v in r.metrics.items()},
            "extra_data": extra_data_of(row),
            "tta": row.tta,
            "backbone": r.backbone,
            "input_size": r.input_size,
            "date": row_date(row).isoformat(),
            "source": {
                "kind": src.kind,
                "name": src.name,
                "url": src.url,
                "locator": src.locator,
                "retrieved": str(src.retrieved) if src.retrieved else None,
            },
            "reproduces": r.reproduces,
            "state_of_the_art": self.d.is_record(board, row),
        }
        return out

    # files ------------------------------------------------------------------------------------

    def index(self) -> str:
        updated = self.d.updated()
        return _dump(
            {
                **self.head("index"),
                "updated": updated.isoformat() if updated else None,
                "methods": self.root(routes.page("api-methods")),
                "feeds": {
                    lang: {
                        "results": f"{self.site}{lang}/{routes.page('feed-results')}",
                        "sota": f"{self.site}{lang}/{routes.page('feed-sota')}",
                    }
                    for lang in LANGS
                },
                "boards": [self.board_ref(b) for b in self.c.boards],
                "papers": [
                    {
                        "id": pf.id,
                        "title": pf.paper.title,
                        "name": pf.paper.name,
                        "year": pf.paper.year,
                        "url": self.root(routes.api_paper(pf.id)),
                    }
                    for pf in self.c.papers
                ],
            }
        )

    def board(self, board: Board) -> str:
        return _dump(
            {
                **self.head("board"),
                **self.board_ref(board),
                "feed": {lang: f"{self.site}{lang}/{routes.board_feed(board.slug)}" for lang in LANGS},
                "rows": [self.result(board, r) for r in board.rows],
                "records": [
                    {
                        "id": result_ref(rec.row),
                        "date": rec.date.isoformat(),
                        "score": _num(rec.row.score),
                        "previous": result_ref(rec.previous) if rec.previous else None,
                    }
                    for rec in reversed(self.d.records_of(board))
                ],  # oldest first: the SOTA line
            }
        )

    def paper(self, pf: PaperFile) -> str:
        p = pf.paper
        results = []
        for i in range(len(p.results)):
            board, row = self.c.ranks_of[(pf.id, i)]
            item = self.result(board, row)
            item["of"] = len(board.ranked)
            item["badge"] = self.root(routes.badge(pf.id, board.slug)) if row.rank else None
            results.append(item)
        repro = []
        for rep in self.d.reproductions(pf):
            src = source_of(rep.row)
            repro.append(
                {
                    "id": result_ref(rep.row),
                    "reproduces": rep.row.result.reproduces,
                    "board": rep.board.slug,
                    "model": rep.row.model,
                    "score": _num(rep.row.score),
                    "claim": _num(rep.claim.score) if rep.claim else None,
                    "gap": _num(rep.gap),
                    "source": {"kind": src.kind, "name": src.name, "url": src.url, "locator": src.locator},
                }
            )
        return _dump(
            {
                **self.head("paper"),
                "id": pf.id,
                "title": p.title,
                "name": p.name,
                "authors": list(p.authors),
                "year": p.year,
                "date": str(p.date) if p.date else None,
                "venue": p.venue,
                "arxiv": p.ids.arxiv if p.ids else None,
                "doi": p.ids.doi if p.ids else None,
                "code": list(p.links.all("code")) if p.links else [],
                "topics": list(p.topics),
                "page": self.pages(routes.paper(pf.id)),
                "bibtex": self.root(routes.paper_bib(pf.id)),
                "builds_on": [o.id for o in self.d.builds_on(pf)],
                "extended_by": [o.id for o in self.d.extended_by(pf)],
                "results": results,
                "reproductions": repro,
            }
        )

    def methods(self) -> str:
        """Compact: each method's best ranked result on each board, boards by index (the compare page)."""
        boards = [b for b in self.c.boards if b.ranked]
        at = {b.slug: i for i, b in enumerate(boards)}
        regs = self.c.registries
        methods = []
        for pf in self.c.papers:
            best = [
                [at[mb.board.slug], _num(mb.row.score), mb.row.rank, mb.row.model, int(mb.row.extra), int(mb.row.tta)]
                for mb in self.d.bests(pf)
            ]
            if best:
                methods.append(
                    {
                        "id": pf.id,
                        "label": pf.paper.label,
                        "title": pf.paper.title,
                        "year": pf.paper.year,
                        "page": routes.paper(pf.id),
                        "best": best,
                    }
                )
        return _dump(
            {
                **self.head("methods"),
                "columns": ["board", "score", "rank", "model", "extra_data", "tta"],
                "boards": [
                    {
                        "slug": b.slug,
                        "task": b.task,
                        "ranked": len(b.ranked),
                        "page": routes.board(b.slug),
                        "metric": b.metric,
                        "unit": regs.metrics[b.metric].unit,
                        "metric_name": {lang: regs.metrics[b.metric].name.get(lang) for lang in LANGS},
                        "higher_is_better": regs.metrics[b.metric].higher_is_better,
                        "name": {lang: self.names_of(b, lang) for lang in LANGS},
                    }
                    for b in boards
                ],
                "methods": methods,
            }
        )

    def names_of(self, board: Board, lang: str) -> str:
        """A board's title in a language (as its page's title)."""
        from generator.render.views import Helpers

        return Helpers(self.c, lang, "", None, "main").board_title(board)


# The JSON Schema of the API files ----------------------------------------------------------------

_STR = {"type": "string"}
_OSTR = {"type": ["string", "null"]}
_NUM = {"type": ["number", "null"]}
_URL = {"type": "string", "pattern": "^https?://"}
_DATE = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}(-\d{2})?$"}
_LANGS = {
    "type": "object",
    "required": list(LANGS),
    "properties": {lang: _STR for lang in LANGS},
    "additionalProperties": False,
}
_LANG_URLS = {
    "type": "object",
    "required": list(LANGS),
    "properties": {lang: _URL for lang in LANGS},
    "additionalProperties": False,
}
_REF = {"type": "string", "pattern": r"^[^#\s]+#[^#\s]+$", "description": "<paper-id>#<result-id>: stable"}


def _obj(props: dict, required: Optional[list] = None) -> dict:
    return {
        "type": "object",
        "required": required if required is not None else list(props),
        "properties": props,
        "additionalProperties": False,
    }


def _head(kind: str) -> dict:
    return {"$schema": _URL, "api": {"const": VERSION}, "kind": {"const": kind}}


_SOURCE = _obj(
    {
        "kind": {"enum": ["paper", "leaderboard", "model-zoo", "reproduction", "survey"]},
        "name": _STR,
        "url": _STR,
        "locator": _OSTR,
        "retrieved": _DATE,
    },
    ["kind", "name", "url"],
)
_BOARD_REF = {
    "slug": _STR,
    "task": _STR,
    "dataset": _STR,
    "split": _STR,
    "name": _LANGS,
    "metric": _STR,
    "unit": _STR,
    "higher_is_better": {"type": "boolean"},
    "results": {"type": "integer", "minimum": 0},
    "ranked": {"type": "integer", "minimum": 0},
    "updated": _DATE,
    "url": _URL,
    "page": _LANG_URLS,
}
_RESULT = {
    "id": _REF,
    "paper": _STR,
    "result": _STR,
    "board": _STR,
    "model": _STR,
    "score": _NUM,
    "rank": {"type": ["integer", "null"], "minimum": 1},
    "metrics": {"type": "object", "additionalProperties": {"type": "number"}},
    "extra_data": {"type": ["boolean", "null"]},
    "tta": {"type": "boolean"},
    "backbone": _OSTR,
    "input_size": _OSTR,
    "date": _DATE,
    "source": _SOURCE,
    "reproduces": {"anyOf": [_REF, {"type": "null"}]},
    "state_of_the_art": {"type": "boolean", "description": "the result set a new best on its board when it appeared"},
}


def schema(site_url: str, survey_name: str) -> str:
    defs = {
        "index": _obj(
            {
                **_head("index"),
                "updated": _DATE,
                "methods": _URL,
                "feeds": {"type": "object", "additionalProperties": _obj({"results": _URL, "sota": _URL})},
                "boards": {"type": "array", "items": _obj(_BOARD_REF)},
                "papers": {
                    "type": "array",
                    "items": _obj({"id": _STR, "title": _STR, "name": _OSTR, "year": {"type": "integer"}, "url": _URL}),
                },
            }
        ),
        "board": _obj(
            {
                **_head("board"),
                **_BOARD_REF,
                "feed": _LANG_URLS,
                "rows": {"type": "array", "items": _obj(_RESULT)},
                "records": {
                    "type": "array",
                    "description": "the state-of-the-art line, oldest first",
                    "items": _obj(
                        {"id": _REF, "date": _DATE, "score": _NUM, "previous": {"anyOf": [_REF, {"type": "null"}]}}
                    ),
                },
            }
        ),
        "paper": _obj(
            {
                **_head("paper"),
                "id": _STR,
                "title": _STR,
                "name": _OSTR,
                "authors": {"type": "array", "items": _STR},
                "year": {"type": "integer"},
                "date": _DATE,
                "venue": _OSTR,
                "arxiv": _OSTR,
                "doi": _OSTR,
                "code": {"type": "array", "items": _STR},
                "topics": {"type": "array", "items": _STR},
                "page": _LANG_URLS,
                "bibtex": _URL,
                "builds_on": {"type": "array", "items": _STR},
                "extended_by": {"type": "array", "items": _STR},
                "results": {
                    "type": "array",
                    "items": _obj(
                        {
                            **_RESULT,
                            "of": {"type": "integer", "minimum": 0},
                            "badge": {"anyOf": [_URL, {"type": "null"}]},
                        }
                    ),
                },
                "reproductions": {
                    "type": "array",
                    "items": _obj(
                        {
                            "id": _REF,
                            "reproduces": _REF,
                            "board": _STR,
                            "model": _STR,
                            "score": _NUM,
                            "claim": _NUM,
                            "gap": {**_NUM, "description": "reproduction minus claim, on the board's metric"},
                            "source": _SOURCE,
                        }
                    ),
                },
            }
        ),
        "methods": _obj(
            {
                **_head("methods"),
                "columns": {"type": "array", "items": _STR},
                "boards": {
                    "type": "array",
                    "items": _obj(
                        {
                            "slug": _STR,
                            "task": _STR,
                            "ranked": {"type": "integer"},
                            "page": _STR,
                            "metric": _STR,
                            "metric_name": _LANGS,
                            "unit": _STR,
                            "higher_is_better": {"type": "boolean"},
                            "name": _LANGS,
                        }
                    ),
                },
                "methods": {
                    "type": "array",
                    "items": _obj(
                        {
                            "id": _STR,
                            "label": _STR,
                            "title": _STR,
                            "year": {"type": "integer"},
                            "page": _STR,
                            "best": {
                                "type": "array",
                                "items": {
                                    "type": "array",
                                    "prefixItems": [
                                        {"type": "integer", "minimum": 0},
                                        {"type": "number"},
                                        {"type": "integer", "minimum": 1},
                                        _STR,
                                        {"enum": [0, 1]},
                                        {"enum": [0, 1]},
                                    ],
                                    "minItems": 6,
                                    "maxItems": 6,
                                },
                            },
                        }
                    ),
                },
            }
        ),
    }
    out = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{site_url}{routes.page('api-schema')}",
        "title": f"{survey_name}: static API {VERSION}",
        "description": "Every file under /api/v1/ names its kind; see the data page of the site.",
        "oneOf": [{"$ref": f"#/$defs/{k}"} for k in defs],
        "$defs": defs,
    }
    return _dump(out)
