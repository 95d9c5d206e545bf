"""The charts, without a browser: every figure charts.py makes is one plotly accepts (its own schema,
through plotly.graph_objects), the SVG drawn before plotly loads shows the same points inside the plot
area, and the state-of-the-art line steps the way a reader expects."""

from __future__ import annotations

import re

import json
from decimal import Decimal

import plotly.graph_objects as go
import pytest

from generator.config import LANGS
from generator.corpus.core import Board, Row, build_corpus, sota_steps
from generator.format.model import Metric, Names, Paper, PaperFile, Result, Source
from generator.format.validate import validate_tree
from generator.render import charts, svg
from generator.render.views import Helpers
from helpers import ROOT


@pytest.fixture(scope="module")
def corpus():
    checked = validate_tree(ROOT / "papers")
    assert not checked.problems and checked.registries is not None
    return build_corpus(checked.registries, checked.papers)


def figures(corpus, lang: str) -> list[tuple[str, dict]]:
    h = Helpers(corpus, lang, "x/", None, "main")
    out: list[tuple[str, dict]] = [("timeline", charts.timeline_figure(h, corpus))]
    out += [(f"board {b.slug}", fig) for b in corpus.boards if (fig := charts.board_figure(h, corpus, b))]
    out += [(f"pareto {b.slug} {cost}", fig) for b, cost, fig, _ in charts.pareto_figures(h, corpus)]
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_every_figure_is_valid_for_plotly(corpus, lang):
    made = figures(corpus, lang)
    kinds = {name.split()[0] for name, _ in made}
    assert kinds == {"timeline", "board", "pareto"}, kinds  # each kind charts.py emits is checked
    for name, fig in made:
        json.dumps(fig)  # what the page fetches: plain JSON
        try:
            go.Figure(fig)  # raises ValueError on any property plotly does not know, or a wrong value
        except ValueError as exc:
            pytest.fail(f"{lang} {name}: {str(exc).splitlines()[0]}")


def test_plotly_validation_catches_a_wrong_property(corpus):
    _, fig = figures(corpus, "en")[0]
    broken = dict(fig, data=[dict(fig["data"][0], markr={"size": 3})])
    with pytest.raises(ValueError, match="markr"):
        go.Figure(broken)


@pytest.mark.parametrize("lang", LANGS)
def test_the_svg_shows_every_point_inside_the_plot_area(corpus, lang):
    for name, fig in figures(corpus, lang):
        d = svg.draw(fig, name)
        assert len(d.series) == len(fig["data"]), name
        for series, trace in zip(d.series, fig["data"], strict=True):
            if None in trace["x"]:  # segments (the timeline's lineage): a path with no markers, inside the plot
                assert series.points == () and series.line, name
                for x, y in re.findall(r"[ML]([-\d.]+),([-\d.]+)", series.line):
                    assert d.left <= float(x) <= d.width - d.right and d.top <= float(y) <= d.height - d.bottom, name
                assert series.line.count("M") == trace["x"].count(None), name
                continue
            assert len(series.points) == len(trace["x"]), name
            for p in series.points:
                assert d.left <= p.x <= d.width - d.right and d.top <= p.y <= d.height - d.bottom, (name, p)
            assert (series.line is not None) == ("lines" in trace.get("mode", "markers")), name
        assert d.xticks and d.yticks, name
        assert all(d.left <= t.pos <= d.width - d.right for t in d.xticks), name
        assert d.legend == (fig["layout"].get("showlegend", True) and len(fig["data"]) > 1), name
        if d.legend:  # the legend entries fit across the chart
            assert max(d.legend_x) < d.width, name


def test_svg_draws_a_higher_score_higher_and_a_later_date_further_right():
    fig = {
        "data": [
            {
                "type": "scatter",
                "mode": "markers",
                "name": "a",
                "x": ["2015-01-01", "2020-06-01"],
                "y": [50.0, 80.0],
                "text": ["<b>old</b>", "new"],
            }
        ],
        "layout": {"xaxis": {"type": "date", "title": {"text": "year"}}, "yaxis": {"title": {"text": "mIoU"}}},
    }
    d = svg.draw(fig, "label")
    old, new = d.series[0].points
    assert new.x > old.x and new.y < old.y  # SVG's y grows downwards
    assert old.title == "old"  # plotly's markup is dropped from the SVG's text
    assert (d.xtitle, d.ytitle, d.label) == ("year", "mIoU", "label")
    assert [t.label for t in d.xticks] == [str(y) for y in range(2015, 2021)]


def test_svg_draws_a_categorical_axis_one_row_per_category():
    fig = {
        "data": [{"type": "scatter", "mode": "markers", "x": [3, 1, 2], "y": ["b", "a", "b"]}],
        "layout": {"xaxis": {"type": "linear"}, "margin": {"l": 120}},
    }
    d = svg.draw(fig, "c")
    assert [t.label for t in d.yticks] == ["b", "a"] and d.left == 120
    ys = [p.y for p in d.series[0].points]
    assert ys[0] == ys[2] != ys[1]


# SOTA steps ------------------------------------------------------------------------------------------


def _row(model: str, date: str, score: str | None, rank: int | None = 1) -> Row:
    result = Result(
        id="r",
        dataset="d",
        split="test",
        metrics={"m": Decimal(score)} if score else {"x": Decimal(1)},
        source="s",
        model=model,
    )
    paper = PaperFile(
        model,
        f"papers/{date[:4]}/{model}.yaml",
        Paper(
            format=2,
            title=model,
            year=int(date[:4]),
            date=date,
            results=(result,),
            sources={"s": Source(kind="paper", name="s", url="https://example.org")},
        ),
    )
    return Row(paper, 0, result, Decimal(score) if score else None, rank if score else None)


def _board(*rows: Row) -> Board:
    return Board("semantic-segmentation", "d", "test", "m", rows, ("m",), "d-test")


@pytest.mark.parametrize("higher", [True, False])
def test_sota_steps_keep_each_new_best_in_date_order(higher):
    scores = (
        {"a": "60", "b": "58", "c": "65", "d": "65", "e": "70"}
        if higher
        else {"a": "0.60", "b": "0.62", "c": "0.55", "d": "0.55", "e": "0.50"}
    )
    rows = [_row(m, f"{2015 + i}-03-01", s) for i, (m, s) in enumerate(scores.items())]
    steps = sota_steps(
        _board(*reversed(rows), _row("unscored", "2014-01-01", None)), Metric(Names("m", "m"), higher_is_better=higher)
    )
    # b is worse than a; d only ties c (a tie is not a new best); the unscored row is not ranked
    assert [r.model for r in steps] == ["a", "c", "e"]


def test_sota_steps_on_one_day_take_the_best_first():
    rows = [_row("low", "2020-01-01", "50"), _row("high", "2020-01-01", "70")]
    steps = sota_steps(_board(*rows), Metric(Names("m", "m"), higher_is_better=True))
    assert [r.model for r in steps] == ["high"]


def test_svg_of_points_within_one_year_has_month_ticks():
    fig = {
        "data": [{"type": "scatter", "mode": "markers", "x": ["2022-05-17", "2022-11-10"], "y": [50.0, 59.6]}],
        "layout": {"xaxis": {"type": "date"}},
    }
    d = svg.draw(fig, "label")
    assert [t.label for t in d.xticks][:2] == ["2022-06", "2022-07"] and d.xticks[-1].label <= "2022-11"
    assert all(d.left <= t.pos <= d.width - d.right for t in d.xticks)


def test_svg_of_a_narrow_log_range_has_ticks():
    fig = {
        "data": [{"type": "scatter", "mode": "markers", "x": [216, 351], "y": [60.0, 64.0]}],
        "layout": {"xaxis": {"type": "log"}},
    }
    d = svg.draw(fig, "label")
    assert len(d.xticks) >= 2 and all(d.left <= t.pos <= d.width - d.right for t in d.xticks)
