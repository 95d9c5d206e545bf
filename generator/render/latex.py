"""A table for a paper: a leaderboard (or chosen methods across benchmarks) as a booktabs table with
`\\cite` keys, and the .bib of exactly the papers it cites.

Numbers are written as the paper files give them (never rounded). A row is a result of the selection
(generator/render/select.py: as of a date, peer-reviewed venues only, ...); `#` is its rank among the rows
shown (ties share a rank). `comparable` keeps only the results measured like the best one whose
measurement is stated: the same test-time augmentation (single-scale vs. multi-scale or flipped testing)
and the same training data (the dataset's own vs. extra data), from the format's `evaluation` and
`training` fields. The caption names the board, the date or commit of the data and the page on the site.

The output is a complete document by default (it compiles with pdflatex + bibtex, or xelatex for
Chinese labels, which use ctex); `fragment` gives only the table environment, to `\\input` in a paper
whose preamble loads booktabs and url.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Mapping, Optional, Sequence

from generator.bib.write import BibEntry, write as write_bib, latex as tex
from generator.corpus.core import Board, Corpus, Row, derived_tta, rank_rows
from generator.format.model import PaperFile
from generator.render.select import Selection

LABELS = {
    "en": {
        "rank": "\\#",
        "method": "Method",
        "backbone": "Backbone",
        "benchmark": "Benchmark",
        "board": "{board} ({metric}): {what}{when}.",
        "top": "the top {n} results",
        "all": "all {n} results",
        "methods": "chosen methods across benchmarks (each cell: the method's best result there, {what})",
        "primary": "each benchmark's primary metric",
        "as_of": ", as of {date}",
        "commit": ", data of commit {commit} ({date})",
        "date": ", data of {date}",
        "peer": " Peer-reviewed venues only.",
        "comparable": " Only results measured like the best one: {how}.",
        "single": "single-scale testing",
        "multi": "multi-scale or flipped testing",
        "own": "trained on the dataset's own data",
        "extra": "trained with extra data",
        "flags": " $^\\dagger$ trained with extra data; $^\\ddagger$ multi-scale or flipped testing.",
        "from": " From the {survey}, \\protect\\url{{{url}}}.",
        "nodata": "no result",
    },
    "zh": {
        "rank": "\\#",
        "method": "方法",
        "backbone": "骨干网络",
        "benchmark": "基准",
        "board": "{board}（{metric}）：{what}{when}。",
        "top": "前 {n} 名结果",
        "all": "全部 {n} 条结果",
        "methods": "所选方法跨基准对比（每格为该方法在此基准上的最佳结果，{what}）",
        "primary": "各基准的主要指标",
        "as_of": "，截至 {date}",
        "commit": "，数据版本为提交 {commit}（{date}）",
        "date": "，数据日期 {date}",
        "peer": "仅收录经同行评审的会议与期刊。",
        "comparable": "仅收录与最佳结果测量方式相同的结果：{how}。",
        "single": "单尺度测试",
        "multi": "多尺度或翻转测试",
        "own": "仅用该数据集自身的训练数据",
        "extra": "使用额外训练数据",
        "flags": "$^\\dagger$ 使用额外训练数据；$^\\ddagger$ 多尺度或翻转测试。",
        "from": "来源：{survey}，\\protect\\url{{{url}}}。",
        "nodata": "无结果",
    },
}
DASH = "--"


@dataclass(frozen=True)
class Snapshot:
    """What the data is: a date given by the writer (as of), else the commit of the papers folder."""

    as_of: Optional[dt.date] = None
    commit: Optional[str] = None
    date: Optional[str] = None

    @staticmethod
    def of(root: Path, as_of: Optional[dt.date]) -> Snapshot:
        if as_of is not None:
            return Snapshot(as_of=as_of)
        try:
            out = subprocess.run(
                ["git", "log", "-1", "--format=%h %cs", "--", "."], cwd=root, capture_output=True, text=True, timeout=30
            )
            commit, _, date = out.stdout.strip().partition(" ")
            if out.returncode == 0 and commit:
                return Snapshot(commit=commit, date=date)
        except (OSError, subprocess.SubprocessError):
            pass
        return Snapshot(date=dt.date.today().isoformat())

    def caption(self, lang: str) -> str:
        L = LABELS[lang]
        if self.as_of is not None:
            return L["as_of"].format(date=self.as_of.isoformat())
        if self.commit:
            return L["commit"].format(commit=self.commit, date=self.date)
        return L["date"].format(date=self.date)


@dataclass(frozen=True)
class Table:
    tex: str  # the document (or the table environment alone)
    papers: tuple[PaperFile, ...]  # cited, in the order of the table
    cites_itself: Optional[BibEntry] = None  # the board's own entry, cited by the caption


def board_key(board: Board) -> str:
    return "board-" + board.slug.replace("/", "-")


def board_citation(corpus: Corpus, board: Board, url: str, snapshot: Snapshot, lang: str = "en") -> BibEntry:
    """How to cite the board itself: the survey's page of it, with the date or commit of its data."""
    ds = corpus.registries.datasets[board.dataset]
    year = (snapshot.as_of.isoformat() if snapshot.as_of else snapshot.date or "")[:4]
    what = {"en": "leaderboard", "zh": "排行榜"}[lang]
    fields = [
        (
            "author",
            "{" + tex(corpus.survey.name[lang]) + " contributors}"
            if lang == "en"
            else "{" + tex(corpus.survey.name[lang]) + "贡献者}",
        ),
        ("title", "{" + tex(f"{ds.name.get(lang)} {_split(ds, board.split, lang)} {what}") + "}"),
        ("howpublished", f"\\url{{{url}}}"),
        ("year", year),
        ("note", tex(snapshot.caption("en").lstrip(", ")[0].upper() + snapshot.caption("en").lstrip(", ")[1:])),
    ]
    return BibEntry(board_key(board), "misc", tuple((k, v) for k, v in fields if v))


def comparability(row: Row) -> tuple[Optional[str], Optional[str]]:
    tta = derived_tta(row.result)
    ev = None if tta is None else ("multi" if tta else "single")
    tr = (
        None if row.data_class == "unknown" else row.data_class
    )  # the corpus's class: a self-contradicting source is unknown
    return ev, tr


def number(value: Decimal) -> str:
    return str(value)  # as the paper file writes it: 80.20 stays 80.20


def _metric_head(corpus: Corpus, slug: str, lang: str) -> str:
    m = corpus.registries.metrics[slug]
    name = tex(m.name.get(lang))
    return f"{name} ({tex(m.unit)})" if m.unit else name


def _method(row: Row, keys: Mapping[str, str]) -> str:
    flags = ("$^\\dagger$" if row.extra_data else "") + ("$^\\ddagger$" if derived_tta(row.result) else "")
    return f"{tex(row.model)}{flags}~\\cite{{{keys[row.paper.id]}}}"


def _backbone(corpus: Corpus, row: Row, lang: str) -> str:
    slug = row.result.backbone
    if not slug:
        return DASH
    known = getattr(corpus.registries, "backbones", {}).get(slug)
    return tex(known.name.get(lang)) if known is not None else tex(slug)


def board_rows(
    corpus: Corpus, board: Board, sel: Selection, top: Optional[int], comparable: bool
) -> tuple[list[Row], Optional[tuple]]:
    metric = corpus.registries.metrics[board.metric]
    rows = [r for r in sel.rows(board) if r.score is not None]
    cls = None
    if comparable:
        known = [r for r in rank_rows(rows, metric) if None not in comparability(r)]
        cls = comparability(known[0]) if known else None
        rows = [r for r in rows if cls is not None and comparability(r) == cls]
    ranked = rank_rows([replace(r, rank=None) for r in rows], metric)
    return (ranked[:top] if top else ranked), cls


def board_table(
    corpus: Corpus,
    board: Board,
    sel: Selection,
    keys: Mapping[str, str],
    *,
    lang: str = "en",
    top: Optional[int] = None,
    metrics: Sequence[str] = (),
    comparable: bool = False,
    peer_reviewed: bool = False,
    snapshot: Snapshot = Snapshot(),
    url: str = "",
    fragment: bool = False,
    bib_name: str = "refs",
) -> Table:
    L = LABELS[lang]
    rows, cls = board_rows(corpus, board, sel, top, comparable)
    metrics = tuple(metrics) or (board.metric,)
    with_backbone = any(r.result.backbone for r in rows)
    heads = [
        L["rank"],
        L["method"],
        *([L["backbone"]] if with_backbone else []),
        *(_metric_head(corpus, m, lang) for m in metrics),
    ]
    body = []
    for r in rows:
        values = {str(k): v for k, v in r.result.metrics.items()}
        cells = [
            str(r.rank),
            _method(r, keys),
            *([_backbone(corpus, r, lang)] if with_backbone else []),
            *(number(values[m]) if m in values else DASH for m in metrics),
        ]
        body.append(" & ".join(cells) + " \\\\")
    ds = corpus.registries.datasets[board.dataset]
    split = _split(ds, board.split, lang)
    what = (L["top"] if top and top <= len(rows) else L["all"]).format(n=len(rows))
    caption = L["board"].format(
        board=tex(f"{ds.name.get(lang)} {split}"),
        metric=tex(corpus.registries.metrics[board.metric].name.get(lang)),
        what=what,
        when=snapshot.caption(lang),
    )
    if peer_reviewed:
        caption += L["peer"]
    if cls is not None:
        caption += L["comparable"].format(
            how=f"{L[cls[0]]}, {L[cls[1]]}" if lang == "en" else f"{L[cls[0]]}，{L[cls[1]]}"
        )
    if any(r.extra_data or derived_tta(r.result) for r in rows):
        caption += L["flags"]
    caption += L["from"].format(survey=tex(corpus.survey.name[lang]) + f"~\\cite{{{board_key(board)}}}", url=url)
    spec = "r" + "l" * (2 if with_backbone else 1) + "r" * len(metrics)
    table = _environment(spec, heads, body, caption, f"tab:{board.slug.replace('/', '-')}")
    papers = tuple({r.paper.id: r.paper for r in rows}.values())
    return Table(
        table if fragment else _document(table, lang, bib_name),
        papers,
        board_citation(corpus, board, url, snapshot, lang),
    )


def methods_table(
    corpus: Corpus,
    methods: Sequence[PaperFile],
    boards: Sequence[Board],
    sel: Selection,
    keys: Mapping[str, str],
    *,
    lang: str = "en",
    snapshot: Snapshot = Snapshot(),
    url: str = "",
    fragment: bool = False,
    bib_name: str = "refs",
    comparable: bool = False,
) -> Table:
    L = LABELS[lang]
    cells: dict[tuple[str, str], Row] = {}
    for b in boards:
        rows, _ = board_rows(corpus, b, sel, None, comparable)
        for r in rows:  # ranked best first: the first row of a paper is its best
            cells.setdefault((r.paper.id, b.slug), r)
    heads = [L["method"]]
    for b in boards:
        ds = corpus.registries.datasets[b.dataset]
        split = _split(ds, b.split, lang)
        heads.append(f"{tex(ds.name.get(lang))} {tex(split)} ({_metric_head(corpus, b.metric, lang)})")
    body = []
    for pf in methods:
        row = [f"{tex(pf.paper.label)}~\\cite{{{keys[pf.id]}}}"]
        for b in boards:
            best = cells.get((pf.id, b.slug))
            row.append(number(best.score) if best is not None and best.score is not None else DASH)
        body.append(" & ".join(row) + " \\\\")
    caption = L["methods"].format(what=L["primary"]) + snapshot.caption(lang) + ("." if lang == "en" else "。")
    caption += L["from"].format(survey=tex(corpus.survey.name[lang]), url=url)
    table = _environment("l" + "r" * len(boards), heads, body, caption, "tab:methods")
    return Table(table if fragment else _document(table, lang, bib_name), tuple(methods))


def table_bib(corpus: Corpus, table: Table, keys: Mapping[str, str]) -> str:
    """The .bib beside the table: the papers it cites (and the board's own entry)."""
    from generator.bib.write import paper_entries

    entries = paper_entries(table.papers, corpus, keys)
    return write_bib([*entries, *([table.cites_itself] if table.cites_itself else [])])


def _split(ds, split: str, lang: str) -> str:
    splits: Mapping[str, object] = ds.splits
    known = splits.get(split)
    return known.name.get(lang) if known is not None else split  # type: ignore[attr-defined]


def _environment(spec: str, heads: list[str], body: list[str], caption: str, label: str) -> str:
    return "\n".join(
        [
            "% booktabs table generated by `python -m generator export latex`; needs \\usepackage{booktabs,url}",
            "\\begin{table}[t]",
            "\\centering",
            f"\\caption{{{caption}}}",
            f"\\label{{{label}}}",
            f"\\begin{{tabular}}{{{spec}}}",
            "\\toprule",
            " & ".join(heads) + " \\\\",
            "\\midrule",
            *body,
            "\\bottomrule",
            "\\end{tabular}",
            "\\end{table}",
            "",
        ]
    )


def _document(table: str, lang: str, bib_name: str) -> str:
    if lang == "zh":  # xelatex: ctex sets up the Chinese fonts (xeCJK)
        head = ["% compile: xelatex, bibtex, xelatex, xelatex", "\\documentclass{ctexart}"]
    else:
        head = [
            "% compile: pdflatex, bibtex, pdflatex, pdflatex",
            "\\documentclass{article}",
            "\\usepackage[utf8]{inputenc}",
        ]
    return "\n".join(
        [
            *head,
            "\\usepackage{booktabs}",
            "\\usepackage{url}",
            "\\begin{document}",
            "",
            table,
            "\\bibliographystyle{plain}",
            f"\\bibliography{{{bib_name}}}",
            "\\end{document}",
            "",
        ]
    )
