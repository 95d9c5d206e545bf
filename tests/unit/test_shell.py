"""The theme rendered once per kind of page (generator/site/shell.py): kept only where filling it gives
what the theme itself renders, page for page."""

from __future__ import annotations

from dataclasses import dataclass, field

import jinja2
from mkdocs.structure.toc import get_toc

from generator.site import shell


@dataclass
class Page:  # what the theme reads of an MkDocs page
    title: str
    url: str
    canonical_url: str
    meta: dict = field(default_factory=dict)
    toc: object = field(default_factory=lambda: get_toc([]))
    is_homepage: bool = False


def page(title: str, url: str, description: str = "A paper.", toc: list | None = None) -> Page:
    return Page(
        title,
        url,
        f"https://example.org/en/{url}",
        {"title": title, "description": description, "hide": ["navigation"]},
        get_toc(toc or []),
    )


THEME = (
    '<title>{{ page.meta.title }} - Site</title><meta content="{{ page.meta.description }}">'
    '<link rel="canonical" href="{{ page.canonical_url }}"><a href="{{ "../" * (page.url.count("/") + 1) }}zh/{{ page.url }}">zh</a>'
    '<nav>{% for t in page.toc %}<a href="#{{ t.id }}">{{ t.title }}</a>{% endfor %}</nav><h2>{{ page.title }}</h2>'
)


def render(template: str):
    return jinja2.Environment().from_string(template).render  # MkDocs' theme environment does not escape


def test_pages_of_a_kind_are_the_shell_filled_with_their_own_values():
    first = page("FCN", "papers/fcn/")
    made = shell.make(first, render(THEME), {"page": first})
    assert made is not None
    other = page('A & "B" <i>', "papers/a-b/", "Title: with & and <", toc=None)
    assert shell.kind(other) == shell.kind(first)
    assert made.fill(shell.Values.of(other)) == render(THEME)({"page": other})


def test_a_theme_that_escapes_cuts_or_tests_a_value_gets_no_shell():
    first = page("FCN", "papers/fcn/")
    for theme in (
        THEME + "{{ page.title | e }}",  # escaped: "<" would become "&lt;"
        THEME + "{{ page.meta.description | truncate(9) }}",  # cut
        THEME + "{% if page.title | length > 5 %}long{% endif %}",  # tested: the marker is longer
    ):
        assert shell.make(first, render(theme), {"page": first}) is None, theme


def test_a_page_with_other_sections_or_at_another_depth_is_of_another_kind():
    one = page("FCN", "papers/fcn/", toc=[{"level": 2, "id": "abstract", "name": "Abstract", "children": []}])
    assert shell.kind(one) != shell.kind(page("FCN", "papers/fcn/"))
    assert shell.kind(page("FCN", "papers/x/fcn/")) != shell.kind(page("FCN", "papers/fcn/"))
