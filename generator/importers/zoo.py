"""All model-zoo readers over the `/work/shared/data` layout: what the merge step calls.

    data_dir/model-index/mmsegmentation-*/configs/    metafiles (modelindex), mapping open-mmlab+mmsegmentation
    data_dir/sssegmentation-results.json              zoojson, mapping SegmentationBLWX+sssegmentation
    data_dir/paddleseg-results.json                   zoojson, mapping PaddlePaddle+PaddleSeg
    data_dir/model-zoos/<owner>+<repo>/...            tables, mapping <owner>+<repo> (files: ...)

Every repository of `data_dir/model-zoos/MANIFEST.json` is accounted for: a repository without a mapping
file is reported (one Skipped per file, saying so); a mapping for another commit than the manifest's, a
manifest file its mapping does not list, or a mapping of a repository the manifest does not have is a
MappingError.

`mmseg-results.json` is not read: its results are the metafiles' (same weights; reading both would count
every result twice); its crop size / lr schd / inference time come from the 0.30.0 `.yml` files, which
are not in the data folder as files with a commit to cite.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

from . import modelindex, tables, zoojson
from .records import Row, Skipped
from .zoocommon import Backbones, MappingError, github_blob, load_yaml

MMSEG = "open-mmlab+mmsegmentation"
SSSEG = "SegmentationBLWX+sssegmentation"
PADDLE = "PaddlePaddle+PaddleSeg"


def read_all(data_dir: Path, sources_dir: Path) -> tuple[list[Row], list[Skipped]]:
    """Rows and skipped records of every model-zoo source; `sources_dir` is the repository's `sources/`."""
    mappings = sources_dir / "model-zoos"
    backbones = Backbones.from_file(sources_dir / "backbones.yaml")
    rows: list[Row] = []
    skipped: list[Skipped] = []

    def add(result: tuple[list[Row], list[Skipped]]) -> None:
        rows.extend(result[0])
        skipped.extend(result[1])

    for configs in sorted(data_dir.glob("model-index/mmsegmentation-*/configs")):
        add(modelindex.read(configs, load_yaml(mappings / f"{MMSEG}.yaml"), backbones))
    if (data_dir / "sssegmentation-results.json").exists():
        add(
            zoojson.read_sssegmentation(
                data_dir / "sssegmentation-results.json", load_yaml(mappings / f"{SSSEG}.yaml"), backbones
            )
        )
    if (data_dir / "paddleseg-results.json").exists():
        add(
            zoojson.read_paddleseg(
                data_dir / "paddleseg-results.json", load_yaml(mappings / f"{PADDLE}.yaml"), backbones
            )
        )
    manifest = _manifest(data_dir / "model-zoos" / "MANIFEST.json")
    mapped: set[str] = set()
    for mapping_file in sorted(mappings.glob("*.yaml")):
        mapping = load_yaml(mapping_file)
        if "files" in mapping:
            _check(mapping, manifest, mapping_file.name)
            mapped.add(mapping["source"]["repo"])
            add(tables.read(data_dir / "model-zoos" / mapping_file.stem, mapping, backbones))
    for repo, entry in sorted(manifest.items()):
        if repo not in mapped:
            stem = repo.replace("/", "+")
            skipped.extend(
                Skipped(
                    github_blob(repo, entry["commit"], rel),
                    rel,
                    f"no mapping file sources/model-zoos/{stem}.yaml: the file is not read",
                )
                for rel in entry["files"]
            )
    return rows, skipped


def _manifest(path: Path) -> dict[str, Mapping[str, Any]]:
    if not path.exists():
        return {}
    return {entry["repo"]: entry for entry in json.loads(path.read_text(encoding="utf-8"))}


def _check(mapping: Mapping[str, Any], manifest: Mapping[str, Mapping[str, Any]], name: str) -> None:
    """A README-table mapping is for a manifest repository at its commit, and lists every file of it."""
    repo, commit = mapping["source"]["repo"], mapping["source"]["commit"]
    if not manifest:
        return
    if repo not in manifest:
        raise MappingError(f"{name}: repository {repo} is not in model-zoos/MANIFEST.json")
    entry = manifest[repo]
    if entry["commit"] != commit:
        raise MappingError(f"{name}: mapping is for {repo}@{commit}, MANIFEST.json has {entry['commit']}")
    missing = [rel for rel in entry["files"] if rel not in mapping["files"]]
    if missing:
        raise MappingError(
            f"{name}: MANIFEST.json file(s) {', '.join(missing)} not in the mapping "
            "(map the file, or give it `skip: <reason>`)"
        )
