"""`generator diff`: what a change does to the rankings, as a contributor reads it in the job summary."""

import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import FIXTURES, run_cli


@pytest.fixture
def sides(tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of the fixture corpus: base/ (untouched) and new/ (edited by each test)."""
    base, new = tmp_path / "base", tmp_path / "new"
    shutil.copytree(FIXTURES / "valid" / "papers", base)
    shutil.copytree(FIXTURES / "valid" / "papers", new)
    return base, new


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def diff(base: Path, new: Path, *extra: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    kw = {"cwd": cwd} if cwd else {}
    return run_cli("diff", str(base), "--papers", str(new), *extra, **kw)


def bullets(out: str) -> list[str]:
    """The ranking lines (the list of touched pages apart)."""
    return [line[2:] for line in out.split("#### Pages this change touches")[0].splitlines() if line.startswith("- ")]


def pages(out: str) -> list[str]:
    if "#### Pages this change touches" not in out:
        return []
    return [
        line[3:-1] for line in out.split("#### Pages this change touches")[1].splitlines() if line.startswith("- `")
    ]


def test_no_change(sides):
    base, new = sides
    proc = diff(base, new)
    assert proc.returncode == 0, proc.stderr
    assert "No change to any ranking." in proc.stdout
    assert bullets(proc.stdout) == []


def test_a_result_entering_is_reported_at_its_rank_and_the_shift_summarised(sides):
    base, new = sides
    # base without DeepLabv3+: the new side adds the paper, which enters Cityscapes test at #1
    (base / "2018" / "deeplabv3-plus.yaml").unlink()
    proc = diff(base, new)
    assert proc.returncode == 0, proc.stderr
    lines = bullets(proc.stdout)
    assert "DeepLabv3+ (Xception-JFT) enters Cityscapes test at #1 (mIoU 82.1)" in lines
    assert "4 rows move down by one" in lines  # not one line per row pushed down
    assert not any(line.startswith(("PSPNet [", "PSPNet++", "FCN-8s")) for line in lines)
    assert "DeepLabv3+ (R-101) enters ADE20K val at #1 (mIoU 44.1)" in lines
    assert "DeepLabv3+ (R-50) enters ADE20K val at #3 (mIoU 42.72)" in lines
    assert "PSPNet (ResNet-101): #1 → #2" in lines  # a single row moved: named
    assert "DeepLabv3+ (deeplabv3-plus, 2018)" in proc.stdout.split("#### Papers added")[1]
    assert "No change to any ranking." not in proc.stdout


def test_value_change_with_its_new_rank(sides):
    base, new = sides
    edit(new / "2015" / "fcn.yaml", "mIoU: 65.3", "mIoU: 80.5")
    proc = diff(base, new)
    lines = bullets(proc.stdout)
    assert lines == [
        "FCN-8s: 65.3 → 80.5 (mIoU), #5 → #3",
        "2 rows move down by one",
    ], proc.stdout
    assert "#### Cityscapes test (`cityscapes-test`, by mIoU)" in proc.stdout
    # what a reviewer opens in the built site: the board that moved and the paper edited, nothing else
    assert pages(proc.stdout) == ["leaderboards/cityscapes-test/", "papers/fcn/"]


def test_an_edit_that_moves_no_rank_still_names_its_page(sides):
    base, new = sides
    edit(new / "2015" / "fcn.yaml", "title:", "title: Revised")
    proc = diff(base, new)
    assert proc.returncode == 0, proc.stderr
    assert "No change to any ranking." in proc.stdout
    assert pages(proc.stdout) == ["papers/fcn/"]


def test_a_result_is_followed_by_its_id_when_its_label_protocol_and_value_change(sides):
    base, new = sides
    # same result id, so the same row: not one result leaving and another entering
    edit(
        new / "2015" / "fcn.yaml",
        "    model: FCN-8s\n    metrics:\n      mIoU: 65.3\n",
        "    model: FCN-8s (VGG-16)\n    evaluation: {mode: multi-scale}\n    metrics:\n      mIoU: 80.5\n",
    )
    lines = bullets(diff(base, new).stdout)
    assert lines == ["FCN-8s (VGG-16): 65.3 → 80.5 (mIoU), #5 → #3", "2 rows move down by one"], lines


def test_value_change_that_keeps_the_rank(sides):
    base, new = sides
    edit(new / "2017" / "pspnet.yaml", "mIoU: 78.4", "mIoU: 78.6")
    lines = bullets(diff(base, new).stdout)
    # two PSPNet rows on the board: the label names the source
    assert lines == ["PSPNet [Fixture leaderboard]: 78.4 → 78.6 (mIoU), still #4"]


def test_removal_of_a_result(sides):
    base, new = sides
    text = (new / "2017" / "pspnet.yaml").read_text()
    start = text.index("  - id: cityscapes-test-pspnet-plus-plus\n")
    end = text.index("  - id: ade20k-val-pspnet-resnet-101")
    (new / "2017" / "pspnet.yaml").write_text(text[:start] + text[end:])
    lines = bullets(diff(base, new).stdout)
    assert lines == [
        "PSPNet++ leaves Cityscapes test (was #3, mIoU 80.2)",
        "2 rows move up by one",
    ]


def test_new_leaderboard(sides):
    base, new = sides
    with open(new / "2015" / "fcn.yaml", "a", encoding="utf-8") as fh:
        fh.write(
            "  - id: cityscapes-val-fcn-8s\n    dataset: cityscapes\n    split: val\n    model: FCN-8s\n"
            "    metrics: {mIoU: 70.1}\n    source: fixture-survey\n"
        )
    proc = diff(base, new)
    assert "#### Cityscapes val (`cityscapes-val`, by mIoU) — new leaderboard" in proc.stdout
    assert bullets(proc.stdout) == ["FCN-8s enters Cityscapes val at #1 (mIoU 70.1)"]


def test_inserting_a_result_before_others_does_not_move_them(sides):
    """Rows are followed by paper, model, protocol and source, not by their index in `results`."""
    base, new = sides
    text = (new / "2017" / "pspnet.yaml").read_text()
    text = text.replace(
        "results:\n",
        "results:\n  - id: ade20k-val-pspnet-resnet-50\n    dataset: ade20k\n    split: val\n"
        "    model: PSPNet (ResNet-50)\n    metrics: {mIoU: 41.68}\n    source: pspnet-paper\n"
        "    locator: Table 5\n",
        1,
    )
    (new / "2017" / "pspnet.yaml").write_text(text)
    lines = bullets(diff(base, new).stdout)
    assert lines == ["PSPNet (ResNet-50) enters ADE20K val at #4 (mIoU 41.68)"]


def test_text_format(sides):
    base, new = sides
    edit(new / "2015" / "fcn.yaml", "mIoU: 65.3", "mIoU: 80.5")
    out = diff(base, new, "--format", "text").stdout
    assert "Cityscapes test [cityscapes-test, by mIoU]" in out
    assert "  FCN-8s: 65.3 → 80.5 (mIoU), #5 → #3" in out
    assert "#" not in out.splitlines()[0] and "- " not in out


def test_a_broken_new_side_is_reported_located_and_exits_1(sides):
    base, new = sides
    edit(new / "2015" / "fcn.yaml", "dataset: cityscapes", "dataset: cityscape")
    proc = diff(base, new, cwd=new.parent)
    assert proc.returncode == 1
    assert "new/2015/fcn.yaml:20:14: error: unknown dataset 'cityscape' (did you mean 'cityscapes'?)" in proc.stderr
    assert proc.stdout == ""


def test_a_broken_base_is_compared_as_empty(sides):
    base, new = sides
    (base / "2015" / "fcn.yaml").write_text("title: [broken\n")
    proc = diff(base, new)
    assert proc.returncode == 0
    assert "compared as if it were empty" in proc.stdout
    assert "FCN-8s enters Cityscapes test at #5 (mIoU 65.3)" in bullets(proc.stdout)


def git(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["git", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org",
            "HOME": str(cwd),
            "PATH": "/usr/bin:/bin",
        },
    )


def test_against_a_git_revision(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "valid" / "papers", repo / "papers")
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "papers", cwd=repo)
    git("commit", "-q", "-m", "corpus", cwd=repo)
    proc = run_cli("diff", "HEAD", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "### Rankings: `HEAD` → `papers/`" in proc.stdout
    assert "No change to any ranking." in proc.stdout
    edit(repo / "papers" / "2015" / "fcn.yaml", "mIoU: 65.3", "mIoU: 80.5")  # the working tree, not committed
    proc = run_cli("diff", "HEAD", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert bullets(proc.stdout) == ["FCN-8s: 65.3 → 80.5 (mIoU), #5 → #3", "2 rows move down by one"]
    git("commit", "-q", "-am", "better FCN", cwd=repo)
    assert "No change to any ranking." in run_cli("diff", "HEAD", cwd=repo).stdout
    assert bullets(run_cli("diff", "HEAD~1", cwd=repo).stdout)[0] == "FCN-8s: 65.3 → 80.5 (mIoU), #5 → #3"


def test_unknown_revision_is_a_usage_error(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "valid" / "papers", repo / "papers")
    git("init", "-q", cwd=repo)
    proc = run_cli("diff", "no-such-branch", cwd=repo)
    assert proc.returncode == 2
    assert "neither a papers folder nor a git revision" in proc.stderr
