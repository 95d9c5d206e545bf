"""`new --issue`: an 'add a paper' issue, as GitHub writes it from the repository's own issue form, becomes a
paper file that validates; what cannot be read is listed (file and part), the rest is kept, exit 1.

The body is built from .github/ISSUE_TEMPLATE/add-paper.yml the way GitHub renders an issue form (each field
`### <label>`, a blank line, the answer; an empty field `_No response_`; a `render:` textarea fenced), so a
change of the form's labels is followed here, not copied."""

from __future__ import annotations

from pathlib import Path

import yaml

from helpers import ROOT, run_cli

from generator.format.validate import validate_tree

FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "add-paper.yml"


def issue_body(answers: dict[str, str]) -> str:
    form = yaml.safe_load(FORM.read_text(encoding="utf-8"))
    out = []
    for item in form["body"]:
        if item["type"] == "markdown":
            continue
        out += [f"### {item['attributes']['label']}", ""]
        if item["type"] == "checkboxes":
            out += [f"- [X] {o['label']}" for o in item["attributes"]["options"]]
        else:
            value = answers.get(item["id"], "") or "_No response_"
            render = item["attributes"].get("render")
            out += [f"```{render}", value, "```"] if render else [value]
        out.append("")
    return "\n".join(out)


def new_from_issue(corpus: Path, tmp_path: Path, answers: dict[str, str]):
    body = tmp_path / "issue.md"
    body.write_text(issue_body(answers), encoding="utf-8")
    return run_cli("new", "--papers", str(corpus), "--issue", str(body), "--form", str(FORM))


GOOD = {
    "paper-title": "TileMix: A Test Method for Segmentation",
    "url": "https://arxiv.org/abs/2405.01234",
    "venue": "CVPR 2025",
    "code": "https://github.com/example/tiled-mixer",
    "results": "\n".join(
        [
            "cityscapes val · Tiled Mixer (R-50) · mIoU 80.15 · https://arxiv.org/abs/2405.01234v2 Table 2",
            "ADE20K val | Tiled Mixer (R-50) | mIoU: 45.3 | https://arxiv.org/pdf/2405.01234 Table 3",
        ]
    ),
    "notes": "一个用于测试的方法。",
}


def test_an_issue_from_the_form_becomes_a_valid_file(corpus, tmp_path):
    proc = new_from_issue(corpus, tmp_path, GOOD)
    assert proc.returncode == 0, proc.stderr
    path = corpus / "2025" / "tilemix.yaml"  # the id is the method's name, as CONTRIBUTING says
    assert path.exists(), proc.stderr
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["title"] == GOOD["paper-title"] and data["year"] == 2025 and data["venue"] == "cvpr"
    assert data["ids"] == {"arxiv": "2405.01234"} and data["date"] == "2024-05"
    assert data["links"] == {"paper": "https://arxiv.org/abs/2405.01234", "code": GOOD["code"]}
    assert data["notes"] == {"zh": "一个用于测试的方法。"}
    assert data["sources"] == {
        "paper": {"kind": "paper", "name": GOOD["paper-title"], "url": "https://arxiv.org/abs/2405.01234"}
    }
    rows = [(r["dataset"], r["split"], r["model"], r["metrics"], r["locator"]) for r in data["results"]]
    assert rows == [
        ("cityscapes", "val", "Tiled Mixer (R-50)", {"mIoU": 80.15}, "Table 2"),
        ("ade20k", "val", "Tiled Mixer (R-50)", {"mIoU": 45.3}, "Table 3"),
    ]
    assert "80.15" in path.read_text(encoding="utf-8")  # the number as written, never re-formatted
    assert not validate_tree(corpus, only={path}).problems


def test_what_cannot_be_read_is_listed_and_the_rest_is_kept(corpus, tmp_path):
    answers = dict(
        GOOD,
        venue="Journal of Nowhere 2025",
        paper="Not An Id!",
        results="\n".join(
            [
                "cityscapes vall · X · mIoU 1.0 · https://arxiv.org/abs/2405.01234",
                "cityscapes val · X · accuracy 1.0 · https://arxiv.org/abs/2405.01234",
                "cityscapes val · X · mIoU 70.5 · https://paperswithcode.com/paper/x",
                "just some words",
                "cityscapes val · Tiled Mixer <script>alert(1)</script> · mIoU 80.15 · https://arxiv.org/abs/2405.01234 Table 2",
            ]
        ),
    )
    proc = new_from_issue(corpus, tmp_path, answers)
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 6, proc.stderr  # every problem of the issue at once
    text = "\n".join(errors)
    assert "venue 'Journal of Nowhere'" in text
    assert "paper id 'Not An Id!'" in text
    assert "results, line 1: split 'vall'" in text
    assert "results, line 2: metric 'accuracy'" in text
    assert "results, line 3: the source https://paperswithcode.com/paper/x is not the paper itself" in text
    assert "results, line 4: expected" in text
    path = corpus / "2025" / "tilemix.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [r["model"] for r in data["results"]] == ["Tiled Mixer <script>alert(1)</script>"]  # data, kept as typed
    assert "venue" not in data
    assert not validate_tree(corpus, only={path}).problems


def test_a_body_not_written_from_the_form_writes_nothing(corpus, tmp_path):
    body = tmp_path / "issue.md"
    body.write_text("I found a great paper, please add it: https://arxiv.org/abs/2405.01234\n", encoding="utf-8")
    before = sorted(p.relative_to(corpus) for p in corpus.rglob("*.yaml"))
    proc = run_cli("new", "--papers", str(corpus), "--issue", str(body), "--form", str(FORM))
    assert proc.returncode != 0
    assert "none of the form's fields" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert sorted(p.relative_to(corpus) for p in corpus.rglob("*.yaml")) == before


def test_the_issues_bibtex_gives_what_the_form_does_not_ask(corpus, tmp_path):
    """The form's BibTeX field is read as `new --bibtex` reads a file: the authors come from it; the form's own
    answers (title, venue, links) win; an entry that cannot be read is a problem listed, the rest kept."""
    entry = (
        '@inproceedings{tilemix,\n  title = {An Older Title},\n  author = {M{\\"u}ller, Anna and Li, Wei},\n'
        "  booktitle = {CVPR},\n  year = {2025},\n  pages = {1--10}\n}"
    )
    proc = new_from_issue(corpus, tmp_path, dict(GOOD, bibtex=entry))
    assert proc.returncode == 0, proc.stderr
    path = corpus / "2025" / "tilemix.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["authors"] == ["Anna Müller", "Wei Li"]
    assert data["title"] == GOOD["paper-title"] and data["venue"] == "cvpr"
    assert data["links"] == {"paper": "https://arxiv.org/abs/2405.01234", "code": GOOD["code"]}
    assert not validate_tree(corpus, only={path}).problems

    path.unlink()
    proc = new_from_issue(corpus, tmp_path, dict(GOOD, bibtex="@article{broken, title = {No end"))
    assert proc.returncode == 1
    assert "BibTeX" in proc.stderr and "left out" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert "authors" not in yaml.safe_load(path.read_text(encoding="utf-8"))
