"""What the built site gets besides MkDocs' pages: a Content-Security-Policy on every page (applied inside
MkDocs by hooks.py), and the pages at the site root (docs/root/)."""

from __future__ import annotations

import base64
import hashlib
from html import escape
import re
import shutil
from pathlib import Path

from generator.config import LANGS, Survey


# Content-Security-Policy ---------------------------------------------------------------------
# Material's templates carry a few small inline scripts (palette, scope, config JSON). They are
# allowed by hash, one by one; nothing else inline runs, and no inline event handler runs.
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S)
_THEME_SCRIPT = re.compile(
    r"^(__md_scope=new URL\(|var palette=__md_get\(|var target=document\.getElementById\(location\.hash\.slice\(1\)\);)"
    r'|^document\.documentElement\.classList\.replace\("no-js","js"\)$'  # overrides/main.html: scripts run here
)


_HAS_CSP = '<meta http-equiv="Content-Security-Policy"'


def csp_for(html: str) -> str:
    hashes = set()
    for attrs, body in _INLINE_SCRIPT.findall(html):
        if "application/json" in attrs:
            continue  # data, never executed
        if _THEME_SCRIPT.match(body.strip()):
            hashes.add("'sha256-" + _b64sha256(body) + "'")
    # 'wasm-unsafe-eval': search (Pagefind) compiles its WebAssembly. It allows WebAssembly only: eval()
    # and new Function() stay blocked. Pagefind runs in a worker, which a <meta> policy does not govern;
    # the page needs it when Pagefind falls back to the page itself (no worker) or when a host sends this
    # policy as a header (which the worker then gets too).
    script_src = " ".join(["'self'", "'wasm-unsafe-eval'", *sorted(hashes)])
    return (
        "default-src 'self'; "
        f"script-src {script_src}; "
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self' https://github.com"
    )


def _b64sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def with_csp(html: str) -> str:
    """The page with its policy right after its charset, unless it has one (the root 404.html copies en's)."""
    if _HAS_CSP in html:
        return html
    meta = f'{_HAS_CSP} content="{csp_for(html)}">'
    return re.sub(r"(<meta charset=\"utf-8\">)", lambda m: m.group(1) + "\n    " + meta, html, count=1, flags=re.I)


def add_csp_file(path: Path) -> None:
    html = path.read_text(encoding="utf-8")
    done = with_csp(html)
    if done is not html:
        path.write_text(done, encoding="utf-8")


def write_root_pages(site: Path, docs: Path, survey: Survey) -> None:
    """The language chooser at the root (docs/root/, its {{ name }} and {{ description }} the survey's in
    every language), and the root 404 (English's)."""
    texts = {
        "{{ name }}": " · ".join(survey.name[lang] for lang in LANGS),
        "{{ description }}": " ".join(survey.description[lang] for lang in LANGS),
    }
    pages = []
    for page in sorted((docs / "root").iterdir()):
        if page.suffix == ".html":
            text = page.read_text(encoding="utf-8")
            for mark, value in texts.items():
                text = text.replace(mark, escape(value))
            (site / page.name).write_text(text, encoding="utf-8")
            pages.append(site / page.name)
        else:
            shutil.copyfile(page, site / page.name)
    (site / ".nojekyll").write_text("", encoding="utf-8")
    en404 = site / "en" / "404.html"
    if en404.is_file():
        shutil.copyfile(en404, site / "404.html")  # it has English's policy already
    for path in pages:  # the only HTML outside the language folders, whose pages have their policy already
        add_csp_file(path)
