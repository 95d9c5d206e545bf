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
from typing import Union

import yaml

from .problems import Problem, Span

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
    items: list["Node"]
    span: Span


@dataclass(slots=True)
class Map:
    # key text -> (key scalar, value node); insertion order is the file's order
    items: dict[str, tuple[Scalar, "Node"]] = field(default_factory=dict)
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


def parse_text(text: str, name: str) -> Node:
    """Compose one YAML document from text, strictly. Raises LoadError."""
    events = yaml.parse(text, Loader=_Loader)
    stack: list[tuple[Node, Scalar | None]] = []  # (container, pending key for maps)
    root: Node | None = None
    documents = 0
    nodes = 0

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent, pending = stack[-1]
        if isinstance(parent, Seq):
            parent.items.append(node)
            return
        assert isinstance(parent, Map)
        if pending is None:
            if not isinstance(node, Scalar):
                raise LoadError(Problem(node.span, "a mapping key must be plain text", code="yaml-key"))
            if node.value is None and node.plain:
                raise LoadError(Problem(node.span, "empty mapping key", code="yaml-key"))
            key = node.text
            if key in parent.items:
                first = parent.items[key][0].span
                raise LoadError(
                    Problem(node.span, f"duplicate key '{key}' (first defined at line {first.line})", code="duplicate-key")
                )
            stack[-1] = (parent, node)
        else:
            parent.items[pending.text] = (pending, node)
            stack[-1] = (parent, None)

    try:
        for event in events:
            kind = type(event)
            if kind in (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent):
                continue
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise LoadError(Problem(_span(name, event.start_mark), "only one YAML document per file", code="yaml-documents"))
                continue
            span = _span(name, event.start_mark)
            if kind is yaml.AliasEvent:
                raise LoadError(Problem(span, "YAML aliases (*name) are not allowed; write the value out", code="yaml-alias"))
            if getattr(event, "anchor", None):
                raise LoadError(Problem(span, f"YAML anchors (&{event.anchor}) are not allowed", code="yaml-anchor"))
            tag = getattr(event, "tag", None)
            if tag is not None:  # untagged nodes have no tag; any explicit one is refused, never constructed
                raise LoadError(Problem(span, f"YAML tags ({tag}) are not allowed", code="yaml-tag"))
            if kind is yaml.ScalarEvent:
                nodes += 1
                bad = _CONTROL.search(event.value)
                if bad:
                    raise LoadError(Problem(span, f"control character U+{ord(bad.group()):04X} in text; remove it",
                                            code="yaml-char"))
                plain = event.style in (None, "") and event.implicit[0]
                value = resolve_plain(event.value) if plain else event.value
                attach(Scalar(value, event.value, plain, span))
            elif kind in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
                nodes += 1
                if len(stack) >= MAX_DEPTH:
                    raise LoadError(Problem(span, f"nesting deeper than {MAX_DEPTH} levels", code="yaml-depth"))
                node: Node = Map({}, span) if kind is yaml.MappingStartEvent else Seq([], span)
                attach(node)
                stack.append((node, None))
            elif kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
                stack.pop()
            if nodes > MAX_NODES:
                raise LoadError(Problem(span, f"more than {MAX_NODES} values in one file", code="yaml-size"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = _span(name, mark) if mark else Span(name)
        what = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            what = f"{exc.context}: {exc.problem}"
        raise LoadError(Problem(span, f"YAML syntax error: {what}", code="yaml-syntax")) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) carry a position too
        line = getattr(exc, "position", None)
        msg = f"YAML error: {getattr(exc, 'reason', None) or exc}"
        if line is not None:
            before = text[: exc.position]
            span = Span(name, before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1)
        else:
            span = Span(name)
        raise LoadError(Problem(span, msg, code="yaml-syntax")) from None
    if root is None or (isinstance(root, Scalar) and root.value is None and root.plain):
        raise LoadError(Problem(Span(name), "file is empty", code="empty-file"))
    return root


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
