"""What every reader of a public source produces: rows, each one reported result with its paper and source.

A reader never guesses: a field the source does not state stays None / empty. Values are kept as the
source writes them (metrics as Decimal parsed from the literal text, never rounded).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping, Optional


@dataclass(frozen=True)
class SourceRef:
    """A source file, said once per paper in the output (`sources:` map) and referred to by `key`."""

    key: str  # stable slug, e.g. "ocp-cityscapes-test" or "mmseg-pspnet"
    kind: str  # paper | leaderboard | model-zoo | reproduction | survey
    name: str  # as a reader would search for it
    url: str  # the file at its commit, a URL a reader can open
    licence: Optional[str] = None  # SPDX id
    retrieved: Optional[str] = None  # YYYY-MM-DD, where known


@dataclass(frozen=True)
class PaperRef:
    """What a source says about the paper a row belongs to (identity and bibliography)."""

    title: Optional[str] = None
    name: Optional[str] = None  # method name, where the source gives one
    authors: tuple[str, ...] = ()
    arxiv: Optional[str] = None  # without version
    doi: Optional[str] = None
    url: Optional[str] = None  # paper link as the source gives it
    code: Optional[str] = None  # code link as the source gives it
    date: Optional[str] = None  # YYYY-MM or YYYY-MM-DD as stated (leaderboard `d`, arXiv id month)
    venue: Optional[str] = None  # venue slug where the source states one
    year: Optional[int] = None


@dataclass(frozen=True)
class Row:
    """One result: the v2 `results[]` fields (see CONTRIBUTING), without `id`, plus where it came from."""

    paper: PaperRef
    source: SourceRef
    locator: str  # where inside the source: "items[12] (model 'X')", "table 2, row 5"
    dataset: str
    split: str
    metrics: Mapping[str, Decimal]
    model: Optional[str] = None
    task: Optional[str] = None  # None: the survey's default task (survey.yml)
    backbone: Optional[str] = None  # slug in backbones.yaml
    training: Mapping[str, Any] = field(default_factory=dict)
    evaluation: Mapping[str, Any] = field(default_factory=dict)
    hardware: Any = None  # mapping, or "unstated" where fps/latency are given without hardware
    artifacts: Mapping[str, Any] = field(default_factory=dict)
    per_class: Mapping[str, Decimal] = field(default_factory=dict)
    reproduces: Optional[str] = None  # "<paper-id>#<result-id>" when known; merge may fill it
    notes: Optional[str] = None  # English note, e.g. what the source's label said


@dataclass(frozen=True)
class Skipped:
    """A row or column a reader did not import, and why (every one is reported)."""

    source: str
    locator: str
    reason: str
