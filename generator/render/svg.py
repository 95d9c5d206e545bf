"""A static SVG drawing of a chart figure: what a reader sees before (or without) plotly.

Plotly's bundle is 1.2 MB of script; drawing it on load blocks a phone's main thread for
a second. Each chart is therefore first this light SVG (readable without JavaScript, by
screen readers through its title and by search engines), and becomes the interactive
plotly chart when the reader points at it, focuses it or taps it (a facade, as
Lighthouse recommends for heavy embeds). Geometry only: the markup is in svg.j2."""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from dataclasses import dataclass

# plotly.js's default colorway (d3 category10), so the drawing and the interactive chart agree
COLORWAY = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
WIDTH = 800
NARROW = 400  # the drawing a phone shows (a 360 px screen: text stays readable, nothing scrolls sideways)


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    title: str
    href: str | None


@dataclass(frozen=True)
class Series:
    name: str
    color: str
    symbol: str  # circle | diamond-open
    points: tuple[Point, ...]
    line: str | None  # SVG path of the line, when the trace has one
    markers: bool


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    xticks: tuple[Tick, ...]
    yticks: tuple[Tick, ...]
    xtitle: str
    ytitle: str
    series: tuple[Series, ...]
    legend: bool
    label: str
    legend_x: tuple[int, ...] = ()
    legend_y: tuple[int, ...] = ()


def _plain(text: str) -> str:
    """Hover text as plain text: plotly's <b>/<br> markup dropped, entities decoded."""
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = re.sub(r"</?b>", "", text)
    return html.unescape(text)


def _year_fraction(value: str) -> float:
    d = dt.date.fromisoformat(value[:10])
    start = dt.date(d.year, 1, 1)
    return d.year + (d - start).days / 366.0


def _nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.floor(lo / step) * step
    ticks = []
    v = first
    while v <= hi + step * 0.5:
        ticks.append(round(v, 10))
        v += step
    return ticks


def _fmt(v: float) -> str:
    return f"{v:g}"


def _legend_width(name: str) -> int:
    return 36 + sum(13 if ord(ch) > 0x2E80 else 7 for ch in name)


def draw(fig: dict, label: str, width: int = WIDTH) -> Drawing:
    layout = fig["layout"]
    traces = fig["data"]
    yaxis = layout.get("yaxis", {})
    xtype = layout.get("xaxis", {}).get("type", "linear")
    categorical = bool(traces) and all(isinstance(y, str) for t in traces for y in t["y"])
    labelled = "ticktext" in yaxis  # numeric positions named by ticktext (the timeline's topics)
    narrow = width < WIDTH
    left = int(layout.get("margin", {}).get("l", 60)) if categorical or labelled else 60
    if narrow and (categorical or labelled):
        left = min(left, 165)
    height = int(layout.get("height", 420))
    right, top, bottom = 20, 16, 70
    names = [_plain(t.get("name", "")) for t in traces]
    legend = layout.get("showlegend", True) and len(traces) > 1
    legend_rows: list[int] = []
    offsets: list[int] = []
    if legend:  # entries side by side, each as wide as its label (CJK glyphs are wider); a new row when full
        x, row = left, 0
        for name in names:
            if x > left and x + _legend_width(name) > width - right:
                x, row = left, row + 1
            offsets.append(x)
            legend_rows.append(row)
            x += _legend_width(name)
        bottom += 24 + 20 * (legend_rows[-1] if legend_rows else 0)
        height += 20 * (legend_rows[-1] if legend_rows else 0)

    def xval(v) -> float:
        if xtype == "date":
            return _year_fraction(v)
        if xtype == "log":
            return math.log10(float(v)) if float(v) > 0 else 0.0
        return float(v)

    xs = [xval(v) for t in traces for v in t["x"] if v is not None]
    if not xs:
        xs = [0.0, 1.0]
    xlo, xhi = min(xs), max(xs)
    pad = (xhi - xlo) * 0.04 or 0.5
    xlo, xhi = xlo - pad, xhi + pad
    if xtype == "date":
        xticks_v: list[float] = list(range(math.ceil(xlo), math.floor(xhi) + 1))
        most = 4 if narrow else 10
        step = max(1, len(xticks_v) // most + (1 if len(xticks_v) > most else 0))
        xticks_v = xticks_v[::step]
        xlabels = [str(v) for v in xticks_v]
        if len(xticks_v) < 2:  # within a year or two: month ticks (YYYY-MM), at most about eight
            months = [
                (y, m)
                for y in range(math.floor(xlo), math.floor(xhi) + 1)
                for m in range(1, 13)
                if xlo <= _year_fraction(f"{y}-{m:02d}-01") <= xhi
            ]
            months = months[:: max(1, math.ceil(len(months) / 8))]
            xticks_v = [_year_fraction(f"{y}-{m:02d}-01") for y, m in months]
            xlabels = [f"{y}-{m:02d}" for y, m in months]
    elif xtype == "log":
        xticks_v = [p for p in range(math.floor(xlo), math.ceil(xhi) + 1) if xlo <= p <= xhi]
        if len(xticks_v) < 3:
            xticks_v = [
                math.log10(m * 10**p)
                for p in range(math.floor(xlo), math.ceil(xhi) + 1)
                for m in (1, 2, 5)
                if xlo <= math.log10(m * 10**p) <= xhi
            ]
        if len(xticks_v) < 2:  # a narrow range (e.g. 200 to 400): nice ticks of the values themselves
            xticks_v = [math.log10(v) for v in _nice_ticks(10**xlo, 10**xhi) if v > 0 and xlo <= math.log10(v) <= xhi]
        xlabels = [_fmt(10**v) for v in xticks_v]
    else:
        xticks_v = [v for v in _nice_ticks(xlo, xhi) if xlo <= v <= xhi]
        xlabels = [_fmt(v) for v in xticks_v]

    plot_w = width - left - right
    plot_h = height - top - bottom

    def px(x: float) -> float:
        return round(left + (x - xlo) / (xhi - xlo) * plot_w, 1)

    if categorical:
        cats: list[str] = []
        for t in traces:
            for y in t["y"]:
                if y not in cats:
                    cats.append(y)
        rows = max(1, len(cats))

        def py(y) -> float:
            return round(top + (cats.index(y) + 0.5) / rows * plot_h, 1)

        yticks = tuple(Tick(py(c), _plain(c)) for c in cats)
    elif labelled:
        y0, y1 = (float(v) for v in yaxis.get("range", [len(yaxis["ticktext"]) - 0.5, -0.5]))

        def py(y) -> float:  # range [y0, y1] runs from the bottom of the plot to its top
            return round(top + (1 - (float(y) - y0) / (y1 - y0)) * plot_h, 1)

        yticks = tuple(
            Tick(py(v), _plain(str(lab))) for v, lab in zip(yaxis["tickvals"], yaxis["ticktext"], strict=True)
        )
    else:
        ys = [float(y) for t in traces for y in t["y"] if y is not None] or [0.0, 1.0]
        ylo, yhi = min(ys), max(ys)
        ypad = (yhi - ylo) * 0.08 or 1.0
        yt = _nice_ticks(ylo - ypad, yhi + ypad)
        ylo, yhi = min(yt[0], ylo - ypad), max(yt[-1], yhi + ypad)

        def py(y) -> float:
            return round(top + (1 - (float(y) - ylo) / (yhi - ylo)) * plot_h, 1)

        yticks = tuple(Tick(py(v), _fmt(v)) for v in yt if ylo <= v <= yhi)

    series = []
    for i, t in enumerate(traces):
        marker = t.get("marker", {})
        color = marker.get("color") if isinstance(marker.get("color"), str) else COLORWAY[i % len(COLORWAY)]
        texts = t.get("text") or [""] * len(t["x"])
        hrefs = t.get("customdata") or [None] * len(t["x"])
        mode = t.get("mode", "markers")
        line = None
        if None in t["x"]:  # separate segments (the timeline's lineage): no markers, a path per segment
            d, pen = [], "M"
            for x, y in zip(t["x"], t["y"], strict=True):
                if x is None or y is None:
                    pen = "M"
                    continue
                d.append(f"{pen}{px(xval(x))},{py(y)}")
                pen = "L"
            line_color = t.get("line", {}).get("color", COLORWAY[i % len(COLORWAY)])
            series.append(Series(_plain(t.get("name", "")), line_color, "circle", (), "".join(d) or None, False))
            continue
        pts = tuple(
            Point(px(xval(x)), py(y), _plain(tx), h) for x, y, tx, h in zip(t["x"], t["y"], texts, hrefs, strict=True)
        )
        if "lines" in mode and pts:
            if t.get("line", {}).get("shape") == "hv":
                d = [f"M{pts[0].x},{pts[0].y}"]
                for b in pts[1:]:
                    d.append(f"H{b.x}V{b.y}")
                d.append(f"H{px(xhi)}" if xtype == "date" else "")
                line = "".join(d)
            else:
                line = "M" + "L".join(f"{p.x},{p.y}" for p in pts)
        series.append(
            Series(_plain(t.get("name", "")), color, marker.get("symbol", "circle"), pts, line, "markers" in mode)
        )
    xtitle = _plain(layout.get("xaxis", {}).get("title", {}).get("text", ""))
    ytitle = _plain(layout.get("yaxis", {}).get("title", {}).get("text", ""))
    legend_y = tuple(height - 14 - 20 * (legend_rows[-1] - r) for r in legend_rows) if legend else ()
    return Drawing(
        width,
        height,
        left,
        top,
        right,
        bottom,
        tuple(Tick(px(v), lab) for v, lab in zip(xticks_v, xlabels, strict=True)),
        yticks,
        xtitle,
        ytitle,
        tuple(series),
        legend,
        label,
        tuple(offsets),
        legend_y,
    )
