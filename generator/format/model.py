"""The paper format as typed, frozen models: the one description the validator, the
renderers and the published JSON Schema all derive from (see paper-format.md)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Mapping, Optional, Union

from generator.format.types import ArxivId, BibField, BibKey, Date, Doi, MetricSlug, Size, Slug, Url, balanced, field


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
class Protocol:
    """How a number was obtained, so that only like is ranked with like."""

    tta: Optional[Literal["none", "flip", "ms", "ms+flip"]] = field(default=None, doc="test-time augmentation")
    crop_size: Optional[Size] = field(default=None, doc="WxH used at test time, where it differs from input_size")
    pretraining: Optional[str] = field(default=None, doc="what the backbone or model saw before", examples=("ImageNet-1K",))
    quantization: Optional[str] = field(default=None, doc="e.g. QAT int8")


@dataclass(frozen=True)
class Hardware:
    device: str = field(doc="e.g. V100")
    precision: Optional[str] = field(default=None, examples=("fp32", "fp16", "int8"))
    batch: Optional[int] = field(default=None)


SOURCE_KINDS = ("paper", "leaderboard", "model-zoo", "reproduction", "survey")


@dataclass(frozen=True)
class Source:
    """Where a number was published: a reader must be able to follow it."""

    kind: Literal["paper", "leaderboard", "model-zoo", "reproduction", "survey"] = field(doc="what kind of source")
    name: str = field(doc="its name as a reader would search for it")
    url: Url = field(doc="where to read it")
    locator: Optional[str] = field(default=None, doc="table, figure, page or row inside the source", examples=("Table 4",))
    retrieved: Optional[Date] = field(default=None, doc="when the source was read")
    archived: Optional[Url] = field(default=None, doc="an archived copy of the page (e.g. on web.archive.org), "
                                    "for a source that has gone or moved; shown beside url",
                                    examples=("https://web.archive.org/web/2024/https://paperswithcode.com/sota",))

    def identity(self) -> tuple:
        return (self.kind, self.name, self.url, self.locator)


@dataclass(frozen=True)
class Result:
    """One reported set of numbers of one model on one dataset split."""

    dataset: Slug = field(doc="slug in datasets.yaml")
    split: Slug = field(doc="a split that the dataset declares")
    metrics: Mapping[MetricSlug, Decimal] = field(doc="metric slug (metrics.yaml) -> number, as published")
    source: Source = field(doc="where these numbers were published")
    model: Optional[str] = field(default=None, doc="row label in leaderboards; defaults to the paper's name")
    backbone: Optional[str] = field(default=None)
    extra_data: Optional[bool] = field(default=None, doc="trained with data beyond the dataset's own training set")
    input_size: Optional[Size] = field(default=None, doc="WxH")
    task: Optional[Slug] = field(default=None, doc="slug in tasks.yaml; left out: the survey's default task (survey.yml)")
    tags: tuple[str, ...] = field(default=(), doc="free labels of this row, e.g. backbone family")
    protocol: Optional[Protocol] = field(default=None)
    hardware: Optional[Hardware] = field(default=None, doc="required to report fps or latency_ms")
    notes: Optional[Text] = field(default=None)

    def __check__(self):
        if not self.metrics:
            yield "a result needs at least one metric"


BIBTEX_TYPES = ("article", "inproceedings", "incollection", "misc", "phdthesis", "techreport", "book")


@dataclass(frozen=True)
class BibOverride:
    key: Optional[BibKey] = field(default=None, doc="citation key")
    type: Optional[Literal["article", "inproceedings", "incollection", "misc", "phdthesis", "techreport", "book"]] = field(default=None)
    fields: Optional[Mapping[BibField, str]] = field(default=None, doc="extra or replaced BibTeX fields, as LaTeX")

    def __check__(self):
        for name, value in (self.fields or {}).items():
            if not balanced(value):
                yield (f"bibtex field '{name}' has unbalanced braces (bibtex counts every brace, "
                       "escaped or not; write \\textbraceleft{} for a lone brace)")


@dataclass(frozen=True)
class Paper:
    """One paper: papers/<year>/<id>.yaml."""

    title: str = field(doc="title as published")
    year: int = field(doc="year of the version cited")
    name: Optional[str] = field(default=None, doc="short method name shown in tables", examples=("PSPNet",))
    authors: tuple[str, ...] = field(default=(), doc="'Given Family' names in order")
    date: Optional[Date] = field(default=None, doc="first public version (timelines use it)")
    venue: Optional[Slug] = field(default=None, doc="slug in venues.yaml (arxiv for preprints)")
    ids: Optional[Ids] = field(default=None)
    links: Optional[Links] = field(default=None)
    topics: tuple[Slug, ...] = field(default=(), doc="slugs in topics.yaml")
    tags: tuple[str, ...] = field(default=(), doc="free labels shown as filters")
    builds_on: tuple[Slug, ...] = field(default=(), doc="ids of papers this method extends")
    abstract: Optional[str] = field(default=None, doc="original language")
    notes: Optional[Text] = field(default=None, doc="Markdown, in either language or both")
    results: tuple[Result, ...] = field(default=())
    bibtex: Optional[BibOverride] = field(default=None, doc="overrides of the generated entry")

    def __check__(self):
        if not 1900 <= self.year <= 2100:
            yield f"year {self.year} is not plausible"

    @property
    def label(self) -> str:
        return self.name or self.title


# Registries ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Dataset:
    name: Names
    splits: tuple[Slug, ...] = field(doc="split slugs; each needs a name in the catalogue (split.<slug>)")
    primary_metric: MetricSlug = field(doc="the metric that ranks this dataset's leaderboards")
    url: Optional[Url] = field(default=None)
    subset_of: Optional[Slug] = field(default=None, doc="a dataset this one is a subset of (never ranked with it)")
    description: Optional[Text] = field(default=None)


@dataclass(frozen=True)
class Metric:
    name: Names
    higher_is_better: bool
    unit: str = field(default="", doc="e.g. %")
    range: tuple[Optional[Decimal], Optional[Decimal]] = field(default=(None, None), doc="[min, max]; null for unbounded")
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
}


@dataclass(frozen=True)
class Registries:
    datasets: Mapping[str, Dataset]
    metrics: Mapping[str, Metric]
    venues: Mapping[str, Venue]
    topics: Mapping[str, Topic]
    tasks: Mapping[str, Task]


@dataclass(frozen=True)
class PaperFile:
    """A validated paper and where it came from."""

    id: str
    path: str  # as shown to contributors, e.g. papers/2017/pspnet.yaml
    paper: Paper
