"""The same generator builds a survey of another field: a tiny depth-estimation survey (tests/fixtures/depth,
its own survey.yml, registries and made-up papers) in both languages, with nothing of semantic segmentation."""

import re
from pathlib import Path

import pytest

from helpers import FIXTURES, board_rows, run_build

pytestmark = pytest.mark.slow

DEPTH = FIXTURES / "depth"
OTHER_FIELD = re.compile(r"semantic|segmentation|cityscapes|ade20k|pascal|miou|语义分割", re.I)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("depth")
    proc = run_build(
        DEPTH / "papers", work / "site", work / "build", {"SITE_URL": "https://example.org/depth/", "REPO_URL": ""}
    )
    assert proc.returncode == 0, proc.stderr
    return work / "site"


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "lang,name,subject",
    [("en", "Depth Estimation Survey", "monocular depth estimation"), ("zh", "深度估计文献综述", "单目深度估计")],
)
def test_the_pages_name_the_survey_and_its_field(site, lang, name, subject):
    home = page(site, f"{lang}/")
    assert f"<title>{name}</title>" in home  # the home page is titled once (overrides/main.html)
    assert "NYU Depth V2" in home  # the main benchmark's best result leads the home page
    board = page(site, f"{lang}/leaderboards/nyu-depth-v2-test/")
    assert f"- {name}</title>" in board
    assert subject in board.lower()
    assert f'<html lang="{lang}"' in page(site, f"{lang}/papers/fixture-depth-a/")
    # a task other than the default has its own path
    assert "FixDepth-B" in page(site, f"{lang}/leaderboards/depth-completion/kitti-val/")


def test_lower_abs_rel_ranks_first(site):
    html = page(site, "en/leaderboards/nyu-depth-v2-test/")
    assert [model for _, model in board_rows(html)] == ["FixDepth-C", "FixDepth-B", "FixDepth-A"]


def test_nothing_built_names_semantic_segmentation(site):
    named = []
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in {".html", ".json", ".bib", ".csv", ".xml", ".md"}:
            for m in OTHER_FIELD.finditer(path.read_text(encoding="utf-8")):
                named.append(f"{path.relative_to(site)}: {m.group(0)!r}")
    assert named == []


def test_the_root_and_the_data_files_are_the_surveys(site):
    root = (site / "index.html").read_text(encoding="utf-8")
    assert "Depth Estimation Survey · 深度估计文献综述" in root
    assert '"title": "Depth Estimation Survey: paper file"' in (site / "data" / "paper.schema.json").read_text(
        encoding="utf-8"
    )
    assert "monocular-depth-estimation,nyu-depth-v2,test" in (site / "data" / "results.csv").read_text(encoding="utf-8")
    assert "Contributing to the depth estimation survey" in page(site, "en/contributing/")
