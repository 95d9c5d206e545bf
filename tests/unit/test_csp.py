"""The Content-Security-Policy a built page gets (finish.csp_for): material's own small inline scripts
allowed by their hash, one by one; any other inline script, and every script from another origin, refused."""

from __future__ import annotations

import base64
import hashlib

from generator.site.finish import csp_for

PALETTE = 'var palette=__md_get("__palette");if(palette&&palette.color){}'
SCOPE = '__md_scope=new URL("..",location)'
WASM = "'wasm-unsafe-eval'"  # search (Pagefind) compiles WebAssembly; eval() and new Function() stay refused


def sha(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"


def directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        name, *values = part.split()
        assert name not in out, f"{name} given twice"
        out[name] = values
    return out


def test_material_scripts_are_allowed_by_hash_and_nothing_else_inline():
    page = (
        f'<script>{PALETTE}</script><script src="assets/x.js"></script>'
        f"<script>{SCOPE}</script><script>alert(document.cookie)</script>"
        '<script id="__config" type="application/json">{"base": "."}</script>'
    )
    d = directives(csp_for(page))
    assert d["script-src"] == ["'self'", WASM, *sorted([sha(PALETTE), sha(SCOPE)])]
    assert sha("alert(document.cookie)") not in d["script-src"]
    assert not any("unsafe" in v for v in d["script-src"] if v != WASM)  # no 'unsafe-inline', no 'unsafe-eval'


def test_a_page_without_inline_scripts_allows_only_its_own_origin():
    d = directives(csp_for('<p>x</p><script src="https://evil.example/x.js"></script>'))
    assert d["script-src"] == ["'self'", WASM]
    assert d["default-src"] == ["'self'"] and d["object-src"] == ["'none'"] and d["base-uri"] == ["'self'"]
    assert d["connect-src"] == ["'self'"]  # the search index and chart JSON: from the site only


def test_a_changed_theme_script_gets_its_own_hash():
    a = directives(csp_for(f"<script>{PALETTE}</script>"))["script-src"]
    b = directives(csp_for(f"<script>{PALETTE}//x</script>"))["script-src"]
    assert a != b and len(a) == len(b) == 3
