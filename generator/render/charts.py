"""Plotly figures as plain JSON-ready dicts. The generator never imports plotly: the page loads plotly.js;
tests/unit/test_charts.py builds every figure kind with plotly.graph_objects.Figure, plotly's own schema.

Every visible string comes from the catalogue or is contributor text made literal. Colours
are left to the page script, which follows material's light/dark palette."""

from __future__ import annotations

from decimal import Decimal

from generator import i18n
from generator.corpus.core import SPEED_METRICS, Board, Corpus, Row, paper_date, pareto_front, sota_steps
from generator.format.types import MetricSlug
from generator.render.text import plotly_text
from generator.render.views import Helpers

PALETTE = [
    "#3f51b5",
    "#e91e63",
    "#009688",
    "#ff9800",
    "#795548",
    "#9c27b0",
    "#607d8b",
    "#4caf50",
    "#f44336",
    "#00bcd4",
    "#8bc34a",
    "#ffc107",
]


def month(pf) -> str:
    """Where a paper sits on a time axis: the first day of the month it appeared (its `date`), else the
    middle of its year; charts are drawn by month, never by a day nobody looks up."""
    return paper_date(pf).replace(day=1).isoformat() if pf.paper.date else paper_date(pf).isoformat()


def _hover(h: Helpers, row: Row, metric: str) -> str:
    return "<br>".join(
        [
            f"<b>{plotly_text(row.model)}</b>",
            f"{plotly_text(h.metric(metric))}: {row.score}",
            plotly_text(row.paper.paper.title),
            f"{plotly_text(h.venue(row.paper))} {row.paper.paper.year}".strip(),
        ]
    )


def _base_layout(x_title: str, y_title: str, *, x_type: str = "date") -> dict:
    return {
        "xaxis": {"title": {"text": x_title}, "type": x_type},
        "yaxis": {"title": {"text": y_title}},
        "hovermode": "closest",
        "margin": {"l": 60, "r": 20, "t": 20, "b": 50},
        "legend": {"orientation": "h", "y": -0.2},
        "height": 420,
    }


def board_figure(h: Helpers, corpus: Corpus, board: Board) -> dict | None:
    ranked = board.ranked
    if not ranked:
        return None
    metric = corpus.registries.metrics[board.metric]
    t = lambda key: i18n.t(h.lang, key)  # noqa: E731
    traces = []
    for label, rows, symbol in (
        (t("chart.comparable"), [r for r in ranked if not (r.extra or r.tta)], "circle"),
        (t("chart.noncomparable"), [r for r in ranked if r.extra or r.tta], "diamond-open"),
    ):
        if not rows:
            continue
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": label,
                "x": [month(r.paper) for r in rows],
                "y": [float(r.ranked_score) for r in rows],
                "text": [_hover(h, r, board.metric) for r in rows],
                "customdata": [h.paper_url(r.paper) for r in rows],
                "hovertemplate": "%{text}<extra></extra>",
                "marker": {"symbol": symbol, "size": 8},
            }
        )
    steps = sota_steps(board, metric)
    traces.append(
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": t("chart.sota"),
            "x": [month(r.paper) for r in steps],
            "y": [float(r.ranked_score) for r in steps],
            "text": [_hover(h, r, board.metric) for r in steps],
            "customdata": [h.paper_url(r.paper) for r in steps],
            "hovertemplate": "%{text}<extra></extra>",
            "line": {"shape": "hv", "width": 2},
            "marker": {"size": 6},
        }
    )
    unit = metric.unit
    return {
        "data": traces,
        "layout": _base_layout(t("chart.date"), plotly_text(f"{h.metric(board.metric)}{f' ({unit})' if unit else ''}")),
    }


def timeline_figure(h: Helpers, corpus: Corpus) -> dict:
    """Every paper by month and first topic. Topics keep the registry's order, top to bottom, in the static
    drawing and the interactive chart alike; papers of one topic and one month are spread across the
    topic's band instead of stacked on one point; a grey line joins a paper to each paper it builds on."""
    t = lambda key: i18n.t(h.lang, key)  # noqa: E731
    groups: dict[str, list] = {}
    for pf in sorted(corpus.papers, key=lambda p: (month(p), p.id)):
        first = pf.paper.topics[0] if pf.paper.topics else ""
        groups.setdefault(first, []).append(pf)
    order = [s for s in corpus.registries.topics if s in groups] + ([""] if "" in groups else [])
    where: dict[str, tuple[str, float]] = {}
    for i, slug in enumerate(order):
        same: dict[str, list] = {}
        for pf in groups[slug]:
            same.setdefault(month(pf), []).append(pf)
        for papers in same.values():
            n = len(papers)
            for k, pf in enumerate(papers):  # spread over 70% of the band, centred on the topic's line
                where[pf.id] = (month(pf), round(i + (0.0 if n == 1 else 0.7 * (k / (n - 1) - 0.5)), 3))
    lines_x: list = []
    lines_y: list = []
    for pf in corpus.papers:
        for other in pf.paper.builds_on:
            if pf.id in where and other in where:
                lines_x += [where[other][0], where[pf.id][0], None]
                lines_y += [where[other][1], where[pf.id][1], None]
    traces: list[dict] = []
    if lines_x:
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": plotly_text(t("timeline.lineage")),
                "x": lines_x,
                "y": lines_y,
                "hoverinfo": "skip",
                "line": {"width": 1, "color": "rgba(128,128,128,0.45)"},
            }
        )
    for i, slug in enumerate(order):
        papers = groups[slug]
        name = h.topic(slug) if slug else t("timeline.no_topic")
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": plotly_text(name),
                "x": [where[p.id][0] for p in papers],
                "y": [where[p.id][1] for p in papers],
                "text": [
                    f"<b>{plotly_text(p.paper.label)}</b><br>{plotly_text(p.paper.title)}<br>"
                    f"{plotly_text(h.venue(p))} {h.date(p)}"
                    for p in papers
                ],
                "customdata": [h.paper_url(p) for p in papers],
                "hovertemplate": "%{text}<extra></extra>",
                "marker": {"size": 9, "color": PALETTE[i % len(PALETTE)], "opacity": 0.8},
            }
        )
    layout = _base_layout(t("chart.date"), "")
    layout["showlegend"] = False
    layout["height"] = max(320, 40 * len(order) + 120)
    layout["margin"]["l"] = 170
    layout["yaxis"].update(
        {
            "automargin": True,
            "tickmode": "array",
            "tickvals": list(range(len(order))),
            "ticktext": [plotly_text(h.topic(s) if s else t("timeline.no_topic")) for s in order],
            "range": [len(order) - 0.5, -0.5],
            "zeroline": False,
            "showgrid": False,
        }
    )
    return {"data": traces, "layout": layout}


COST_METRICS = tuple(MetricSlug(m) for m in ("gmacs", "gflops", "params_m"))


def pareto_figures(h: Helpers, corpus: Corpus) -> list[tuple[Board, str, dict, list]]:
    """Accuracy against cost per board, where at least three results carry a cost."""
    t = lambda key: i18n.t(h.lang, key)  # noqa: E731
    out: list[tuple[Board, str, dict, list]] = []
    for board in corpus.boards:
        metric = corpus.registries.metrics[board.metric]
        for cost in COST_METRICS:
            if cost not in corpus.registries.metrics:
                continue
            points: list[tuple[Decimal, Decimal, Row]] = [
                (r.result.metrics[cost], r.ranked_score, r)
                for r in board.ranked
                if cost in r.result.metrics
                and (cost not in SPEED_METRICS or r.speed_measured)  # a speed on unstated hardware is never plotted
            ]
            if len(points) < 3:
                continue
            front = pareto_front(points, metric.higher_is_better)
            hover = lambda p, board=board, cost=cost: (  # noqa: E731
                _hover(h, p[2], board.metric) + f"<br>{plotly_text(h.metric(cost))}: {p[0]}"
            )
            fig = {
                "data": [
                    {
                        "type": "scatter",
                        "mode": "markers",
                        "name": t("chart.results"),
                        "x": [float(p[0]) for p in points],
                        "y": [float(p[1]) for p in points],
                        "text": [hover(p) for p in points],
                        "customdata": [h.paper_url(p[2].paper) for p in points],
                        "hovertemplate": "%{text}<extra></extra>",
                        "marker": {"size": 8},
                    },
                    {
                        "type": "scatter",
                        "mode": "lines+markers",
                        "name": t("chart.pareto"),
                        "x": [float(p[0]) for p in front],
                        "y": [float(p[1]) for p in front],
                        "text": [hover(p) for p in front],
                        "customdata": [h.paper_url(p[2].paper) for p in front],
                        "hovertemplate": "%{text}<extra></extra>",
                        "line": {"shape": "hv", "width": 2},
                    },
                ],
                "layout": _base_layout(
                    plotly_text(f"{h.metric(cost)}{f' ({h.unit(cost)})' if h.unit(cost) else ''}"),
                    plotly_text(
                        f"{h.metric(board.metric)}{f' ({h.unit(board.metric)})' if h.unit(board.metric) else ''}"
                    ),
                    x_type="log",
                ),
            }
            out.append((board, cost, fig, front))
    return out
