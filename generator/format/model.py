"""The paper format as typed, frozen models: the one description the validator, the
renderers and the published JSON Schema (papers/paper.schema.json) all derive from; CONTRIBUTING.md
describes it for contributors."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Mapping, Optional, Union, cast

from generator.format.types import (
    ArxivId,
    BibField,
    BibKey,
    Date,
    Doi,
    MetricSlug,
    ResultRef,
    Size,
    Slug,
    Spdx,
    Url,
    YearMonth,
    balanced,
    field,
)

FORMAT_VERSION = 2


Many = Union[Url, tuple[Url, ...]]


@dataclass(frozen=True)
class Names:
    """A display name in every site language; a plain string is the same in both (proper nouns)."""

    en: str = field(doc="English")
    zh: str = field(doc="Simplified Chinese")

    @staticmethod
    def __from_scalar__(text: str) -> Names:
        return Names(text, text)

    def get(self, lang: str) -> str:
        return getattr(self, lang)


@dataclass(frozen=True)
class Text:
    """Text in one or both site languages (Markdown where it is a note)."""

    en: Optional[str] = field(default=None, doc="English")
    zh: Optional[str] = field(default=None, doc="Simplified Chinese")

    def __check__(self):
        if self.en is None and self.zh is None:
            yield "give the text in at least one language (en or zh)"

    def get(self, lang: str) -> Optional[str]:
        return getattr(self, lang)


@dataclass(frozen=True)
class Ids:
    arxiv: Optional[ArxivId] = field(default=None, doc="arXiv identifier, quoted", examples=("1612.01105",))
    doi: Optional[Doi] = field(default=None, doc="DOI without the resolver prefix", examples=("10.1109/CVPR.2017.660",))


LINK_KINDS = ("paper", "code", "project", "slides", "video", "demo", "tutorial")


@dataclass(frozen=True)
class Links:
    """Links of a paper; each an http(s) URL or a list of them."""

    paper: Optional[Many] = field(default=None)
    code: Optional[Many] = field(default=None)
    project: Optional[Many] = field(default=None)
    slides: Optional[Many] = field(default=None)
    video: Optional[Many] = field(default=None)
    demo: Optional[Many] = field(default=None)
    tutorial: Optional[Many] = field(default=None)

    def all(self, kind: str) -> tuple[str, ...]:
        value = getattr(self, kind)
        if value is None:
            return ()
        return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True)
class Training:
    """How the model was trained, as far as the source says."""

    splits: tuple[Slug, ...] = field(
        default=(), doc="the dataset's own splits trained on (train, val, coarse...), as the source names them"
    )
    extra: tuple[Slug, ...] = field(
        default=(), doc="other datasets trained on (slugs in datasets.yaml), e.g. mapillary"
    )
    extra_data: Optional[bool] = field(
        default=None,
        doc="what the source says in an 'extra data: yes/no' column, as it says it; beside `extra` when "
        "the source states both (a contradiction is kept, warned about, and counts as unknown)",
    )
    pretrain: Optional[str] = field(
        default=None, doc="what the backbone or model saw before", examples=("imagenet-1k", "imagenet-22k", "coco")
    )
    crop: Optional[Size] = field(default=None, doc="training crop WxH")
    schedule: Optional[str] = field(
        default=None, doc="as the source states it", examples=("80k iterations", "160 epochs")
    )
    batch: Optional[int] = field(default=None, doc="images per iteration, all devices together")


@dataclass(frozen=True)
class Evaluation:
    """How the number was measured."""

    mode: Optional[Literal["single-scale", "multi-scale"]] = field(default=None, doc="test-time scales")
    scales: tuple[Decimal, ...] = field(
        default=(), doc="the scales of a multi-scale test", examples=((0.5, 0.75, 1.0, 1.25, 1.5, 1.75),)
    )
    flip: Optional[bool] = field(default=None, doc="horizontal flip at test time")
    inference: Optional[Literal["whole", "slide"]] = field(default=None, doc="whole image or sliding window")
    crop: Optional[Size] = field(default=None, doc="sliding-window or test crop WxH")
    test_server: Optional[bool] = field(default=None, doc="scored by the benchmark's evaluation server")
    quantization: Optional[str] = field(default=None, doc="the model was run quantized", examples=("QAT int8",))


@dataclass(frozen=True)
class Hardware:
    """What a speed (fps, latency_ms) was measured on."""

    device: str = field(doc="e.g. V100, RTX 3090, Jetson AGX Xavier")
    count: Optional[int] = field(default=None, doc="number of devices")
    precision: Optional[str] = field(default=None, examples=("fp32", "fp16", "int8"))
    batch: Optional[int] = field(default=None, doc="images per forward pass")
    framework: Optional[str] = field(default=None, doc="framework or backend", examples=("PyTorch 1.8", "TensorRT 8"))
    resolution: Optional[Size] = field(default=None, doc="input WxH of the measured run")


UNSTATED = "unstated"


@dataclass(frozen=True)
class Artifacts:
    """What a model zoo publishes with a result."""

    config: Optional[Url] = field(default=None)
    weights: Optional[Url] = field(default=None)
    log: Optional[Url] = field(default=None)
    framework: Optional[str] = field(default=None, doc="the codebase that produced the result", examples=("mmcv",))
    version: Optional[str] = field(default=None, examples=("1.2.2",))


@dataclass(frozen=True)
class Source:
    """Where numbers were published, said once per paper: a reader must be able to follow it."""

    kind: Literal["paper", "leaderboard", "model-zoo", "reproduction", "survey"] = field(doc="what kind of source")
    name: str = field(doc="its name as a reader would search for it")
    url: Url = field(doc="where to read it; a file in a repository at its commit")
    retrieved: Optional[Date] = field(default=None, doc="when the source was read")
    archived: Optional[Url] = field(
        default=None,
        doc="an archived copy of the page (e.g. on web.archive.org), "
        "for a source that has gone or moved; shown beside url",
        examples=("https://web.archive.org/web/2024/https://paperswithcode.com/sota",),
    )
    licence: Optional[Spdx] = field(default=None, doc="SPDX id of the source's licence", examples=("CC-BY-SA-4.0",))


@dataclass(frozen=True)
class Also:
    """The same numbers in another source."""

    source: Slug = field(doc="a key in the paper's `sources`")
    locator: Optional[str] = field(default=None, doc="where inside that source")


@dataclass(frozen=True)
class Cite:
    """A result's source resolved: the paper-level source with the result's locator (not written in files)."""

    key: str
    kind: str
    name: str
    url: str
    locator: Optional[str] = None
    retrieved: Optional[str] = None
    licence: Optional[str] = None
    archived: Optional[str] = None

    def identity(self) -> tuple:
        return (self.kind, self.name, self.url, self.locator)


@dataclass(frozen=True)
class Result:
    """One reported set of numbers of one model on one dataset split, and how it was obtained."""

    id: Slug = field(doc="unique in the paper and stable: diff, links, badges and exports use it")
    dataset: Slug = field(doc="slug in datasets.yaml")
    split: Slug = field(doc="the split evaluated on; one that the dataset declares")
    metrics: Mapping[MetricSlug, Decimal] = field(doc="metric slug (metrics.yaml) -> number, as published")
    source: Slug = field(doc="key in the paper's `sources`")
    locator: Optional[str] = field(
        default=None, doc="table, figure, page or row inside the source", examples=("Table 4", "row 44")
    )
    also: tuple[Also, ...] = field(default=(), doc="the same numbers in other sources")
    model: Optional[str] = field(default=None, doc="row label as the source writes it; defaults to the paper's name")
    backbone: Optional[Slug] = field(default=None, doc="slug in backbones.yaml")
    input_size: Optional[Size] = field(default=None, doc="WxH")
    task: Optional[Slug] = field(
        default=None, doc="slug in tasks.yaml; left out: the survey's default task (survey.yml)"
    )
    tags: tuple[str, ...] = field(default=(), doc="free labels of this row, e.g. backbone family")
    training: Optional[Training] = field(default=None)
    evaluation: Optional[Evaluation] = field(default=None)
    hardware: Optional[Union[Hardware, Literal["unstated"]]] = field(
        default=None, doc="required with fps or latency_ms: what the speed was measured on, or `unstated`"
    )
    per_class: Mapping[str, Decimal] = field(default=None, doc="class name (the dataset's `classes`) -> score")
    reproduces: Optional[ResultRef] = field(
        default=None, doc="<paper-id>#<result-id> of the claim this result reproduces"
    )
    artifacts: Optional[Artifacts] = field(default=None)
    notes: Optional[Text] = field(default=None)

    __moved__ = {
        "extra_data": "training.extra_data (or training.extra: [dataset] where the source names the data)",
        "protocol": "evaluation (mode, flip, crop, quantization) and training.pretrain",
    }

    def __check__(self):
        if not self.metrics:
            yield "a result needs at least one metric"

    @property
    def hardware_stated(self) -> Optional[Hardware]:
        return self.hardware if isinstance(self.hardware, Hardware) else None


@dataclass(frozen=True)
class BibOverride:
    key: Optional[BibKey] = field(default=None, doc="citation key")
    type: Optional[Literal["article", "inproceedings", "incollection", "misc", "phdthesis", "techreport", "book"]] = (
        field(default=None)
    )
    fields: Optional[Mapping[BibField, str]] = field(default=None, doc="extra or replaced BibTeX fields, as LaTeX")

    def __check__(self):
        for name, value in (self.fields or {}).items():
            if not balanced(value):
                yield (
                    f"bibtex field '{name}' has unbalanced braces (bibtex counts every brace, "
                    "escaped or not; write \\textbraceleft{} for a lone brace)"
                )


@dataclass(frozen=True)
class Published:
    """The version of record, as a source states it."""

    venue: Optional[Slug] = field(default=None, doc="slug in venues.yaml")
    year: Optional[int] = field(default=None)
    volume: Optional[str] = field(default=None)
    number: Optional[str] = field(default=None)
    pages: Optional[str] = field(default=None, examples=("2881--2890",))
    doi: Optional[Doi] = field(default=None)
    publisher: Optional[str] = field(default=None)


@dataclass(frozen=True)
class Paper:
    """One paper: papers/<year>/<id>.yaml."""

    format: int = field(doc="version of the paper format: 2")
    title: str = field(doc="title as published")
    year: int = field(doc="year of the version cited (the folder papers/<year>/ takes it)")
    name: Optional[str] = field(default=None, doc="short method name shown in tables", examples=("PSPNet",))
    authors: tuple[str, ...] = field(default=(), doc="'Given Family' names in order")
    date: Optional[YearMonth] = field(
        default=None, doc="first public version, YYYY-MM or YYYY-MM-DD (timelines use it)"
    )
    venue: Optional[Slug] = field(default=None, doc="slug in venues.yaml (arxiv for preprints)")
    published: Optional[Published] = field(default=None, doc="the version of record, where a source states it")
    ids: Optional[Ids] = field(default=None)
    links: Optional[Links] = field(default=None)
    topics: tuple[Slug, ...] = field(default=(), doc="slugs in topics.yaml")
    tags: tuple[str, ...] = field(default=(), doc="free labels shown as filters")
    builds_on: tuple[Slug, ...] = field(default=(), doc="ids of papers this method extends")
    abstract: Optional[str] = field(default=None, doc="original language")
    notes: Optional[Text] = field(default=None, doc="Markdown, in either language or both")
    sources: Mapping[Slug, Source] = field(default=None, doc="every source the results cite, said once: key -> source")
    results: tuple[Result, ...] = field(default=())
    bibtex: Optional[BibOverride] = field(default=None, doc="overrides of the generated entry")

    def __check__(self):
        if self.format != FORMAT_VERSION:
            yield f"format {self.format} is not known: write format: {FORMAT_VERSION}"
        if not 1900 <= self.year <= 2100:
            yield f"year {self.year} is not plausible"

    def cite(self, result: Result, source: Optional[str] = None, locator: Optional[str] = None) -> Cite:
        """A result's source (or one of its `also`) with its locator."""
        key = source or result.source
        src = (self.sources or {}).get(cast(Slug, key))
        if src is None:  # only on a paper the validator rejected
            return Cite(key, "paper", key, "", locator if source else result.locator)
        return Cite(
            key,
            src.kind,
            src.name,
            src.url,
            locator if source else result.locator,
            src.retrieved,
            src.licence,
            src.archived,
        )

    def cites(self, result: Result) -> tuple[Cite, ...]:
        return (self.cite(result), *(self.cite(result, a.source, a.locator) for a in result.also))

    @property
    def label(self) -> str:
        return self.name or self.title


# Registries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    name: Names = field(doc="display name in both languages")
    role: Literal["train", "eval"] = field(
        doc="train: only trained on; eval: results are measured on it (and may be trained on, e.g. val)"
    )
    extra: bool = field(default=False, doc="data beyond the dataset's standard training set (e.g. coarse labels)")
    server: bool = field(default=False, doc="labels are withheld; scored by the benchmark's evaluation server")


@dataclass(frozen=True)
class Dataset:
    name: Names
    splits: Mapping[Slug, Split] = field(doc="split slug -> its name, role and flags")
    primary_metric: MetricSlug = field(doc="the metric that ranks this dataset's leaderboards")
    url: Optional[Url] = field(default=None)
    subset_of: Optional[Slug] = field(default=None, doc="a dataset this one is a subset of (never ranked with it)")
    variant_of: Optional[Slug] = field(
        default=None, doc="a dataset this one is a variant of, e.g. other classes (never ranked with it)"
    )
    num_classes: Optional[int] = field(default=None)
    classes: tuple[str, ...] = field(
        default=(), doc="class names, where a source lists them; per_class keys must be among them"
    )
    classes_source: Optional[Url] = field(default=None, doc="where the class list is published")
    description: Optional[Text] = field(default=None)


@dataclass(frozen=True)
class Backbone:
    name: Names = field(doc="display name; a plain string is the same in both languages")
    family: Slug = field(doc="e.g. resnet, swin, convnext, vit, mit, hrnet")
    params_m: Optional[Decimal] = field(default=None, doc="parameters in millions, where a source gives them")
    source: Optional[Url] = field(default=None, doc="where params_m is published")


@dataclass(frozen=True)
class Metric:
    name: Names
    higher_is_better: bool
    unit: str = field(default="", doc="e.g. %")
    range: tuple[Optional[Decimal], Optional[Decimal]] = field(
        default=(None, None), doc="[min, max]; null for unbounded"
    )
    kind: Literal["accuracy", "cost"] = field(default="accuracy")
    description: Optional[Text] = field(default=None)


@dataclass(frozen=True)
class Venue:
    name: Names
    short: str
    type: Literal["article", "inproceedings", "incollection", "misc", "phdthesis", "techreport", "book"]
    url: Optional[Url] = field(default=None)


@dataclass(frozen=True)
class Topic:
    name: Names
    description: Optional[Text] = field(default=None)


@dataclass(frozen=True)
class Task:
    name: Names
    description: Optional[Text] = field(default=None)


REGISTRIES: dict[str, type] = {
    "datasets": Dataset,
    "metrics": Metric,
    "venues": Venue,
    "topics": Topic,
    "tasks": Task,
    "backbones": Backbone,
}


@dataclass(frozen=True)
class Registries:
    datasets: Mapping[str, Dataset]
    metrics: Mapping[str, Metric]
    venues: Mapping[str, Venue]
    topics: Mapping[str, Topic]
    tasks: Mapping[str, Task]
    backbones: Mapping[str, Backbone] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class PaperFile:
    """A validated paper and where it came from."""

    id: str
    path: str  # as shown to contributors, e.g. papers/2017/pspnet.yaml
    paper: Paper
