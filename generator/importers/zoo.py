"""All model-zoo readers over the `/work/shared/data` layout: what the merge step calls.

    data_dir/model-index/mmsegmentation-*/configs/    metafiles (modelindex), mapping open-mmlab+mmsegmentation
    data_dir/sssegmentation-results.json              zoojson, mapping SegmentationBLWX+sssegmentation
    data_dir/paddleseg-results.json                   zoojson, mapping PaddlePaddle+PaddleSeg
    data_dir/model-zoos/<owner>+<repo>/...            tables, mapping <owner>+<repo> (files: ...)

`mmseg-results.json` is not read: its results are the metafiles' (same weights; reading both would count
every result twice); its crop size / lr schd / inference time come from the 0.30.0 `.yml` files, which
are not in the data folder as files with a commit to cite.
"""

from __future__ import annotations

from pathlib import Path

from . import modelindex, tables, zoojson
from .records import Row, Skipped
from .zoocommon import Backbones, load_yaml

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
        add(zoojson.read_sssegmentation(data_dir / "sssegmentation-results.json",
                                        load_yaml(mappings / f"{SSSEG}.yaml"), backbones))
    if (data_dir / "paddleseg-results.json").exists():
        add(zoojson.read_paddleseg(data_dir / "paddleseg-results.json",
                                   load_yaml(mappings / f"{PADDLE}.yaml"), backbones))
    for mapping_file in sorted(mappings.glob("*.yaml")):
        mapping = load_yaml(mapping_file)
        if "files" in mapping:
            add(tables.read(data_dir / "model-zoos" / mapping_file.stem, mapping, backbones))
    return rows, skipped
