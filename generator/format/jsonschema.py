"""The JSON Schema of the format, emitted from the same models and types the converter reads."""

from __future__ import annotations

import collections.abc
import dataclasses
import types
import typing
from decimal import Decimal
from typing import Any, Literal, Union, get_args, get_origin

from generator.format.types import Constrained


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
        items = get_args(tp)
        if len(items) == 2 and items[1] is Ellipsis:
            return {"type": "array", "items": json_schema(items[0], defs)}
        return {
            "type": "array",
            "prefixItems": [json_schema(a, defs) for a in items],
            "minItems": len(items),
            "maxItems": len(items),
        }
    if origin in (dict, collections.abc.Mapping):
        ktype, vtype = get_args(tp)
        out: dict[str, Any] = {"type": "object", "additionalProperties": json_schema(vtype, defs)}
        if isinstance(ktype, type) and issubclass(ktype, Constrained):
            out["propertyNames"] = {"pattern": "^" + ktype.pattern.pattern.removesuffix(r"\Z") + "$"}
        return out
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
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
