"""Read paper and registry files into positioned nodes.

A strict reader: UTF-8 only, one document, no tags, no anchors or aliases (so no
alias bombs), no duplicate keys, bounded size and depth. Every node keeps the
line and column it starts at, so any later phase can point at it. Nothing here
interprets a field: that is the validator's job.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import yaml

from generator.format.problems import Problem, Span

try:  # libyaml is bundled with PyYAML's wheels; the pure-Python parser is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1 << 20  # a paper file is a few KB; 1 MiB leaves room and refuses abuse
MAX_DEPTH = 24
MAX_NODES = 50_000


@dataclass(slots=True)
class Scalar:
    value: object  # str | int | float | bool | None, resolved with the YAML 1.2 core schema
    text: str  # the scalar as written (without quotes)
    plain: bool  # not quoted, not a block scalar
    span: Span


@dataclass(slots=True)
class Seq:
    items: list[Node]
    span: Span


@dataclass(slots=True)
class Map:
    # key text -> (key scalar, value node); insertion order is the file's order
    items: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)
    span: Span = Span("")


Node = Union[Scalar, Seq, Map]

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
# What a double-quoted escape ("\x7f", "\u0085") can put in a value although the file itself may not hold it:
# control characters (tab and line breaks aside) and non-characters. No output format wants them, and some
# break one (page front matter is YAML, which refuses them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def resolve_plain(text: str) -> object:
    """YAML 1.2 core schema: what editors and most tools use (no `yes`/`no` booleans)."""
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    low = text.lower()
    if low in (".inf", "+.inf"):
        return math.inf
    if low == "-.inf":
        return -math.inf
    if low == ".nan":
        return math.nan
    return text


class LoadError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def _span(name: str, mark) -> Span:
    return Span(name, mark.line + 1, mark.column + 1)


def _decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        col = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        raise LoadError(
            Problem(Span(name, line, col), f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})", code="encoding")
        ) from None


_SKIP = (yaml.StreamStartEvent, yaml.DocumentEndEvent)
_START: dict[type, bool] = {yaml.MappingStartEvent: True, yaml.SequenceStartEvent: False}  # True: a mapping
_END = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def parse_text(text: str, name: str) -> Node:
    """Compose one YAML document from text, strictly. Raises LoadError.

    This loop runs once per value of every paper file, so it is written for speed: libyaml's events
    are pulled directly and each kind is handled once."""
    loader = _Loader(text)
    stack: list[list] = []  # [container, pending key scalar (maps only)]
    root: Node | None = None
    documents = 0
    nodes = 0
    get_event = loader.get_event

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        top = stack[-1]
        parent = top[0]
        if type(parent) is Seq:
            parent.items.append(node)
            return
        pending = top[1]
        if pending is None:
            if type(node) is not Scalar:
                raise LoadError(Problem(node.span, "a mapping key must be plain text", code="yaml-key"))
            if node.value is None and node.plain:
                raise LoadError(Problem(node.span, "empty mapping key", code="yaml-key"))
            key = node.text
            if key in parent.items:
                first = parent.items[key][0].span
                raise LoadError(
                    Problem(
                        node.span, f"duplicate key '{key}' (first defined at line {first.line})", code="duplicate-key"
                    )
                )
            top[1] = node
        else:
            parent.items[pending.text] = (pending, node)
            top[1] = None

    try:
        while True:
            event: Any = get_event()  # dispatched on its exact class below (faster than isinstance)
            kind = type(event)
            if kind is yaml.StreamEndEvent:
                break
            if kind in _SKIP:
                continue
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise LoadError(
                        Problem(_span(name, event.start_mark), "only one YAML document per file", code="yaml-documents")
                    )
                continue
            if kind in _END:
                stack.pop()
                continue
            mark = event.start_mark
            span = Span(name, mark.line + 1, mark.column + 1)
            if kind is yaml.AliasEvent:
                raise LoadError(
                    Problem(span, "YAML aliases (*name) are not allowed; write the value out", code="yaml-alias")
                )
            if event.anchor:
                raise LoadError(Problem(span, f"YAML anchors (&{event.anchor}) are not allowed", code="yaml-anchor"))
            if event.tag is not None:  # untagged nodes have no tag; any explicit one is refused, never constructed
                raise LoadError(Problem(span, f"YAML tags ({event.tag}) are not allowed", code="yaml-tag"))
            nodes += 1
            if nodes > MAX_NODES:
                raise LoadError(Problem(span, f"more than {MAX_NODES} values in one file", code="yaml-size"))
            if kind is yaml.ScalarEvent:
                text_value = event.value
                bad = _CONTROL.search(text_value)
                if bad:
                    raise LoadError(
                        Problem(
                            span, f"control character U+{ord(bad.group()):04X} in text; remove it", code="yaml-char"
                        )
                    )
                plain = not event.style and event.implicit[0]
                attach(Scalar(resolve_plain(text_value) if plain else text_value, text_value, plain, span))
            else:
                if len(stack) >= MAX_DEPTH:
                    raise LoadError(Problem(span, f"nesting deeper than {MAX_DEPTH} levels", code="yaml-depth"))
                node: Node = Map({}, span) if _START[kind] else Seq([], span)
                attach(node)
                stack.append([node, None])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = _span(name, mark) if mark else Span(name)
        what = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            what = f"{exc.context}: {exc.problem}"
        if mark and _tab_at(text, mark.line, mark.column):
            raise LoadError(
                Problem(span, "YAML does not allow tabs for indentation; use spaces", code="yaml-syntax")
            ) from None
        raise LoadError(Problem(span, f"YAML syntax error: {what}", code="yaml-syntax")) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) carry a position too
        position = getattr(exc, "position", None)
        msg = f"YAML error: {getattr(exc, 'reason', None) or exc}"
        if position is not None:
            before = text[:position]
            span = Span(name, before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1)
        else:
            span = Span(name)
        raise LoadError(Problem(span, msg, code="yaml-syntax")) from None
    finally:
        loader.dispose()
    if root is None or (isinstance(root, Scalar) and root.value is None and root.plain):
        raise LoadError(Problem(Span(name), "file is empty", code="empty-file"))
    return root


def _tab_at(text: str, line: int, column: int) -> bool:
    """A tab where the parser stopped, or in the indentation of that line (0-based line and column)."""
    lines = text.split("\n")
    if line >= len(lines):
        return False
    row = lines[line]
    indent = row[: len(row) - len(row.lstrip(" \t"))]
    return row[column : column + 1] == "\t" or "\t" in indent


def load_file(path: Path, name: str) -> Node:
    """Read and parse one file; `name` is how problems refer to it."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise LoadError(Problem(Span(name), f"file is {size} bytes; the limit is {MAX_BYTES}", code="file-size"))
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(Problem(Span(name), f"cannot read file: {exc.strerror}", code="io")) from None
    return parse_text(_decode(data, name), name)
