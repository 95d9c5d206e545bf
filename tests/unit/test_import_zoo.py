"""Model-zoo readers: metafiles (modelindex), zoo JSON (SSSegmentation, PaddleSeg), README tables, read_all."""

from __future__ import annotations

import copy
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from generator.importers import modelindex, tables, zoo, zoojson
from generator.importers.zoocommon import MappingError, load_yaml, load_yaml_exact, to_decimal

REPO = Path(__file__).resolve().parents[2]
FIX = REPO / "tests" / "fixtures" / "import-zoo"
SOURCES = REPO / "sources"
# the folder `shared/data` beside the repository clone; SURVEY_SHARED_DATA overrides it (e.g. in a worktree)
REAL = Path(os.environ.get("SURVEY_SHARED_DATA") or REPO.parent / "shared" / "data")
MMSEG_URL = (
    "https://github.com/open-mmlab/mmsegmentation/blob/c685fe6767c4cadf6b051983ca6208f1b9d1ccb8/"
    "configs/pspnet/metafile.yaml"
)


# ---------------------------------------------------------------- modelindex


def _mmseg() -> tuple[list, list]:
    return modelindex.read(FIX / "model-index" / "configs", load_yaml(FIX / "mmseg-mapping.yaml"))


def test_metafile_fields_and_exact_numbers() -> None:
    rows, skipped = _mmseg()
    single = next(r for r in rows if r.evaluation == {"mode": "single-scale"})
    assert single.metrics == {"mIoU": Decimal("44.94")}
    assert str(single.metrics["mIoU"]) == "44.94"
    assert single.dataset == "cityscapes" and single.split == "val"
    assert single.locator == "pspnet_r50-d8_4xb2-40k_cityscapes-512x1024"
    assert single.model == single.locator
    assert single.backbone == "r-50-d8"
    assert single.training == {"batch": 8}  # no crop / schedule: the 1.x metafile does not state them
    assert single.hardware is None  # no speed stated
    assert single.paper.title == "Pyramid Scene Parsing Network"
    assert single.paper.arxiv == "1612.01105"
    assert single.source.url == MMSEG_URL
    assert single.source.kind == "model-zoo" and single.source.licence == "Apache-2.0"
    assert single.artifacts == {
        "config": "https://github.com/open-mmlab/mmsegmentation/blob/c685fe6767c4cadf6b051983ca6208f1b9d1ccb8/"
        "configs/pspnet/pspnet_r50-d8_4xb2-40k_cityscapes-512x1024.py",
        "weights": "https://download.openmmlab.com/mmsegmentation/v0.5/pspnet/x.pth",
        "log": "https://download.openmmlab.com/mmsegmentation/v0.5/pspnet/x.log.json",
        "framework": "mmsegmentation",
        "version": "1.2.2",
    }
    assert "4x V100 GPUS" in single.notes
    assert [s.reason for s in skipped] == ["dataset 'LoveDA': remote sensing"]


def test_metafile_ms_flip_is_its_own_row_and_keeps_its_text() -> None:
    rows, _ = _mmseg()
    multi = [r for r in rows if r.evaluation.get("mode") == "multi-scale"]
    assert len(multi) == 1 and len(rows) == 2
    assert multi[0].evaluation == {"mode": "multi-scale", "flip": True}  # no scales: not stated
    assert str(multi[0].metrics["mIoU"]) == "45.0"  # not 45


def test_metafile_unmapped_dataset_names_it() -> None:
    mapping = copy.deepcopy(load_yaml(FIX / "mmseg-mapping.yaml"))
    del mapping["datasets"]["LoveDA"]
    with pytest.raises(MappingError, match="'LoveDA'"):
        modelindex.read(FIX / "model-index" / "configs", mapping)


def test_metafile_unmapped_metric_names_it() -> None:
    mapping = copy.deepcopy(load_yaml(FIX / "mmseg-mapping.yaml"))
    del mapping["metrics"]["mIoU(ms+flip)"]
    with pytest.raises(MappingError, match=r"mIoU\(ms\+flip\)"):
        modelindex.read(FIX / "model-index" / "configs", mapping)


def test_v0_metafile_speed_kept_as_stated() -> None:
    rows, _ = modelindex.read(FIX / "model-index-v0" / "configs", load_yaml(FIX / "mmseg-mapping.yaml"))
    single = next(r for r in rows if r.evaluation == {"mode": "single-scale"})
    assert single.metrics == {"mIoU": Decimal("77.4"), "latency_ms": Decimal("269.54")}
    assert "fps" not in single.metrics  # never 1000 / ms
    assert single.hardware == {
        "device": "V100",
        "framework": "PyTorch",
        "batch": 1,
        "precision": "FP32",
        "resolution": "(512,1024)",
    }
    assert single.training == {"crop": "(512,1024)", "schedule": "40000"}
    assert single.backbone == "r-50-d8"
    multi = next(r for r in rows if r.evaluation.get("mode") == "multi-scale")
    assert multi.metrics == {"mIoU": Decimal("78.57")} and multi.hardware is None


def test_exact_loader_and_cells() -> None:
    data = load_yaml_exact(FIX / "model-index" / "configs" / "pspnet" / "metafile.yaml")
    assert data["Models"][0]["Results"]["Metrics"]["mIoU(ms+flip)"] == Decimal("45.0")
    assert str(to_decimal("**36.39**")) == "36.39"
    assert str(to_decimal("77.90%")) == "77.90"
    assert to_decimal("-") is None and to_decimal("79.5 (80.1)") is None
    assert str(to_decimal("60M", ("M",))) == "60"


# ---------------------------------------------------------------- zoojson


def test_sssegmentation_rows() -> None:
    rows, skipped = zoojson.read_sssegmentation(
        FIX / "sssegmentation-results.json", load_yaml(FIX / "sss-mapping.yaml")
    )
    voc = rows[0]
    assert voc.dataset == "pascal-voc-2012" and voc.split == "val"
    assert voc.metrics == {"mIoU": Decimal("76.68")} and voc.evaluation == {}  # plain "mIoU": protocol unstated
    assert voc.training == {
        "splits": ["trainaug"],
        "pretrain": "ImageNet-1k-224x224",
        "crop": "512x512",
        "schedule": "LR/POLICY/BS/EPOCH: 0.01/poly/16/60",
    }
    assert voc.source.url == (
        "https://github.com/SegmentationBLWX/sssegmentation/blob/"
        "eb1878c112402e86a92ee6958778272065bf59b9/docs/modelzoo/annnet/README.md"
    )
    assert voc.locator == "§ PASCAL VOC, row 1 (R-50-D8)"
    assert voc.paper.name == "annnet"
    ade = [r for r in rows if r.dataset == "ade20k"]
    assert [(dict(r.evaluation), str(r.metrics["mIoU"])) for r in ade] == [
        ({"mode": "single-scale"}, "38.06"),
        ({"mode": "multi-scale", "flip": True}, "40.39"),
    ]
    assert ade[0].model == "UperNet" and ade[0].backbone == "mit-b0"
    assert [s.reason for s in skipped] == ["section 'LIP': human parsing"]


def test_sssegmentation_unmapped_column_names_it(tmp_path: Path) -> None:
    data = json.loads((FIX / "sssegmentation-results.json").read_text())
    data[0]["row"]["mIoU (EMA)"] = "70.00%"
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data))
    with pytest.raises(MappingError, match=r"'mIoU \(EMA\)'"):
        zoojson.read_sssegmentation(path, load_yaml(FIX / "sss-mapping.yaml"))


def test_paddleseg_rows() -> None:
    rows, skipped = zoojson.read_paddleseg(FIX / "paddleseg-results.json", load_yaml(FIX / "paddle-mapping.yaml"))
    assert [(dict(r.evaluation), str(r.metrics["mIoU"])) for r in rows] == [
        ({"mode": "single-scale"}, "73.19"),
        ({"mode": "single-scale", "flip": True}, "74.19"),
    ]  # ms+flip "-"
    assert rows[0].training == {"schedule": "160000 iterations"}
    assert rows[0].notes == "Resolution: 1024x1024"  # the header does not say it is the crop
    assert rows[0].paper.arxiv == "2004.02147"
    assert rows[0].backbone is None
    assert rows[0].split == "unspecified"  # no README text states the split: not guessed
    assert [s.reason for s in skipped] == ["section 'Inference Speed': speeds without accuracy"]


def test_paddleseg_unmapped_section_names_it() -> None:
    mapping = copy.deepcopy(load_yaml(FIX / "paddle-mapping.yaml"))
    del mapping["sections"]["Inference Speed"]
    with pytest.raises(MappingError, match="'Inference Speed'"):
        zoojson.read_paddleseg(FIX / "paddleseg-results.json", mapping)


# ---------------------------------------------------------------- tables


def _zoo(mapping: dict | None = None) -> tuple[list, list]:
    return tables.read(FIX / "zoo" / "acme+segzoo", mapping or load_yaml(FIX / "zoo" / "acme+segzoo.yaml"))


def test_tables_pipe_and_html() -> None:
    rows, skipped = _zoo()
    ade = [r for r in rows if r.dataset == "ade20k"]
    assert [dict(r.evaluation) for r in ade] == [{"mode": "single-scale"}, {"mode": "multi-scale", "flip": True}]
    assert ade[0].metrics == {"mIoU": Decimal("44.94"), "fps": Decimal("18.5")}
    assert ade[0].hardware == {"device": "V100"}
    assert str(ade[1].metrics["mIoU"]) == "45.0" and ade[1].hardware is None
    assert ade[0].training == {"crop": "512x512", "schedule": "160K"}
    assert ade[0].artifacts == {
        "config": "https://github.com/acme/segzoo/blob/0123456789abcdef0123456789abcdef01234567/configs/a.py",
        "weights": "https://example.org/a.pth",
        "framework": "mmsegmentation",
    }
    assert ade[0].locator == "§ SegZoo / Results / ADE20K, row 1 (UPerNet)"
    assert ade[0].source.licence == "CC-BY-NC-4.0"
    assert ade[0].paper.arxiv == "2101.00001"
    city = next(r for r in rows if r.dataset == "cityscapes")
    assert str(city.metrics["mIoU"]) == "79.40" and city.model == "SegZoo" and city.backbone == "r50"
    assert city.artifacts["weights"] == "https://example.org/c.pkl"
    assert city.artifacts["config"].endswith("/configs/c.yaml")
    assert [(s.locator, s.reason) for s in skipped] == [("§ SegZoo / Results / Panoptic", "panoptic segmentation")]


def test_tables_unmapped_table_names_it() -> None:
    mapping = copy.deepcopy(load_yaml(FIX / "zoo" / "acme+segzoo.yaml"))
    mapping["files"]["README.md"]["tables"].pop(1)
    with pytest.raises(MappingError, match="'SegZoo / Results / Panoptic'"):
        _zoo(mapping)


def test_tables_unmapped_column_names_it() -> None:
    mapping = copy.deepcopy(load_yaml(FIX / "zoo" / "acme+segzoo.yaml"))
    del mapping["columns"]["FPS"]
    with pytest.raises(MappingError, match="column 'FPS'"):
        _zoo(mapping)


def test_tables_stale_entry_is_an_error() -> None:
    mapping = copy.deepcopy(load_yaml(FIX / "zoo" / "acme+segzoo.yaml"))
    mapping["files"]["README.md"]["tables"].append({"table": "Pascal", "skip": "x"})
    with pytest.raises(MappingError, match="'Pascal'.*matches no table"):
        _zoo(mapping)


# ---------------------------------------------------------------- the real files


def _real_or_skip() -> Path:
    if not REAL.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"real data folder {REAL} is missing (CI is set)")
        pytest.skip(f"real data folder {REAL} is absent")
    return REAL


def _covered(rows: list, skipped: list, url: str, locator: str, dataset_split, values: list[Decimal]) -> bool:
    """Every value is in a row of this source/locator on the right dataset/split, or the record is skipped."""
    mine = [r for r in rows if r.source.url == url and r.locator == locator]
    if not mine:
        return any(s.source == url and s.locator == locator and s.reason for s in skipped)
    if dataset_split is None or any((r.dataset, r.split) != dataset_split for r in mine):
        return False
    present = {v for r in mine for v in r.metrics.values()}
    return all(v in present for v in values)


def _at(locator: str, prefix: str) -> bool:
    return locator == prefix or locator.startswith(prefix + " (")


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_real_files_every_record_is_a_row_or_skipped() -> None:
    data = _real_or_skip()
    rows, skipped = zoo.read_all(data, SOURCES)
    assert rows and all(s.reason for s in skipped)
    missing: list[str] = []
    # metafiles: every metric value of every model result
    mapping = load_yaml(SOURCES / "model-zoos" / "open-mmlab+mmsegmentation.yaml")
    for configs in data.glob("model-index/mmsegmentation-*/configs"):
        for metafile in modelindex.metafiles(configs):
            url = modelindex.source_of(metafile, mapping).url
            for model in load_yaml_exact(metafile).get("Models", []):
                results = model["Results"] if isinstance(model["Results"], list) else [model["Results"]]
                for result in results:
                    ds = mapping["datasets"][result["Dataset"]]
                    target = None if "skip" in ds else (ds["dataset"], ds["split"])
                    values = [v for k, v in result["Metrics"].items() if "skip" not in mapping["metrics"][k]]
                    if not _covered(rows, skipped, url, model["Name"], target, values):
                        missing.append(f"{url} {model['Name']}")
    # zoo JSON: every record, by its locator
    for name, mapping_name in (("sssegmentation-results.json", zoo.SSSEG), ("paddleseg-results.json", zoo.PADDLE)):
        records, _ = zoojson.load_records(data / name)
        m = load_yaml(SOURCES / "model-zoos" / f"{mapping_name}.yaml")
        urls = {r.source.url for r in rows} | {s.source for s in skipped}
        seen: dict = {}
        for record in records:
            key = (record["source_path"], record["section"])
            seen[key] = seen.get(key, 0) + 1
            url = f"https://github.com/{m['source']['repo']}/blob/{m['source']['commit']}/{record['source_path']}"
            prefix = f"§ {record['section']}, row {seen[key]}"
            hit_rows = [r for r in rows if r.source.url == url and _at(r.locator, prefix)]
            hit_skip = [s for s in skipped if s.source == url and _at(s.locator, prefix)]
            values = []
            for header, text in record["row"].items():
                spec = m["columns"][header]
                if isinstance(spec, dict) and ("metric" in spec or "parts" in spec):
                    values += (
                        [to_decimal(t) for t in text.split("/") if to_decimal(t) is not None]
                        if "parts" in spec
                        else [v for v in [to_decimal(text)] if v is not None]
                    )
            present = {v for r in hit_rows for v in r.metrics.values()}
            if not hit_skip and not (hit_rows and all(v in present for v in values)):
                missing.append(f"{name} {url} {prefix}")
            assert url in urls or hit_skip
    # README tables: every file of MANIFEST.json mapped or skipped; every metric value of every row of every
    # mapped table in a row of that locator on the table's dataset / split (where the entry names them),
    # or the row / table / file skipped
    manifest = json.loads((data / "model-zoos" / "MANIFEST.json").read_text())
    for entry in manifest:
        for rel in entry["files"]:
            url = f"https://github.com/{entry['repo']}/blob/{entry['commit']}/{rel}"
            if not any(r.source.url == url for r in rows) and not any(s.source == url for s in skipped):
                missing.append(f"{url} (MANIFEST.json file neither read nor skipped)")
    for mapping_file in sorted((SOURCES / "model-zoos").glob("*.yaml")):
        m = load_yaml(mapping_file)
        if "files" not in m:
            continue
        for rel, spec in m["files"].items():
            url = f"https://github.com/{m['source']['repo']}/blob/{m['source']['commit']}/{rel}"
            if "skip" in spec:
                assert any(s.source == url and s.locator == rel and s.reason for s in skipped), url
                continue
            parsed = tables.parse_tables((data / "model-zoos" / mapping_file.stem / rel).read_text())
            for table, entry in tables._match(parsed, list(spec["tables"]), rel):
                if any(s.source == url and s.locator == f"§ {table.name}" for s in skipped):
                    continue
                columns = {**m.get("columns", {}), **entry.get("columns", {})}
                for number, cells in enumerate(table.rows, start=1):
                    prefix = f"§ {table.name}, row {number}"
                    if any(s.source == url and _at(s.locator, prefix) for s in skipped):
                        continue
                    mine = [r for r in rows if r.source.url == url and _at(r.locator, prefix)]
                    values = []
                    for header, cell in zip(table.header, cells, strict=False):
                        col = columns.get(header)
                        if isinstance(col, dict) and ("metric" in col or "parts" in col):
                            texts = cell.text.split("/") if "parts" in col else [cell.text]
                            values += [v for v in (to_decimal(t, ("M", "G")) for t in texts) if v is not None]
                    present = {v for r in mine for v in r.metrics.values()}
                    placed = all(
                        r.dataset == entry.get("dataset", r.dataset) and r.split == entry.get("split", r.split)
                        for r in mine
                    )
                    if not mine or not placed or not all(v in present for v in values):
                        missing.append(f"{url} {prefix}")
    assert not missing, f"{len(missing)} records neither a row nor skipped, e.g. {missing[:5]}"


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_real_files_exact_text_sample() -> None:
    data = _real_or_skip()
    rows, _ = zoo.read_all(data, SOURCES)
    ann = [r for r in rows if r.locator == "ann_r50-d8_4xb2-40k_cityscapes-512x1024"]
    assert {str(r.metrics["mIoU"]) for r in ann} == {"77.4", "78.57"}
    assert all((r.dataset, r.split) == ("cityscapes", "val") for r in ann)
    paddle = {r.split for r in rows if r.source.key.startswith("paddleseg-")}
    assert paddle == {"unspecified"}  # PaddleSeg's READMEs never state the split
    pid = [r for r in rows if r.source.key == "pidnet-readme"]  # its `|:-:|` tables were not found before
    assert {(r.model, r.dataset, r.split, str(r.metrics["mIoU"])) for r in pid} >= {
        ("PIDNet-S", "cityscapes", "val", "78.8"),
        ("PIDNet-S", "cityscapes", "test", "78.6"),
        ("PIDNet-M", "camvid", "test", "82.0"),
    }
    vit = [
        r
        for r in rows
        if r.source.url.endswith("segmentation/configs/cityscapes/README.md") and r.source.key.startswith("vit-adapter")
    ]
    assert {(r.split, str(r.metrics["mIoU"])) for r in vit} == {("val", "84.9"), ("val", "85.8"), ("test", "85.2")}


# ---------------------------------------------------------------- tables: the first-party layouts


def _fastseg() -> tuple[list, list]:
    return tables.read(FIX / "zoo" / "acme+fastseg", load_yaml(FIX / "zoo" / "acme+fastseg.yaml"))


def test_tables_dash_separator_without_outer_pipes_and_split_per_column() -> None:
    rows, _ = _fastseg()
    city = [r for r in rows if r.dataset == "cityscapes"]  # `|:-:|` and rows without outer pipes (PIDNet, openseg)
    assert [(r.model, r.split, {k: str(v) for k, v in r.metrics.items()}) for r in city] == [
        ("FastSeg-S", "val", {"mIoU": "78.8", "fps": "93.2"}),
        ("FastSeg-S", "test", {"mIoU": "78.6"}),
        ("FastSeg-L", "test", {"mIoU": "80.6", "fps": "31.1"}),
    ]  # "-" in Val: no val row
    assert city[0].hardware == "unstated"
    assert city[0].backbone == "r-18"
    large = city[2]
    assert large.backbone == "swin-l" and large.training == {"pretrain": "imagenet-22k"}  # "Swin-L&dagger;"


def test_tables_html_rowspan_colspan_and_select() -> None:
    rows, _ = _fastseg()
    ade = [r for r in rows if r.dataset == "ade20k"]
    assert [(r.model, dict(r.evaluation), str(r.metrics["mIoU"])) for r in ade] == [
        ("FastSeg-M", {"mode": "single-scale"}, "34.84"),
        ("FastSeg-M", {"mode": "multi-scale"}, "35.10"),
    ]
    assert ade[1].artifacts["weights"] == "https://example.org/m.pth"
    assert ade[1].artifacts["log"] == "https://example.org/m.log"  # the second column under colspan="2"


def test_tables_select_value_not_in_mapping_names_it() -> None:
    mapping = copy.deepcopy(load_yaml(FIX / "zoo" / "acme+fastseg.yaml"))
    del mapping["columns"]["MultiScale Testing"]["values"]["Yes"]
    with pytest.raises(MappingError, match="value 'Yes'"):
        tables.read(FIX / "zoo" / "acme+fastseg", mapping)


def _zoo_tree(tmp_path: Path, manifest: list, mappings: dict) -> tuple[Path, Path]:
    data, sources = tmp_path / "data", tmp_path / "sources"
    (data / "model-zoos").mkdir(parents=True)
    (sources / "model-zoos").mkdir(parents=True)
    (data / "model-zoos" / "MANIFEST.json").write_text(json.dumps(manifest))
    for name, mapping in mappings.items():
        (sources / "model-zoos" / f"{name}.yaml").write_text(json.dumps(mapping))
    return data, sources


def test_read_all_reports_a_manifest_repository_without_mapping(tmp_path: Path) -> None:
    data, sources = _zoo_tree(tmp_path, [{"repo": "acme/other", "commit": "c" * 40, "files": ["README.md"]}], {})
    rows, skipped = zoo.read_all(data, sources)
    assert rows == []
    assert [(s.source, s.locator) for s in skipped] == [
        (f"https://github.com/acme/other/blob/{'c' * 40}/README.md", "README.md")
    ]
    assert "no mapping file sources/model-zoos/acme+other.yaml" in skipped[0].reason


def test_read_all_mapping_must_match_the_manifest(tmp_path: Path) -> None:
    mapping = {
        "source": {"repo": "acme/other", "commit": "d" * 40, "name": "x", "key_prefix": "x"},
        "files": {"README.md": {"skip": "x"}},
    }
    entry = {"repo": "acme/other", "commit": "c" * 40, "files": ["README.md", "MODEL_ZOO.md"]}
    data, sources = _zoo_tree(tmp_path, [entry], {"acme+other": mapping})
    with pytest.raises(MappingError, match="MANIFEST.json has c"):
        zoo.read_all(data, sources)
    mapping["source"]["commit"] = "c" * 40
    data, sources = _zoo_tree(tmp_path / "2", [entry], {"acme+other": mapping})
    with pytest.raises(MappingError, match="MODEL_ZOO.md not in the mapping"):
        zoo.read_all(data, sources)


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_real_files_one_backbone_one_slug() -> None:
    data = _real_or_skip()
    rows, _ = zoo.read_all(data, SOURCES)
    registry = load_yaml(SOURCES / "backbones.yaml")
    stray = sorted({r.backbone for r in rows if r.backbone and r.backbone not in registry})
    assert not stray, f"backbone slugs not in sources/backbones.yaml (add the label as an alias): {stray}"
    proposed = load_yaml(SOURCES / "registry-proposals-zoo.yaml")["backbones"]
    assert set(proposed) == {r.backbone for r in rows if r.backbone}
    by_source = {(r.source.key.split("-")[0], r.backbone) for r in rows}
    # MMSegmentation "R-50-D8" and PaddleSeg "ResNet50_OS8"; "R-50" (mmseg), "R50" (Mask2Former), "ResNet50" (PaddleSeg)
    assert {("mmseg", "resnet-50-os8"), ("paddleseg", "resnet-50-os8")} <= by_source
    assert {("mmseg", "resnet-50"), ("mask2former", "resnet-50"), ("paddleseg", "resnet-50")} <= by_source
    # "Swin-Base" (SSSegmentation) is "Swin-B"; "Swin-L (IN21k)" (Mask2Former) is Swin-L with its pretraining kept
    assert ("ssseg", "swin-b") in by_source
    m2f = [r for r in rows if r.source.key.startswith("mask2former") and r.backbone == "swin-l"]
    assert m2f and all(r.training.get("pretrain") == "imagenet-21k" for r in m2f)


def test_sssegmentation_folders_attach_to_the_paper_their_readme_cites():
    """Each entry of the mapping's `papers` is the citation block of that folder's README (as copied,
    with its key and title, into real-bib/sssegmentation.bib under '% from: docs/modelzoo/<folder>/...')."""
    import re

    real = _real_or_skip()
    mapping = load_yaml(SOURCES / "model-zoos" / "SegmentationBLWX+sssegmentation.yaml")
    bib = (real / "real-bib" / "sssegmentation.bib").read_text(encoding="utf-8")
    cited: dict[str, list[tuple[str, str]]] = {}
    for block in re.split(r"\n(?=% from: )", bib):
        m = re.match(r"% from: docs/modelzoo/([^/]+)/README\.md", block)
        if m:
            key = re.search(r"@\w+\{([^,]+),", block).group(1)
            title = re.search(r"title\s*=\s*\{(.*?)\},?\n", block, re.S).group(1)
            cited.setdefault(m.group(1), []).append((key, title))
    for folder, entry in mapping["papers"].items():
        entries = entry["by_backbone"].values() if "by_backbone" in entry else [entry]
        for e in entries:
            assert (e["cited"], e["title"]) in cited[folder], folder
    rows, _ = zoojson.read_sssegmentation(real / "sssegmentation-results.json", mapping)
    mcibi = {r.paper.title for r in rows if "mcibi/" in r.source.name}
    assert mcibi == {"Mining Contextual Information Beyond Image for Semantic Segmentation"}
    # a README that cites two papers: each row by the backbone its label names
    mobile = {(r.locator.split("(")[-1], r.paper.title) for r in rows if "mobilenet/" in r.source.name}
    assert ("M-V3L-D8)", "Searching for MobileNetV3") in {(loc.split(" / ")[-1], t) for loc, t in mobile}
