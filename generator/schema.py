"""Typed conversion of positioned YAML nodes into frozen dataclasses, and the JSON Schema of them.

The dataclasses in model.py are the single description of the format: this module
reads their type hints and field metadata to convert (with located problems) and to
emit the JSON Schema editors use. Add a field there, and both follow.
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

from .load import Map, Node, Scalar, Seq
from .problems import Problem


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


# Constrained text types. Each is a `str` subclass marker carrying a pattern and how to say it.
class Constrained(str):
    pattern: typing.ClassVar[re.Pattern[str]]
    expected: typing.ClassVar[str]
    json_format: typing.ClassVar[str | None] = None


class Slug(Constrained):
    pattern = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
    expected = "a slug: lower-case letters, digits and '-'"


class MetricSlug(Constrained):
    pattern = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
    expected = "a metric slug: letters, digits and '_'"


class Url(Constrained):
    pattern = re.compile(r"https?://[^\s/$.?#][^\s]*\Z", re.IGNORECASE)
    expected = "an http(s) URL"
    json_format = "uri"


class Date(Constrained):
    pattern = re.compile(r"(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\Z")
    expected = "a date YYYY-MM-DD"
    json_format = "date"


class Size(Constrained):
    pattern = re.compile(r"[1-9][0-9]*x[1-9][0-9]*\Z")
    expected = "a size WIDTHxHEIGHT, e.g. 2048x1024"


class ArxivId(Constrained):
    pattern = re.compile(r"(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})(v\d+)?\Z")
    expected = "an arXiv id such as 1612.01105"


class BibKey(Constrained):
    pattern = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:.+-]*\Z")
    expected = "a citation key: letters, digits and _ : . + -"


class BibField(Constrained):
    pattern = re.compile(r"[a-z][a-z0-9_-]*\Z")
    expected = "a lower-case BibTeX field name"


class Doi(Constrained):
    pattern = re.compile(r"10\.\d{4,9}/\S+\Z")
    expected = "a DOI such as 10.1109/CVPR.2017.660 (without https://doi.org/)"


def field(*, doc: str = "", default: Any = dataclasses.MISSING, examples: tuple = ()) -> Any:
    meta = {"doc": doc, "examples": examples}
    if default is dataclasses.MISSING:
        return dataclasses.field(metadata=meta)
    if isinstance(default, (list, dict, set)):
        raise TypeError("use a tuple or None for defaults")
    return dataclasses.field(default=default, metadata=meta)


# Path helpers --------------------------------------------------------------------------------

def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def hint(word: str, choices: typing.Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    return f" (did you mean '{close[0]}'?)" if close else ""


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
            return self.convert(node, [a for a in args if get_origin(a) is not tuple][0], path)
        if origin is Literal:
            choices = get_args(tp)
            if not isinstance(node, Scalar) or node.text not in choices:
                got = node.text if isinstance(node, Scalar) else describe(node)
                return self.error(
                    node, path,
                    f"expected one of {', '.join(map(str, choices))}; got {got!r}" + (hint(got, choices) if isinstance(node, Scalar) else ""),
                    "bad-choice",
                )
            return node.text
        if origin is tuple:
            args = get_args(tp)
            if not isinstance(node, Seq):
                return self.error(node, path, f"expected a list, got {describe(node)}", "bad-type")
            if len(args) == 2 and args[1] is Ellipsis:
                out = [self.convert(item, args[0], join(path, i)) for i, item in enumerate(node.items)]
            else:
                if len(node.items) != len(args):
                    return self.error(node, path, f"expected a list of {len(args)} values, got {len(node.items)}", "bad-type")
                out = [self.convert(item, a, join(path, i)) for i, (item, a) in enumerate(zip(node.items, args))]
            return INVALID if any(v is INVALID for v in out) else tuple(out)
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
        if dataclasses.is_dataclass(tp):
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
                return self.error(node, path, f"expected text, got {describe(node)}; quote it if you mean the word", "bad-type")
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
                not isinstance(node, Scalar) or not node.plain
                or isinstance(node.value, bool) or not isinstance(node.value, (int, float))
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
    """The node at a key path like `results[0].metrics.mIoU`; the deepest existing one otherwise."""
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


# JSON Schema ---------------------------------------------------------------------------------

def json_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return json_schema(args[0], defs)
        return {"anyOf": [json_schema(a, defs) for a in args]}
    if origin is Literal:
        return {"enum": list(get_args(tp))}
    if origin is tuple:
        args = get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": json_schema(args[0], defs)}
        return {"type": "array", "prefixItems": [json_schema(a, defs) for a in args],
                "minItems": len(args), "maxItems": len(args)}
    if origin in (dict, collections.abc.Mapping):
        ktype, vtype = get_args(tp)
        out: dict[str, Any] = {"type": "object", "additionalProperties": json_schema(vtype, defs)}
        if isinstance(ktype, type) and issubclass(ktype, Constrained):
            out["propertyNames"] = {"pattern": "^" + ktype.pattern.pattern.removesuffix(r"\Z") + "$"}
        return out
    if dataclasses.is_dataclass(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # placeholder against recursion
            hints = typing.get_type_hints(tp)
            props: dict[str, Any] = {}
            required = []
            for f in dataclasses.fields(tp):
                if not f.init:
                    continue
                schema = dict(json_schema(hints[f.name], defs))
                if f.metadata.get("doc"):
                    schema["description"] = f.metadata["doc"]
                if f.metadata.get("examples"):
                    schema["examples"] = list(f.metadata["examples"])
                props[f.name] = schema
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                    required.append(f.name)
            body: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
            if required:
                body["required"] = required
            if tp.__doc__:
                body["description"] = " ".join(tp.__doc__.split())
            if getattr(tp, "__from_scalar__", None):
                body = {"anyOf": [{"type": "string"}, body]}
            defs[name] = body
        return {"$ref": f"#/$defs/{name}"}
    if isinstance(tp, type) and issubclass(tp, Constrained):
        out = {"type": "string", "pattern": "^" + tp.pattern.pattern.removesuffix(r"\Z") + "$"}
        if tp.json_format:
            out["format"] = tp.json_format
        return out
    if tp is str:
        return {"type": "string", "minLength": 1}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is Decimal:
        return {"type": "number"}
    raise TypeError(f"no schema for {tp!r}")
