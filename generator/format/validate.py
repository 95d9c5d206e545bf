"""Every rule of the paper format (model.py; CONTRIBUTING.md for contributors), per file and across files. Detects; never prints.

validate_tree() returns the typed registries and papers when there is no error, and every error
(sorted) otherwise; warnings (rules.py: what is strongly recommended) are apart and never fail.
"""

from __future__ import annotations

import contextlib
import functools
import dataclasses
import gc
import re
import threading
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from generator.format.identity import ID_RULE, fold_title
from generator.format.load import LoadError, Map, Node, Scalar, Seq, load_file
from generator.format.model import REGISTRIES, Paper, PaperFile, Registries
from generator.format.problems import Problem, Span, relpath
from generator.format.rules import WARNING
from generator.format.convert import INVALID, Converter, hint, locate, locate_key
from generator.format.types import Slug

DEFAULT_ROOT = Path("papers")
# a URL of a file at one commit (GitHub's blob/raw, GitLab's -/blob): it cannot change, so it needs no retrieved date
AT_COMMIT = re.compile(
    r"^https://(?:github\.com/[^/]+/[^/]+/(?:blob|raw|tree)/|raw\.githubusercontent\.com/[^/]+/[^/]+/"
    r"|gitlab\.com/.+/-/(?:blob|raw)/)[0-9a-f]{40}/"
)
_UNKNOWN = {"venue": "unknown-venue", "topic": "unknown-topic", "task": "unknown-task", "dataset": "unknown-dataset"}


@dataclass(frozen=True)
class Checked:
    registries: Registries | None
    papers: tuple[PaperFile, ...]
    problems: tuple[Problem, ...]  # errors only: any of them means the corpus is not valid
    files_checked: int
    warnings: tuple[Problem, ...] = ()

    @property
    def reported(self) -> tuple[Problem, ...]:
        """Errors and warnings, in file order: what `validate` prints."""
        return tuple(sorted(self.problems + self.warnings))


def is_papers_folder(path: Path) -> bool:
    """The one test of what a papers folder is (validate, new, import, diff and serve use it)."""
    return (Path(path) / "datasets.yaml").is_file()


def find_root(paths: Iterable[Path]) -> Path:
    """The papers folder: the one holding datasets.yaml above the first path given; papers/ otherwise."""
    for p in paths:
        p = p.resolve()
        for candidate in (p, *p.parents):
            if is_papers_folder(candidate):
                return candidate
    return DEFAULT_ROOT


def inside(path: Path, root: Path) -> bool:
    return Path(path).resolve().is_relative_to(Path(root).resolve())


class _Run:
    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.files = 0
        self._cwd = Path.cwd().resolve()
        self._names: dict[Path, str] = {}
        self.result_ids: dict[str, set[str]] = {}  # paper id -> the ids of its results, of every file read
        self.reproduces: list[tuple[Node, str, str]] = []  # (node, file's paper id, "<paper>#<result>")

    def name(self, path: Path) -> str:
        """relpath(path), with the working directory resolved once per run and each file's name once."""
        name = self._names.get(path)
        if name is None:
            try:
                name = path.resolve().relative_to(self._cwd).as_posix()
            except ValueError:
                name = path.as_posix()
            self._names[path] = name
        return name

    def take(self, share: _Share) -> None:
        """What another run found reading its share of the paper files."""
        self.problems += share.problems
        self.files += share.files
        self.result_ids.update(share.result_ids)
        self.reproduces += share.reproduces

    def problem(self, node_or_span, message: str, path: str = "", code: str = "") -> None:
        span = node_or_span if isinstance(node_or_span, Span) else node_or_span.span
        self.problems.append(Problem(span, message, path, code))

    def load(self, path: Path) -> Node | None:
        self.files += 1
        try:
            return load_file(path, self.name(path))
        except LoadError as exc:
            self.problems.append(exc.problem)
            return None

    # registries ------------------------------------------------------------------------------
    def registries(self) -> tuple[Registries | None, dict[str, Node]]:
        loaded: dict[str, dict] = {}
        roots: dict[str, Node] = {}
        ok = True
        for reg, cls in REGISTRIES.items():
            path = self.root / f"{reg}.yaml"
            if not path.is_file():
                self.problem(Span(self.name(path)), f"registry {reg}.yaml is missing", code="missing-registry")
                ok = False
                continue
            node = self.load(path)
            if node is None:
                ok = False
                continue
            roots[reg] = node
            if not isinstance(node, Map):
                self.problem(node, f"{reg}.yaml must be a mapping of slug -> entry", code="bad-type")
                ok = False
                continue
            conv = Converter()
            entries = {}
            for key, (knode, vnode) in node.items.items():
                if reg != "metrics" and not Slug.pattern.match(key):
                    self.problem(knode, f"'{key}' is not {Slug.expected}", key, "bad-format")
                    ok = False
                value = conv.convert(vnode, cls, key)
                if value is not INVALID:
                    entries[key] = value
            self.problems += conv.problems
            ok &= not conv.problems
            loaded[reg] = entries
        if not ok:
            return None, roots
        regs = Registries(**loaded)
        self.check_registries(regs, roots)
        return regs, roots

    def check_registries(self, regs: Registries, roots: dict[str, Node]) -> None:
        node = roots["datasets"]
        for slug, ds in regs.datasets.items():
            if ds.primary_metric not in regs.metrics:
                self.problem(
                    locate(node, f"{slug}.primary_metric"),
                    f"unknown metric '{ds.primary_metric}'{hint(ds.primary_metric, regs.metrics)}",
                    f"{slug}.primary_metric",
                    "unknown-metric",
                )
            if ds.subset_of is not None and ds.subset_of not in regs.datasets:
                self.problem(
                    locate(node, f"{slug}.subset_of"),
                    f"unknown dataset '{ds.subset_of}'",
                    f"{slug}.subset_of",
                    "unknown-dataset",
                )
            if ds.variant_of is not None and ds.variant_of not in regs.datasets:
                self.problem(
                    locate(node, f"{slug}.variant_of"),
                    f"unknown dataset '{ds.variant_of}'",
                    f"{slug}.variant_of",
                    "unknown-dataset",
                )
            if ds.num_classes is not None and ds.classes and ds.num_classes != len(ds.classes):
                self.problem(
                    locate(node, f"{slug}.num_classes"),
                    f"num_classes is {ds.num_classes} but classes lists {len(ds.classes)}",
                    f"{slug}.num_classes",
                    "bad-value",
                )
        mnode = roots["metrics"]
        for slug, m in regs.metrics.items():
            lo, hi = m.range
            if lo is not None and hi is not None and lo > hi:
                self.problem(
                    locate(mnode, f"{slug}.range"), "range minimum is above its maximum", f"{slug}.range", "bad-value"
                )

    # papers ----------------------------------------------------------------------------------
    def paper(self, path: Path, regs: Registries | None) -> tuple[PaperFile, Node] | None:
        name = self.name(path)
        pid = path.stem
        node = self.load(path)
        if not ID_RULE.match(pid):
            self.problem(
                Span(name),
                f"file name '{path.name}' breaks the id rule: lower-case letters, digits and '-', ending in .yaml",
                code="bad-id",
            )
        if node is None:
            return None
        if self.old_shape(node):
            return None
        conv = Converter()
        paper = conv.convert(node, Paper, "")
        self.problems += [self.slug_hint(p, node, regs) for p in conv.problems] if regs is not None else conv.problems
        # The rules below read the nodes, so that a format error elsewhere in the file hides none of them:
        # every problem of a file in one run. A value the converter refused is not checked again.
        bad = {p.path for p in conv.problems}
        year = _value(node, "year", bad)
        folder = path.parent.name
        if type(year) is int and folder != str(year):
            self.problem(
                locate(node, "year"),
                f"year {year} does not match the folder '{folder}/' (move the file to papers/{year}/)",
                "year",
                "year-folder",
            )
        if regs is not None:
            self.paper_slugs(node, regs, bad)
        self.result_rules(pid, node, regs, bad)
        if paper is INVALID:
            return None
        self.duplicate_results(paper, node)
        self.recommended(paper, node, regs)
        return PaperFile(pid, name, paper), _for_across(node)

    def result_rules(self, pid: str, node: Node, regs: Registries | None, bad: set[str]) -> None:
        """The rules of format 2 on each result, read from the nodes (see paper()): ids, sources, hardware,
        classes, backbones, splits, what the source says about training data; and the date of the paper."""
        sources = locate(node, "sources")
        keys = list(sources.items) if isinstance(sources, Map) and sources is not node else []
        ids: dict[str, int] = {}
        self.result_ids[pid] = set()
        for i, _ in enumerate(_items(node, "results", bad)):
            base = f"results[{i}]"
            rid = _value(node, f"{base}.id", bad, text=True)
            if isinstance(rid, str):
                if rid in ids:
                    self.problem(
                        locate(node, f"{base}.id"),
                        f"result id '{rid}' is already used by results[{ids[rid]}] "
                        "of this paper: give each result its own id",
                        f"{base}.id",
                        "duplicate-result-id",
                    )
                else:
                    ids[rid] = i
                self.result_ids[pid].add(rid)
            refs = [f"{base}.source"] + [
                f"{base}.also[{j}].source" for j, _ in enumerate(_items(node, f"{base}.also", bad))
            ]
            for ref in refs:
                key = _value(node, ref, bad, text=True)
                if isinstance(key, str) and key not in keys:
                    has = f" (it has: {', '.join(keys)})" if keys else " (the paper defines none)"
                    self.problem(
                        locate(node, ref),
                        f"source '{key}' is not defined under `sources:`{has}{hint(key, keys)}",
                        ref,
                        "unknown-source",
                    )
            metrics = locate(node, f"{base}.metrics")
            result = locate(node, base)
            if isinstance(metrics, Map) and isinstance(result, Map) and "hardware" not in result.items:
                for speed in ("fps", "latency_ms"):
                    if speed in metrics.items:
                        self.problem(
                            locate_key(node, f"{base}.metrics.{speed}"),
                            f"{speed} is a speed: say what it was measured on with `hardware:` (device, count, "
                            "precision, batch, framework, resolution), or write `hardware: unstated` where the "
                            "source does not say",
                            f"{base}.hardware",
                            "missing-hardware",
                        )
            reproduced = _value(node, f"{base}.reproduces", bad, text=True)
            if isinstance(reproduced, str):
                self.reproduces.append((locate(node, f"{base}.reproduces"), pid, reproduced))
            if regs is not None:
                self.result_registry_rules(node, regs, bad, base)
        self.date_rule(node, bad)

    def result_registry_rules(self, node: Node, regs: Registries, bad: set[str], base: str) -> None:
        backbone = _value(node, f"{base}.backbone", bad, text=True)
        if isinstance(backbone, str) and backbone not in regs.backbones:
            self.problem(
                locate(node, f"{base}.backbone"),
                f"unknown backbone '{backbone}'{hint(backbone, regs.backbones)}: "
                "backbones are slugs in papers/backbones.yaml",
                f"{base}.backbone",
                "unknown-backbone",
            )
        dataset = _value(node, f"{base}.dataset", bad, text=True)
        ds = regs.datasets.get(dataset) if isinstance(dataset, str) else None
        for j, _ in enumerate(_items(node, f"{base}.training.extra", bad)):
            other = _value(node, f"{base}.training.extra[{j}]", bad, text=True)
            if isinstance(other, str):
                self.slug(node, other, regs.datasets, "dataset", f"{base}.training.extra[{j}]")
        if ds is None:
            return
        split = _value(node, f"{base}.split", bad, text=True)
        if isinstance(split, str) and split in ds.splits and ds.splits[Slug(split)].role == "train":
            evals = [s for s, sp in ds.splits.items() if sp.role == "eval"]
            self.problem(
                locate(node, f"{base}.split"),
                f"split '{split}' of {dataset} is a training split: a result is "
                f"measured on an evaluation split ({', '.join(evals)}); say what it was trained on with "
                "`training.splits`",
                f"{base}.split",
                "split-role",
            )
        for j, _ in enumerate(_items(node, f"{base}.training.splits", bad)):
            path = f"{base}.training.splits[{j}]"
            used = _value(node, path, bad, text=True)
            if not isinstance(used, str):
                continue
            if used not in ds.splits:
                self.problem(
                    locate(node, path),
                    f"dataset '{dataset}' has no split '{used}' (it has: "
                    f"{', '.join(ds.splits)}){hint(used, ds.splits)}",
                    path,
                    "unknown-split",
                )
            elif ds.splits[Slug(used)].server:
                self.problem(
                    locate(node, path),
                    f"split '{used}' of {dataset} is scored by its evaluation server (its "
                    "labels are withheld): nothing is trained on it; `split` is where a result was measured",
                    path,
                    "split-role",
                )
        per_class = locate(node, f"{base}.per_class")
        if (
            isinstance(per_class, Map)
            and not _refused(f"{base}.per_class", bad)
            and per_class is not locate(node, base)
        ):
            for name in per_class.items:
                if name in ds.classes:
                    continue
                listed = (
                    hint(name, ds.classes)
                    if ds.classes
                    else ": datasets.yaml lists no `classes` for it (add them, with their source)"
                )
                self.problem(
                    locate_key(node, f"{base}.per_class.{name}"),
                    f"{dataset} has no class '{name}'{listed}",
                    f"{base}.per_class.{name}",
                    "unknown-class",
                )
        extra = [
            _value(node, f"{base}.training.extra[{j}]", bad, text=True)
            for j, _ in enumerate(_items(node, f"{base}.training.extra", bad))
        ]
        extra += [
            f"split '{s}'"
            for j, _ in enumerate(_items(node, f"{base}.training.splits", bad))
            if isinstance(s := _value(node, f"{base}.training.splits[{j}]", bad, text=True), str)
            and s in ds.splits
            and ds.splits[Slug(s)].extra
        ]
        if extra and _value(node, f"{base}.training.extra_data", bad) is False:
            self.problem(
                locate_key(node, f"{base}.training.extra_data"),
                f"the source contradicts itself: the row names extra training data ({', '.join(map(str, extra))}) "
                "but its extra-data column says no; both are kept, and the result counts as neither own-data-only "
                "nor extra-data",
                f"{base}.training",
                "source-contradiction",
            )

    def date_rule(self, node: Node, bad: set[str]) -> None:
        date = _value(node, "date", bad, text=True)
        arxiv = _value(node, "ids.arxiv", bad, text=True)
        month = arxiv_month(arxiv) if isinstance(arxiv, str) else None
        if isinstance(date, str) and month is not None and date[:7] > month:
            self.problem(
                locate(node, "date"),
                f"date {date} is later than {month}, the month arXiv id {arxiv} states: "
                "the first public version is that month at the latest",
                "date",
                "date-after-arxiv",
            )

    def reproductions(self) -> None:
        """Each `reproduces: <paper>#<result>` names a paper of the tree and one of its result ids."""
        for rnode, _pid, ref in self.reproduces:
            paper, _, result = ref.partition("#")
            if paper not in self.result_ids:
                self.problem(
                    rnode,
                    f"`reproduces: {ref}` points nowhere: there is no paper '{paper}'{hint(paper, self.result_ids)}",
                    "",
                    "unknown-result",
                )
            elif result not in self.result_ids[paper]:
                ids = sorted(self.result_ids[paper])
                self.problem(
                    rnode,
                    f"`reproduces: {ref}` points nowhere: paper {paper} has no result '{result}'{hint(result, ids)}",
                    "",
                    "unknown-result",
                )

    def recommended(self, paper: Paper, node: Node, regs: Registries | None) -> None:
        """What CONTRIBUTING calls strongly recommended: warnings."""
        for i, r in enumerate(paper.results):
            base = f"results[{i}]"
            if r.locator is None:
                self.problem(
                    locate(node, f"{base}.source"),
                    "result has no locator: say where in its source the numbers are (table, figure, page or row)",
                    f"{base}.locator",
                    "missing-locator",
                )
        for key, src in (paper.sources or {}).items():
            if src.kind == "leaderboard" and src.retrieved is None and not AT_COMMIT.search(src.url):
                self.problem(
                    locate_key(node, f"sources.{key}"),
                    "leaderboard source has no retrieved date: leaderboards change, say when you read it",
                    f"sources.{key}",
                    "missing-retrieved",
                )
        for i, r in enumerate(paper.results):
            base = f"results[{i}]"
            if regs is not None and r.dataset in regs.datasets:
                primary = regs.datasets[r.dataset].primary_metric
                if primary not in r.metrics:
                    self.problem(
                        locate(node, f"{base}.metrics"),
                        f"{r.dataset} is ranked by {primary}, which this result does not give: it is on no leaderboard",
                        f"{base}.metrics",
                        "missing-primary-metric",
                    )

    def old_shape(self, node: Node) -> bool:
        """A file of the paper format 1 (no `format:`): one error saying what to write instead."""
        if not isinstance(node, Map) or "format" in node.items:
            return False
        results = node.items.get("results")
        inline = (
            isinstance(results, tuple)
            and isinstance(results[1], Seq)
            and any(
                isinstance(r, Map) and isinstance(r.items.get("source", (None, None))[1], Map) for r in results[1].items
            )
        )
        self.problem(
            node,
            "this file is in the old shape (paper format 1): start it with `format: 2`"
            + (
                ", say each source once under `sources:` (key -> kind, name, url) and give each result an `id`, "
                "`source: <key>` and its own `locator`; `extra_data` goes under `training:`"
                if inline
                else ""
            )
            + " (CONTRIBUTING.md describes format 2; scripts/migrate_v2.py converts a file)",
            "format",
            "old-shape",
        )
        return True

    def slug(self, node: Node, value: str, registry: Mapping, what: str, path: str) -> bool:
        if value in registry:
            return True
        self.problem(locate(node, path), f"unknown {what} '{value}'{hint(value, registry)}", path, _UNKNOWN[what])
        return False

    _SLUG_FIELDS = (
        (re.compile(r"venue\Z"), "venues"),
        (re.compile(r"topics\[\d+\]\Z"), "topics"),
        (re.compile(r"results\[\d+\]\.dataset\Z"), "datasets"),
        (re.compile(r"results\[\d+\]\.task\Z"), "tasks"),
    )

    def slug_hint(self, p: Problem, node: Node, regs: Registries) -> Problem:
        """A slug the converter refused (`CVPR`, `NeurIPS`) with the registry's entry it means, if any."""
        if p.code != "bad-format":
            return p
        for pattern, registry in self._SLUG_FIELDS:
            if pattern.match(p.path):
                word = _value(node, p.path, set(), text=True)
                extra = hint(word, getattr(regs, registry)) if isinstance(word, str) else ""
                return dataclasses.replace(p, message=p.message + extra) if extra else p
        return p

    def paper_slugs(self, node: Node, regs: Registries, bad: set[str]) -> None:
        """The references of a paper to the registries, read from its nodes (see paper())."""
        venue = _value(node, "venue", bad, text=True)
        if isinstance(venue, str):
            self.slug(node, venue, regs.venues, "venue", "venue")
        for i, _topic_node in enumerate(_items(node, "topics", bad)):
            topic = _value(node, f"topics[{i}]", bad, text=True)
            if isinstance(topic, str):
                self.slug(node, topic, regs.topics, "topic", f"topics[{i}]")
        for i, _ in enumerate(_items(node, "results", bad)):
            base = f"results[{i}]"
            task = _value(
                node, f"{base}.task", bad, text=True
            )  # absent: the survey's default task (checked by build_corpus)
            if isinstance(task, str):
                self.slug(node, task, regs.tasks, "task", f"{base}.task")
            dataset = _value(node, f"{base}.dataset", bad, text=True)
            split = _value(node, f"{base}.split", bad, text=True)
            if isinstance(dataset, str) and self.slug(node, dataset, regs.datasets, "dataset", f"{base}.dataset"):
                splits = regs.datasets[dataset].splits
                if isinstance(split, str) and split not in splits:
                    self.problem(
                        locate(node, f"{base}.split"),
                        f"dataset '{dataset}' has no split '{split}' (it has: {', '.join(splits)}){hint(split, splits)}",
                        f"{base}.split",
                        "unknown-split",
                    )
            metrics = locate(node, f"{base}.metrics")
            if not isinstance(metrics, Map) or _refused(f"{base}.metrics", bad):
                continue
            for metric, (_, vnode) in metrics.items.items():
                mpath = f"{base}.metrics.{metric}"
                if _refused(mpath, bad) or not self.slug_key(node, metric, regs.metrics, mpath):
                    continue
                value = _value(node, mpath, bad)
                if type(value) not in (int, float):
                    continue
                number = Decimal(vnode.text.lstrip("+"))  # type: ignore[union-attr]
                lo, hi = regs.metrics[metric].range
                if (lo is not None and number < lo) or (hi is not None and number > hi):
                    bounds = (
                        f"between {_num(lo)} and {_num(hi)}"
                        if lo is not None and hi is not None
                        else (f"at least {_num(lo)}" if lo is not None else f"at most {_num(hi)}")
                    )
                    self.problem(locate(node, mpath), f"{metric} must be {bounds}, got {number}", mpath, "out-of-range")

    def duplicate_results(self, paper: Paper, node: Node) -> None:
        seen: dict[tuple, int] = {}
        for i, r in enumerate(paper.results):
            base = f"results[{i}]"
            key = (
                r.task,
                r.dataset,
                r.split,
                r.model or paper.label,
                r.training,
                r.evaluation,
                paper.cite(r).identity(),
                tuple(sorted(r.metrics.items())),
            )
            if key in seen:
                self.problem(
                    locate(node, base),
                    f"the same numbers from the same source as results[{seen[key]}]",
                    base,
                    "duplicate-result",
                )
            else:
                seen[key] = i

    def slug_key(self, node: Node, value: str, registry: Mapping, path: str) -> bool:
        if value in registry:
            return True
        self.problem(locate_key(node, path), f"unknown metric '{value}'{hint(value, registry)}", path, "unknown-metric")
        return False

    def across(self, papers: list[tuple[PaperFile, Node]]) -> None:
        ids: dict[str, PaperFile] = {}
        for kind, get in (
            ("arXiv id", lambda p: p.ids.arxiv.split("v")[0] if p.ids and p.ids.arxiv else None),
            ("DOI", lambda p: p.ids.doi.lower() if p.ids and p.ids.doi else None),
            ("title", lambda p: fold_title(p.title)),
        ):
            first: dict[str, PaperFile] = {}
            for pf, node in papers:
                key = get(pf.paper)
                if not key:
                    continue
                if key in first:
                    field_path = {"arXiv id": "ids.arxiv", "DOI": "ids.doi", "title": "title"}[kind]
                    self.problem(
                        locate(node, field_path),
                        f"same {kind} as {first[key].path}: one paper, one file",
                        field_path,
                        "duplicate-paper",
                    )
                else:
                    first[key] = pf
        for pf, _node in papers:
            if pf.id in ids:
                self.problem(Span(pf.path), f"id '{pf.id}' is already used by {ids[pf.id].path}", code="duplicate-id")
            else:
                ids[pf.id] = pf
        for pf, node in papers:
            for i, other in enumerate(pf.paper.builds_on):
                if other not in ids:
                    self.problem(
                        locate(node, f"builds_on[{i}]"),
                        f"unknown paper id '{other}'{hint(other, ids)}",
                        f"builds_on[{i}]",
                        "unknown-paper",
                    )


ACROSS = ("ids", "title", "builds_on")  # what the rules across files (_Run.across) locate their problems in


def _for_across(node: Node) -> Node:
    """The part of a paper's node tree the rules across files read: kept until every file is read, where
    the whole tree of every file was most of validate's memory (709 MB at 5,000 papers)."""
    if not isinstance(node, Map):
        return node
    return Map({k: node.items[k] for k in ACROSS if k in node.items}, node.span)


_ARXIV_NEW = re.compile(r"(\d\d)(\d\d)\.\d{4,5}")
_ARXIV_OLD = re.compile(r"[a-z-]+(?:\.[A-Z]{2})?/(\d\d)(\d\d)\d{3}")


def arxiv_month(arxiv: str) -> str | None:
    """The year and month an arXiv id states (YYMM.NNNNN; archive/YYMMNNN, 1991-2007), as YYYY-MM."""
    m = _ARXIV_NEW.match(arxiv) or _ARXIV_OLD.match(arxiv)
    if m is None:
        return None
    yy, mm = int(m.group(1)), m.group(2)
    return f"{1900 + yy if yy >= 91 else 2000 + yy}-{mm}"


def _refused(path: str, bad: set[str]) -> bool:
    """The converter reported a problem at this key path or above it."""
    return any(path == b or path.startswith((b + ".", b + "[")) for b in bad if b)


def _value(root: Node, path: str, bad: set[str], default: object = None, text: bool = False) -> object:
    """The value at exactly this key path (str, int, float, bool; with `text`, as written), or `default` when
    the key is absent; None when the converter refused it or it is not a scalar."""
    if _refused(path, bad):
        return None
    node: Node | None = root
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("[") and isinstance(node, Seq) and int(part[1:-1]) < len(node.items):
            node = node.items[int(part[1:-1])]
        elif not part.startswith("[") and isinstance(node, Map):
            if part not in node.items:
                return default
            node = node.items[part][1]
        else:
            return None
    if not isinstance(node, Scalar) or node.value is None:
        return None
    return node.value if node.plain and not text else node.text


def _items(root: Node, path: str, bad: set[str]) -> list[Node]:
    node = locate(root, path)
    return node.items if isinstance(node, Seq) and not _refused(path, bad) and node is not root else []


def _num(value: Decimal | None) -> str:
    return format(value.normalize(), "f") if value is not None else ""


def paper_files(root: Path) -> list[Path]:
    """Every file below the year folders, at any depth (hidden files and editor backups aside): what is not
    <year>/<id>.yaml is reported, never skipped."""
    return sorted(
        p
        for p in root.glob("*/**/*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
        and not p.name.endswith("~")
    )


class ValidationCache:
    """For repeated runs over one tree (serve): each paper file's outcome, keyed by its (mtime, size,
    inode), valid while the registries are unchanged. Cross-file rules (ids, duplicates, builds_on)
    always run over every paper, so the result is the same as an uncached run."""

    def __init__(self) -> None:
        self.registries_sig: tuple | None = None
        self.registries: Registries | None = None
        self.papers: dict[Path, tuple[tuple, object, list[Problem]]] = {}
        self.lock = threading.Lock()  # one run at a time

    @staticmethod
    def _sig(path: Path) -> tuple:
        st = path.stat()
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def start(self, root: Path, regs: Registries | None) -> Registries | None:
        """The registries to use: last run's very object while their files are unchanged, so that what is
        made from them (serve's memo of pages) compares them by identity, not field by field."""
        sig = tuple(self._sig(p) if p.is_file() else None for p in sorted(root.glob("*.y*ml")))
        if regs is None or sig != self.registries_sig or self.registries is None:
            self.papers.clear()
            self.registries_sig = sig if regs is not None else None
            self.registries = regs
        return self.registries if regs is not None else None

    def paper(self, run: _Run, path: Path, regs: Registries | None):
        if regs is None:
            return run.paper(path, regs)
        try:
            sig = self._sig(path)
        except OSError:
            return run.paper(path, regs)
        hit = self.papers.get(path)
        if hit is not None and hit[0] == sig:
            run.files += 1
            run.problems.extend(hit[2])
            return hit[1]
        before = len(run.problems)
        got = run.paper(path, regs)
        self.papers[path] = (sig, got, list(run.problems[before:]))
        return got


_gc_lock = threading.Lock()
_gc_holders = 0  # validations running now (serve validates in its own thread)
_gc_was_enabled = False


@contextlib.contextmanager
def _no_cycle_collection():
    """Loading builds hundreds of thousands of small, acyclic objects (node trees, models); CPython's cycle
    collector would rescan them again and again as they pile up (a third of validate's time at 5,000
    papers). Reference counting frees them all the same. The collector is the process's, so it is off only
    while a validation runs, and back on (if it was on) when the last of several concurrent ones ends."""
    global _gc_holders, _gc_was_enabled
    with _gc_lock:
        if _gc_holders == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_holders += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holders -= 1
            if _gc_holders == 0 and _gc_was_enabled:
                gc.enable()


Works = Sequence[Callable[[], Any]]


def in_turn(works: Works) -> list[Any]:
    """Each piece of work here, one after the other: their results in order."""
    return [work() for work in works]


_SHARE_MIN = 200  # fewer paper files than twice this: read in one share (a copy of a process costs more)


@dataclass(frozen=True)
class _Share:
    """What reading some paper files found (_Run.paper over them), as one worker gives it back."""

    loaded: list[tuple[PaperFile, Node]]
    problems: list[Problem]
    files: int
    result_ids: dict[str, set[str]]
    reproduces: list[tuple[Node, str, str]]


def _read_share(root: Path, paths: list[Path], regs: Registries | None) -> _Share:
    """One share, read within validate_tree (in a copy of its process, the collector is still off)."""
    run = _Run(root)
    loaded = [got for path in paths if (got := run.paper(path, regs)) is not None]
    return _Share(loaded, run.problems, run.files, run.result_ids, run.reproduces)


def validate_tree(
    root: Path = DEFAULT_ROOT,
    only: set[Path] | None = None,
    cache: ValidationCache | None = None,
    run_all: Callable[[Works], list[Any]] = in_turn,
) -> Checked:
    """Validate the registries and every paper under `root`. With `only`, report problems of those files;
    with `cache`, reuse the outcome of paper files unchanged since the last run with it. The paper files
    are read in two shares, by `run_all` (the build gives workers that run at once); with a cache, in one."""
    with _no_cycle_collection():
        if cache is None:
            return _validate_tree(root, only, None, run_all)
        with cache.lock:
            return _validate_tree(root, only, cache, run_all)


def _validate_tree(
    root: Path, only: set[Path] | None, cache: ValidationCache | None, run_all: Callable[[Works], list[Any]]
) -> Checked:
    run = _Run(root)
    regs, _ = run.registries()
    if cache is not None:
        regs = cache.start(root, regs)
    loaded: list[tuple[PaperFile, Node]] = []
    papers: list[Path] = []
    for path in paper_files(root):
        if len(path.relative_to(root).parts) != 2 or path.suffix not in (".yaml", ".yml"):
            run.problem(
                Span(run.name(path)),
                "unexpected file: papers go in papers/<year>/<id>.yaml, with no folder below the year",
                code="stray-file",
            )
            continue
        if path.suffix != ".yaml":
            run.problem(Span(run.name(path)), "paper files end in .yaml", code="bad-id")
            continue
        papers.append(path)
    if cache is not None or len(papers) < 2 * _SHARE_MIN:
        for path in papers:
            got = cache.paper(run, path, regs) if cache is not None else run.paper(path, regs)
            if got is not None:
                loaded.append(got)
    else:  # in shares, each read by a worker of `run_all` (the build's: copies of its process)
        half = len(papers) // 2
        for share in run_all(
            [functools.partial(_read_share, root, part, regs) for part in (papers[:half], papers[half:])]
        ):
            run.take(share)
            loaded += share.loaded
    for stray in sorted(root.glob("*.y*ml")):
        if stray.stem not in REGISTRIES:
            run.problem(
                Span(run.name(stray)),
                f"unexpected file: papers go in papers/<year>/<id>.yaml; registries are {', '.join(f'{r}.yaml' for r in REGISTRIES)}",
                code="stray-file",
            )
    run.across(loaded)
    run.reproductions()
    problems = run.problems
    if only is not None:
        keep = {relpath(p) for p in only}
        problems = [p for p in problems if p.span.file in keep or Path(p.span.file).parent.resolve() == root.resolve()]
    problems = sorted(set(problems))
    warnings = tuple(p for p in problems if p.level == WARNING)
    errors = tuple(p for p in problems if p.level != WARNING)
    return Checked(
        regs if not errors else None, tuple(pf for pf, _ in loaded) if not errors else (), errors, run.files, warnings
    )


__all__ = ["Checked", "validate_tree", "find_root", "is_papers_folder", "inside", "fold_title", "fields"]
