"""Settings that a leaderboard states inside a model label ("OCR (HRNetV2-W48, coarse)", "(MS, ViT-B)").

Only what the label says in so many words is read; anything else stays in the label (which is kept as
written in `model` in any case). Each rule is a whole comma- or plus-separated part of a parenthesis (or
of the label), so "Mapillary" in a paper name or "MS COCO" as a dataset is never read as a setting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional


@dataclass(frozen=True)
class LabelSettings:
    """What a label states: v2 `training` / `evaluation` fields and a backbone slug, and what was read."""

    training: Mapping[str, Any] = field(default_factory=dict)
    evaluation: Mapping[str, Any] = field(default_factory=dict)
    backbone: Optional[str] = None
    read: tuple[str, ...] = ()  # the parts of the label that gave these settings


_EXTRA = {"mapillary": "mapillary", "+mapillary": "mapillary"}
_MULTI = re.compile(r"(ms|multi[- ]?scale( test(ing)?)?|multiscale)\Z")
_SINGLE = re.compile(r"(ss|single[- ]?scale( test(ing)?)?)\Z")
_PRETRAIN = [
    (re.compile(r"(imagenet|in)[- ]?22k( pre-?train(ed|ing)?)?\Z"), "imagenet-22k"),
    (re.compile(r"(imagenet|in)[- ]?1k( pre-?train(ed|ing)?)?\Z"), "imagenet-1k"),
    (re.compile(r"(imagenet|in)[- ]?1k-pretrain\Z"), "imagenet-1k"),
    (re.compile(r"imagenet pre-?train(ed|ing)?\Z"), "imagenet"),
    (re.compile(r"pre-?train(ed|ing)? on (ms )?coco( dataset)?\Z"), "coco"),
]
_COARSE = re.compile(r"\+?\s*coarse\Z")
_FINE_ONLY = re.compile(r"(fine only|with only fine annotated data)\Z")
_FINE_TAIL = re.compile(r"\b(with only fine annotated data)\s*\Z", re.I)
_TRAINVAL = re.compile(r"train\s*\+\s*val\Z")

# backbones recognised inside parentheses: pattern -> slug template (groups substituted)
_BACKBONES = [
    (re.compile(r"(?:dilated-)?res[nN]et-?(18|34|50|101|152|38)\Z", re.I), "resnet-{0}"),
    (re.compile(r"resnest-?(50|101|200|269)\Z", re.I), "resnest-{0}"),
    (re.compile(r"swin-?([tsbl])\Z", re.I), "swin-{0}"),
    (re.compile(r"hrnetv2-w(18|32|40|48)\Z", re.I), "hrnetv2-w{0}"),
    (re.compile(r"mit-b([0-5])\Z", re.I), "mit-b{0}"),
    (re.compile(r"xception-(65|71)\Z", re.I), "xception-{0}"),
    (re.compile(r"vgg-?(16|19)\Z", re.I), "vgg-{0}"),
    (re.compile(r"convnext-(t|s|b|l|xl)\Z", re.I), "convnext-{0}"),
    (re.compile(r"internimage-(t|s|b|l|xl|h)\Z", re.I), "internimage-{0}"),
    (re.compile(r"dinat-(l)\Z", re.I), "dinat-{0}"),
    (re.compile(r"vit-([sbl])\Z", re.I), "vit-{0}"),
    (re.compile(r"beit-l\Z", re.I), "beit-l"),
    (re.compile(r"efficientnet-b(7)\Z", re.I), "efficientnet-b{0}"),
    (re.compile(r"densenet-(161)\Z", re.I), "densenet-{0}"),
]


def backbone_slug(text: str) -> Optional[str]:
    """The backbone slug a label part names ('ResNet-101' -> resnet-101), or None if not recognisable."""
    part = text.strip()
    for pattern, template in _BACKBONES:
        m = pattern.match(part)
        if m:
            return template.format(*(g.lower() for g in m.groups()))
    return None


def _parts(label: str) -> list[tuple[str, bool]]:
    """The parts a label states settings in, each with whether it was inside a parenthesis: every
    parenthesis split on commas (and on '+' where it holds no comma: "(coarse + Mapillary)"), and the
    '+'-joined tails of the label outside parentheses ("Fast-SCNN + Coarse + ImageNet")."""
    text = " ".join(label.split())
    parts: list[tuple[str, bool]] = []
    for inner in re.findall(r"\(([^()]*)\)", text):
        parts.extend((p.strip(), True) for p in inner.split(","))
        if "+" in inner and "," not in inner:  # parts joined by '+' are never read as a backbone
            parts.extend((p.strip(), False) for p in inner.split("+"))
    outside = re.sub(r"\([^()]*\)", " ", text)
    parts.extend((p.strip(), False) for p in outside.split("+")[1:])
    m = _FINE_TAIL.search(outside)
    if m:
        parts.append((m.group(1), False))
    return [(p, inside) for p, inside in parts if p]


def parse_label(label: str) -> LabelSettings:
    """The settings a model label states. Unknown parts are ignored (they stay in the label)."""
    training: dict[str, Any] = {}
    backbone: Optional[str] = None
    read: list[str] = []
    extra: list[str] = []
    splits: list[str] = []
    modes: set[str] = set()
    for part, inside in _parts(label):
        low = part.casefold()
        if low in _EXTRA:
            if _EXTRA[low] not in extra:
                extra.append(_EXTRA[low])
        elif _MULTI.match(low):
            modes.add("multi-scale")
        elif _SINGLE.match(low):
            modes.add("single-scale")
        elif _COARSE.match(low):
            if "coarse" not in splits:
                splits.append("coarse")
        elif _FINE_ONLY.match(low):
            training["extra_data"] = False
        elif _TRAINVAL.match(low):
            splits.extend(s for s in ("train", "val") if s not in splits)
        elif any(p.match(low) for p, _ in _PRETRAIN):
            training["pretrain"] = next(slug for p, slug in _PRETRAIN if p.match(low))
        elif inside and backbone is None and backbone_slug(part):
            backbone = backbone_slug(part)
        else:
            continue
        read.append(part)
    if splits:
        training["splits"] = splits
    if extra:
        training["extra"] = extra
    if "extra_data" in training and (extra or "coarse" in splits):
        del training["extra_data"]  # the label contradicts itself: say nothing
    evaluation = {"mode": modes.pop()} if len(modes) == 1 else {}
    return LabelSettings(training=training, evaluation=evaluation, backbone=backbone, read=tuple(read))


__all__ = ["LabelSettings", "parse_label", "backbone_slug"]
