"""Leaderboards as readers compare them with the sources: ranks, ties, direction, order."""

import itertools
import re
from decimal import Decimal

import pytest

from generator.format import formatters
from generator.corpus.core import Row, build_corpus, pareto_front, rank_rows
from generator.format.model import Metric, Names, Paper, PaperFile, Result, Source
from generator.format.validate import validate_tree
from helpers import ROOT

PWC_CITYSCAPES = "https://paperswithcode.com/sota/semantic-segmentation-on-cityscapes"


@pytest.fixture(scope="module")
def corpus():
    checked = validate_tree(ROOT / "papers")
    assert not checked.problems, [formatters.text(p) for p in checked.problems[:5]]
    return build_corpus(checked.registries, checked.papers)


def test_cityscapes_test_board_ranks_seed_000_rows_in_the_seed_order(corpus):
    board = corpus.board_by_slug["cityscapes-test"]
    seed_rows = []
    for row in board.rows:
        src = row.cite
        if src.kind == "leaderboard" and src.url == PWC_CITYSCAPES and src.locator:
            m = re.fullmatch(r"row (\d+)", src.locator)
            if m:
                seed_rows.append((int(m.group(1)), row))
    assert sorted(n for n, _ in seed_rows) == list(range(1, 96))  # all 95 rows of the seed, once each
    seed_rows.sort()
    for (n1, r1), (n2, r2) in itertools.pairwise(seed_rows):
        assert r1.rank <= r2.rank, (
            f"seed row {n1} ({r1.model}, {r1.score}) ranks after row {n2} ({r2.model}, {r2.score})"
        )
        if r1.score != r2.score:
            assert r1.rank < r2.rank


def _row(score: str, name: str) -> Row:
    result = Result(id="r", dataset="d", split="test", metrics={"m": Decimal(score)}, source="s", model=name)
    paper = PaperFile(
        name,
        f"papers/2020/{name}.yaml",
        Paper(
            format=2,
            title=name,
            year=2020,
            results=(result,),
            sources={"s": Source(kind="paper", name="s", url="https://example.org")},
        ),
    )
    return Row(paper, 0, result, Decimal(score), None)


def test_ties_share_a_rank_and_the_next_rank_skips():
    higher = Metric(Names("m", "m"), higher_is_better=True)
    ranked = rank_rows([_row("80", "a"), _row("82", "b"), _row("80", "c"), _row("79", "d")], higher)
    assert [(r.model, r.rank) for r in ranked] == [("b", 1), ("a", 2), ("c", 2), ("d", 4)]
    lower = Metric(Names("m", "m"), higher_is_better=False)
    ranked = rank_rows([_row("0.2", "a"), _row("0.1", "b")], lower)
    assert [(r.model, r.rank) for r in ranked] == [("b", 1), ("a", 2)]


def test_pareto_front_keeps_only_undominated_points():
    pts = [
        (Decimal(c), Decimal(s), name)
        for c, s, name in [
            ("1", "60", "cheap"),
            ("2", "59", "dominated"),
            ("3", "70", "mid"),
            ("10", "69", "worse"),
            ("20", "75", "best"),
        ]
    ]
    assert [p[2] for p in pareto_front(pts, True)] == ["cheap", "mid", "best"]


def test_subset_datasets_never_share_a_board_with_their_parent(corpus):
    for board in corpus.boards:
        ds = corpus.registries.datasets[board.dataset]
        if ds.subset_of:
            assert all(r.result.dataset == board.dataset for r in board.rows)
    assert "ade20k32-unspecified" in corpus.board_by_slug


def test_a_disagreement_is_the_same_settings_from_another_source_not_another_configuration(tmp_path):
    import shutil

    root = tmp_path / "papers"
    shutil.copytree(ROOT / "tests" / "fixtures" / "valid" / "papers", root)
    (root / "2020").mkdir(exist_ok=True)
    (root / "2020" / "netx.yaml").write_text(
        """format: 2
title: NetX
year: 2020
sources:
  zoo: {kind: model-zoo, name: Zoo, url: https://example.org/zoo}
  lb: {kind: leaderboard, name: Board, url: https://example.org/lb, retrieved: 2025-01-01}
results:
  - {id: a, dataset: cityscapes, split: val, model: NetX, backbone: resnet-101, metrics: {mIoU: 80.0},
     source: zoo, locator: row 1, training: {crop: 512x1024}}
  - {id: b, dataset: cityscapes, split: val, model: NetX, backbone: resnet-101, metrics: {mIoU: 79.0},
     source: lb, locator: row 2, training: {crop: 512x1024}}
  - {id: c, dataset: cityscapes, split: val, model: NetX, backbone: resnet-101, metrics: {mIoU: 78.0},
     source: zoo, locator: row 3, training: {crop: 769x769}}
  - {id: d, dataset: cityscapes, split: val, model: NetX, backbone: xception, metrics: {mIoU: 77.0},
     source: lb, locator: row 4, training: {crop: 512x1024}}
""",
        encoding="utf-8",
    )
    checked = validate_tree(root)
    assert not checked.problems, [formatters.text(p) for p in checked.problems[:5]]
    board = build_corpus(checked.registries, checked.papers).board_by_slug["cityscapes-val"]
    mine = {r.result.id: r for r in board.rows if r.paper.id == "netx"}
    assert {o.result.id for o in mine["a"].disagrees} == {"b"}
    assert {o.result.id for o in mine["b"].disagrees} == {"a"}
    assert not mine["c"].disagrees and not mine["d"].disagrees  # another crop, another backbone


def test_a_source_contradicting_itself_keeps_its_column_and_counts_as_unknown(corpus):
    board = corpus.board_by_slug["cityscapes-test"]
    row = next(r for r in board.rows if r.model == "GALDNet (+Mapillary)")
    assert row.result.training.extra == ("mapillary",) and row.result.training.extra_data is False
    assert row.extra_data is False  # what the source's column says, as exported
    assert row.contradicts and row.data_class == "unknown"
    assert all(not bv.view.shows(row) for bv in board.views)  # in no "no extra data" view


def test_comparable_views_rank_their_rows_among_themselves(corpus):
    board = corpus.board_by_slug["cityscapes-test"]
    for bv in board.views:
        assert all(r.eval_class in bv.view.evaluation and r.data_class in bv.view.data for r in bv.rows)
        ranks = [bv.ranks[(r.paper.id, r.index)] for r in bv.rows if r.rank is not None]
        assert ranks == sorted(ranks) and (not ranks or ranks[0] == 1)
        scores = [r.score for r in bv.rows if r.rank is not None]
        for (a, ra), (b, rb) in itertools.pairwise(zip(scores, ranks, strict=True)):
            assert (ra == rb) == (a == b)
    assert board.unstated["contradicts"] >= 4
