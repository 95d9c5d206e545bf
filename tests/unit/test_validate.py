"""One case per rule of paper-format.md: each asserts the exact file:line:col a contributor reads."""

from pathlib import Path

import pytest

from helpers import run_cli

PSPNET = "papers/2017/pspnet.yaml"


def validate(cwd: Path, *paths: str):
    proc = run_cli("validate", *paths, cwd=cwd)
    return proc.returncode, [l for l in proc.stderr.splitlines() if ": error: " in l], proc


def write(corpus: Path, rel: str, text: str) -> None:
    path = corpus.parent / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


MINIMAL = """format: 2
title: A Minimal Paper
year: 2017
venue: cvpr
sources:
  paper: {kind: paper, name: The paper, url: https://example.org/p}
results:
  - id: minimal
    dataset: cityscapes
    split: test
    metrics: {mIoU: 70.1}
    source: paper
    locator: Table 1
"""


def test_valid_corpus_passes(corpus):
    rc, errors, proc = validate(corpus.parent)
    assert rc == 0, proc.stderr
    assert errors == []
    assert "3 papers" in proc.stderr


CASES = [
    # (id, file text, expected error line; position 1-based line:col)
    (
        "unknown-key",
        MINIMAL + "titel: x\n",
        "papers/2017/minimal.yaml:14:1: error: unknown key 'titel' (did you mean 'title'?) [titel]",
    ),
    (
        "unknown-key-nested",
        MINIMAL.replace("    split: test\n", "    split: test\n    backbon: resnet-101\n"),
        "papers/2017/minimal.yaml:11:5: error: unknown key 'backbon' (did you mean 'backbone'?) [results[0].backbon]",
    ),
    (
        "old-shape-key",
        MINIMAL.replace("    split: test\n", "    split: test\n    extra_data: true\n"),
        "papers/2017/minimal.yaml:11:5: error: 'extra_data' is the old shape (format 1): write training.extra_data "
        "(or training.extra: [dataset] where the source names the data) [results[0].extra_data]",
    ),
    (
        "old-shape-file",
        MINIMAL.replace("format: 2\n", "").replace("  paper: {kind", "  p: {kind"),
        "papers/2017/minimal.yaml:1:1: error: this file is in the old shape (paper format 1): start it with `format: 2` "
        "(CONTRIBUTING.md describes format 2; scripts/migrate_v2.py converts a file) [format]",
    ),
    (
        "old-shape-inline-source",
        "title: T\nyear: 2017\nresults:\n  - dataset: cityscapes\n    split: test\n"
        "    metrics: {mIoU: 1}\n    source: {kind: paper, name: P, url: https://example.org/p}\n",
        "papers/2017/minimal.yaml:1:1: error: this file is in the old shape (paper format 1): start it with `format: 2`, "
        "say each source once under `sources:` (key -> kind, name, url) and give each result an `id`, `source: <key>` "
        "and its own `locator`; `extra_data` goes under `training:` (CONTRIBUTING.md describes format 2; "
        "scripts/migrate_v2.py converts a file) [format]",
    ),
    (
        "unknown-dataset",
        MINIMAL.replace("dataset: cityscapes", "dataset: cityscape"),
        "papers/2017/minimal.yaml:9:14: error: unknown dataset 'cityscape' (did you mean 'cityscapes'?) [results[0].dataset]",
    ),
    (
        "unknown-split",
        MINIMAL.replace("split: test", "split: testing"),
        "papers/2017/minimal.yaml:10:12: error: dataset 'cityscapes' has no split 'testing' (it has: train, coarse, val, test) (did you mean 'test'?) [results[0].split]",
    ),
    (
        "unknown-metric",
        MINIMAL.replace("{mIoU: 70.1}", "{miou: 70.1}"),
        "papers/2017/minimal.yaml:11:15: error: unknown metric 'miou' (did you mean 'mIoU'?) [results[0].metrics.miou]",
    ),
    (
        "unknown-venue",
        MINIMAL.replace("venue: cvpr", "venue: cvrp"),
        "papers/2017/minimal.yaml:4:8: error: unknown venue 'cvrp' (did you mean 'cvpr'?) [venue]",
    ),
    (
        "unknown-topic",
        MINIMAL + "topics: [realtime]\n",
        "papers/2017/minimal.yaml:14:10: error: unknown topic 'realtime' (did you mean 'real-time'?) [topics[0]]",
    ),
    (
        "unknown-task",
        MINIMAL.replace("    split: test\n", "    split: test\n    task: semantic-segmentaton\n"),
        "papers/2017/minimal.yaml:11:11: error: unknown task 'semantic-segmentaton' (did you mean 'semantic-segmentation'?) [results[0].task]",
    ),
    (
        "out-of-range",
        MINIMAL.replace("70.1", "781.2"),
        "papers/2017/minimal.yaml:11:21: error: mIoU must be between 0 and 100, got 781.2 [results[0].metrics.mIoU]",
    ),
    (
        "out-of-range-lower",
        MINIMAL.replace("70.1", "-1"),
        "papers/2017/minimal.yaml:11:21: error: mIoU must be between 0 and 100, got -1 [results[0].metrics.mIoU]",
    ),
    (
        "percent-sign",
        MINIMAL.replace("70.1", "70.1%"),
        "papers/2017/minimal.yaml:11:21: error: expected a number, got '70.1%' (write the number without '%') [results[0].metrics.mIoU]",
    ),
    (
        "bad-url-scheme",
        MINIMAL + "links: {code: 'javascript:alert(1)'}\n",
        "papers/2017/minimal.yaml:14:15: error: expected an http(s) URL, got 'javascript:alert(1)' [links.code]",
    ),
    (
        "bad-url-data",
        MINIMAL.replace("https://example.org/p", "data:text/html;base64"),
        "papers/2017/minimal.yaml:6:46: error: expected an http(s) URL, got 'data:text/html;base64' [sources.paper.url]",
    ),
    (
        "year-folder",
        MINIMAL.replace("year: 2017", "year: 2018"),
        "papers/2017/minimal.yaml:3:7: error: year 2018 does not match the folder '2017/' (move the file to papers/2018/) [year]",
    ),
    (
        "missing-title",
        MINIMAL.replace("title: A Minimal Paper\n", ""),
        "papers/2017/minimal.yaml:1:1: error: missing required key 'title' [title]",
    ),
    (
        "missing-source",
        MINIMAL.replace("    source: paper\n", ""),
        "papers/2017/minimal.yaml:8:5: error: missing required key 'source' [results[0].source]",
    ),
    (
        "wrong-type",
        MINIMAL.replace("year: 2017", "year: twenty"),
        "papers/2017/minimal.yaml:3:7: error: expected a whole number, got 'twenty' [year]",
    ),
    (
        "wrong-type-list",
        MINIMAL + "authors: Jane Doe\n",
        "papers/2017/minimal.yaml:14:10: error: expected a list, got 'Jane Doe' [authors]",
    ),
    (
        "bad-choice",
        MINIMAL.replace("kind: paper", "kind: blog"),
        "papers/2017/minimal.yaml:6:17: error: expected one of paper, leaderboard, model-zoo, reproduction, survey; got 'blog' [sources.paper.kind]",
    ),
    (
        "duplicate-key",
        MINIMAL + "year: 2017\n",
        "papers/2017/minimal.yaml:14:1: error: duplicate key 'year' (first defined at line 3)",
    ),
    (
        "yaml-syntax",
        MINIMAL + "notes: {en: [unclosed\n",
        "papers/2017/minimal.yaml:15:1: error: YAML syntax error: while parsing a flow sequence: did not find expected ',' or ']'",
    ),
    (
        "yaml-tag",
        MINIMAL + "abstract: !!python/object/apply:os.system [echo pwned]\n",
        "papers/2017/minimal.yaml:14:11: error: YAML tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed",
    ),
    (
        "yaml-alias",
        MINIMAL + "name: &a PSP\nabstract: *a\n",
        "papers/2017/minimal.yaml:14:7: error: YAML anchors (&a) are not allowed",
    ),
    ("empty-file", "", "papers/2017/minimal.yaml:1:1: error: file is empty"),
    ("comment-only-file", "# nothing yet\n", "papers/2017/minimal.yaml:1:1: error: file is empty"),
    (
        "bad-date",
        MINIMAL + "date: 2017-13-01\n",
        "papers/2017/minimal.yaml:14:7: error: expected a date YYYY-MM or YYYY-MM-DD, got '2017-13-01' [date]",
    ),
    (
        "bad-size",
        MINIMAL.replace("    split: test\n", "    split: test\n    input_size: 2048*1024\n"),
        "papers/2017/minimal.yaml:11:17: error: expected a size WIDTHxHEIGHT, e.g. 2048x1024, got '2048*1024' [results[0].input_size]",
    ),
    (
        "bad-evaluation-mode",
        MINIMAL.replace("    split: test\n", "    split: test\n    evaluation: {mode: multiscale}\n"),
        "papers/2017/minimal.yaml:11:24: error: expected one of single-scale, multi-scale; got 'multiscale' (did you mean 'multi-scale'?) [results[0].evaluation.mode]",
    ),
    (
        "hardware-word",
        MINIMAL.replace("    split: test\n", "    split: test\n    hardware: V100\n"),
        "papers/2017/minimal.yaml:11:15: error: expected a mapping (device, count, precision, batch, framework, resolution) or unstated; got 'V100' [results[0].hardware]",
    ),
    # format 2: how a result was obtained, checked against the registries and the paper's own keys
    (
        "missing-hardware",
        MINIMAL.replace("{mIoU: 70.1}", "{mIoU: 70.1, fps: 12}"),
        "papers/2017/minimal.yaml:11:27: error: fps is a speed: say what it was measured on with `hardware:` (device, "
        "count, precision, batch, framework, resolution), or write `hardware: unstated` where the source does not say "
        "[results[0].hardware]",
    ),
    (
        "unknown-class",
        MINIMAL.replace("    split: test\n", "    split: test\n    per_class: {raod: 98.1}\n"),
        "papers/2017/minimal.yaml:11:17: error: cityscapes has no class 'raod' (did you mean 'road'?) [results[0].per_class.raod]",
    ),
    (
        "unknown-source",
        MINIMAL.replace("    source: paper\n", "    source: pwc\n"),
        "papers/2017/minimal.yaml:12:13: error: source 'pwc' is not defined under `sources:` (it has: paper) [results[0].source]",
    ),
    (
        "unknown-also-source",
        MINIMAL + "    also: [{source: papr, locator: row 3}]\n",
        "papers/2017/minimal.yaml:14:21: error: source 'papr' is not defined under `sources:` (it has: paper) "
        "(did you mean 'paper'?) [results[0].also[0].source]",
    ),
    (
        "duplicate-result-id",
        MINIMAL + "  - id: minimal\n    dataset: cityscapes\n    split: val\n"
        "    metrics: {mIoU: 71.0}\n    source: paper\n    locator: Table 2\n",
        "papers/2017/minimal.yaml:14:9: error: result id 'minimal' is already used by results[0] of this paper: give each "
        "result its own id [results[1].id]",
    ),
    (
        "date-after-arxiv",
        MINIMAL + "date: 2017-03\nids: {arxiv: '1612.01105'}\n",
        "papers/2017/minimal.yaml:14:7: error: date 2017-03 is later than 2016-12, the month arXiv id 1612.01105 states: "
        "the first public version is that month at the latest [date]",
    ),
    (
        "unknown-backbone",
        MINIMAL.replace("    split: test\n", "    split: test\n    backbone: resnet101\n"),
        "papers/2017/minimal.yaml:11:15: error: unknown backbone 'resnet101' (did you mean 'resnet-101'?): backbones are "
        "slugs in papers/backbones.yaml [results[0].backbone]",
    ),
    (
        "split-role-result",
        MINIMAL.replace("split: test", "split: coarse"),
        "papers/2017/minimal.yaml:10:12: error: split 'coarse' of cityscapes is a training split: a result is measured on "
        "an evaluation split (val, test); say what it was trained on with `training.splits` [results[0].split]",
    ),
    (
        "split-role-training",
        MINIMAL.replace("    split: test\n", "    split: test\n    training: {splits: [train, test]}\n"),
        "papers/2017/minimal.yaml:11:32: error: split 'test' of cityscapes is scored by its evaluation server (its labels "
        "are withheld): nothing is trained on it; `split` is where a result was measured [results[0].training.splits[1]]",
    ),
    (
        "unknown-result",
        MINIMAL.replace("    split: test\n", "    split: test\n    reproduces: pspnet#cityscapes-test-psp\n"),
        "papers/2017/minimal.yaml:11:17: error: `reproduces: pspnet#cityscapes-test-psp` points nowhere: paper pspnet "
        "has no result 'cityscapes-test-psp' (did you mean 'cityscapes-test-pspnet'?)",
    ),
    (
        "unknown-result-paper",
        MINIMAL.replace("    split: test\n", "    split: test\n    reproduces: pspnett#cityscapes-test-pspnet\n"),
        "papers/2017/minimal.yaml:11:17: error: `reproduces: pspnett#cityscapes-test-pspnet` points nowhere: there is no "
        "paper 'pspnett' (did you mean 'pspnet'?)",
    ),
    (
        "empty-notes",
        MINIMAL + "notes: {}\n",
        "papers/2017/minimal.yaml:14:8: error: give the text in at least one language (en or zh) [notes]",
    ),
]


@pytest.mark.parametrize("case_id,text,expected", [c for c in CASES if c[2]], ids=[c[0] for c in CASES if c[2]])
def test_problem_is_located(corpus, case_id, text, expected):
    write(corpus, "papers/2017/minimal.yaml", text)
    rc, errors, proc = validate(corpus.parent)
    assert rc == 1, proc.stderr
    assert expected in errors, "\n".join(errors)
    assert "Traceback" not in proc.stderr


def test_duplicate_result_is_an_error(corpus):
    text = (
        MINIMAL
        + """  - id: minimal-2
    dataset: cityscapes
    split: test
    metrics: {mIoU: 70.1}
    source: paper
    locator: Table 1
"""
    )
    write(corpus, "papers/2017/minimal.yaml", text)
    rc, errors, _ = validate(corpus.parent)
    assert rc == 1
    assert (
        "papers/2017/minimal.yaml:14:5: error: the same numbers from the same source as results[0] [results[1]]"
        in errors
    ), errors


def test_two_sources_disagreeing_is_not_an_error(corpus):
    text = (
        MINIMAL.replace(
            "results:", "  survey: {kind: survey, name: Another survey, url: https://example.org/s}\nresults:"
        )
        + """  - id: minimal-survey
    dataset: cityscapes
    split: test
    metrics: {mIoU: 71.0}
    source: survey
"""
    )
    write(corpus, "papers/2017/minimal.yaml", text)
    rc, errors, proc = validate(corpus.parent)
    assert rc == 0, proc.stderr


def test_invalid_utf8_is_located(corpus):
    path = corpus / "2017" / "minimal.yaml"
    path.write_bytes(b"title: ok\nyear: 2017\nname: caf\xe9\n")
    rc, errors, _ = validate(corpus.parent)
    assert errors == ["papers/2017/minimal.yaml:3:10: error: file is not valid UTF-8 (byte 0xe9)"]


def test_id_rule(corpus):
    write(corpus, "papers/2017/My_Paper.yaml", MINIMAL)
    rc, errors, _ = validate(corpus.parent)
    assert rc == 1
    assert any(
        e.startswith("papers/2017/My_Paper.yaml:1:1: error: file name 'My_Paper.yaml' breaks the id rule")
        for e in errors
    ), errors


@pytest.mark.parametrize(
    "field,value,line_col,kind",
    [
        ('ids: {arxiv: "1612.01105"}', None, "14:14", "arXiv id"),
        ("ids: {doi: 10.1109/CVPR.2017.660}", None, "14:12", "DOI"),
    ],
)
def test_same_paper_twice_by_id(corpus, field, value, line_col, kind):
    write(corpus, "papers/2017/zz-copy.yaml", MINIMAL + field + "\n")
    rc, errors, _ = validate(corpus.parent)
    assert rc == 1
    assert (
        f"papers/2017/zz-copy.yaml:{line_col}: error: same {kind} as papers/2017/pspnet.yaml: one paper, one file"
        in " ".join(errors)
    ), errors


def test_same_paper_twice_by_folded_title(corpus):
    write(corpus, "papers/2017/zz-copy.yaml", MINIMAL.replace("A Minimal Paper", "pyramid scene-parsing network!"))
    rc, errors, _ = validate(corpus.parent)
    assert rc == 1
    assert (
        "papers/2017/zz-copy.yaml:2:8: error: same title as papers/2017/pspnet.yaml: one paper, one file [title]"
        in errors
    ), errors


def test_unknown_builds_on(corpus):
    write(corpus, "papers/2017/minimal.yaml", MINIMAL + "builds_on: [fcnn]\n")
    rc, errors, _ = validate(corpus.parent)
    assert (
        "papers/2017/minimal.yaml:14:13: error: unknown paper id 'fcnn' (did you mean 'fcn'?) [builds_on[0]]" in errors
    )


def test_every_problem_reported_at_once_and_sorted(corpus):
    write(
        corpus,
        "papers/2017/minimal.yaml",
        MINIMAL.replace("cityscapes", "cityscape").replace("70.1", "700") + "titel: x\n",
    )
    write(corpus, "papers/2017/another.yaml", MINIMAL.replace("A Minimal Paper", "Another").replace("cvpr", "cvrp"))
    rc, errors, proc = validate(corpus.parent)
    assert rc == 1
    assert len(errors) == 4, errors
    assert errors == sorted(errors, key=lambda e: (e.split(":")[0], int(e.split(":")[1]), int(e.split(":")[2])))
    # the fixture's leaderboard rows lack a locator and its leaderboard sources a retrieved date: warnings,
    # counted apart (each source said once: one warning per source, not per result)
    assert "4 errors, 9 warnings in 4 files (11 files checked)" in proc.stderr


def test_registry_problems_are_located(corpus):
    text = (
        (corpus / "datasets.yaml").read_text().replace("primary_metric: mIoU\n  url", "primary_metric: miou\n  url", 1)
    )
    (corpus / "datasets.yaml").write_text(text)
    rc, errors, _ = validate(corpus.parent)
    assert rc == 1
    assert (
        "papers/datasets.yaml:11:19: error: unknown metric 'miou' (did you mean 'mIoU'?) [cityscapes.primary_metric]"
        in errors
    )


def test_validate_named_file_reports_only_that_file(corpus):
    write(corpus, "papers/2017/minimal.yaml", MINIMAL.replace("cvpr", "cvrp"))
    write(corpus, "papers/2017/other.yaml", MINIMAL.replace("A Minimal Paper", "Other").replace("cityscapes", "x"))
    rc, errors, _ = validate(corpus.parent, "papers/2017/minimal.yaml")
    assert rc == 1
    assert [e.split(":")[0] for e in errors] == ["papers/2017/minimal.yaml"]


def test_github_format(corpus):
    write(corpus, "papers/2017/minimal.yaml", MINIMAL.replace("dataset: cityscapes", "dataset: cityscape"))
    proc = run_cli("validate", "--format", "github", cwd=corpus.parent)
    assert proc.returncode == 1
    assert [line for line in proc.stdout.splitlines() if line.startswith("::error")] == [
        "::error file=papers/2017/minimal.yaml,line=9,col=14,title=unknown-dataset::"
        "unknown dataset 'cityscape' (did you mean 'cityscapes'?) [results[0].dataset]"
    ]
    assert (
        "::warning file=papers/2017/pspnet.yaml,line=21,col=3,title=missing-retrieved::"
        "leaderboard source has no retrieved date: leaderboards change, say when you read it [sources.fixture-leaderboard]"
        in proc.stdout.splitlines()
    )


def test_usage_errors_exit_2(corpus):
    assert run_cli("validate", "no/such/file.yaml", cwd=corpus.parent).returncode == 2
    assert run_cli("frobnicate", cwd=corpus.parent).returncode == 2
    assert run_cli("validate", "--format", "xml", cwd=corpus.parent).returncode == 2


NO_LOCATOR = MINIMAL.replace("    locator: Table 1\n", "")


def test_a_warning_is_printed_and_does_not_fail(corpus):
    write(corpus, "papers/2017/minimal.yaml", NO_LOCATOR)
    proc = run_cli("validate", "papers/2017/minimal.yaml", cwd=corpus.parent)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == [
        "papers/2017/minimal.yaml:12:13: warning: result has no locator: say where in its source the numbers are "
        "(table, figure, page or row) [results[0].locator]",
        "0 errors, 1 warning in 1 file (10 files checked)",
        "ok: 4 papers, 10 results, 10 files checked",
    ]


def test_a_leaderboard_source_without_retrieved_date_warns(corpus):
    write(
        corpus,
        "papers/2017/minimal.yaml",
        MINIMAL.replace("kind: paper, name: The paper", "kind: leaderboard, name: A board"),
    )
    proc = run_cli("validate", "papers/2017/minimal.yaml", cwd=corpus.parent)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[0] == (
        "papers/2017/minimal.yaml:6:3: warning: leaderboard source has no retrieved date: leaderboards change, "
        "say when you read it [sources.paper]"
    )
    write(
        corpus,
        "papers/2017/minimal.yaml",
        MINIMAL.replace("kind: paper, name: The paper", "kind: leaderboard, name: A board, retrieved: 2024-05-01"),
    )
    proc = run_cli("validate", "papers/2017/minimal.yaml", cwd=corpus.parent)
    assert "warning" not in proc.stderr, proc.stderr
    # a leaderboard file at one commit cannot change: no date needed; the same file on a branch can
    pinned = "https://github.com/o/boards/blob/4214be0c1f764e1756fee3ef28cd0a10e5f9b91a/board.json"
    for url, warns in ((pinned, False), (pinned.replace("4214be0c1f764e1756fee3ef28cd0a10e5f9b91a", "main"), True)):
        write(
            corpus,
            "papers/2017/minimal.yaml",
            MINIMAL.replace(
                "kind: paper, name: The paper, url: https://example.org/p",
                f"kind: leaderboard, name: A board, url: {url}",
            ),
        )
        proc = run_cli("validate", "papers/2017/minimal.yaml", cwd=corpus.parent)
        assert ("no retrieved date" in proc.stderr) is warns, (url, proc.stderr)


def test_a_result_without_its_boards_primary_metric_warns(corpus):
    write(corpus, "papers/2017/minimal.yaml", MINIMAL.replace("{mIoU: 70.1}", "{fps: 12}\n    hardware: unstated"))
    proc = run_cli("validate", "papers/2017/minimal.yaml", cwd=corpus.parent)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[0] == (
        "papers/2017/minimal.yaml:11:14: warning: cityscapes is ranked by mIoU, which this result does not give: "
        "it is on no leaderboard [results[0].metrics]"
    )


def test_a_source_contradicting_itself_warns_and_keeps_both(corpus):
    write(
        corpus,
        "papers/2017/minimal.yaml",
        MINIMAL.replace("    split: test\n", "    split: test\n    training: {splits: [coarse], extra_data: false}\n"),
    )
    proc = run_cli("validate", "papers/2017/minimal.yaml", cwd=corpus.parent)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[0] == (
        "papers/2017/minimal.yaml:11:34: warning: the source contradicts itself: the row names extra training data "
        "(split 'coarse') but its extra-data column says no; both are kept, and the result counts as neither "
        "own-data-only nor extra-data [results[0].training]"
    )


def test_reproduces_a_result_of_another_paper(corpus):
    write(
        corpus,
        "papers/2017/minimal.yaml",
        MINIMAL.replace("    split: test\n", "    split: test\n    reproduces: pspnet#cityscapes-test-pspnet\n"),
    )
    rc, errors, proc = validate(corpus.parent)
    assert rc == 0, proc.stderr


def test_sarif_format_has_the_fields_code_scanning_requires(corpus):
    import json

    from generator.format.rules import RULES

    write(corpus, "papers/2017/minimal.yaml", NO_LOCATOR.replace("dataset: cityscapes", "dataset: cityscape"))
    proc = run_cli("validate", "--format", "sarif", "papers/2017/minimal.yaml", cwd=corpus.parent)
    assert proc.returncode == 1
    log = json.loads(proc.stdout)
    # SARIF 2.1.0 (OASIS), the subset GitHub code scanning reads: sarifLog.version and runs; run.tool.driver.name;
    # result.message.text, ruleId, level, locations[].physicalLocation.{artifactLocation.uri, region.startLine}
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"]
    rule_ids = [r["id"] for r in driver["rules"]]
    assert rule_ids == list(RULES)
    assert all(
        r["shortDescription"]["text"]
        and r["help"]["text"]
        and r["defaultConfiguration"]["level"] in ("error", "warning")
        for r in driver["rules"]
    )
    got = [
        (
            r["ruleId"],
            r["level"],
            r["message"]["text"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
        )
        for r in run["results"]
    ]
    assert got == [
        (
            "unknown-dataset",
            "error",
            "unknown dataset 'cityscape' (did you mean 'cityscapes'?) [results[0].dataset]",
            "papers/2017/minimal.yaml",
            9,
            14,
        ),
        (
            "missing-locator",
            "warning",
            "result has no locator: say where in its source the numbers are (table, "
            "figure, page or row) [results[0].locator]",
            "papers/2017/minimal.yaml",
            12,
            13,
        ),
    ]
    assert all(rule_ids[r["ruleIndex"]] == r["ruleId"] for r in run["results"])


# The validator's blind spots (issue 13) ------------------------------------------------------------------


def test_a_file_outside_the_papers_folder_is_a_usage_error(corpus):
    (corpus.parent / "garbage.yaml").write_text("title: [broken\nyear: 20x\n", encoding="utf-8")
    proc = run_cli("validate", "garbage.yaml", cwd=corpus.parent)
    assert proc.returncode == 2
    assert proc.stderr == (
        "python -m generator validate: garbage.yaml is not in the papers folder papers/: validate "
        "checks papers/<year>/<id>.yaml and the registries beside them\n"
    )


def test_a_file_below_a_year_folder_is_reported(corpus):
    write(corpus, "papers/2017/extra/bad.yaml", "title: [broken\n")
    write(corpus, "papers/2017/notes.md", "notes\n")
    expected = [
        "papers/2017/extra/bad.yaml:1:1: error: unexpected file: papers go in papers/<year>/<id>.yaml, "
        "with no folder below the year",
        "papers/2017/notes.md:1:1: error: unexpected file: papers go in papers/<year>/<id>.yaml, "
        "with no folder below the year",
    ]
    rc, errors, _ = validate(corpus.parent)
    assert (rc, errors) == (1, expected)
    rc, errors, _ = validate(corpus.parent, "papers/2017/extra/bad.yaml")
    assert (rc, errors) == (1, expected[:1])


def test_every_problem_of_a_file_in_one_run(corpus):
    text = """format: 2
title: A Minimal Paper
year: 2018
titel: typo
sources:
  paper: {kind: paper, name: The paper}
results:
  - id: a
    dataset: cityscapes
    split: test
    metrics: {miou: 70.1}
    source: paper
    locator: Table 1
  - id: b
    dataset: cityscapes
    split: test
    metrics: {mIoU: 781.2}
    source: paper
    locator: Table 2
"""
    write(corpus, "papers/2017/minimal.yaml", text)
    rc, errors, _ = validate(corpus.parent)
    assert rc == 1
    assert errors == [
        "papers/2017/minimal.yaml:3:7: error: year 2018 does not match the folder '2017/' (move the file to papers/2018/) [year]",
        "papers/2017/minimal.yaml:4:1: error: unknown key 'titel' (did you mean 'title'?) [titel]",
        "papers/2017/minimal.yaml:6:10: error: missing required key 'url' [sources.paper.url]",
        "papers/2017/minimal.yaml:11:15: error: unknown metric 'miou' (did you mean 'mIoU'?) [results[0].metrics.miou]",
        "papers/2017/minimal.yaml:17:21: error: mIoU must be between 0 and 100, got 781.2 [results[1].metrics.mIoU]",
    ]


@pytest.mark.parametrize(
    "old,new,expected",
    [
        (
            "venue: cvpr",
            "venue: CVPR",
            "papers/2017/minimal.yaml:4:8: error: expected a slug: lower-case letters, digits and '-', got 'CVPR' (did you mean 'cvpr'?) [venue]",
        ),
        (
            "dataset: cityscapes",
            "dataset: ADE20k",
            "papers/2017/minimal.yaml:9:14: error: expected a slug: lower-case letters, digits and '-', got 'ADE20k' "
            "(did you mean 'ade20k'?) [results[0].dataset]",
        ),
        (
            "{mIoU: 70.1}",
            "{miou: 70.1}",
            "papers/2017/minimal.yaml:11:15: error: unknown metric 'miou' (did you mean 'mIoU'?) [results[0].metrics.miou]",
        ),
        (
            "    split: test\n",
            "\tsplit: test\n",
            "papers/2017/minimal.yaml:10:1: error: YAML does not allow tabs for indentation; use spaces",
        ),
    ],
    ids=["CVPR", "ADE20k", "miou", "tab"],
)
def test_hints_ignore_case_and_a_tab_is_named(corpus, old, new, expected):
    write(corpus, "papers/2017/minimal.yaml", MINIMAL.replace(old, new))
    rc, errors, _ = validate(corpus.parent)
    assert (rc, errors) == (1, [expected])


def test_miou_does_not_suggest_iou_when_both_exist():
    from generator.format.convert import hint

    assert hint("miou", ["iou", "mIoU", "fps"]) == " (did you mean 'mIoU'?)"
    assert hint("MIOU", ["iou", "mIoU"]) == " (did you mean 'mIoU'?)"


def test_one_brace_rule_for_validation_and_export(corpus, tmp_path):
    lone = MINIMAL + "bibtex: {fields: {note: 'open brace \\{ only'}}\n"
    write(corpus, "papers/2017/minimal.yaml", lone)
    rc, errors, _ = validate(corpus.parent)
    assert (rc, errors) == (
        1,
        [
            "papers/2017/minimal.yaml:14:9: error: bibtex field 'note' has unbalanced braces (bibtex counts every brace, "
            "escaped or not; write \\textbraceleft{} for a lone brace) [bibtex]"
        ],
    )
    override = "see {\\{}braces{\\}} and \\{both\\}"
    write(corpus, "papers/2017/minimal.yaml", MINIMAL + f"bibtex: {{fields: {{note: '{override}'}}}}\n")
    rc, errors, proc = validate(corpus.parent)
    assert rc == 0, proc.stderr
    proc = run_cli("export", "bibtex", "--year", "2017", cwd=corpus.parent)
    assert proc.returncode == 0, proc.stderr
    assert f"note = {{{override}}}" in proc.stdout  # written as validated, never re-encoded


def test_new_and_import_recognise_a_papers_folder_as_validate_does(corpus, tmp_path):
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "venues.yaml").write_text((corpus / "venues.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    bib = tmp_path / "one.bib"
    bib.write_text("@misc{x, title={X}, year={2017}}\n", encoding="utf-8")
    for args, prog in ((("new", "--title", "X", "--year", "2017"), "new"), (("import", "bibtex", str(bib)), "import")):
        proc = run_cli(*args, "--papers", str(folder), cwd=tmp_path)
        assert proc.returncode == 2, proc.stderr
        assert f"no papers folder at {folder} (looked for {folder}/datasets.yaml)" in proc.stderr, prog


def test_validation_leaves_the_garbage_collector_as_it_found_it_even_when_concurrent(corpus):
    """The collector is the process's (serve validates beside its HTTP threads): off only while a
    validation runs, back on after the last of several at once."""
    import gc
    import threading

    from generator.format.validate import validate_tree

    assert gc.isenabled()
    seen: list[bool] = []
    threads = [threading.Thread(target=lambda: seen.append(not validate_tree(corpus).problems)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == [True] * 4 and gc.isenabled()
    gc.disable()
    try:
        validate_tree(corpus)
        assert not gc.isenabled()  # switched off by someone else: left off
    finally:
        gc.enable()


def test_site_url_given_to_the_config_does_not_touch_the_environment(monkeypatch):
    import os

    from generator.config import SiteConfig

    monkeypatch.delenv("SITE_URL", raising=False)
    assert SiteConfig.from_env(site_url="http://[::1]:8123/").site_url == "http://[::1]:8123/"
    assert "SITE_URL" not in os.environ


@pytest.mark.parametrize("broken", [False, True])
def test_paper_files_read_in_two_shares_at_once_give_what_one_reading_gives(corpus, monkeypatch, broken):
    """The build reads the paper files in two shares, one in a copy of its process (linux.in_copies): the
    papers, errors, warnings and count are those of one reading, cross-file rules included (the same paper
    twice, a reproduction of another file's result)."""
    import generator.format.validate as validate_module
    from generator.site import linux

    write(
        corpus,
        "papers/2017/minimal.yaml",
        MINIMAL.replace("    split: test\n", "    split: test\n    reproduces: pspnet#cityscapes-test-pspnet\n"),
    )
    if broken:
        write(corpus, "papers/2015/twin.yaml", (corpus / "2017" / "pspnet.yaml").read_text(encoding="utf-8"))
        write(corpus, "papers/2018/bad.yaml", MINIMAL.replace("year: 2017", "year: 2018\nvenue_typo: x"))
    one = validate_module.validate_tree(corpus)
    monkeypatch.setattr(validate_module, "_SHARE_MIN", 1)
    shares: list[int] = []

    def spy(works):
        shares.append(len(works))
        return linux.in_copies(works)

    two = validate_module.validate_tree(corpus, run_all=spy)
    assert shares == [2]
    assert (two.papers, two.problems, two.warnings, two.files_checked) == (
        one.papers,
        one.problems,
        one.warnings,
        one.files_checked,
    )
    assert bool(one.problems) == broken and len(one.papers) == (0 if broken else len(list(corpus.rglob("*/*.yaml"))))
