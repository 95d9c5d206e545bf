"""Rank badges: a small SVG per paper and board (/badges/<paper-id>/<dataset>-<split>.svg) for authors
to show in a README, and the Markdown that embeds one. No external fonts (a system sans-serif, with the
text fitted to its box by textLength, as shields.io does); an accessible title; text escaped."""

from __future__ import annotations

from html import escape

from generator.corpus.core import Board, Row
from generator.render import routes

# average advance of a character of an 11 px sans-serif (Verdana-like), for the box widths
_NARROW = set("iIl.,:;|!'() ·")
_WIDE = set("mwMW@%")


def text_width(text: str) -> int:
    w = 0.0
    for ch in text:
        if ord(ch) > 0x2E80:  # CJK: a full em
            w += 11
        elif ch in _NARROW:
            w += 3.6
        elif ch in _WIDE:
            w += 10
        elif ch.isupper() or ch.isdigit():
            w += 7.4
        else:
            w += 6.4
    return int(round(w))


def badge_svg(label: str, value: str, title: str, first: bool) -> str:
    lw, vw = text_width(label) + 12, text_width(value) + 12
    width = lw + vw
    colour = "#7a5c00" if first else "#1f5fa8"  # white text on either: contrast above 4.5:1
    lx, vx = lw / 2, lw + vw / 2
    t, lab, val = escape(title), escape(label), escape(value)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" viewBox="0 0 {width} 20" role="img" aria-label="{t}">'
        f"<title>{t}</title>"
        f'<rect width="{lw}" height="20" rx="3" fill="#444"/><rect x="{lw}" width="{vw}" height="20" rx="3" fill="{colour}"/>'
        f'<rect x="{lw}" width="4" height="20" fill="{colour}"/>'
        f'<g fill="#fff" font-family="Verdana,DejaVu Sans,Geneva,sans-serif" font-size="11" text-anchor="middle">'
        f'<text x="{lx:g}" y="14" textLength="{lw - 12}" lengthAdjust="spacingAndGlyphs">{lab}</text>'
        f'<text x="{vx:g}" y="14" textLength="{vw - 12}" lengthAdjust="spacingAndGlyphs">{val}</text>'
        f"</g></svg>\n"
    )


def board_badge(board: Board, row: Row, board_title: str, metric: str, unit: str, site_name: str) -> str:
    """The badge of a paper's best ranked row on a board: "<board> | #<rank> · <metric> <score>"."""
    score = f"{row.score}{unit}"
    value = f"#{row.rank} · {metric} {score}"
    title = f"{row.paper.paper.label}: rank {row.rank} of {len(board.ranked)} on {board_title} ({metric} {score}), {site_name}"
    return badge_svg(board_title, value, title, row.rank == 1)


def badge_markdown(site_url: str, lang: str, paper_id: str, board: Board, alt: str) -> str:
    """What an author pastes into a README: the badge, linked to the board's page."""
    img = f"{site_url}{routes.badge(paper_id, board.slug)}"
    page = f"{site_url}{lang}/{routes.board(board.slug)}"
    alt = alt.replace("[", "(").replace("]", ")")
    return f"[![{alt}]({img})]({page})"
