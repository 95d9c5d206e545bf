"""Reading BibTeX as people write it: entries with the line they start on, broken ones reported.

bibtexparser 2 splits the file (and resolves @string macros); a scan of the raw text beside it finds
what its tolerant splitter can silently mend (an extra or a missing brace), so that every entry is
either read whole or reported with its line, and never half-read. LaTeX in values is decoded to
Unicode with pylatexenc.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Union

import bibtexparser
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from bibtexparser.model import Entry, ParsingFailedBlock
from pylatexenc import latex2text

# entry types of BibTeX and the common ones of biblatex
KNOWN_TYPES = (
    "article",
    "book",
    "booklet",
    "conference",
    "inbook",
    "incollection",
    "inproceedings",
    "manual",
    "mastersthesis",
    "misc",
    "phdthesis",
    "proceedings",
    "techreport",
    "unpublished",
    "online",
    "electronic",
    "report",
    "thesis",
    "software",
    "dataset",
)
_NOT_ENTRIES = ("comment", "string", "preamble")


@dataclass(frozen=True)
class Record:
    line: int  # 1-based line of the '@'
    type: str  # lower case
    key: str
    fields: dict[str, str] = field(default_factory=dict)  # lower-case name -> value as written (LaTeX)


@dataclass(frozen=True)
class BadEntry:
    line: int
    key: str | None
    message: str


Item = Union[Record, BadEntry]

_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(]", re.M)


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _raw_problems(text: str) -> dict[int, str]:
    """Line of an entry's '@' -> what is wrong with its braces, for entries whose braces do not balance.

    The rule is format/types.balanced's (bibtex's: every brace counts, escaped or not), applied to whole
    entries, which may also be delimited by parentheses; this scanner also says where an entry goes wrong."""
    starts = [m for m in _START.finditer(text) if m.group(1).lower() != "comment"]
    out: dict[int, str] = {}
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        segment = text[m.start() : end]
        line = _line_of(text, m.start())
        opener = segment[m.end() - m.start() - 1]
        closer = "}" if opener == "{" else ")"
        depth = 0
        closed_at = None
        body_start = m.end() - m.start() - 1
        for j in range(body_start, len(segment)):
            ch = segment[j]
            if ch == "{" or (ch == "(" and opener == "(" and depth == 0):
                depth += 1
            elif ch == "}" or (ch == ")" and opener == "(" and depth == 1):
                depth -= 1
                if depth == 0:
                    closed_at = j
                    break
        if closed_at is None:
            where = f"line {_line_of(text, end)}" if end < len(text) else "the end of the file"
            out[line] = f"unbalanced braces: {depth} '{{' still open at {where} (a '}}' is missing)"
            continue
        rest = "\n".join(ln for ln in segment[closed_at + 1 :].splitlines() if not ln.lstrip().startswith("%"))
        if re.search(r"[{}=]", rest):
            at = _line_of(text, m.start() + closed_at)
            out[line] = (
                f"unbalanced braces: the entry's '{closer}' comes at line {at}, "
                f"but the entry goes on after it (a '{{' is missing or a '}}' is extra)"
            )
    return out


def read(text: str) -> list[Item]:
    """Every entry of a BibTeX text, in file order: a Record, or a BadEntry saying what is wrong."""
    broken = _raw_problems(text)
    lib = bibtexparser.parse_string(text)
    items: list[Item] = []
    seen_lines: set[int] = set()
    for block in lib.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, Entry):
            etype = block.entry_type.lower()
            if etype in _NOT_ENTRIES:
                continue
            seen_lines.add(line)
            if line in broken:
                items.append(BadEntry(line, block.key, broken[line]))
            elif etype not in KNOWN_TYPES:
                items.append(
                    BadEntry(
                        line,
                        block.key,
                        f"unknown entry type '@{block.entry_type}' (BibTeX knows @{', @'.join(KNOWN_TYPES[:14])})",
                    )
                )
            else:
                fields = {f.key.lower(): f.value if isinstance(f.value, str) else str(f.value) for f in block.fields}
                items.append(Record(line, etype, block.key, fields))
        elif isinstance(block, ParsingFailedBlock):
            seen_lines.add(line)
            raw = getattr(block, "raw", "") or ""
            m = re.match(r"\s*@\s*([A-Za-z]+)\s*[{(]\s*([^,\s]*)", raw)
            if m and m.group(1).lower() in _NOT_ENTRIES:
                continue
            key = m.group(2) if m else None
            name = type(block).__name__
            if line in broken:
                message = broken[line]
            elif name == "DuplicateBlockKeyBlock":
                message = f"duplicate citation key '{key}'"
            elif name == "DuplicateFieldKeyBlock":
                message = f"a field is given twice: {block.error}".split(". Note:")[0]
            else:
                message = f"cannot read the entry: {str(block.error).strip() or 'syntax error'}"
            items.append(BadEntry(line, key, message))
    for line, message in broken.items():  # broken so badly the splitter did not see an entry there
        if line not in seen_lines:
            items.append(BadEntry(line, None, message))
    items.sort(key=lambda i: i.line)
    return items


# Decoding ------------------------------------------------------------------------------------


def _context():
    db = latex2text.get_default_latex_context_db()
    from pylatexenc.latex2text import MacroTextSpec

    db.add_context_category(
        "semseg-literals",
        prepend=True,
        macros=[
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
            MacroTextSpec("textasciicircum", "^"),
            MacroTextSpec("textasciitilde", "~"),
            MacroTextSpec("textbackslash", "\\"),
            MacroTextSpec("url", "%s"),
        ],
    )
    return db


_L2T = latex2text.LatexNodes2Text(latex_context=_context(), math_mode="text", strict_latex_spaces=True)


def decode(value: str) -> str:
    """LaTeX to Unicode text on one line: accents, escapes, protective braces and `~` resolved."""
    text = _L2T.latex_to_text(value)
    return " ".join(text.split())


def people(value: str) -> tuple[list[str], list[str]]:
    """An author field as 'Given Family' names, and notes on what was done to read it."""
    notes: list[str] = []
    out: list[str] = []
    for person in split_multiple_persons_names(" ".join(value.split())):
        chunks = [c.strip() for c in person.split(",") if c.strip()]
        if person.count(",") >= 2 and len(chunks) >= 3 and all(len(c.split()) >= 2 for c in chunks):
            notes.append("authors separated by commas instead of 'and': read as one name each")
            out.extend(decode(re.sub(r"^and\s+", "", c)) for c in chunks)
            continue
        if person.strip().lower() == "others":
            notes.append("the author list ends with 'and others': only the names given are kept")
            continue
        parts = parse_single_name_into_parts(person, strict=False)
        words = [*parts.first, *parts.von, *parts.last]
        name = decode(" ".join(words))
        if parts.jr:
            name += " " + decode(" ".join(parts.jr))
        if name:
            out.append(name)
    return out, notes


__all__ = ["Record", "BadEntry", "read", "decode", "people", "KNOWN_TYPES"]
