"""Typed conversion of positioned YAML nodes into the format's frozen dataclasses, with located problems.

The dataclasses in model.py are the single description of the format: this module reads their type
hints and field metadata to convert; jsonschema.py reads the same to emit the schema editors use.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import difflib
import functools
import math
import re
import types
import typing
from decimal import Decimal
from typing import Any, Literal, Union, get_args, get_origin

from generator.format.load import Map, Node, Scalar, Seq
from generator.format.problems import Problem
from generator.format.types import Constrained, Url


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


# Path helpers --------------------------------------------------------------------------------


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def hint(word: str, choices: typing.Iterable[str]) -> str:
    """' (did you mean …?)', matching without case: first a slug that differs only in case (`CVPR` -> `cvpr`), before one a letter away."""
    lowered: dict[str, str] = {}
    for c in choices:
        lowered.setdefault(c.lower(), c)
    same = lowered.get(word.lower())
    if same is not None and same != word:
        return f" (did you mean '{same}'?)"
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean '{lowered[close[0]]}'?)" if close else ""


def describe(node: Node) -> str:
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    if node.value is None:
        return "nothing"
    if isinstance(node.value, bool):
        return f"{node.text!r} (a boolean)"
    if isinstance(node.value, (int, float)):
        return f"{node.text!r} (a number)"
    text = node.text if len(node.text) <= 40 else node.text[:37] + "..."
    return repr(text)


# Conversion ----------------------------------------------------------------------------------


class Converter:
    """Converts nodes to typed values, collecting problems instead of raising."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, node: Node, path: str, message: str, code: str) -> Any:
        self.problems.append(Problem(node.span, message, path, code))
        return INVALID

    def convert(self, node: Node, tp: Any, path: str) -> Any:
        origin = _origin(tp)
        if origin in (Union, types.UnionType):
            args = _members(tp)
            if isinstance(node, Scalar) and node.plain and node.value is None:
                return None
            if len(args) == 1:
                return self.convert(node, args[0], path)
            # str | tuple[str, ...]: one or many
            if isinstance(node, Seq):
                seq = [a for a in args if get_origin(a) is tuple]
                return self.convert(node, seq[0], path)
            single = [a for a in args if get_origin(a) is not tuple]
            if len(single) > 1:  # a mapping or a word: Hardware | Literal["unstated"]
                classes = [a for a in single if isinstance(a, type) and dataclasses.is_dataclass(a)]
                words = [a for a in single if get_origin(a) is Literal]
                if isinstance(node, Map) and classes:
                    return self.convert(node, classes[0], path)
                if isinstance(node, Scalar) and words:
                    if node.text in get_args(words[0]):
                        return node.text
                    return self.error(
                        node,
                        path,
                        f"expected a mapping ({', '.join(_shape(classes[0])[1]) if classes else ''}) "
                        f"or {' or '.join(get_args(words[0]))}; got {describe(node)}",
                        "bad-type",
                    )
            return self.convert(node, single[0], path)
        if origin is Literal:
            choices = get_args(tp)
            if not isinstance(node, Scalar) or node.text not in choices:
                got = node.text if isinstance(node, Scalar) else describe(node)
                return self.error(
                    node,
                    path,
                    f"expected one of {', '.join(map(str, choices))}; got {got!r}"
                    + (hint(got, choices) if isinstance(node, Scalar) else ""),
                    "bad-choice",
                )
            return node.text
        if origin is tuple:
            members = get_args(tp)
            if not isinstance(node, Seq):
                return self.error(node, path, f"expected a list, got {describe(node)}", "bad-type")
            if len(members) == 2 and members[1] is Ellipsis:
                values = [self.convert(item, members[0], join(path, i)) for i, item in enumerate(node.items)]
            else:
                if len(node.items) != len(members):
                    return self.error(
                        node, path, f"expected a list of {len(members)} values, got {len(node.items)}", "bad-type"
                    )
                values = [
                    self.convert(item, a, join(path, i))
                    for i, (item, a) in enumerate(zip(node.items, members, strict=True))
                ]
            return INVALID if any(v is INVALID for v in values) else tuple(values)
        if origin in (dict, collections.abc.Mapping):
            ktype, vtype = get_args(tp)
            if not isinstance(node, Map):
                return self.error(node, path, f"expected a mapping, got {describe(node)}", "bad-type")
            out: dict[str, Any] = {}
            bad = False
            for key, (knode, vnode) in node.items.items():
                k = self.convert(knode, ktype, join(path, key))
                v = self.convert(vnode, vtype, join(path, key))
                bad |= k is INVALID or v is INVALID
                out[key] = v
            return INVALID if bad else types.MappingProxyType(out)
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            return self.convert_dataclass(node, tp, path)
        if isinstance(tp, type) and issubclass(tp, Constrained):
            if not isinstance(node, Scalar) or node.value is None or isinstance(node.value, bool):
                return self.error(node, path, f"expected {tp.expected}, got {describe(node)}", "bad-type")
            if not tp.pattern.match(node.text):
                code = "bad-url" if tp is Url else "bad-format"
                return self.error(node, path, f"expected {tp.expected}, got {describe(node)}", code)
            return tp(node.text)
        if tp is str:
            if not isinstance(node, Scalar) or (node.plain and node.value is None):
                return self.error(node, path, f"expected text, got {describe(node)}", "bad-type")
            if node.plain and isinstance(node.value, bool):
                return self.error(
                    node, path, f"expected text, got {describe(node)}; quote it if you mean the word", "bad-type"
                )
            if not node.text.strip():
                return self.error(node, path, "text is empty", "bad-type")
            return node.text
        if tp is bool:
            if not isinstance(node, Scalar) or not isinstance(node.value, bool) or not node.plain:
                return self.error(node, path, f"expected true or false, got {describe(node)}", "bad-type")
            return node.value
        if tp is int:
            if not isinstance(node, Scalar) or not node.plain or type(node.value) is not int:
                return self.error(node, path, f"expected a whole number, got {describe(node)}", "bad-type")
            return node.value
        if tp is Decimal:
            if (
                not isinstance(node, Scalar)
                or not node.plain
                or isinstance(node.value, bool)
                or not isinstance(node.value, (int, float))
            ):
                extra = ""
                if isinstance(node, Scalar) and node.text.strip().endswith("%"):
                    extra = " (write the number without '%')"
                return self.error(node, path, f"expected a number, got {describe(node)}{extra}", "bad-type")
            if isinstance(node.value, float) and not math.isfinite(node.value):
                return self.error(node, path, f"expected a finite number, got {node.text!r}", "bad-type")
            return Decimal(node.text.lstrip("+"))
        raise TypeError(f"no converter for {tp!r}")  # a programming error, not a contributor's

    def convert_dataclass(self, node: Node, cls: type, path: str) -> Any:
        hook = getattr(cls, "__from_scalar__", None)
        if hook is not None and isinstance(node, Scalar):
            value = self.convert(node, str, path)
            return INVALID if value is INVALID else hook(value)
        if not isinstance(node, Map):
            return self.error(node, path, f"expected a mapping, got {describe(node)}", "bad-type")
        hints, fields = _shape(cls)
        kwargs: dict[str, Any] = {}
        bad = False
        for key, (knode, vnode) in node.items.items():
            if key not in fields:
                # reported, then left out, so that the rest of the file is still checked
                moved = getattr(cls, "__moved__", {}).get(key)
                if moved:
                    self.error(
                        knode, join(path, key), f"'{key}' is the old shape (format 1): write {moved}", "old-shape"
                    )
                else:
                    self.error(knode, join(path, key), f"unknown key '{key}'{hint(key, fields)}", "unknown-key")
                continue
            value = self.convert(vnode, hints[key], join(path, key))
            bad |= value is INVALID
            kwargs[key] = value
        for name, f in fields.items():
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            if required and name not in kwargs and name not in node.items:
                self.error(node, join(path, name), f"missing required key '{name}'", "missing-key")
                bad = True
        if bad:
            return INVALID
        check = getattr(cls, "__check__", None)
        obj = cls(**kwargs)
        if check is not None:
            for message in check(obj):
                return self.error(node, path, message, "bad-value")
        return obj


@functools.cache
def _origin(tp: Any) -> Any:
    return get_origin(tp)


@functools.cache
def _members(tp: Any) -> list:
    """The types of a Union other than None."""
    return [a for a in get_args(tp) if a is not type(None)]


@functools.cache
def _shape(cls: type) -> tuple[dict[str, Any], dict[str, dataclasses.Field]]:
    """A model's field types and fields, resolved once per class (get_type_hints is slow)."""
    return typing.get_type_hints(cls), {f.name: f for f in dataclasses.fields(cls) if f.init}


def locate(root: Node, path: str) -> Node:
    """The node at a key path like `results[0].source.url`; the deepest existing one otherwise."""
    node = root
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("[") and isinstance(node, Seq):
            i = int(part[1:-1])
            if i >= len(node.items):
                break
            node = node.items[i]
        elif isinstance(node, Map) and part in node.items:
            node = node.items[part][1]
        else:
            break
    return node


def locate_key(root: Node, path: str) -> Node:
    """Like locate, but for a mapping entry returns the key (where the reader looks for a key error)."""
    head, _, last = path.rpartition(".")
    parent = locate(root, head) if head else root
    if isinstance(parent, Map) and last in parent.items:
        return parent.items[last][0]
    return locate(root, path)
