"""Every label of the site in every language. A key missing in one language is an error.

The catalogues are generator/i18n/<lang>.yaml, flat `key: text` mappings with the same keys.
Text may hold {placeholders} filled by `t(lang, key, **values)`.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from generator.config import LANGS

HERE = Path(__file__).parent / "i18n"


class MissingTranslation(KeyError):
    pass


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    with open(HERE / f"{lang}.yaml", encoding="utf-8") as fh:
        data = yaml.safe_load(fh)  # our own file, not contributor input
    return {str(k): str(v) for k, v in data.items()}


def has(key: str) -> bool:
    return all(key in catalogue(lang) for lang in LANGS)


def t(lang: str, key: str, **values: object) -> str:
    try:
        text = catalogue(lang)[key]
    except KeyError:
        raise MissingTranslation(f"no '{key}' in generator/i18n/{lang}.yaml") from None
    return text.format(**values) if values else text


def gaps() -> list[str]:
    """Keys present in one language and absent (or empty) in another."""
    keys = set().union(*(catalogue(lang) for lang in LANGS))
    return sorted(f"{lang}: {key}" for key in keys for lang in LANGS if not str(catalogue(lang).get(key, "")).strip())
