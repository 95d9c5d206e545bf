"""What each page shows, in the order it shows it. Templates receive these and only lay them out."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional, cast

from markupsafe import Markup

from generator import i18n
from generator.corpus.core import SPEED_METRICS, Board, BoardView, Corpus, Row, named_extra, paper_date
from generator.config import LANGS
from generator.format.model import LINK_KINDS, UNSTATED, PaperFile, Text
from generator.format.types import MetricSlug, Slug
from generator.render import routes
from generator.render.select import first_public


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

    def count(self, key: str, n: int) -> str:
        """A count in words: the key's `.one` text for 1 ("1 result"), else the key's text ("12 results")."""
        return self.t(f"{key}.one" if n == 1 else key, n=n)

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
        """Text that may wrap between words but never inside one (see `words`)."""
        return words(text)

    def public_by(self, pf: PaperFile) -> str:
        """The latest day the paper's first version can have been public (a month: its last day; a year: 31
        December), the rule of `export --as-of`: a board's "public by" view hides the rows after a date."""
        return first_public(pf).isoformat()

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

        query = {"template": "wrong-number.yml", "paper": pf.id, "title": f"Wrong number: {pf.paper.label}"}
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

        def unit(m: str) -> str:  # "%" right after the number; another unit after a space, unless the name says it
            u = self.unit(m)
            if not u or u in self.corpus.registries.metrics[m].name.en or u in self.metric(m):
                return ""
            return u if u == "%" else f" {u}"

        return " · ".join(f"{self.metric(m)} {num(v)}{unit(m)}" for m, v in result.metrics.items())

    def paper_date(self, pf: PaperFile) -> str:
        return paper_date(pf).isoformat()

    # comparable views and how a result was obtained (format 2) -------------------------------------------

    def view_rank(self, bv: BoardView, row: Row) -> str:
        """The row's rank within a comparable view ('' when the view does not rank it)."""
        rank = bv.ranks.get((row.paper.id, row.index))
        return "" if rank is None else str(rank)

    def unmeasured_speed(self, row: Row, metric: str) -> bool:
        """A speed whose hardware the source does not state: shown, never ranked or plotted with measured ones."""
        return metric in SPEED_METRICS and metric in row.result.metrics and not row.speed_measured

    def _named_extra(self, row: Row) -> str:
        ds = self.corpus.registries.datasets.get(row.result.dataset)
        names = []
        for slug in named_extra(row.result, ds):
            if ds is not None and slug in ds.splits and (row.result.training and slug in row.result.training.splits):
                names.append(f"{ds.name.get(self.lang)} {ds.splits[Slug(slug)].name.get(self.lang)}")
            elif slug in self.corpus.registries.datasets:
                names.append(self.dataset(slug))
            else:
                names.append(slug)
        return self.t("list.sep").join(names)

    def contradiction(self, row: Row) -> str:
        return self.t("flag.contradicts", data=self._named_extra(row))

    def how_training(self, row: Row) -> str:
        """What the source says of the training data, in words."""
        r, t = row.result, row.result.training
        if t is None:
            return self.t("how.train.unstated")
        ds = self.corpus.registries.datasets.get(r.dataset)
        parts = []
        if row.contradicts:
            parts.append(self.contradiction(row))
        else:
            own = [s for s in t.splits if ds is None or s not in ds.splits or not ds.splits[s].extra]
            if own and ds is not None:
                splits = self.t("list.sep").join(ds.splits[s].name.get(self.lang) if s in ds.splits else s for s in own)
                parts.append(self.t("how.train.splits", dataset=ds.name.get(self.lang), splits=splits))
            named = self._named_extra(row)
            if named:
                parts.append(self.t("how.train.extra", data=named))
            elif t.extra_data is True:
                parts.append(self.t("how.train.extra_unnamed"))
            elif t.extra_data is False or own:
                parts.append(self.t("how.train.no_extra"))
        if t.pretrain:
            parts.append(self.t("how.train.pretrain", what=t.pretrain))
        if t.crop:
            parts.append(self.t("how.train.crop", crop=t.crop))
        if t.schedule:
            parts.append(self.t("how.train.schedule", schedule=t.schedule))
        if t.batch:
            parts.append(self.t("how.train.batch", n=t.batch))
        return self.t("how.sep").join(parts) if parts else self.t("how.train.unstated")

    def how_evaluation(self, row: Row) -> str:
        r, e = row.result, row.result.evaluation
        ds = self.corpus.registries.datasets.get(r.dataset)
        server = (e is not None and e.test_server) or (
            ds is not None and r.split in ds.splits and ds.splits[r.split].server
        )
        parts = []
        if e is None or e.mode is None:
            parts.append(self.t("how.eval.scales_unstated"))
        elif e.mode == "single-scale":
            parts.append(self.t("how.eval.single"))
        else:
            scales = ", ".join(num(x) for x in e.scales)
            parts.append(self.t("how.eval.multi_scales", scales=scales) if scales else self.t("how.eval.multi"))
        if e is not None and e.flip is not None:
            parts.append(self.t("how.eval.flip") if e.flip else self.t("how.eval.no_flip"))
        if e is not None and e.inference:
            parts.append(self.t(f"how.eval.{e.inference}"))
        if e is not None and e.crop:
            parts.append(self.t("how.eval.crop", crop=e.crop))
        if e is not None and e.quantization:
            parts.append(self.t("how.eval.quantization", what=e.quantization))
        if server:
            parts.append(self.t("how.eval.server"))
        return self.t("how.sep").join(parts)

    def how_hardware(self, row: Row) -> str:
        """'' when the result gives no speed and no hardware."""
        if row.result.hardware is None:
            return ""
        hw = row.result.hardware_stated
        if hw is None:
            return self.t("how.hw.unstated")
        parts = [f"{hw.count}× {hw.device}" if hw.count and hw.count > 1 else hw.device]
        parts += [
            x
            for x in (
                hw.precision,
                self.t("how.hw.batch", n=hw.batch) if hw.batch else None,
                hw.framework,
                hw.resolution,
            )
            if x
        ]
        return ", ".join(parts)

    def reproduces(self, row: Row) -> Optional[tuple[str, str]]:
        """(link, label) of the claim a result reproduces."""
        ref = row.result.reproduces
        if not ref:
            return None
        pid, _, rid = ref.partition("#")
        target = self.corpus.by_id.get(pid)
        if target is None:
            return None
        model = next((r.model or target.paper.label for r in target.paper.results if r.id == rid), rid)
        return f"{self.paper_url(target)}#result-{rid}", f"{target.paper.label}: {model}"


@functools.lru_cache(maxsize=1 << 16)  # a board's locators, backbones and hardware repeat from row to row
def words(text: str) -> Markup:
    """Text that may wrap between words but never inside one: a browser breaks "ResNet-101" after its
    hyphen, so each word with a hyphen or slash is kept whole; a long identifier of underscore-joined
    parts (pspnet_r50-d8_4xb2-80k) wraps after an underscore (escaped; the text itself is unchanged)."""

    def part(p: str) -> Markup:
        # a long compound (swin-base-patch4-window12-in22k) may still wrap at its hyphens
        return Markup('<span class="ss-nw">%s</span>') % p if _BREAKS.search(p) and len(p) <= 14 else Markup.escape(p)

    def word(w: str) -> Markup:  # an identifier (a config name, a path, A+B+C) may wrap after _ / + (
        if len(w) <= 18:
            return part(w)
        return Markup("").join(
            part(p) if not _WRAP_AFTER.fullmatch(p) else Markup("%s<wbr>") % p for p in _WRAP_AT.split(w) if p
        )

    return Markup(" ").join(word(w) for w in text.split(" "))


_BREAKS = re.compile(r"[-/‐–]")
_WRAP_AT = re.compile(r"([_/+(])")
_WRAP_AFTER = re.compile(r"[_/+(]")
