"""ONE-TIME migration of papers/ from the paper format 1 to 2 (issue 14). Run once; its result is committed.

    python scripts/migrate_v2.py [papers]      # rewrites the files in place, prints the figures

What it does, and nothing more (no fact is added that the files did not state):
- `format: 2` on every paper;
- each result's `source` object becomes an entry of the paper's `sources:` map, said once, and the result
  keeps its key (`source:`) and its own `locator`;
- every result gets an `id` (dataset-split-model, made unique in the paper);
- `extra_data` -> `training.extra_data`, as the source said it; `protocol.pretraining` -> `training.pretrain`,
  `protocol.quantization` -> `evaluation.quantization`;
- a model label that states a setting in parentheses fills that field: a backbone ("PSPNet (ResNet-101)" ->
  backbone: resnet-101), Cityscapes coarse labels ("(…, coarse)" -> training.splits: [coarse]), Mapillary
  ("(+Mapillary)" -> training.extra: [mapillary]), the splits trained on ("(train+val)"), pretraining
  ("Xception-JFT" -> training.pretrain: jft). Where the row's own source column says the opposite (PwC:
  "extra training data: no" next to a label that names Mapillary or coarse), both statements are kept
  (`training.extra` or `splits: [coarse]` beside `extra_data: false`): validate warns
  `source-contradiction`, the export keeps the column's value, and the corpus counts the row's training
  data as unknown; such rows are listed (four Cityscapes rows: GALDNet, SegFormer, two OCR);
- `hardware: unstated` on results with fps or latency_ms and no hardware;
- datasets.yaml: `splits` lists become maps with names in both languages (generator/i18n's split.* keys),
  roles and flags; Cityscapes, ADE20K and PASCAL VOC 2012 get their class lists (../shared/data/classes);
- papers/backbones.yaml: the backbones the labels name.
Numbers are copied as their text (never through a float).
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.authoring.paper_yaml import paper_yaml  # noqa: E402
from generator.format.load import Map, Node, Scalar, Seq, parse_text  # noqa: E402

CLASSES = next((p / "shared" / "data" / "classes" / "mmseg-class-names.json" for p in ROOT.parents
                if (p / "shared" / "data" / "classes").is_dir()), Path("../shared/data/classes/mmseg-class-names.json"))
CLASSES_URL = ("https://github.com/SwinTransformer/Swin-Transformer-Semantic-Segmentation/blob/"
               "87e6f90577435c94f3e92c7db1d36edc234d91f6/mmseg/core/evaluation/class_names.py")

# label text in parentheses -> backbone slug, its name and family (the names as the labels write them)
BACKBONES = {
    "ResNet-50": ("resnet-50", "ResNet-50", "resnet"),
    "ResNet-101": ("resnet-101", "ResNet-101", "resnet"),
    "ResNet-152": ("resnet-152", "ResNet-152", "resnet"),
    "Dilated-ResNet-101": ("dilated-resnet-101", "Dilated ResNet-101", "resnet"),
    "HRNetV2-W48": ("hrnetv2-w48", "HRNetV2-W48", "hrnet"),
    "MiT-B5": ("mit-b5", "MiT-B5", "mit"),
    "DenseNet-161": ("densenet-161", "DenseNet-161", "densenet"),
    "Xception-JFT": ("xception", "Xception", "xception"),  # + training.pretrain: jft
}

# split slug -> (role, extra, server); names come from the i18n catalogues
SPLIT_FLAGS = {
    "train": ("train", False, False),
    "coarse": ("train", True, False),
    "trainval": ("train", False, False),
}
SERVER_SPLITS = {("cityscapes", "test"), ("pascal-voc-2012", "test"), ("ade20k", "test")}
NEW_SPLITS = {  # splits a training statement needs (Cityscapes labels say "coarse" and "train+val")
    "cityscapes": {"train": {"en": "train", "zh": "训练集"},
                   "coarse": {"en": "train (coarse)", "zh": "粗标注训练集"}},
    "ade20k": {"train": {"en": "train", "zh": "训练集"}},
    "pascal-voc-2012": {"train": {"en": "train", "zh": "训练集"}, "val": {"en": "val", "zh": "验证集"}},
}
# the split names generator/i18n/{en,zh}.yaml held as split.<slug> before this migration
SPLIT_NAMES = {
    "en": {"val": "val", "test": "test", "train": "train", "trainval": "trainval", "unspecified": "split not stated",
           "real": "Real", "syn": "Synthetic", "te1": "TE1", "te2": "TE2", "te3": "TE3", "te4": "TE4", "vd": "VD"},
    "zh": {"val": "验证集", "test": "测试集", "train": "训练集", "trainval": "训练+验证集", "unspecified": "未注明划分",
           "real": "真实", "syn": "合成", "te1": "TE1", "te2": "TE2", "te3": "TE3", "te4": "TE4", "vd": "VD"},
}
MAPILLARY = """mapillary:
  name: {en: Mapillary Vistas, zh: Mapillary Vistas}
  splits:
    train: {name: {en: train, zh: 训练集}, role: train}
    val: {name: {en: val, zh: 验证集}, role: eval}
  primary_metric: mIoU
  url: https://www.mapillary.com/dataset/vistas
  description:
    en: "Street-level images from around the world; used as extra training data for Cityscapes."
    zh: "来自世界各地的街景图像；常作为 Cityscapes 的额外训练数据。"
"""


def plain(node: Node, numbers: bool = False):
    """Nodes -> Python values, numbers kept as their text (Decimal), ints as ints."""
    if isinstance(node, Map):
        return {k: plain(v, numbers or k in ("metrics",)) for k, (_, v) in node.items.items()}
    if isinstance(node, Seq):
        return [plain(i) for i in node.items]
    v = node.value
    if node.plain and isinstance(v, float):
        return Decimal(node.text.lstrip("+"))
    if node.plain and isinstance(v, int) and not isinstance(v, bool) and numbers:
        return Decimal(node.text.lstrip("+"))
    return v if node.plain else node.text


def slug(text: str, words: int = 8) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower().replace("+", "-plus-")).strip("-")
    return "-".join(s.split("-")[:words]) or "x"


def source_key(src: dict) -> str:
    name = src["name"]
    if name.startswith("Papers with Code: "):
        return "pwc-" + slug(name[len("Papers with Code: "):], 7)
    return slug(name, 5)


def unique(base: str, used: set) -> str:
    out, n = base, 2
    while out in used:
        out, n = f"{base}-{n}", n + 1
    used.add(out)
    return out


def from_label(label: str, r: dict, figures: Counter, conflicts: list, where: str) -> None:
    """Fill fields that the label states in parentheses (see the module docstring)."""
    m = re.search(r"\(([^()]*)\)\s*$", label)
    if not m:
        return
    parts = [p.strip() for p in m.group(1).split(",")]
    stated_extra = r.get("training", {}).get("extra_data")
    for part in parts:
        if part in BACKBONES:
            r["backbone"] = BACKBONES[part][0]
            figures["backbone"] += 1
            if part == "Xception-JFT":
                r.setdefault("training", {})["pretrain"] = "jft"
                figures["training.pretrain"] += 1
        elif part == "coarse" and r["dataset"] == "cityscapes":
            if stated_extra is False:
                conflicts.append(f"{where}: label {label!r} names coarse; the source's column says no extra data")
            r.setdefault("training", {}).setdefault("splits", []).append("coarse")
            figures["training.splits (coarse)"] += 1
        elif part.lstrip("+") == "Mapillary":
            if stated_extra is False:
                conflicts.append(f"{where}: label {label!r} names Mapillary; the source's column says no extra data")
            elif r.get("training", {}).get("extra_data") is True:
                r["training"].pop("extra_data")
            r["training"].setdefault("extra", []).append("mapillary")
            figures["training.extra (mapillary)"] += 1
        elif part == "train+val":
            r.setdefault("training", {})["splits"] = ["train", "val"]
            figures["training.splits (train+val)"] += 1


def migrate_paper(path: Path, figures: Counter, conflicts: list) -> str:
    text = path.read_text(encoding="utf-8")
    head = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        head.append(line)
    data = plain(parse_text(text, str(path)))
    if data.get("format") == 2:
        return text
    label = data.get("name") or data["title"]
    out = {"format": 2, **data}
    sources: dict[str, dict] = {}
    keys: dict[tuple, str] = {}
    ids: set = set()
    results = []
    for i, old in enumerate(data.get("results") or []):
        src = dict(old["source"])
        locator = src.pop("locator", None)
        ident = (src["kind"], src["name"], src["url"], src.get("retrieved"))
        if ident not in keys:
            keys[ident] = unique(source_key(src), set(sources))
            sources[keys[ident]] = src
        r = {k: v for k, v in old.items() if k not in ("source", "extra_data", "protocol")}
        model = old.get("model") or label
        r["id"] = unique(slug(f"{old['dataset']}-{old['split']}-{model}", 10), ids)
        r["source"] = keys[ident]
        if locator is not None:
            r["locator"] = locator
        if "extra_data" in old:
            r.setdefault("training", {})["extra_data"] = old["extra_data"]
            figures["training.extra_data (moved)"] += 1
        protocol = old.get("protocol") or {}
        if "pretraining" in protocol:
            r.setdefault("training", {})["pretrain"] = protocol["pretraining"]
            figures["training.pretrain (moved from protocol)"] += 1
        if "quantization" in protocol:
            r.setdefault("evaluation", {})["quantization"] = protocol["quantization"]
            figures["evaluation.quantization (moved from protocol)"] += 1
        if protocol.get("crop_size"):
            r.setdefault("evaluation", {})["crop"] = protocol["crop_size"]
        if protocol.get("tta"):  # none | flip | ms | ms+flip (format 1)
            tta = protocol["tta"]
            ev = r.setdefault("evaluation", {})
            if tta in ("ms", "ms+flip"):
                ev["mode"] = "multi-scale"
            elif tta == "none":
                ev["mode"] = "single-scale"
            ev["flip"] = tta in ("flip", "ms+flip")
            figures["evaluation (moved from protocol.tta)"] += 1
        from_label(model, r, figures, conflicts, f"{path.as_posix()} results[{i}] ({r['id']})")
        if ({"fps", "latency_ms"} & set(old["metrics"])) and not old.get("hardware"):
            r["hardware"] = "unstated"
            figures["hardware: unstated"] += 1
        results.append(r)
    if sources:
        out["sources"] = sources
        figures["sources"] += len(sources)
        figures["results"] += len(results)
        out["results"] = results
    figures["papers"] += 1
    return "\n".join(head) + ("\n" if head else "") + paper_yaml(out, header=False, results=True)


def migrate_datasets(root: Path, backbones_used: set) -> None:
    i18n = SPLIT_NAMES
    classes = json.loads(CLASSES.read_text(encoding="utf-8"))["classes"]
    path = root / "datasets.yaml"
    text = path.read_text(encoding="utf-8")
    if "role:" in text:
        return
    out, current = [], None
    for line in text.splitlines():
        m = re.match(r"([a-z0-9-]+):$", line)
        if m:
            current = m.group(1)
        m = re.match(r"  splits: \[(.*)\]$", line)
        if m:
            out.append("  splits:")
            names = [s.strip() for s in m.group(1).split(",")]
            extra = NEW_SPLITS.get(current, {})
            for s in [*[n for n in extra if n not in names], *names]:
                role, is_extra, _ = SPLIT_FLAGS.get(s, ("eval", False, False))
                name = extra.get(s) or {"en": i18n["en"][s], "zh": i18n["zh"][s]}
                flags = (", extra: true" if is_extra else "") + (", server: true" if (current, s) in SERVER_SPLITS else "")
                out.append(f"    {s}: {{name: {{en: {_flow(name['en'])}, zh: {_flow(name['zh'])}}}, role: {role}{flags}}}")
            listed = {"cityscapes": "cityscapes", "ade20k": "ade", "pascal-voc-2012": "voc"}.get(current)
            if listed:
                out.append(f"  num_classes: {len(classes[listed])}")
                out.append("  classes: [" + ", ".join(_flow(c.strip()) for c in classes[listed]) + "]")
                out.append(f"  classes_source: {CLASSES_URL}")
            continue
        out.append(line)
    cityscapes = any(line == "cityscapes:" for line in out)  # Mapillary: extra training data of street scenes
    path.write_text("\n".join(out) + "\n" + (MAPILLARY if cityscapes else ""), encoding="utf-8")
    lines = ["# Backbones (slug -> display name, family, parameters in millions where a source gives them).",
             "# Results name one with `backbone: <slug>`; boards filter by family."]
    for label, (s, name, family) in BACKBONES.items():
        if s in backbones_used:
            lines += [f"{s}:", f"  name: {name}", f"  family: {family}"]
    if len(lines) == 2:
        lines.append("{}")
    (root / "backbones.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _flow(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z\u4e00-\u9fff][\w \u4e00-\u9fff+()-]*", text) and not text.endswith(" ") else json.dumps(text, ensure_ascii=False)


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else ROOT / "papers"
    figures: Counter = Counter()
    conflicts: list[str] = []
    used: set = set()
    for path in sorted(root.glob("*/*.yaml")):
        new = migrate_paper(path, figures, conflicts)
        used.update(re.findall(r"^    backbone: (\S+)$", new, re.M))
        path.write_text(new, encoding="utf-8")
    migrate_datasets(root, used)
    for k, v in sorted(figures.items()):
        print(f"{v:5d}  {k}")
    for c in conflicts:
        print(f"not filled: {c}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
