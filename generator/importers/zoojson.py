"""Readers of the extracted model-zoo tables: `sssegmentation-results.json`, `paddleseg-results.json`.

Each record is one table row of a README (`section` = the heading above the table, `row` = header ->
cell text) with the README's repository, path and commit; a mapping file
(`sources/model-zoos/<owner>+<repo>.yaml`) says which section is which dataset and split (or why it is
left out), what each column is and which evaluation protocol each metric column states. Every number
keeps its text; the source is the README at the commit the record names.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Callable, Mapping, Optional

from .records import PaperRef, Row, Skipped, SourceRef
from .zoocells import Cell, read_cells
from .zoocommon import Backbones, MappingError, github_blob

_ARXIV_TEXT = re.compile(r"(?:arXiv[:\s]*|arxiv\.org/abs/)(\d{4}\.\d{4,5})", re.IGNORECASE)


def load_records(path: Path) -> tuple[list[Mapping[str, Any]], Mapping[str, Any]]:
    """The rows of either file, and the file's extra data (PaddleSeg's `references`)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, list):
        return data, {}
    return list(data["results"]), data


def read_sssegmentation(
    path: Path, mapping: Mapping[str, Any], backbones: Optional[Backbones] = None
) -> tuple[list[Row], list[Skipped]]:
    records, _ = load_records(path)
    return _read(records, mapping, backbones or Backbones({}), lambda r: ssseg_paper(r, mapping), lambda r: r["method"])


def ssseg_paper(record: Mapping[str, Any], mapping: Mapping[str, Any]) -> PaperRef:
    """The paper of an SSSegmentation row: the one its folder's README cites (the mapping's `papers`),
    else only the folder name (matched by method name, or the row is skipped)."""
    entry = (mapping.get("papers") or {}).get(record["method"])
    if entry and "by_backbone" in entry:
        entry = entry["by_backbone"].get(record["row"].get("Backbone", ""))
    if not entry:
        return PaperRef(name=record["method"])
    return PaperRef(title=entry["title"], arxiv=entry.get("arxiv"))


def read_paddleseg(
    path: Path, mapping: Mapping[str, Any], backbones: Optional[Backbones] = None
) -> tuple[list[Row], list[Skipped]]:
    records, data = load_records(path)
    references = {ref["folder"]: ref for ref in data.get("references", [])}

    def paper(record: Mapping[str, Any]) -> PaperRef:
        """The paper the README's one reference names: its quoted title (else the README's title), the
        arXiv id and year the reference states. A README citing several papers names none of them."""
        texts = references.get(record["folder"], {}).get("reference_text", [])
        if len(texts) > 1:
            return PaperRef()
        text = texts[0] if texts else ""
        ids = {m.group(1) for m in _ARXIV_TEXT.finditer(text)}
        quoted = re.search(r'"([^"]{12,}?)\.?"', text)
        year = re.search(r"\b((?:19|20)\d\d)\.\s*$", text)
        return PaperRef(
            title=quoted.group(1) if quoted else record.get("readme_title"),
            arxiv=ids.pop() if len(ids) == 1 else None,
            year=int(year.group(1)) if year else None,
        )

    return _read(records, mapping, backbones or Backbones({}), paper, lambda r: r["folder"])


def _source(record: Mapping[str, Any], mapping: Mapping[str, Any], folder: str) -> SourceRef:
    src = mapping["source"]
    if record.get("source_repo") != src["repo"] or record.get("source_commit") != src["commit"]:
        raise MappingError(
            f"record of {record.get('source_path')!r} is from {record.get('source_repo')}@"
            f"{record.get('source_commit')}, the mapping is for {src['repo']}@{src['commit']}"
        )
    return SourceRef(
        key=f"{src['key_prefix']}-{folder}".replace("_", "-"),
        kind="model-zoo",
        name=f"{src['name']}: {record['source_path']}",
        url=github_blob(src["repo"], src["commit"], record["source_path"]),
        licence=src.get("licence"),
    )


def _section(mapping: Mapping[str, Any], folder: str, section: str, where: str) -> Mapping[str, Any]:
    sections = mapping["sections"]
    for key in (f"{folder}/{section}", section):
        if key in sections:
            return sections[key]
    raise MappingError(f"section {section!r} ({where}) is not in the mapping")


def _read(
    records: list[Mapping[str, Any]],
    mapping: Mapping[str, Any],
    backbones: Backbones,
    paper_of: Callable[[Mapping[str, Any]], PaperRef],
    folder_of: Callable[[Mapping[str, Any]], str],
) -> tuple[list[Row], list[Skipped]]:
    rows: list[Row] = []
    skipped: list[Skipped] = []
    counters: dict[tuple[str, str], int] = {}
    for record in records:
        folder = folder_of(record)
        source = _source(record, mapping, folder)
        number = counters[(folder, record["section"])] = counters.get((folder, record["section"]), 0) + 1
        label = record["row"].get("Model") or record["row"].get("Method") or record["row"].get("Segmentor") or ""
        backbone = record["row"].get("Backbone", "")
        locator = f"§ {record['section']}, row {number} ({' / '.join(x for x in (label, backbone) if x)})"
        where = f"{record['source_path']} {locator}"
        section = _section(mapping, folder, record["section"], where)
        if "skip" in section:
            skipped.append(Skipped(source.url, locator, f"section {record['section']!r}: {section['skip']}"))
            continue
        if folder in mapping.get("skip_folders", {}):
            skipped.append(Skipped(source.url, locator, f"folder {folder!r}: {mapping['skip_folders'][folder]}"))
            continue
        cells = {header: Cell(str(text)) for header, text in record["row"].items()}
        read = read_cells(cells, mapping["columns"], mapping["protocols"], where)
        split, training = section.get("split"), dict(section.get("training") or {})
        if "splits" in read.fields:
            protocol = _lookup_splits(mapping, read.fields["splits"], where)
            if "skip" in protocol:
                skipped.append(
                    Skipped(source.url, locator, f"train/eval set {read.fields['splits']!r}: {protocol['skip']}")
                )
                continue
            split = protocol["split"]
            training["splits"] = list(protocol["train"])
        if split is None:
            skipped.append(
                Skipped(
                    source.url,
                    locator,
                    f"section {record['section']!r} names no split and the row has no train/eval set",
                )
            )
            continue
        training.update(read.fields["training"])
        if not read.groups:
            skipped.append(Skipped(source.url, locator, "; ".join(read.left) or "no metric in the row"))
            continue
        for reason in read.left:
            skipped.append(Skipped(source.url, locator, reason))
        for group in read.groups:
            rows.append(
                Row(
                    paper=paper_of(record),
                    source=source,
                    locator=locator,
                    dataset=section["dataset"],
                    split=split,
                    metrics=dict(group.metrics),
                    model=read.fields.get("model") or None,
                    backbone=backbones.slug(read.fields.get("backbone_label")),
                    training=training,
                    evaluation=group.evaluation,
                    hardware=group.hardware,
                    artifacts=_artifacts(record, mapping, read.fields["artifacts"]),
                    notes="; ".join(read.notes) or None,
                )
            )
    return rows, skipped


def _lookup_splits(mapping: Mapping[str, Any], text: str, where: str) -> Mapping[str, Any]:
    splits = mapping.get("splits", {})
    if text not in splits:
        raise MappingError(f"train/eval set {text!r} ({where}) is not in the mapping")
    return splits[text]


def _artifacts(record: Mapping[str, Any], mapping: Mapping[str, Any], found: Mapping[str, Any]) -> dict[str, Any]:
    artifacts = dict(found)
    if record.get("config_url"):
        artifacts["config"] = record["config_url"]
    if artifacts:
        artifacts["framework"] = mapping["source"]["framework"]
    return artifacts
