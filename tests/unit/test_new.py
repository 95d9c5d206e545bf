"""`new` writes a paper file a contributor can finish in an editor that checks it against the committed schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import ROOT, run_cli

from generator.format.load import Map, Scalar, Seq, load_file, parse_text
from generator.authoring.paper_yaml import ORDER, SCHEMA_LINE, scalar
from generator.render.data import schema_json
from generator.format.validate import validate_tree

SCHEMA_FILE = ROOT / "papers" / "paper.schema.json"


def new(papers: Path, *args: str, stdin: str | None = None):
    import os
    import subprocess
    import sys

    if stdin is None:
        return run_cli("new", "--papers", str(papers), *args)
    return subprocess.run(
        [sys.executable, "-m", "generator", "new", "--papers", str(papers), *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )


def keys_in_order(text: str) -> list[str]:
    return [l.split(":")[0] for l in text.splitlines() if l and not l.startswith((" ", "#"))]


def test_new_writes_a_valid_file_in_field_order_with_schema_line_and_results_example(corpus):
    proc = new(
        corpus,
        "--title",
        "Segment Everything: A #1 Method [v2]",
        "--year",
        "2024",
        "--name",
        "SegEv",
        "--author",
        "Ada Lovelace",
        "--author",
        "何恺明",
        "--venue",
        "cvpr",
        "--arxiv",
        "2401.00001",
        "--doi",
        "https://doi.org/10.1000/xyz_1",
    )
    assert proc.returncode == 0, proc.stderr
    path = corpus / "2024" / "segev.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == SCHEMA_LINE
    keys = keys_in_order(text)
    assert keys == ["format", "title", "name", "authors", "year", "date", "venue", "ids", "links"]
    assert keys == sorted(keys, key=ORDER.index)
    # the commented example shows a source said once and a result that refers to it with its locator
    assert "# sources:" in text and "# results:" in text
    for field in ("kind: paper", "name: ", "url: https://"):
        assert any(l.lstrip("# ").startswith(field) for l in text.splitlines() if l.startswith("#     ")), field
    for field in ("id: ", "source: paper", "locator: Table", "hardware: unstated"):
        assert any(l.lstrip("#- ").startswith(field) for l in text.splitlines() if l.startswith("#   ")), field
    assert 'date: "2024-01"' in text  # the month the arXiv id states
    assert 'arxiv: "2401.00001"' in text  # quoted: unquoted it would be a number
    # it loads back to exactly what was given, and the whole folder still validates
    checked = validate_tree(corpus)
    assert checked.problems == ()
    paper = next(pf.paper for pf in checked.papers if pf.id == "segev")
    assert paper.title == "Segment Everything: A #1 Method [v2]"
    assert paper.authors == ("Ada Lovelace", "何恺明")
    assert paper.ids.arxiv == "2401.00001" and paper.ids.doi == "10.1000/xyz_1"
    assert paper.links.paper == "https://arxiv.org/abs/2401.00001"
    # and tells the contributor what is still to fill in
    assert "fill in" in proc.stderr and "topics" in proc.stderr and "results" in proc.stderr


def test_new_with_only_title_and_year_validates_and_lists_every_missing_field(corpus):
    proc = new(corpus, "--title", "yes", "--year", "2023")
    assert proc.returncode == 0, proc.stderr
    text = (corpus / "2023" / "paper2023.yaml").read_text(encoding="utf-8")
    assert 'title: "yes"' in text  # unquoted, YAML 1.1 readers take it for a boolean
    assert validate_tree(corpus).problems == ()
    for hint in ("authors", "venue", "ids", "links.paper", "topics", "results"):
        assert f"  - {hint}" in proc.stderr, hint


@pytest.mark.parametrize(
    "args, message",
    [
        (("--year", "2024"), "--title"),
        (("--title", "X"), "--year"),
        (("--title", "X", "--year", "2024", "--venue", "cvrp"), "did you mean 'cvpr'"),
        (("--title", "X", "--year", "2024", "--id", "Bad_Id"), "id rule"),
        (("--title", "X", "--year", "2024", "--arxiv", "12.3"), "arXiv id"),
    ],
)
def test_usage_errors_exit_2_and_write_nothing(corpus, args, message):
    before = sorted(corpus.glob("*/*.yaml"))
    proc = new(corpus, *args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert sorted(corpus.glob("*/*.yaml")) == before


def test_existing_file_needs_force_and_a_known_paper_is_refused(corpus):
    assert new(corpus, "--title", "Brand New", "--year", "2024", "--id", "brand").returncode == 0
    again = new(corpus, "--title", "Brand New Again", "--year", "2024", "--id", "brand")
    assert again.returncode == 1 and "--force" in again.stderr
    forced = new(corpus, "--title", "Brand New Again", "--year", "2024", "--id", "brand", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "Brand New Again" in (corpus / "2024" / "brand.yaml").read_text()
    dup = new(corpus, "--title", "Other", "--year", "2017", "--arxiv", "1612.01105")
    assert dup.returncode == 1 and "pspnet.yaml already describes this paper (same arXiv id)" in dup.stderr


def test_new_from_a_bibtex_entry_on_stdin(corpus):
    entry = (
        "@inproceedings{k, title={{ABCNet}: Real-time Scene Text Spotting}, "
        "author={Liu, Yuliang and Or{\\v{s}}i{\\'c}, Marin}, booktitle={Proceedings of the IEEE/CVF "
        "Conference on Computer Vision and Pattern Recognition (CVPR)}, year={2020}, eprint={2002.10200}, "
        "archivePrefix={arXiv}}"
    )
    proc = new(corpus, "--bibtex", "-", stdin=entry)
    assert proc.returncode == 0, proc.stderr
    paper = next(pf.paper for pf in validate_tree(corpus).papers if pf.id == "abcnet")
    assert paper.title == "ABCNet: Real-time Scene Text Spotting"
    assert paper.name == "ABCNet"
    assert paper.authors == ("Yuliang Liu", "Marin Oršić")
    assert paper.venue == "cvpr" and paper.year == 2020 and paper.ids.arxiv == "2002.10200"


def test_new_from_a_bibtex_entry_without_year_asks_for_it(corpus, tmp_path):
    bib = tmp_path / "one.bib"
    bib.write_text("\n@article{k,\n  title={No Year},\n}\n", encoding="utf-8")
    proc = new(corpus, "--bibtex", str(bib))
    assert proc.returncode == 2 and f"{bib}:2: error: the entry has no usable year; give --year" in proc.stderr
    assert new(corpus, "--bibtex", str(bib), "--year", "2020").returncode == 0


def test_new_from_a_bibtex_file_takes_one_readable_entry(corpus, tmp_path):
    """Two entries: a usage error that names the command reading many; an entry that cannot be read: a
    located error; neither writes a file."""
    before = sorted(p.name for p in corpus.rglob("*.yaml"))
    two = tmp_path / "two.bib"
    two.write_text("@article{a, title={A}, year={2020}}\n@article{b, title={B}, year={2021}}\n", encoding="utf-8")
    proc = new(corpus, "--bibtex", str(two))
    assert proc.returncode == 2 and f"{two} holds 2 entries; `new --bibtex` takes one" in proc.stderr
    assert f"import bibtex {two}" in proc.stderr
    broken = tmp_path / "broken.bib"
    broken.write_text("\n@article{broken, title = {No end\n", encoding="utf-8")
    proc = new(corpus, "--bibtex", str(broken))
    assert proc.returncode == 1 and f"{broken}:2: error:" in proc.stderr
    assert sorted(p.name for p in corpus.rglob("*.yaml")) == before


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(lambda s: s.strip()))
def test_any_text_survives_the_yaml_writer(text):
    # (control characters are refused by the paper format itself, quoted or not)
    node = parse_text(f"k: {scalar(text)}\nl: [{scalar(text, flow=True)}, x]\n", "t.yaml")
    assert node.items["k"][1].text == text
    assert node.items["l"][1].items[0].text == text


@pytest.mark.parametrize(
    "text",
    [
        "1612.01105",
        "2016-12-04",
        "yes",
        "No",
        "null",
        "~",
        "- a",
        "a: b",
        "a #b",
        "[x]",
        "{x}",
        "@home",
        "%x",
        "'q'",
        '"q"',
        "1e5",
        "0x1F",
        "trailing:",
        " pad",
    ],
)
def test_strings_yaml_would_misread_are_quoted(text):
    node = parse_text(f"k: {scalar(text)}\n", "t.yaml").items["k"][1]
    assert node.text == text and (not node.plain)


# The JSON Schema editors read ------------------------------------------------------------------


def test_committed_schema_is_what_the_generator_writes():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_json(), (
        "papers/paper.schema.json is stale: python -m generator export schema -o papers/paper.schema.json"
    )
    proc = run_cli("export", "schema")
    assert proc.returncode == 0 and proc.stdout == schema_json()


def plain(node):
    """A YAML node as the JSON an editor's schema check sees (YAML 1.2 core schema)."""
    if isinstance(node, Map):
        return {k: plain(v) for k, (_, v) in node.items.items()}
    if isinstance(node, Seq):
        return [plain(i) for i in node.items]
    assert isinstance(node, Scalar)
    return node.value if node.plain else node.text


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_every_paper_file_validates_against_the_committed_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted((ROOT / "papers").glob("*/*.yaml"))
    assert len(files) > 100
    for path in files:
        errors = [
            f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(plain(load_file(path, str(path))))
        ]
        assert errors == [], f"{path}: {errors}"
    # and it refuses what validate refuses
    bad = plain(parse_text("titel: X\nyear: 2017\nids: {arxiv: 1612.01105}\n", "bad.yaml"))
    messages = " ".join(e.message for e in validator.iter_errors(bad))
    assert "'title' is a required property" in messages and "titel" in messages
    assert "1612.01105 is not of type 'string'" in messages


def test_new_files_point_at_the_schema_next_to_them():
    # papers/<year>/<id>.yaml -> ../paper.schema.json is papers/paper.schema.json
    target = (ROOT / "papers" / "2017" / SCHEMA_LINE.split("$schema=")[1]).resolve()
    assert target == SCHEMA_FILE.resolve() and target.is_file()


def test_new_and_the_importers_write_a_result_s_keys_in_one_order():
    """A result written by `new` and the same result written by an importer list their keys in the same
    order, and neither leaves one out (the importers' `protocol` came after `notes` in `new`'s files)."""
    from decimal import Decimal

    import yaml

    from generator.authoring.paper_yaml import result_order
    from generator.importers.yamlio import dump_paper

    result = {
        "notes": {"en": "n"},
        "protocol": "single-scale",
        "tags": ["t"],
        "input_size": "512x512",
        "artifacts": [{"kind": "weights", "url": "https://example.org/w"}],
        "hardware": {"device": "V100"},
        "metrics": {"mIoU": Decimal("50.1")},
        "dataset": "ade20k",
        "id": "r1",
    }
    by_new = list(result_order(result))
    by_importer = list(yaml.safe_load(dump_paper({"results": [result]}))["results"][0])
    assert by_new == by_importer
    assert set(by_new) == set(result)
