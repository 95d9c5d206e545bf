"""Atom 1.0 feeds (RFC 4287): new results and new state-of-the-art records for the whole site, and one
per board. Built with ElementTree, so contributor text is always escaped as text. Each date comes from
the data (corpus/derived.py: row_date, Record.date), never from the clock: the same papers give the same
feeds."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Iterable, Optional

from generator.config import SiteConfig
from generator.corpus.core import Board, Corpus, Row
from generator.corpus.derived import Derived, Record, board_updated, result_id, row_date, source_of
from generator.render import routes
from generator.render.views import Helpers

ATOM = "http://www.w3.org/2005/Atom"
LIMIT = 50  # entries per feed: readers poll the newest


def stamp(d: Optional[dt.date]) -> str:
    return f"{(d or dt.date(1970, 1, 1)).isoformat()}T00:00:00Z"


class Feeds:
    def __init__(self, corpus: Corpus, derived: Derived, config: SiteConfig, lang: str):
        self.c = corpus
        self.d = derived
        self.site = config.site_url
        self.lang = lang
        self.h = Helpers(corpus, lang, "", config.repo_url, config.branch)

    def page_url(self, path: str) -> str:
        return f"{self.site}{self.lang}/{path}"

    def result_entry_id(self, row: Row) -> str:
        """Language-neutral and stable: the result in its paper's API file."""
        return f"{self.site}{routes.api_paper(row.paper.id)}#{result_id(row.paper, row.index)}"

    def _feed(
        self, path: str, title: str, alternate: str, updated: Optional[dt.date], entries: Iterable[ET.Element]
    ) -> str:
        feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "zh-Hans" if self.lang == "zh" else "en"})
        ET.SubElement(feed, "id").text = self.page_url(path)
        ET.SubElement(feed, "title").text = title
        ET.SubElement(feed, "updated").text = stamp(updated)
        ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": self.page_url(path)})
        ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": alternate})
        author = ET.SubElement(feed, "author")
        ET.SubElement(author, "name").text = self.h.survey("site.name")
        ET.SubElement(feed, "generator").text = "generator (python -m generator build)"
        for e in entries:
            feed.append(e)
        ET.indent(feed, " ")
        return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"

    def _entry(self, ident: str, title: str, updated: dt.date, link: str, summary: str) -> ET.Element:
        e = ET.Element("entry")
        ET.SubElement(e, "id").text = ident
        ET.SubElement(e, "title").text = title
        ET.SubElement(e, "updated").text = stamp(updated)
        ET.SubElement(e, "link", {"rel": "alternate", "type": "text/html", "href": link})
        ET.SubElement(e, "summary").text = summary
        return e

    def _score(self, board: Board, row: Row) -> str:
        unit = self.h.unit(board.metric)
        return (
            f"{self.h.metric(board.metric)} {self.h.num(row.score)}{unit}"
            if row.score is not None
            else self.h.metric_values(row)
        )

    def _summary(self, board: Board, row: Row) -> str:
        src = source_of(row)
        rank = self.h.t("feed.rank", rank=row.rank, n=len(board.ranked)) if row.rank else self.h.t("feed.unranked")
        where = f"{src.name}, {src.locator}" if src.locator else src.name
        return self.h.t(
            "feed.summary", paper=row.paper.paper.title, rank=rank, board=self.h.board_title(board), source=where
        )

    def result_entry(self, board: Board, row: Row, record: bool) -> ET.Element:
        key = "feed.result_record_title" if record else "feed.result_title"
        title = self.h.t(key, model=row.model, board=self.h.board_title(board), score=self._score(board, row))
        return self._entry(
            self.result_entry_id(row),
            title,
            row_date(row),
            self.page_url(routes.paper(row.paper.id)),
            self._summary(board, row),
        )

    def record_entry(self, rec: Record) -> ET.Element:
        b, row = rec.board, rec.row
        title = self.h.t("feed.record_title", board=self.h.board_title(b), model=row.model, score=self._score(b, row))
        summary = self._summary(b, row)
        if rec.previous is not None:
            summary += " " + self.h.t("feed.previous", model=rec.previous.model, score=self.h.num(rec.previous.score))
        ident = f"{self.site}{routes.api_board(b.slug)}#record:{row.paper.id}:{result_id(row.paper, row.index)}"
        return self._entry(ident, title, rec.date, self.page_url(routes.board(b.slug)), summary)

    # the three kinds of feed -----------------------------------------------------------------

    def results(self) -> str:
        rows = self.d.newest_rows(limit=LIMIT)
        return self._feed(
            routes.page("feed-results"),
            self.h.t("feed.results", site=self.h.survey("site.name")),
            self.page_url(routes.leaderboards()),
            self.d.updated(),
            (self.result_entry(b, r, self.d.is_record(b, r)) for b, r in rows),
        )

    def sota(self) -> str:
        recs = self.d.records()[:LIMIT]
        return self._feed(
            routes.page("feed-sota"),
            self.h.t("feed.sota", site=self.h.survey("site.name")),
            self.page_url(routes.leaderboards()),
            recs[0].date if recs else None,
            (self.record_entry(rec) for rec in recs),
        )

    def board(self, board: Board) -> str:
        rows = self.d.newest_rows(board, limit=LIMIT)
        return self._feed(
            routes.board_feed(board.slug),
            self.h.t("feed.board", board=self.h.board_title(board)),
            self.page_url(routes.board(board.slug)),
            board_updated(board),
            (self.result_entry(b, r, self.d.is_record(b, r)) for b, r in rows),
        )
