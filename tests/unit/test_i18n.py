"""Both languages, always: every label exists in en and zh, and every template key is in the catalogue."""

import re
from pathlib import Path

from generator import i18n

ROOT = Path(__file__).resolve().parents[2]


def test_catalogues_have_the_same_keys_and_no_empty_text():
    assert i18n.gaps() == []
    assert set(i18n.catalogue("en")) == set(i18n.catalogue("zh"))


# Texts written the same in both languages: codes, named one by one (a word such as "Leaderboards" left in
# English is a missing translation, whatever it looks like).
SAME_IN_BOTH = {"flag.tta_short"}


def test_chinese_catalogue_is_translated():
    en, zh = i18n.catalogue("en"), i18n.catalogue("zh")
    same = {k for k in en if en[k] == zh[k]}
    assert same - SAME_IN_BOTH == set(), sorted(same - SAME_IN_BOTH)
    # and what is allowed stays a code: capitals and digits, no word
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]*", en[k]) for k in same), sorted(same)


def test_every_key_used_by_code_and_templates_exists():
    sources = list((ROOT / "generator").rglob("*.py")) + list((ROOT / "generator").rglob("*.j2"))
    used = set()
    for path in sources:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""", text))
    missing = sorted(k for k in used if not i18n.has(k))
    assert used, "the scan found no keys: the pattern is broken"
    assert missing == []


def test_placeholders_match_between_languages():
    en, zh = i18n.catalogue("en"), i18n.catalogue("zh")
    for key in en:
        assert set(re.findall(r"{(\w+)}", en[key])) == set(re.findall(r"{(\w+)}", zh[key])), key
