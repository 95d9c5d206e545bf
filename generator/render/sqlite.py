"""The corpus (or a selection) as a SQLite database that `sqlite3` and datasette open: one table per kind
of thing, joined by keys.

- `papers`: one row per paper (id, cite_key, the record it is cited by, ids, links);
- `sources`: one row per source a paper's results cite (paper_id, key -> kind, name, url, retrieved, ...);
- `results`: one row per result and metric (paper_id, result_id, board, model, metric, value as
  published in `value` TEXT, and `value_num` REAL for sorting), with its source (paper_id, source_key).

Lists (authors, topics) are JSON arrays in TEXT columns (datasette shows them, SQLite's json_each reads them).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Mapping

from generator.bib.record import record
from generator.corpus.core import Corpus
from generator.render.select import Selection

SCHEMA = """
CREATE TABLE papers (
  id TEXT PRIMARY KEY, cite_key TEXT NOT NULL UNIQUE, title TEXT NOT NULL, name TEXT, authors TEXT NOT NULL,
  year INTEGER NOT NULL, date TEXT, venue TEXT, kind TEXT NOT NULL, container TEXT, volume TEXT, number TEXT,
  pages TEXT, publisher TEXT, doi TEXT, arxiv TEXT, url TEXT, code TEXT NOT NULL, topics TEXT NOT NULL
);
CREATE TABLE sources (
  paper_id TEXT NOT NULL REFERENCES papers(id), key TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
  url TEXT NOT NULL, retrieved TEXT, archived TEXT, licence TEXT, PRIMARY KEY (paper_id, key)
);
CREATE TABLE results (
  paper_id TEXT NOT NULL REFERENCES papers(id), result_id TEXT NOT NULL, task TEXT NOT NULL, dataset TEXT NOT NULL,
  split TEXT NOT NULL, board TEXT NOT NULL, model TEXT NOT NULL, backbone TEXT, metric TEXT NOT NULL,
  value TEXT NOT NULL, value_num REAL NOT NULL, rank INTEGER, extra_data INTEGER, source_key TEXT NOT NULL,
  locator TEXT, PRIMARY KEY (paper_id, result_id, metric),
  FOREIGN KEY (paper_id, source_key) REFERENCES sources(paper_id, key)
);
CREATE INDEX results_board ON results(board, metric);
"""


def write(path: Path, corpus: Corpus, sel: Selection, keys: Mapping[str, str]) -> None:
    if path.exists():
        path.unlink()
    db = sqlite3.connect(path)
    try:
        db.executescript(SCHEMA)
        for pf in sel.papers:
            p, rec = pf.paper, record(pf, corpus)
            db.execute(
                "INSERT INTO papers VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    pf.id,
                    keys[pf.id],
                    p.title,
                    p.name,
                    json.dumps(list(p.authors), ensure_ascii=False),
                    p.year,
                    p.date,
                    p.venue,
                    rec.kind,
                    rec.container,
                    rec.volume,
                    rec.number,
                    rec.pages,
                    rec.publisher,
                    rec.doi,
                    rec.arxiv,
                    rec.url,
                    json.dumps(list(rec.repositories)),
                    json.dumps(list(p.topics)),
                ),
            )
            for key, s in (p.sources or {}).items():
                db.execute(
                    "INSERT INTO sources VALUES (?,?,?,?,?,?,?,?)",
                    (pf.id, key, s.kind, s.name, s.url, s.retrieved, s.archived, s.licence),
                )
            for i, r in enumerate(p.results):
                if (pf.id, i) not in sel.results:
                    continue
                board, row = corpus.ranks_of[(pf.id, i)]
                for metric, value in r.metrics.items():
                    db.execute(
                        "INSERT INTO results VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (
                            pf.id,
                            r.id,
                            r.task,
                            r.dataset,
                            r.split,
                            board.slug,
                            r.model or p.label,
                            r.backbone,
                            metric,
                            str(value),
                            float(value),
                            row.rank if metric == board.metric else None,
                            None if row.extra_data is None else int(row.extra_data),
                            r.source,
                            r.locator,
                        ),
                    )
        db.commit()
    finally:
        db.close()
