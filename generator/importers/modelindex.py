"""Reader of OpenMMLab model-index metafiles (`configs/<method>/metafile.yaml`, also the 0.x `<method>.yml`).

One Row per (model, result, evaluation protocol): `mIoU` and `mIoU(ms+flip)` are two rows, as the mapping
says. The mapping (`sources/model-zoos/open-mmlab+mmsegmentation.yaml`) names the repository and commit,
maps each metafile dataset name to a dataset slug and split (or skips it with a reason), each metric
name to a metric and evaluation protocol, and each task. Anything a metafile holds that the mapping does
not name raises `MappingError` naming it.

Fields are taken only where the metafile states them: batch (`Batch Size`), crop (`crop size`, as
written), schedule (`lr schd`, as written), speed (`inference time (ms/im)` -> latency_ms with its
hardware, backend, batch size, mode and resolution; `FPS` -> fps). No number is derived.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Union

from generator.format.types import arxiv_in

from .records import PaperRef, Row, Skipped, SourceRef
from .zoocommon import Backbones, MappingError, github_blob, load_yaml_exact, to_decimal

PathLike = Union[str, Path]


def metafiles(path_or_dir: PathLike) -> list[Path]:
    """The metafiles under a folder (sorted), or the one file given."""
    path = Path(path_or_dir)
    if path.is_file():
        return [path]
    found = sorted(path.rglob("metafile.yaml"))
    return found or sorted(p for p in path.rglob("*.yml") if p.parent.parent.name == "configs")


def path_in_repo(metafile: Path) -> str:
    """`configs/<method>/metafile.yaml`: the path from the last `configs` folder on."""
    parts = metafile.resolve().parts
    if "configs" in parts:
        index = len(parts) - 1 - list(reversed(parts)).index("configs")
        return "/".join(parts[index:])
    return "/".join(parts[-2:])


def read(
    path_or_dir: PathLike, mapping: Mapping[str, Any], backbones: Optional[Backbones] = None
) -> tuple[list[Row], list[Skipped]]:
    """Rows and skipped records of every metafile under `path_or_dir`, read with `mapping`."""
    backbones = backbones or Backbones({})
    rows: list[Row] = []
    skipped: list[Skipped] = []
    files = metafiles(path_or_dir)
    if not files:
        raise MappingError(f"no metafile under {path_or_dir}")
    for metafile in files:
        file_rows, file_skipped = read_metafile(metafile, mapping, backbones)
        rows.extend(file_rows)
        skipped.extend(file_skipped)
    return rows, skipped


def source_of(metafile: Path, mapping: Mapping[str, Any]) -> SourceRef:
    src = mapping["source"]
    rel = path_in_repo(metafile)
    method = rel.split("/")[1] if rel.count("/") >= 2 else metafile.stem
    return SourceRef(
        key=f"{src['key_prefix']}-{method}".replace("_", "-"),
        kind="model-zoo",
        name=f"{src['name']} {src['version']}: {rel}",
        url=github_blob(src["repo"], src["commit"], rel),
        licence=src.get("licence"),
    )


def read_metafile(metafile: Path, mapping: Mapping[str, Any], backbones: Backbones) -> tuple[list[Row], list[Skipped]]:
    data = load_yaml_exact(metafile) or {}
    source = source_of(metafile, mapping)
    collections = {c.get("Name"): c for c in data.get("Collections") or []}
    rows: list[Row] = []
    skipped: list[Skipped] = []
    for model in data.get("Models") or []:
        name = str(model.get("Name"))
        collection = collections.get(model.get("In Collection"), {})
        paper = _paper(model, collection)
        for result in _results(model):
            made, left = _rows_of_result(model, result, paper, source, mapping, backbones)
            rows.extend(made)
            skipped.extend(Skipped(source.url, name, reason) for reason in left)
    return rows, skipped


def _results(model: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    results = model.get("Results")
    if results is None:
        return []
    return list(results) if isinstance(results, list) else [results]


def _paper(model: Mapping[str, Any], collection: Mapping[str, Any]) -> PaperRef:
    paper = model.get("Paper") or collection.get("Paper") or {}
    url = paper.get("URL")
    return PaperRef(title=paper.get("Title"), name=model.get("In Collection"), url=url, arxiv=arxiv_in(url))


def _lookup(table: Mapping[str, Any], key: Any, what: str, where: str) -> Mapping[str, Any]:
    if key not in table:
        raise MappingError(f"{what} {key!r} ({where}) is not in the mapping")
    entry = table[key]
    return entry if isinstance(entry, Mapping) else {"value": entry}


def _rows_of_result(
    model: Mapping[str, Any],
    result: Mapping[str, Any],
    paper: PaperRef,
    source: SourceRef,
    mapping: Mapping[str, Any],
    backbones: Backbones,
) -> tuple[list[Row], list[str]]:
    name = str(model.get("Name"))
    where = f"{source.url} model {name}"
    task = _lookup(mapping["tasks"], result.get("Task"), "task", where)
    if "skip" in task:
        return [], [f"task {result.get('Task')!r}: {task['skip']}"]
    dataset = _lookup(mapping["datasets"], result.get("Dataset"), "dataset", where)
    if "skip" in dataset:
        return [], [f"dataset {result.get('Dataset')!r}: {dataset['skip']}"]
    groups: dict[str, dict[str, Any]] = {}
    left: list[str] = []
    for metric_name, value in (result.get("Metrics") or {}).items():
        spec = _lookup(mapping["metrics"], metric_name, "metric", where)
        if "skip" in spec:
            left.append(f"metric {metric_name!r}: {spec['skip']}")
            continue
        number = to_decimal(value)
        if number is None:
            left.append(f"metric {metric_name!r}: value {value!r} is not a number")
            continue
        evaluation = dict(spec.get("evaluation") or {})
        group = groups.setdefault(repr(sorted(evaluation.items())), {"evaluation": evaluation, "metrics": {}})
        group["metrics"][spec["metric"]] = number
    meta = model.get("Metadata") or {}
    speeds = _speeds(meta)
    fields = dict(  # what every row of this model on this dataset shares
        paper=paper,
        source=source,
        locator=name,
        dataset=dataset["dataset"],
        split=dataset["split"],
        task=task["value"],
        **_common_fields(model, meta, mapping, dataset, backbones),
    )
    rows: list[Row] = []
    for index, group in enumerate(groups.values()):
        metrics = dict(group["metrics"])
        hardware = None
        if index == 0 and speeds:  # speed is measured once per model, shown with its first protocol
            metric, number, hardware = speeds[0]
            metrics[metric] = number
        rows.append(Row(metrics=metrics, evaluation=group["evaluation"], hardware=hardware, **fields))
    for metric, number, hardware in speeds[1:] if groups else speeds:
        rows.append(Row(metrics={metric: number}, hardware=hardware, **fields))
    return rows, left


def _common_fields(
    model: Mapping[str, Any],
    meta: Mapping[str, Any],
    mapping: Mapping[str, Any],
    dataset: Mapping[str, Any],
    backbones: Backbones,
) -> dict[str, Any]:
    src = mapping["source"]
    training: dict[str, Any] = dict(dataset.get("training") or {})
    if meta.get("crop size") is not None:
        training["crop"] = str(meta["crop size"])
    if meta.get("lr schd") is not None:
        training["schedule"] = str(meta["lr schd"])
    if meta.get("Batch Size") is not None:
        training["batch"] = meta["Batch Size"]
    artifacts: dict[str, Any] = {}
    if model.get("Config"):
        artifacts["config"] = github_blob(src["repo"], src["commit"], str(model["Config"]))
    if model.get("Weights"):
        artifacts["weights"] = str(model["Weights"])
    if model.get("Training log"):
        artifacts["log"] = str(model["Training log"])
    if artifacts:
        artifacts["framework"] = src["framework"]
        artifacts["version"] = str(src["version"])
    notes = [
        f"{key}: {meta[key]}"
        for key in ("Training Resources", "Memory (GB)", "Training Memory (GB)")
        if meta.get(key) is not None
    ]
    return {
        "model": str(model.get("Name")),
        "backbone": backbones.slug(_backbone_label(meta)),
        "training": training,
        "artifacts": artifacts,
        "notes": "; ".join(notes) or None,
    }


def _backbone_label(meta: Mapping[str, Any]) -> Optional[str]:
    if meta.get("backbone"):
        return str(meta["backbone"])
    architecture = meta.get("Architecture")
    if isinstance(architecture, list) and len(architecture) >= 2:  # [backbone, ..., method]
        return str(architecture[0])
    return None


def _speeds(meta: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """(metric, number, hardware) for each speed the metadata states, with the hardware as stated."""
    out: list[tuple[str, Any, Any]] = []
    for key, metric in (("inference time (ms/im)", "latency_ms"), ("FPS", "fps")):
        entries = meta.get(key)
        if entries is None:
            continue
        for entry in entries if isinstance(entries, list) else [entries]:
            if isinstance(entry, Mapping):
                number = to_decimal(entry.get("value"))
                hardware = _hardware(entry)
            else:
                number, hardware = to_decimal(entry), "unstated"
            if number is not None:
                out.append((metric, number, hardware))
    return out


def _hardware(entry: Mapping[str, Any]) -> Any:
    fields = (
        ("hardware", "device"),
        ("backend", "framework"),
        ("batch size", "batch"),
        ("mode", "precision"),
        ("resolution", "resolution"),
    )
    hardware = {
        ours: entry[theirs] if theirs == "batch size" else str(entry[theirs])
        for theirs, ours in fields
        if entry.get(theirs) is not None
    }
    return hardware if "device" in hardware else (hardware or "unstated")


def iter_model_names(path_or_dir: PathLike) -> Iterable[tuple[Path, str, int]]:
    """(metafile, model name, number of results) of every model: what a completeness check walks."""
    for metafile in metafiles(path_or_dir):
        data = load_yaml_exact(metafile) or {}
        for model in data.get("Models") or []:
            yield metafile, str(model.get("Name")), len(_results(model))
