"""Leaderboard and bibliography readers and the merge into format-2 papers (generator/importers/)."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from generator.importers import bibliography, leaderboard, merge
from generator.importers.labels import backbone_slug, parse_label
from generator.importers.records import PaperRef, Row, SourceRef
from generator.importers.yamlio import dump_paper, load_exact, read_paper_file

HERE = Path(__file__).resolve()
FIX = HERE.parents[1] / "fixtures" / "import"
REPO = HERE.parents[2]
BOARD = FIX / "semantic-segmentation-on-tiny.json"


def real_data() -> Path | None:
    """The shared data folder beside the repository clone (or beside the worktrees' folder)."""
    for base in (HERE.parents[2], HERE.parents[3]):
        candidate = (base / ".." / "shared" / "data").resolve()
        if (candidate / "leaderboards").is_dir():
            return candidate
    return None


@pytest.fixture(scope="module")
def mapping():
    return leaderboard.load_mapping(FIX / "leaderboards.yaml")


@pytest.fixture(scope="module")
def venues():
    return bibliography.load_venues(FIX / "papers")


# Labels --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label, training, evaluation, backbone",
    [
        ("SegFormer (MiT-B5, Mapillary)", {"extra": ["mapillary"]}, {}, "mit-b5"),
        ("GALDNet(+Mapillary)++", {"extra": ["mapillary"]}, {}, None),
        ("DCNAS(coarse + Mapillary)", {"splits": ["coarse"], "extra": ["mapillary"]}, {}, None),
        ("OCR (HRNetV2-W48, coarse)", {"splits": ["coarse"]}, {}, "hrnetv2-w48"),
        ("Seg-B/8 (MS, ViT-B)", {}, {"mode": "multi-scale"}, "vit-b"),
        ("Mask2Former (Swin-L, multiscale)", {}, {"mode": "multi-scale"}, "swin-l"),
        ("EoMT (DINOv2-L, single-scale, 512x512)", {}, {"mode": "single-scale"}, None),
        ("HRViT-b3 (SegFormer, SS)", {}, {"mode": "single-scale"}, None),
        ("Swin-L (UperNet, ImageNet-22k pretrain)", {"pretrain": "imagenet-22k"}, {}, None),
        ("Light-Ham (VAN-Huge, 61M, IN-1k, MS)", {"pretrain": "imagenet-1k"}, {"mode": "multi-scale"}, None),
        ("MOAT-4 (IN-22K pretraining, single-scale)", {"pretrain": "imagenet-22k"}, {"mode": "single-scale"}, None),
        ("kMaX-DeepLab (ConvNeXt-L, fine only)", {"extra_data": False}, {}, "convnext-l"),
        ("HRNetV2 (train+val)", {"splits": ["train", "val"]}, {}, None),
        ("CPN(ResNet-101)", {}, {}, "resnet-101"),
        ("GPaCo (ResNet101)", {}, {}, "resnet-101"),
        ("Sequential Ensemble (MiT-B5 + HRNet)", {}, {}, None),  # an ensemble names no one backbone
        (
            "PatchDiverse + Swin-L (multi-scale test, upernet, ImageNet22k pretrain)",
            {"pretrain": "imagenet-22k"},
            {"mode": "multi-scale"},
            None,
        ),  # backbones only from parentheses
        ("Mapillary-Net", {}, {}, None),  # a word in a name is not a setting
        ("ResNet-38 MS COCO", {}, {}, None),
        ("X (MS, single-scale)", {}, {}, None),  # contradicting modes: nothing said
        ("PSPNet", {}, {}, None),
    ],
)
def test_label_parser(label, training, evaluation, backbone):
    got = parse_label(label)
    assert dict(got.training) == training
    assert dict(got.evaluation) == evaluation
    assert got.backbone == backbone


def test_backbone_slug_only_when_recognisable():
    assert backbone_slug("ResNet-101") == "resnet-101"
    assert backbone_slug("Swin-L-FaPN") is None
    assert backbone_slug("BEiT pretrain") is None


# Cells ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, unit, paren",
    [
        ("86.1%", "86.1", "%", None),
        ("79.00%", "79.00", "%", None),
        ("44.940", "44.940", None, None),
        ("72.3 (3090)", "72.3", None, "3090"),
        ("8.7G", "8.7", "G", None),
        ("84", "84", None, None),
        ("1610", "1610", None, None),
    ],
)
def test_metric_text_is_kept_exactly(text, value, unit, paren):
    cell = leaderboard.parse_metric(text)
    assert cell is not None
    assert str(cell.value) == value and isinstance(cell.value, Decimal)
    assert cell.unit == unit and cell.paren == paren


@pytest.mark.parametrize("text", ["", "n/a", "86.1%%", "12 34", "-"])
def test_metric_text_that_is_no_number(text):
    assert leaderboard.parse_metric(text) is None


def test_paper_date_only_when_it_is_the_papers():
    assert leaderboard.paper_date("2016-12-04", "1612.01105") == "2016-12-04"
    assert leaderboard.paper_date("2021-07-31", "2108.00154") == "2021-07-31"  # announced next month
    assert leaderboard.paper_date("2023-07-26", "1706.05587") is None  # a later date: not the paper's
    assert leaderboard.paper_date("2020-01-01", None) == "2020-01-01"
    assert leaderboard.paper_date("", None) is None


# The reader ----------------------------------------------------------------------------------


def test_reader_rows_and_skips(mapping):
    rows, skipped = leaderboard.read(BOARD, mapping)
    by_loc = {r.locator: r for r in rows}
    psp_val = by_loc["benchmark.items[0] (m1)"]
    assert psp_val.metrics == {"mIoU": Decimal("80.20")} and str(psp_val.metrics["mIoU"]) == "80.20"
    assert psp_val.split == "val" and psp_val.backbone == "resnet-101"
    assert psp_val.evaluation == {"mode": "multi-scale"} and psp_val.training == {"extra_data": False}
    assert psp_val.paper.arxiv == "1612.01105" and psp_val.paper.authors == ("Hengshuang Zhao", "Jianping Shi")
    assert psp_val.model == "PSPNet (ResNet-101, ms)"
    assert by_loc["benchmark.items[0] (m3)"].split == "test"  # columns map to different splits
    fast = by_loc["benchmark.items[1] (m1, m2, m4)"]
    assert fast.metrics == {"mIoU": Decimal("76.36"), "fps": Decimal("72.3"), "params_m": Decimal("6.5")}
    assert fast.hardware == {"device": "3090"} and "72.3 (3090)" in fast.notes
    assert fast.training == {"extra": ["mapillary"]} and fast.paper.code == "https://github.com/a/b"
    nameless = by_loc["benchmark.items[2] (m1)"]
    assert nameless.paper.title is None  # merge skips it, with its reason
    reasons = {s.locator: s.reason for s in skipped}
    assert "weakly supervised" in reasons["benchmark.items[3] (m1)"]
    assert "cost alone" in reasons["benchmark.items[4] (m4)"]


def test_unmapped_column_is_an_error_naming_it(tmp_path, mapping):
    data = json.loads(BOARD.read_text())
    data["benchmark"]["fields"].insert(2, {"key": "m9", "label": "Boundary F1"})
    path = tmp_path / BOARD.name
    path.write_text(json.dumps(data))
    with pytest.raises(leaderboard.MappingError, match=r"column m9 'Boundary F1'"):
        leaderboard.read(path, mapping)


def test_unmapped_board_and_changed_label_are_errors(tmp_path, mapping):
    other = tmp_path / "semantic-segmentation-on-other.json"
    other.write_text(BOARD.read_text())
    with pytest.raises(leaderboard.MappingError, match="semantic-segmentation-on-other.json: board not in"):
        leaderboard.read(other, mapping)
    data = json.loads(BOARD.read_text())
    data["benchmark"]["fields"][2]["label"] = "Mean IoU"
    changed = tmp_path / BOARD.name
    changed.write_text(json.dumps(data))
    with pytest.raises(leaderboard.MappingError, match="column m1 is 'Mean IoU' in the file"):
        leaderboard.read(changed, mapping)


def test_row_override_checks_the_label(tmp_path, mapping):
    data = json.loads(BOARD.read_text())
    data["benchmark"]["items"][3]["n"] = "Strong"
    path = tmp_path / BOARD.name
    path.write_text(json.dumps(data))
    with pytest.raises(leaderboard.MappingError, match=r"items\[3\] is 'Strong'"):
        leaderboard.read(path, mapping)


# Bibliography --------------------------------------------------------------------------------


def test_bibliography_records_and_header(venues):
    records, skipped = bibliography.read(FIX / "tiny.bib", venues)
    assert not skipped
    psp, fast = records
    assert psp.paper.venue == "cvpr" and psp.paper.year == 2017 and len(psp.paper.authors) == 5
    assert psp.published == {"venue": "cvpr", "year": 2017, "pages": "2881--2890"}
    assert psp.source.url == "https://github.com/example/seg/blob/1111111111111111111111111111111111111111/README.md"
    assert psp.source.licence == "MIT"
    assert fast.paper.arxiv == "2407.01328" and fast.paper.venue == "arxiv" and fast.published == {}


def test_bibliography_update_never_overwrites(venues):
    records, _ = bibliography.read(FIX / "tiny.bib", venues)
    psp = records[0]
    paper = {
        "title": "Pyramid scene parsing network",
        "year": 2017,
        "venue": "cvpr",
        "authors": ["H. Zhao"],
        "published": {"pages": "1--10"},
    }
    filled, conflicts = bibliography.update(paper, psp)
    assert filled == {"published.venue": "cvpr", "published.year": 2017}
    assert {c.field for c in conflicts} == {"authors", "published.pages"}
    after = bibliography.apply(paper, filled)
    assert after["authors"] == ["H. Zhao"] and after["published"]["pages"] == "1--10"
    assert after["published"]["venue"] == "cvpr"


def test_bibliography_other_version_fills_no_published(venues):
    records, _ = bibliography.read(FIX / "tiny.bib", venues)
    paper = {"title": "Pyramid Scene Parsing Network", "year": 2017, "venue": "tpami"}
    filled, conflicts = bibliography.update(paper, records[0])
    assert not any(f.startswith("published.") for f in filled)
    assert ("published.venue", "tpami", "cvpr") in {(c.field, c.existing, c.record) for c in conflicts}


# Merge ---------------------------------------------------------------------------------------

SRC = SourceRef(key="zoo-x", kind="model-zoo", name="Zoo X", url="https://github.com/o/r/blob/abc/README.md")


def row(
    paper: PaperRef,
    metrics: dict,
    *,
    model="M",
    split="val",
    dataset="cityscapes",
    source=SRC,
    locator="table 1, row 1",
    **kw,
) -> Row:
    return Row(
        paper=paper,
        source=source,
        locator=locator,
        dataset=dataset,
        split=split,
        metrics={k: Decimal(v) for k, v in metrics.items()},
        model=model,
        **kw,
    )


def existing_papers():
    return merge.load_existing(FIX / "papers")


def test_v1_migrates_to_v2_without_new_facts():
    (psp,) = existing_papers()
    d = psp.data
    assert d["format"] == 2 and psp.folder == "2017"
    assert set(d["sources"]) == {"pwc-semantic-segmentation-on-cityscapes-val", "pyramid-scene-parsing-network"}
    first = d["results"][0]
    assert first["id"] == "cityscapes-val-pspnet-resnet-101-ms"
    assert first["training"] == {"extra_data": False} and "extra_data" not in first
    assert first["source"] == "pwc-semantic-segmentation-on-cityscapes-val" and first["locator"] == "row 3"
    assert str(first["metrics"]["mIoU"]) == "80.20"
    assert "# a v1 file, hand-written for the tests" in psp.comments


@pytest.mark.parametrize(
    "ref, how",
    [
        (PaperRef(arxiv="1612.01105v3", title="Something else"), "arXiv id"),
        (PaperRef(url="https://arxiv.org/abs/1612.01105v1"), "arXiv id"),
        (PaperRef(title="Pyramid scene parsing network!"), "title"),
        (PaperRef(title="Pyrámid Scene-Parsing Network"), "title"),
        (PaperRef(name="PSPNet"), "method name"),
    ],
)
def test_match_by_arxiv_doi_title_name(ref, how):
    papers, report = merge.merge(existing_papers(), [row(ref, {"mIoU": "70.1"})])
    assert len(papers) == 1 and report.matched == (("pspnet", how),)
    assert any(r["metrics"] == {"mIoU": Decimal("70.1")} for r in papers[0].data["results"])


def test_match_by_doi_and_new_paper():
    a = row(
        PaperRef(
            title="SNNet: Some New Net",
            doi="10.1000/ABC",
            url="https://arxiv.org/abs/2101.00001v2",
            date="2021-01-02",
            authors=("A B",),
        ),
        {"mIoU": "70.1"},
        model="SNN (ResNet-50)",
    )
    b = row(PaperRef(doi="10.1000/abc"), {"mIoU": "71.0"}, model="SNN big", locator="row 2")
    papers, report = merge.merge([], [a, b])
    (p,) = papers
    assert report.added == ("snnet",) and p.data["name"] == "SNNet"
    assert p.folder == "2021" and p.data["year"] == 2021 and p.data["date"] == "2021-01-02"
    assert p.data["ids"] == {"arxiv": "2101.00001", "doi": "10.1000/ABC"}
    assert [r["id"] for r in p.data["results"]] == ["cityscapes-val-snn-resnet-50", "cityscapes-val-snn-big"]
    assert p.data["sources"] == {
        "zoo-x": {"kind": "model-zoo", "name": "Zoo X", "url": "https://github.com/o/r/blob/abc/README.md"}
    }


def test_ambiguous_or_missing_identity_is_skipped():
    one = merge.PaperOut("a", "2020", {"format": 2, "title": "A", "name": "Net", "year": 2020})
    two = merge.PaperOut("b", "2020", {"format": 2, "title": "B", "name": "Net", "year": 2020})
    _, report = merge.merge([one, two], [row(PaperRef(name="Net"), {"mIoU": "1"}), row(PaperRef(), {"mIoU": "2"})])
    assert [s.reason.split(" ")[0] for s in report.skipped] == ["method", "the"]
    assert report.results_added == 0


def test_same_numbers_are_one_result_with_also_and_different_numbers_two():
    ref = PaperRef(arxiv="1612.01105")
    same = row(ref, {"mIoU": "80.2"}, model="PSPNet (ResNet-101,  ms)")  # 80.2 == 80.20, same label
    settings = row(
        ref,
        {"mIoU": "44.94"},
        dataset="ade20k",
        model="pspnet_r101",
        backbone=None,
        source=replace(SRC, key="zoo-y", url="https://example.org/y"),
        locator="row 9",
    )
    other = row(
        ref,
        {"mIoU": "79.9"},
        model="PSPNet (ResNet-101, ms)",
        locator="row 2",
        source=replace(SRC, key="zoo-z", url="https://example.org/z"),
        training={"extra_data": False},
    )
    papers, report = merge.merge(existing_papers(), [same, settings, other])
    results = papers[0].data["results"]
    assert results[0]["also"] == [{"source": "zoo-x", "locator": "table 1, row 1"}]
    assert report.results_also == 1 and report.results_added == 2 and report.disagreements == 1
    assert [r["id"] for r in results] == [
        "cityscapes-val-pspnet-resnet-101-ms",
        "ade20k-val-pspnet",
        "ade20k-val-pspnet-r101",
        "cityscapes-val-pspnet-resnet-101-ms-2",
    ]
    assert report.disagreement_list == (
        ("pspnet", "cityscapes-val-pspnet-resnet-101-ms", "cityscapes-val-pspnet-resnet-101-ms-2"),
    )


def test_other_configurations_and_a_source_listing_twice_are_not_disagreements():
    ref = PaperRef(arxiv="1612.01105")
    zoo = replace(SRC, key="zoo-z", url="https://example.org/z")
    rows = [
        row(
            ref,
            {"mIoU": "81.0"},
            model="PSPNet",
            backbone="resnet-101",
            training={"crop": "512x1024"},
            source=zoo,
            locator="row 1",
        ),
        # another crop: another configuration of the same label, not a disagreement
        row(
            ref,
            {"mIoU": "80.1"},
            model="PSPNet",
            backbone="resnet-101",
            training={"crop": "769x769"},
            source=zoo,
            locator="row 2",
        ),
        # another backbone
        row(
            ref,
            {"mIoU": "79.0"},
            model="PSPNet",
            backbone="resnet-50",
            training={"crop": "512x1024"},
            source=zoo,
            locator="row 3",
        ),
        # the same source lists the same label and settings again
        row(
            ref,
            {"mIoU": "80.5"},
            model="PSPNet",
            backbone="resnet-101",
            training={"crop": "512x1024"},
            source=zoo,
            locator="row 4",
        ),
        # another source, same settings, another number: the one disagreement
        row(
            ref, {"mIoU": "80.7"}, model="PSPNet", backbone="resnet-101", training={"crop": "512x1024"}, locator="row 5"
        ),
    ]
    _, report = merge.merge(existing_papers(), rows)
    assert (report.disagreements, report.configurations, report.same_source) == (1, 2, 1)


def test_same_numbers_same_settings_merge_despite_labels():
    ref = PaperRef(arxiv="2101.00001", title="Net: x")
    a = row(ref, {"mIoU": "75.0"}, model="Net (ResNet-101)", backbone="resnet-101")
    b = row(
        ref,
        {"mIoU": "75.0"},
        model="net_r101_512x1024",
        backbone="resnet-101",
        training={"crop": "512x1024"},
        source=replace(SRC, key="zoo-y"),
        locator="row 7",
    )
    papers, report = merge.merge([], [a, b])
    assert report.results_also == 1 and len(papers[0].data["results"]) == 1


def test_merge_is_idempotent(tmp_path, mapping, venues):
    rows, _ = leaderboard.read(BOARD, mapping)
    records, _ = bibliography.read(FIX / "tiny.bib", venues)
    first, report1 = merge.merge(existing_papers(), rows, records)
    merge.write(first, tmp_path / "one")
    again = merge.load_existing(tmp_path / "one")
    second, report2 = merge.merge(again, rows, records)
    merge.write(second, tmp_path / "two")
    assert report1.results_added > 0
    assert report2.results_added == 0 and report2.results_also == 0 and report2.added == ()
    assert report2.results_present == report1.results_added + report1.results_also
    assert not report2.filled and not report2.row_filled
    one = {p.relative_to(tmp_path / "one"): p.read_text() for p in (tmp_path / "one").glob("*/*.yaml")}
    two = {p.relative_to(tmp_path / "two"): p.read_text() for p in (tmp_path / "two").glob("*/*.yaml")}
    assert one == two


def test_written_files_round_trip_exactly(tmp_path, mapping, venues):
    rows, _ = leaderboard.read(BOARD, mapping)
    records, _ = bibliography.read(FIX / "tiny.bib", venues)
    papers, report = merge.merge(existing_papers(), rows, records)
    paths = merge.write(papers, tmp_path)
    texts = {p.name: p.read_text() for p in paths}
    assert "!!" not in "".join(texts.values())
    psp = texts["pspnet.yaml"]
    assert "mIoU: 80.20\n" in psp and "mIoU: 44.94\n" in psp and 'arxiv: "1612.01105"' in psp
    assert psp.index("format: 2") < psp.index("title:") < psp.index("sources:") < psp.index("results:")
    for path in paths:
        data, comments = read_paper_file(path)
        assert dump_paper(data, comments) == path.read_text()
    fast = next(p for p in papers if p.data["title"] == "Fast Thing: Real-time Stuff")
    assert fast.data["authors"] == ["Jane Doe", "Richard Roe"] and fast.data["venue"] == "arxiv"
    assert fast.data["results"][0]["hardware"] == {"device": "3090"}
    assert load_exact("x: 72.30")["x"] == Decimal("72.30")


# The real files ------------------------------------------------------------------------------


def test_every_real_leaderboard_row_is_imported_or_skipped_with_a_reason():
    data = real_data()
    if data is None:
        if os.environ.get("CI"):
            pytest.fail("the shared data folder (../shared/data beside the clone) is missing on CI")
        pytest.skip("no ../shared/data beside the repository clone")
    mapping = leaderboard.load_mapping(REPO / "sources" / "leaderboards.yaml")
    files = sorted((data / "leaderboards" / "opencodepapers").glob("*.json"))
    assert len(files) == 9
    for path in files:
        board = mapping.boards[path.name]
        rows, skipped = leaderboard.read(path, mapping)
        skipped_at = {s.locator for s in skipped if s.reason}
        items = json.loads(path.read_text())["benchmark"]["items"]
        for i, item in enumerate(items):
            for key, text in item.items():
                if key in leaderboard.LAYOUT_KEYS or not str(text).strip():
                    continue
                where = f"benchmark.items[{i}] ({key})"
                if where in skipped_at or f"benchmark.items[{i}]" in skipped_at:
                    continue
                col = board.columns[key]
                value = leaderboard.parse_metric(text).value
                hits = [
                    r
                    for r in rows
                    if r.locator.startswith(f"benchmark.items[{i}] (")
                    and key in r.locator.split("(", 1)[1].rstrip(")").split(", ")
                ]
                assert hits, f"{path.name} {where} '{text}': neither imported nor skipped"
                (hit,) = hits
                assert hit.dataset == board.dataset and hit.split == col.split, f"{path.name} {where}"
                assert hit.metrics[col.metric] == value and str(hit.metrics[col.metric]) == str(value), where


def test_bibliography_of_another_version_never_fills_published(venues):
    records, _ = bibliography.read(FIX / "tiny.bib", venues)
    paper = {
        "title": "Pyramid Scene Parsing Network",
        "year": 2017,
        "venue": "cvpr",
        "published": {"venue": "tpami", "year": 2019},
    }
    filled, conflicts = bibliography.update(paper, records[0])
    assert not any(f.startswith("published.") for f in filled)
    assert any(c.field == "published.venue" for c in conflicts)


def test_a_framework_row_reproduces_the_papers_claim_with_its_backbone_only():
    data = {
        "format": 2,
        "title": "T",
        "year": 2017,
        "sources": {
            "lb": {"kind": "leaderboard", "name": "LB", "url": "https://example.org/lb"},
            "mm": {
                "kind": "model-zoo",
                "name": "MMSeg",
                "url": "https://github.com/open-mmlab/mmsegmentation/blob/abc/x.yaml",
            },
        },
        "results": [
            {
                "id": "claim-r101",
                "dataset": "cityscapes",
                "split": "val",
                "backbone": "resnet-101",
                "metrics": {"mIoU": 80},
                "source": "lb",
            },
            {
                "id": "claim-nobb",
                "dataset": "ade20k",
                "split": "val",
                "model": "Net",
                "metrics": {"mIoU": 40},
                "source": "lb",
            },
            {
                "id": "mm-r101",
                "dataset": "cityscapes",
                "split": "val",
                "backbone": "resnet-101",
                "metrics": {"mIoU": 79},
                "source": "mm",
            },
            {
                "id": "mm-r50",
                "dataset": "cityscapes",
                "split": "val",
                "backbone": "resnet-50",
                "metrics": {"mIoU": 77},
                "source": "mm",
            },
            {
                "id": "mm-ade-r50",
                "dataset": "ade20k",
                "split": "val",
                "backbone": "resnet-50",
                "model": "Net",
                "metrics": {"mIoU": 39},
                "source": "mm",
            },
        ],
    }
    assert merge.link_reproductions("net", data) == 1
    assert [r.get("reproduces") for r in data["results"]] == [None, None, "net#claim-r101", None, None]
    # the authors' own release is not a reproduction
    data = {
        **data,
        "links": {"code": "https://github.com/open-mmlab/mmsegmentation"},
        "results": [{k: v for k, v in r.items() if k != "reproduces"} for r in data["results"]],
    }
    assert merge.link_reproductions("net", data) == 0
