"""The `import leaderboard | model-index | table | bibtex --update` commands on small fixtures: what they
report, that a second run changes nothing, and that nothing is written when the result would not validate."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from generator.cli import main

REPO = Path(__file__).resolve().parents[2]
FIX = REPO / "tests" / "fixtures"
TINY = FIX / "import" / "semantic-segmentation-on-tiny.json"
TINY_MAP = FIX / "import" / "leaderboards.yaml"


def _papers(tmp_path: Path) -> Path:
    root = tmp_path / "papers"
    shutil.copytree(FIX / "valid" / "papers", root)
    return root


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _mapping(tmp_path: Path, **changes) -> Path:
    data = yaml.safe_load(TINY_MAP.read_text(encoding="utf-8"))
    data["boards"]["semantic-segmentation-on-tiny.json"].update(changes)
    path = tmp_path / "leaderboards.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _tiny_mapping(tmp_path: Path) -> Path:
    """The tiny board with only the columns the fixture registries know (mIoU on val, extra data)."""
    data = yaml.safe_load(TINY_MAP.read_text(encoding="utf-8"))
    board = data["boards"]["semantic-segmentation-on-tiny.json"]
    for column in ("m2", "m3", "m4"):
        board["columns"][column] = {"label": board["columns"][column]["label"], "skip": "not in the fixture registries"}
    path = tmp_path / "leaderboards.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_import_leaderboard_reports_writes_and_a_second_run_changes_nothing(tmp_path, capsys):
    root = _papers(tmp_path)
    mapping = _tiny_mapping(tmp_path)
    before = _snapshot(root)
    assert main(["import", "leaderboard", str(TINY), "--mapping", str(mapping), "--papers", str(root)]) == 0
    out = capsys.readouterr().out
    assert "papers matched: 1 (pspnet by arXiv id)" in out
    assert "papers added: 1" in out and "skipped:" in out and "weakly supervised" in out
    after = _snapshot(root)
    assert after != before
    pspnet = yaml.safe_load((root / "2017" / "pspnet.yaml").read_text(encoding="utf-8"))
    keys = {k for k, v in pspnet["sources"].items() if "semantic-segmentation-on-tiny.json" in v["url"]}
    assert keys and any(
        r["source"] in keys or any(a["source"] in keys for a in r.get("also", [])) for r in pspnet["results"]
    )
    assert main(["validate", str(root)]) == 0
    capsys.readouterr()
    # the same file again: nothing to change, nothing written
    assert main(["import", "leaderboard", str(TINY), "--mapping", str(mapping), "--papers", str(root)]) == 0
    captured = capsys.readouterr()
    assert "nothing to change" in captured.err
    assert _snapshot(root) == after


def test_import_writes_nothing_when_the_result_would_not_validate(tmp_path, capsys):
    root = _papers(tmp_path)
    before = _snapshot(root)
    mapping = _mapping(tmp_path, dataset="no-such-dataset")
    assert main(["import", "leaderboard", str(TINY), "--mapping", str(mapping), "--papers", str(root)]) == 1
    err = capsys.readouterr().err
    assert "no-such-dataset" in err and "nothing written" in err
    assert str(tmp_path / "scratch") not in err and "import-check-" not in err  # problems shown as under papers/
    assert _snapshot(root) == before


def test_a_board_the_mapping_does_not_know_is_an_error_naming_it(tmp_path, capsys):
    root = _papers(tmp_path)
    before = _snapshot(root)
    other = tmp_path / "semantic-segmentation-on-elsewhere.json"
    other.write_text(TINY.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["import", "leaderboard", str(other), "--mapping", str(TINY_MAP), "--papers", str(root)]) == 1
    assert "semantic-segmentation-on-elsewhere.json" in capsys.readouterr().err
    assert _snapshot(root) == before


def test_import_table_needs_a_mapping_that_lists_the_file(tmp_path, capsys):
    root = _papers(tmp_path)
    readme = tmp_path / "README.md"
    readme.write_text("| a | b |\n|---|---|\n| 1 | 2 |\n", encoding="utf-8")
    assert main(["import", "table", str(readme), "--papers", str(root)]) == 2
    assert "--mapping" in capsys.readouterr().err
    mapping = REPO / "sources" / "model-zoos" / "facebookresearch+ConvNeXt.yaml"
    assert main(["import", "table", str(readme), "--mapping", str(mapping), "--papers", str(root)]) == 2
    assert "none of the files" in capsys.readouterr().err


def test_import_model_index_and_table_write_valid_papers_once(tmp_path, capsys):
    root = _papers(tmp_path)
    configs = FIX / "import-zoo" / "model-index" / "configs"
    mapping = FIX / "import-zoo" / "mmseg-mapping.yaml"
    status = main(["import", "model-index", str(configs), "--mapping", str(mapping), "--papers", str(root)])
    out = capsys.readouterr()
    assert status == 0, out.err
    assert "results added:" in out.out
    after = _snapshot(root)
    assert main(["import", "model-index", str(configs), "--mapping", str(mapping), "--papers", str(root)]) == 0
    assert "nothing to change" in capsys.readouterr().err
    assert _snapshot(root) == after


def test_bibtex_update_fills_missing_fields_lists_conflicts_and_overwrites_nothing(tmp_path, capsys):
    root = _papers(tmp_path)
    fcn = next(root.glob("*/fcn.yaml"))
    text = fcn.read_text(encoding="utf-8")
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "% Source: https://github.com/o/r README.md\n% Commit: " + "a" * 40 + "\n% Licence: MIT\n"
        "@inproceedings{long2015fully,\n  title={Fully Convolutional Networks for Semantic Segmentation},\n"
        "  author={Shelhamer, Evan and Long, Jonathan and Darrell, Trevor},\n"
        "  booktitle={CVPR}, pages={3431--3440}, year={2015}\n}\n",
        encoding="utf-8",
    )
    status = main(["import", "bibtex", str(bib), "--update", "--papers", str(root)])
    out = capsys.readouterr()
    assert status == 0, out.err
    assert "fields filled:" in out.out and "conflicts (left as they are):" in out.out
    filled, conflicts = out.out.split("conflicts (left as they are):")
    assert "published.pages" in filled.split("fields filled:")[1]
    assert "authors" in conflicts  # another order of the authors: listed, not written
    new_text = fcn.read_text(encoding="utf-8")
    assert "authors: [Jonathan Long, Evan Shelhamer, Trevor Darrell]" in new_text
    assert "3431--3440" in new_text
    assert main(["validate", str(root)]) == 0
    capsys.readouterr()
    after = _snapshot(root)
    assert main(["import", "bibtex", str(bib), "--update", "--papers", str(root)]) == 0
    capsys.readouterr()
    assert _snapshot(root) == after
    assert text != new_text
