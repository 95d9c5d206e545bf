"""One table row (header -> cell text) read with a column mapping: the shared core of zoojson and tables.

A column mapping says, for every header of a table, what the column is:

    Name: {role: model, config: true}               # the cell's link is the config file
    Backbone: {role: backbone}                      # also: model, crop, schedule, batch, pretrain, note, ignore,
                                                    #       config, weights, log, splits, method
    "Lr Schd": {role: schedule, suffix: " iterations"}   # suffix only where the source says the unit
    mIoU: {metric: mIoU, protocol: ss}              # protocol: a name in the mapping's `protocols`
    mIoU: {metric: mIoU, protocol: ss, alone: unstated}  # `alone`: the protocol when no other accuracy column
    "mIoU/mIoU (ms+flip)": {parts: [{metric: mIoU, protocol: ss}, {metric: mIoU, protocol: msflip}]}
    "#params": {metric: params_m, unit: M}          # a unit the cell writes after the number ("60M")
    FPS: {metric: fps, hardware: {device: V100}}    # hardware as the source states it; else "unstated"
    "model id": {skip: "an internal id"}            # a metric-like column left out, with its reason
    "Val (% mIOU)": {metric: mIoU, protocol: unstated, split: val}   # a column of its own split (own row)
    "Test Set": {role: select, values: {Val: {split: val}, Test: {split: test}}}
                                                    # the cell's text picks fields of the row: dataset, split,
                                                    # evaluation, training; a text not listed is an error
    Backbone: {role: backbone, markers: {"†": {pretrain: ImageNet-22k}}}   # a footnote mark the README
                                                    # explains, taken off the label into training fields

A header the mapping does not name raises MappingError naming it. Metrics with the same protocol make one
row; cost metrics (no protocol) go with the first row; speeds measured on other hardware make their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping, Optional

from .zoocommon import MappingError, number_text

SPEED = {"fps", "latency_ms"}


@dataclass(frozen=True)
class Cell:
    text: str
    links: tuple[tuple[str, str], ...] = ()  # (link text, href) in the cell


@dataclass(frozen=True)
class Group:
    evaluation: Mapping[str, Any]
    metrics: Mapping[str, Decimal]
    hardware: Any = None
    split: Optional[str] = None  # a column's own split (e.g. "Val (% mIOU)" / "Test (% mIOU)")


@dataclass(frozen=True)
class ReadRow:
    groups: tuple[Group, ...]
    fields: Mapping[str, Any]  # model, backbone_label, method, training, artifacts, notes
    left: tuple[str, ...] = ()  # reasons for what was left out of this row
    notes: tuple[str, ...] = field(default_factory=tuple)


def column_spec(columns: Mapping[str, Any], header: str, where: str) -> Mapping[str, Any]:
    if header not in columns:
        raise MappingError(f"column {header!r} of {where} is not in the mapping")
    spec = columns[header]
    if isinstance(spec, str):
        return {"role": spec}
    return spec


def read_cells(
    cells: Mapping[str, Cell],
    columns: Mapping[str, Any],
    protocols: Mapping[str, Any],
    where: str,
    resolve_link: Any = None,
) -> ReadRow:
    """Read one row: metric groups, fields and what was left out (every header must be mapped)."""
    resolve = resolve_link or (lambda href: href)
    accuracy: dict[str, dict[str, Any]] = {}
    speeds: list[tuple[str, Decimal, Any]] = []
    costs: dict[str, Decimal] = {}
    training: dict[str, Any] = {}
    artifacts: dict[str, Any] = {}
    fields: dict[str, Any] = {}
    notes: list[str] = []
    left: list[str] = []
    accuracy_columns = [h for h in cells if _is_accuracy(column_spec(columns, h, where))]
    for header, cell in cells.items():
        spec = column_spec(columns, header, where)
        if "skip" in spec:
            if cell.text.strip() not in {"", "-"}:
                left.append(f"column {header!r}: {spec['skip']}")
            continue
        if "parts" in spec or "metric" in spec:
            parts = spec.get("parts") or [spec]
            texts = cell.text.split("/") if "parts" in spec else [cell.text]
            if len(texts) != len(parts):
                left.append(f"column {header!r}: {cell.text!r} does not have {len(parts)} values")
                continue
            for part, text in zip(parts, texts, strict=True):
                unit = part.get("unit")
                number = number_text(text, (unit,) if unit else ())
                if number is None:
                    if text.strip() not in {"", "-", "—", "N/A"}:
                        left.append(f"column {header!r}: {text.strip()!r} is not a number")
                    elif text.strip() == "" and "parts" not in spec:
                        left.append(f"column {header!r}: no value in the source")
                    continue
                value = Decimal(number)
                metric = part["metric"]
                if metric in SPEED:
                    speeds.append((metric, value, dict(part["hardware"]) if part.get("hardware") else "unstated"))
                elif part.get("protocol") is None:
                    costs[metric] = value
                else:
                    name = part["protocol"]
                    if "alone" in part and accuracy_columns == [header]:
                        name = part["alone"]  # e.g. plain "mIoU" means single-scale only beside "(ms+flip)"
                    if name not in protocols:
                        raise MappingError(f"protocol {name!r} (column {header!r} of {where}) is not defined")
                    group = accuracy.setdefault(
                        f"{name}\0{part.get('split') or ''}",
                        {"evaluation": dict(protocols[name] or {}), "metrics": {}, "split": part.get("split")},
                    )
                    group["metrics"][metric] = value
            continue
        role = spec.get("role")
        text = cell.text.strip()
        if role == "select":
            values = spec.get("values") or {}
            if text not in values:
                raise MappingError(f"column {header!r} of {where}: value {text!r} is not in the mapping")
            chosen = values[text] or {}
            if "skip" in chosen:
                left.append(f"column {header!r} = {text!r}: {chosen['skip']}")
                fields["skip"] = True
                continue
            selected = fields.setdefault("select", {})
            for key, value in chosen.items():
                if key in {"evaluation", "training"}:
                    selected.setdefault(key, {}).update(value)
                else:
                    selected[key] = value
            continue
        if role == "ignore" or not text or text in {"-", "—"} and role not in {"weights", "config", "log"}:
            continue
        if role in {"model", "method", "backbone_label"}:
            fields[role] = text
            if spec.get("config") and cell.links:  # e.g. a "Name" cell linking its config file
                artifacts["config"] = resolve(cell.links[0][1])
        elif role == "backbone":
            for mark, stated in (spec.get("markers") or {}).items():
                if mark in text:
                    text = text.replace(mark, "").strip()
                    training.update(stated)
            fields["backbone_label"] = text
        elif role == "crop":
            training["crop"] = text
        elif role == "schedule":
            training["schedule"] = text + spec.get("suffix", "")
        elif role == "batch":
            if not text.isdigit():
                raise MappingError(f"column {header!r} of {where}: batch {text!r} is not a whole number")
            training["batch"] = int(text)
        elif role == "pretrain":
            training["pretrain"] = cell.links[0][0].strip() if cell.links else text
        elif role == "splits":
            fields["splits"] = text
        elif role in {"config", "weights", "log"}:
            href = _link(cell, spec.get("link"))
            if href:
                artifacts[role] = resolve(href)
        elif role == "note":
            notes.append(f"{header}: {text}")
        else:
            raise MappingError(f"column {header!r} of {where}: unknown role {role!r}")
    groups = [Group(g["evaluation"], dict(g["metrics"]), split=g["split"]) for g in accuracy.values()]
    groups = _attach(groups, costs, speeds)
    fields.update({"training": training, "artifacts": artifacts})
    return ReadRow(tuple(groups), fields, tuple(left), tuple(notes))


def _is_accuracy(spec: Mapping[str, Any]) -> bool:
    parts = spec.get("parts") or ([spec] if "metric" in spec else [])
    return any(part.get("protocol") is not None for part in parts)


def _link(cell: Cell, text: Optional[str]) -> Optional[str]:
    for label, href in cell.links:
        if text is None or label.strip().lower() == text.lower():
            return href
    return None


def _attach(groups: list[Group], costs: Mapping[str, Decimal], speeds: list[tuple[str, Decimal, Any]]) -> list[Group]:
    """Costs go with the first row; one speed setting too; more speed settings make rows of their own."""
    if not groups and not costs and not speeds:
        return []
    first = groups[0] if groups else Group({}, {})
    rest = groups[1:]
    metrics = dict(first.metrics)
    metrics.update(costs)
    hardware = first.hardware
    extra: list[Group] = []
    for index, (metric, value, hw) in enumerate(speeds):
        if index == 0:
            metrics[metric] = value
            hardware = hw
        elif hw == hardware and metric not in metrics:
            metrics[metric] = value
        else:
            extra.append(Group(first.evaluation, {metric: value}, hw, first.split))
    return [Group(first.evaluation, metrics, hardware, first.split)] + rest + extra
