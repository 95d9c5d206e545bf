"""No broken internal link anywhere in site/: every href and src of every page resolves to a file."""

from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        for name in ("href", "src"):
            if a.get(name) and not (tag == "link" and a.get("rel") in ("canonical",)):
                self.urls.append(a[name])


def test_no_broken_internal_link(real_site, real_port):
    base = f"http://127.0.0.1:{real_port}/"
    pages = sorted(real_site.rglob("*.html"))
    assert len(pages) > 300
    parsed = {}
    for page in pages:
        p = Links()
        p.feed(page.read_text(encoding="utf-8"))
        parsed[page] = p
    broken = []
    checked = 0
    for page, p in parsed.items():
        page_url = base + page.relative_to(real_site).as_posix()
        for url in p.urls:
            absolute = urljoin(page_url, url)
            parts = urlsplit(absolute)
            if not absolute.startswith(base) or parts.scheme not in ("http", "https"):
                continue
            target = real_site / unquote(parts.path[1:])
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(real_site)}: {url}")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and target in parsed
                and parts.fragment not in parsed[target].ids
            ):
                broken.append(f"{page.relative_to(real_site)}: {url} (no such anchor)")
    assert checked > 5000
    assert broken == []
