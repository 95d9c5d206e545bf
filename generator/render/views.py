"""What each page shows, in the order it shows it. Templates receive these and only lay them out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional, cast

from markupsafe import Markup

from generator import i18n
from generator.corpus.core import Board, Corpus, Row, paper_date
from generator.config import LANGS
from generator.format.model import LINK_KINDS, UNSTATED, PaperFile, Text
from generator.format.types import MetricSlug, Slug
from generator.render import routes


def rel(from_dir: str, to: str) -> str:
    """A relative URL from a page directory ('' is the language home) to a target path
    (posixpath.relpath between the two, a slash kept at the end of a folder; without its cost)."""
    start = [s for s in from_dir.split("/") if s]
    target = [s for s in to.split("/") if s]
    common = 0
    while common < len(start) and common < len(target) and start[common] == target[common]:
        common += 1
    out = "/".join([".."] * (len(start) - common) + target[common:]) or "."
    if to.endswith("/") and not out.endswith("/"):
        out += "/"
    return out


def num(value: Optional[Decimal]) -> str:
    """A number exactly as published (Decimal keeps '81.70' as written)."""
    return "" if value is None else str(value)


# a file of the survey's own tree (real-bib/DDRNet.bib, seeds/004.md): a maintainer's trail, nothing a reader
# can open; a path inside a URL (after "/" or ":") is not one
INTERNAL_FILE = re.compile(r"(?<![\w/.:@-])(?:[\w.+-]+/)+[\w.+-]+\.(?:bib|ya?ml|csv|tsv|json|md|txt)\b")


def tta_stated(result) -> bool:
    """Whether a result says anything about test-time augmentation (its board cell is empty otherwise)."""
    e = result.evaluation
    return e is not None and (e.mode is not None or e.flip is not None)


@dataclass(frozen=True)
class BoardColumns:
    """The columns a board shows beyond rank, model, paper, year and source: only those some row has a
    value for (a column empty in every row says nothing and costs width). The template only prints them."""

    metrics: tuple[str, ...]
    extra: bool
    tta: bool
    backbone: bool
    input_size: bool
    hardware: bool
    code_links: bool
    tags: bool


def board_columns(board: Board) -> BoardColumns:
    rows = board.rows
    return BoardColumns(
        metrics=tuple(m for m in board.metrics if any(r.result.metrics.get(MetricSlug(m)) is not None for r in rows)),
        extra=any(r.extra_data is not None for r in rows),
        tta=any(tta_stated(r.result) for r in rows),
        backbone=any(r.result.backbone for r in rows),
        input_size=any(r.result.input_size for r in rows),
        hardware=any(r.result.hardware for r in rows),
        code_links=any(r.paper.paper.links and r.paper.paper.links.all("code") for r in rows),
        tags=any(r.tags for r in rows),
    )


@dataclass(frozen=True)
class Localized:
    text: str
    lang: str  # language the text is written in
    only: Optional[str]  # catalogue key of the "only in X" marker, when not in the page's language


def localize(text: Optional[Text], lang: str) -> Optional[Localized]:
    if text is None:
        return None
    own = text.get(lang)
    if own:
        return Localized(own, lang, None)
    for other in LANGS:
        theirs = text.get(other)
        if other != lang and theirs:
            return Localized(theirs, other, f"note.only_{other}")
    return None


@dataclass(frozen=True)
class LinkView:
    kind: str
    url: str
    n: int  # 0 when it is the only link of its kind


def links(pf: PaperFile) -> tuple[LinkView, ...]:
    out = []
    if pf.paper.links:
        for kind in LINK_KINDS:
            urls = pf.paper.links.all(kind)
            for i, u in enumerate(urls, start=1):
                out.append(LinkView(kind, u, i if len(urls) > 1 else 0))
    return tuple(out)


class Helpers:
    """Formatting the templates may call: names, numbers, URLs, labels. No ordering here."""

    def __init__(self, corpus: Corpus, lang: str, page_dir: str, repo_url: Optional[str], branch: str):
        self.corpus = corpus
        self.lang = lang
        self.page_dir = page_dir
        self.repo_url = repo_url
        self.branch = branch

    def t(self, key: str, **values: object) -> str:
        return i18n.t(self.lang, key, **values)

    def survey_texts(self, prefix: str) -> list[str]:
        """This survey's `texts` whose keys start with prefix, in the order survey.yml gives them."""
        return [dict(values)[self.lang] for k, values in self.corpus.survey.texts if k.startswith(prefix)]

    def survey(self, key: str) -> str:
        """A text of this survey (survey.yml): "site.name", "site.description", "site.subject" or one of its `texts`."""
        text = self.corpus.survey.text(self.lang, key)
        if text is None:
            raise KeyError(f"{self.corpus.survey.path}: no text '{key}'")
        return text

    def url(self, path: str) -> str:
        return rel(self.page_dir, path)

    def route(self, kind: str) -> str:
        """The page of a kind that has one page (routes.ROUTES): "leaderboards", "compare", …"""
        return self.url(routes.page(kind))

    def paper_url(self, pf: PaperFile) -> str:
        return self.url(routes.paper(pf.id))

    def board_url(self, board: Board) -> str:
        return self.url(routes.board(board.slug))

    def year_url(self, year: int) -> str:
        return self.url(routes.year(year))

    def topic_url(self, slug: str) -> str:
        return self.url(routes.topic(slug))

    def root_url(self, path: str) -> str:
        """A file shared by both languages at the site root (e.g. data/papers.bib)."""
        return rel(f"{self.lang}/{self.page_dir}", path)

    def dataset(self, slug: str) -> str:
        return self.corpus.registries.datasets[slug].name.get(self.lang)

    def metric(self, slug: str) -> str:
        return self.corpus.registries.metrics[slug].name.get(self.lang)

    def unit(self, slug: str) -> str:
        return self.corpus.registries.metrics[slug].unit

    def task(self, slug: str) -> str:
        return self.corpus.registries.tasks[slug].name.get(self.lang)

    def topic(self, slug: str) -> str:
        return self.corpus.registries.topics[slug].name.get(self.lang)

    def backbone(self, slug: Optional[str]) -> str:
        if not slug:
            return ""
        b = self.corpus.registries.backbones.get(slug)
        return b.name.get(self.lang) if b else slug

    def split(self, dataset: str, slug: str) -> str:
        return self.corpus.registries.datasets[dataset].splits[cast(Slug, slug)].name.get(self.lang)

    def board_title(self, board: Board) -> str:
        title = f"{self.dataset(board.dataset)} {self.split(board.dataset, board.split)}"
        return title if board.task == self.corpus.default_task else f"{title} · {self.task(board.task)}"

    def venue(self, pf: PaperFile) -> str:
        v = pf.paper.venue
        return self.corpus.registries.venues[v].short if v else ""

    def venue_name(self, pf: PaperFile) -> str:
        v = pf.paper.venue
        return self.corpus.registries.venues[v].name.get(self.lang) if v else ""

    def localize(self, text: Optional[Text]) -> Optional[Localized]:
        return localize(text, self.lang)

    def note(self, text: Optional[Text]) -> Optional[Localized]:
        """A contributor's note as readers see it: never the name of one of the survey's own files."""
        n = localize(text, self.lang)
        if n is None or not INTERNAL_FILE.search(n.text):
            return n
        return Localized(INTERNAL_FILE.sub(i18n.t(n.lang, "note.internal_file"), n.text), n.lang, n.only)

    def links(self, pf: PaperFile) -> tuple[LinkView, ...]:
        return links(pf)

    def code_links(self, pf: PaperFile) -> tuple[str, ...]:
        return pf.paper.links.all("code") if pf.paper.links else ()

    def num(self, value: Optional[Decimal]) -> str:
        return num(value)

    def words(self, text: str) -> Markup:
        """Text that may wrap between words but never inside one: a browser breaks "ResNet-101" after its
        hyphen, so each word with a hyphen or slash is kept whole; a long identifier of underscore-joined
        parts (pspnet_r50-d8_4xb2-80k) wraps after an underscore (escaped; the text itself is unchanged)."""
        def part(p: str) -> Markup:
            # a long compound (swin-base-patch4-window12-in22k) may still wrap at its hyphens
            return Markup('<span class="ss-nw">%s</span>') % p if re.search(r"[-/‐–]", p) and len(p) <= 14 else Markup.escape(p)

        def word(w: str) -> Markup:  # an identifier (a config name, a path, A+B+C) may wrap after _ / + (
            if len(w) <= 18:
                return part(w)
            return Markup("").join(part(p) if not re.fullmatch(r"[_/+(]", p) else Markup("%s<wbr>") % p
                                   for p in re.split(r"([_/+(])", w) if p)

        return Markup(" ").join(word(w) for w in text.split(" "))

    def date(self, pf: PaperFile) -> str:
        return pf.paper.date or str(pf.paper.year)

    def edit_url(self, pf: PaperFile) -> Optional[str]:
        if not self.repo_url:
            return None
        return f"{self.repo_url}/edit/{self.branch}/{pf.path}"

    def source_url(self, pf: PaperFile) -> Optional[str]:
        if not self.repo_url:
            return None
        return f"{self.repo_url}/blob/{self.branch}/{pf.path}"

    def report_url(self, pf: PaperFile, row: Optional[Row] = None) -> Optional[str]:
        if not self.repo_url:
            return None
        from urllib.parse import urlencode

        query = {"template": "wrong-number.yml", "paper": pf.id,
                 "title": f"Wrong number: {pf.paper.label}"}
        if row is not None:
            query["result"] = f"{row.result.id} ({row.model} · {row.result.dataset} {row.result.split})"
            query["source"] = row.cite.url
        return f"{self.repo_url}/issues/new?{urlencode(query)}"

    def tta(self, row: Row) -> str:
        """The board's test-time-augmentation cell: what the evaluation states, empty when nothing is said."""
        e = row.result.evaluation
        if e is None or not tta_stated(row.result):
            return ""
        parts = [self.t("eval.multi_scale_short")] if e.mode == "multi-scale" else []
        if e.flip:
            parts.append(self.t("eval.flip_short"))
        return " + ".join(parts) or self.t("no")

    def hardware_short(self, result) -> str:
        hw = result.hardware
        if hw is None:
            return ""
        if hw == UNSTATED:
            return self.t("hardware.unstated")
        out = (f"{hw.count}× " if hw.count and hw.count > 1 else "") + hw.device
        if hw.precision:
            out += f" {hw.precision}"
        if hw.batch:
            out += f" ×{hw.batch}"
        return out

    def metric_values(self, row_or_result) -> str:
        result = row_or_result.result if isinstance(row_or_result, Row) else row_or_result
        return " · ".join(f"{self.metric(m)} {num(v)}{self.unit(m)}" for m, v in result.metrics.items())

    def paper_date(self, pf: PaperFile) -> str:
        return paper_date(pf).isoformat()
