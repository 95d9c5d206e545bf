"""Citation keys: one documented policy, a committed registry so that a published key never changes.

The policy (a writer can guess a key): `<family><year><word>`, all lower-case ASCII letters and digits,
- `family`: the first author's family name (the last word of "Given Family"), accents dropped
  (Oršić -> orsic); a paper without recorded authors has none (the key starts with `word`);
- `year`: the paper's `year` (the year of the version cited);
- `word`: the paper's short name, first word (`name`; the title when there is none, skipping a leading
  a / an / the / on / towards ...), with `+` spelled `plus`: DeepLabv3+ -> `chen2018deeplabv3plus`,
  DeepLabv3 -> `chen2017deeplabv3`, U-Net -> `ronneberger2015unet`, Mask R-CNN -> `he2017mask`.
- two papers with the same key each get a suffix a, b, c ... in the order of their ids.

The registry, `<papers>/citation-keys.tsv` (`<paper id>\\t<key>` per line), is what makes keys stable:
a paper listed there keeps its key whatever its authors or name become later, and a key listed there is
never given to another paper (not even after its paper is removed). `python -m generator keys` adds
the papers that are not listed yet (a test fails when the corpus has unlisted papers). A paper's
`bibtex: {key: ...}` override wins over both, and is recorded too.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Mapping, Optional

from generator.corpus.core import Corpus
from generator.format.model import PaperFile

REGISTRY = "citation-keys.tsv"
HEADER = (
    "# Citation keys once published: <paper id><TAB><key>. Never edit or remove a line (a key cited in\n"
    "# someone's paper must keep meaning the same paper); `python -m generator keys` adds new papers.\n"
)
_STOP = {"a", "an", "the", "on", "of", "in", "for", "to", "towards", "toward", "and", "is", "are"}
_KEY = re.compile(r"[a-z0-9]+")


def _ascii(text: str) -> str:
    text = text.replace("+", "plus")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii() and c.isalnum()).lower()


def family(author: str) -> str:
    words = author.strip().split()
    return _ascii(words[-1]) if words else ""


def word(pf: PaperFile) -> str:
    p = pf.paper
    if p.name:
        for w in p.name.split():
            if _ascii(w):
                return _ascii(w)
    for w in re.split(r"[\s:\-]+", p.title):
        if _ascii(w) and _ascii(w) not in _STOP:
            return _ascii(w)
    return _ascii(pf.id) or "paper"


def policy_key(pf: PaperFile) -> str:
    """The key the policy gives a paper (before collisions are told apart)."""
    p = pf.paper
    fam = family(p.authors[0]) if p.authors else ""
    w = word(pf)
    return f"{fam}{p.year}{w}" if fam else f"{w}{p.year}"


def registry_path(papers_root: Path) -> Path:
    return Path(papers_root) / REGISTRY


def read_registry(path: Optional[Path]) -> dict[str, str]:
    """paper id -> key, as committed; {} when there is no registry."""
    if path is None or not path.is_file():
        return {}
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pid, _, key = line.partition("\t")
        out[pid.strip()] = key.strip()
    return out


def assign(corpus: Corpus, registry: Mapping[str, str]) -> dict[str, str]:
    """Every paper's key: override, else registry, else the policy (suffixed when two papers collide)."""
    out: dict[str, str] = {}
    for pf in corpus.papers:
        if pf.paper.bibtex and pf.paper.bibtex.key:
            out[pf.id] = pf.paper.bibtex.key
        elif pf.id in registry:
            out[pf.id] = registry[pf.id]
    used = set(out.values()) | set(registry.values())
    wanted: dict[str, list[str]] = {}
    for pf in corpus.papers:
        if pf.id not in out:
            wanted.setdefault(policy_key(pf), []).append(pf.id)
    for key, ids in wanted.items():
        if len(ids) == 1 and key not in used:
            out[ids[0]] = key
            used.add(key)
            continue
        n = 0
        for pid in ids:
            while True:
                candidate = key + _suffix(n)
                n += 1
                if candidate not in used:
                    break
            out[pid] = candidate
            used.add(candidate)
    return out


def _suffix(n: int) -> str:
    letters = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(97 + r) + letters
    return letters


def corpus_keys(corpus: Corpus) -> dict[str, str]:
    """The keys of a corpus, with the registry of its papers folder (Corpus.root) when there is one."""
    return assign(corpus, read_registry(registry_path(corpus.root)) if corpus.root is not None else {})


def update_registry(corpus: Corpus, path: Path) -> list[tuple[str, str]]:
    """Add the papers the registry does not list; returns what was added. Existing lines are never touched."""
    registry = read_registry(path)
    keys = assign(corpus, registry)
    added = [(pid, keys[pid]) for pid in sorted(keys) if pid not in registry]
    if added:
        text = path.read_text(encoding="utf-8") if path.is_file() else HEADER
        if not text.endswith("\n"):
            text += "\n"
        text += "".join(f"{pid}\t{key}\n" for pid, key in added)
        path.write_text(text, encoding="utf-8")
    return added


def missing(corpus: Corpus) -> list[str]:
    registry = read_registry(registry_path(corpus.root)) if corpus.root is not None else {}
    return [pf.id for pf in corpus.papers if pf.id not in registry]
