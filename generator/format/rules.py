"""Every problem code the checks can report: its level, what it means and what to do, in both languages.

One entry per code. To add a code, add a `Rule(...)` below, emit it (`Problem(..., code="the-code")`),
and regenerate the tables of CONTRIBUTING.md and CONTRIBUTING.zh.md:

    python -m generator.format.rules

A test fails when a check emits a code that is not here, or when the committed tables differ.
Levels: an `error` fails `validate` (exit 1); a `warning` is printed and does not.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    code: str
    level: str  # ERROR or WARNING
    example: str  # a message as validate prints it (messages are English)
    en: str  # what it means, one line
    zh: str
    fix_en: str  # what to do
    fix_zh: str


_ALL = (
    # the format of a value --------------------------------------------------------------------------
    Rule(
        "unknown-key",
        ERROR,
        "unknown key 'titel' (did you mean 'title'?)",
        "a key the format does not have",
        "格式中没有的键",
        "fix the spelling of the key",
        "修正键名拼写",
    ),
    Rule(
        "missing-key",
        ERROR,
        "missing required key 'source'",
        "a required key is absent",
        "缺少必填的键",
        "add the key (`format`, `title`, `year`; a result's `id`, `dataset`, `split`, `metrics`, `source`)",
        "补上该键（`format`、`title`、`year`；结果的 `id`、`dataset`、`split`、`metrics`、`source`）",
    ),
    Rule(
        "old-shape",
        ERROR,
        "this file is in the old shape (paper format 1): start it with `format: 2`, …",
        "a file, or a key, of the first paper format",
        "第 1 版论文格式的文件或键",
        "write it in format 2 as the message says (`scripts/migrate_v2.py` converts a file)",
        "按信息所述改写为第 2 版格式（`scripts/migrate_v2.py` 可转换一个文件）",
    ),
    Rule(
        "bad-type",
        ERROR,
        "expected a number, got '70.1%' (write the number without '%')",
        "a value of the wrong kind",
        "值的类型不对",
        "write the value as the format asks (number, list, text, true/false)",
        "按格式要求书写值（数字、列表、文本、true/false）",
    ),
    Rule(
        "bad-format",
        ERROR,
        "expected a date YYYY-MM or YYYY-MM-DD, got '2017-13-01'",
        "text that does not follow its pattern",
        "文本不符合规定的格式",
        "follow the pattern named in the message",
        "按信息中给出的格式书写",
    ),
    Rule(
        "bad-url",
        ERROR,
        "expected an http(s) URL, got 'javascript:…'",
        "a link that is not an http(s) URL",
        "链接不是 http(s) URL",
        "links must start with `http://` or `https://`",
        "链接必须以 `http://` 或 `https://` 开头",
    ),
    Rule(
        "bad-choice",
        ERROR,
        "expected one of single-scale, multi-scale; got 'multiscale'",
        "a value outside the listed choices",
        "值不在列出的选项中",
        "use one of the listed values",
        "使用列出的值之一",
    ),
    Rule(
        "bad-value",
        ERROR,
        "give the text in at least one language (en or zh)",
        "a value the format refuses for the reason given",
        "格式因信息所述的原因拒绝该值",
        "as the message says",
        "按信息所说修改",
    ),
    # references to the registries and to other papers ----------------------------------------------
    Rule(
        "unknown-dataset",
        ERROR,
        "unknown dataset 'cityscape' (did you mean 'cityscapes'?)",
        "a dataset slug not in `datasets.yaml`",
        "`datasets.yaml` 中没有的数据集 slug",
        "use a slug from `papers/datasets.yaml`, or add the entry there",
        "使用 `papers/datasets.yaml` 中的 slug，或在其中添加该条目",
    ),
    Rule(
        "unknown-metric",
        ERROR,
        "unknown metric 'miou' (did you mean 'mIoU'?)",
        "a metric slug not in `metrics.yaml`",
        "`metrics.yaml` 中没有的指标 slug",
        "use a slug from `papers/metrics.yaml` (case matters), or add the entry there",
        "使用 `papers/metrics.yaml` 中的 slug（区分大小写），或在其中添加该条目",
    ),
    Rule(
        "unknown-venue",
        ERROR,
        "unknown venue 'CVPR' (did you mean 'cvpr'?)",
        "a venue slug not in `venues.yaml`",
        "`venues.yaml` 中没有的发表处 slug",
        "use a slug from `papers/venues.yaml`, or add the entry there",
        "使用 `papers/venues.yaml` 中的 slug，或在其中添加该条目",
    ),
    Rule(
        "unknown-topic",
        ERROR,
        "unknown topic 'realtime' (did you mean 'real-time'?)",
        "a topic slug not in `topics.yaml`",
        "`topics.yaml` 中没有的主题 slug",
        "use a slug from `papers/topics.yaml`, or add the entry there",
        "使用 `papers/topics.yaml` 中的 slug，或在其中添加该条目",
    ),
    Rule(
        "unknown-task",
        ERROR,
        "unknown task 'semantic-segmentaton' (did you mean 'semantic-segmentation'?)",
        "a task slug not in `tasks.yaml`",
        "`tasks.yaml` 中没有的任务 slug",
        "use a slug from `papers/tasks.yaml`, or add the entry there",
        "使用 `papers/tasks.yaml` 中的 slug，或在其中添加该条目",
    ),
    Rule(
        "unknown-split",
        ERROR,
        "dataset 'cityscapes' has no split 'testing' (it has: train, coarse, val, test, unspecified)",
        "a split the dataset does not declare",
        "数据集未声明的划分",
        "use one of the splits listed",
        "使用列出的划分之一",
    ),
    Rule(
        "unknown-paper",
        ERROR,
        "unknown paper id 'fcnn' (did you mean 'fcn'?)",
        "`builds_on` names a paper that is not in `papers/`",
        "`builds_on` 引用了 `papers/` 中不存在的论文",
        "`builds_on` takes paper ids (file names)",
        "`builds_on` 填写论文 id（文件名）",
    ),
    Rule(
        "unknown-backbone",
        ERROR,
        "unknown backbone 'resnet101' (did you mean 'resnet-101'?)",
        "a backbone slug not in `backbones.yaml`",
        "`backbones.yaml` 中没有的骨干网络 slug",
        "use a slug from `papers/backbones.yaml`, or add the entry there (name, family)",
        "使用 `papers/backbones.yaml` 中的 slug，或在其中添加该条目（name、family）",
    ),
    Rule(
        "unknown-class",
        ERROR,
        "cityscapes has no class 'raod' (did you mean 'road'?)",
        "a `per_class` name not in the dataset's `classes` in `datasets.yaml`",
        "`per_class` 中的类别名不在 `datasets.yaml` 中该数据集的 `classes` 里",
        "write the class as the dataset's `classes` list names it (or add `classes` to the dataset, with its source)",
        "按数据集 `classes` 列表中的名称书写（或为该数据集添加 `classes` 及其出处）",
    ),
    Rule(
        "unknown-source",
        ERROR,
        "source 'pwc' is not defined under `sources:` (it has: pspnet-paper)",
        "a result's `source` (or an `also` entry) names a key the paper's `sources` does not define",
        "结果的 `source`（或 `also` 中的条目）引用了论文 `sources` 中未定义的键",
        "define the source once under `sources:` (kind, name, url), or use one of its keys",
        "在 `sources:` 下定义该出处（kind、name、url），或使用已有的键",
    ),
    Rule(
        "unknown-result",
        ERROR,
        "`reproduces: pspnet#cityscapes-tst` points nowhere: paper pspnet has no result 'cityscapes-tst'",
        "a `reproduces` whose paper or result id does not exist",
        "`reproduces` 指向的论文或结果 id 不存在",
        "write `<paper-id>#<result-id>`: the paper's file name and the `id` of its result",
        "写成 `<论文 id>#<结果 id>`：论文的文件名和该结果的 `id`",
    ),
    Rule(
        "missing-hardware",
        ERROR,
        "fps is a speed: say what it was measured on with `hardware:` (device, ...) or `hardware: unstated`",
        "`fps` or `latency_ms` without `hardware`",
        "给出 `fps` 或 `latency_ms` 却没有 `hardware`",
        "add `hardware: {device: ..., precision: ..., batch: ...}` as the source states it, or `hardware: unstated` "
        "(the speed is then shown but never ranked against measured ones)",
        "按出处所述添加 `hardware: {device: ..., precision: ..., batch: ...}`，或写 `hardware: unstated`"
        "（此时速度只显示，不与有测量条件的速度一起排名）",
    ),
    Rule(
        "split-role",
        ERROR,
        "split 'coarse' of cityscapes is a training split: a result is measured on an evaluation split",
        "a result measured on a training-only split, or trained on a split whose labels are withheld (a test server's)",
        "结果在仅用于训练的划分上评测，或在标注不公开（由评测服务器打分）的划分上训练",
        "`split` is where the numbers were measured; `training.splits` what the model was trained on",
        "`split` 是测得数字的划分；`training.splits` 是模型训练所用的划分",
    ),
    Rule(
        "duplicate-result-id",
        ERROR,
        "result id 'cityscapes-test' is already used by results[0] of this paper",
        "two results of one paper with the same `id`",
        "同一论文中两个结果的 `id` 相同",
        "give each result its own `id` (diff, links, badges and exports use it)",
        "为每个结果取不同的 `id`（diff、链接、徽章和导出都用它）",
    ),
    Rule(
        "date-after-arxiv",
        ERROR,
        "date 2017-03 is later than 2016-12, the month arXiv id 1612.01105 states",
        "a first-public `date` later than the month the paper's arXiv id states",
        "首次公开的 `date` 晚于其 arXiv id 所表明的月份",
        "the arXiv version is public: write its month (or the earlier date of another first version)",
        "arXiv 版本已公开：写它的月份（或另一更早首版的日期）",
    ),
    Rule(
        "out-of-range",
        ERROR,
        "mIoU must be between 0 and 100, got 781.2",
        "a number outside its metric's range",
        "数字超出该指标的范围",
        "a typo, or a fraction where a percentage is expected",
        "笔误，或把百分数写成了小数",
    ),
    # files and identity ------------------------------------------------------------------------------
    Rule(
        "year-folder",
        ERROR,
        "year 2018 does not match the folder '2017/'",
        "a paper in another year's folder",
        "论文放在了别的年份的文件夹中",
        "move the file, or fix the year",
        "移动文件或修正年份",
    ),
    Rule(
        "bad-id",
        ERROR,
        "file name 'My_Paper.yaml' breaks the id rule",
        "a file name that is not a valid paper id",
        "文件名不是合法的论文 id",
        "lower-case letters, digits and `-`, ending in `.yaml`",
        "使用小写字母、数字和 `-`，以 `.yaml` 结尾",
    ),
    Rule(
        "duplicate-paper",
        ERROR,
        "same arXiv id as papers/2017/pspnet.yaml: one paper, one file",
        "the paper already has a file",
        "该论文已有文件",
        "the paper is already there: edit that file",
        "该论文已存在：请编辑那个文件",
    ),
    Rule(
        "duplicate-id",
        ERROR,
        "id 'pspnet' is already used by papers/2017/pspnet.yaml",
        "two files with the same name in different years",
        "不同年份中有同名文件",
        "pick another file name",
        "换一个文件名",
    ),
    Rule(
        "duplicate-result",
        ERROR,
        "the same numbers from the same source as results[0]",
        "a result given twice",
        "同一结果出现两次",
        "remove the duplicate",
        "删除重复项",
    ),
    Rule(
        "missing-registry",
        ERROR,
        "registry venues.yaml is missing",
        "one of the six registries is absent",
        "六个注册表之一缺失",
        "restore the registry file in `papers/`",
        "在 `papers/` 中恢复该注册表文件",
    ),
    Rule(
        "stray-file",
        ERROR,
        "unexpected file: papers go in papers/<year>/<id>.yaml",
        "a file that is neither a paper nor a registry",
        "既不是论文也不是注册表的文件",
        "keep only `papers/<year>/<id>.yaml` files and the six registries in `papers/`",
        "`papers/` 中只放 `papers/<year>/<id>.yaml` 论文文件和六个注册表",
    ),
    # YAML and the file itself ------------------------------------------------------------------------
    Rule(
        "duplicate-key",
        ERROR,
        "duplicate key 'year' (first defined at line 2)",
        "a key written twice in one mapping",
        "同一映射中的键写了两次",
        "write each key once",
        "每个键只写一次",
    ),
    Rule(
        "yaml-syntax",
        ERROR,
        "YAML does not allow tabs for indentation; use spaces",
        "the file is not valid YAML",
        "文件不是合法的 YAML",
        "fix the YAML at that position (indentation with spaces, quotes, brackets)",
        "修正该位置的 YAML（用空格缩进、引号、括号）",
    ),
    Rule(
        "yaml-tag",
        ERROR,
        "YAML tags (!!python/object) are not allowed",
        "a YAML tag",
        "使用了 YAML 标签",
        "write plain values out in full",
        "直接完整写出普通的值",
    ),
    Rule(
        "yaml-anchor",
        ERROR,
        "YAML anchors (&base) are not allowed",
        "a YAML anchor",
        "使用了 YAML 锚点",
        "write plain values out in full",
        "直接完整写出普通的值",
    ),
    Rule(
        "yaml-alias",
        ERROR,
        "YAML aliases (*name) are not allowed; write the value out",
        "a YAML alias",
        "使用了 YAML 别名",
        "write plain values out in full",
        "直接完整写出普通的值",
    ),
    Rule(
        "yaml-key",
        ERROR,
        "a mapping key must be plain text",
        "a key that is not plain text, or empty",
        "键不是普通文本，或为空",
        "write keys as plain words",
        "键名使用普通文字",
    ),
    Rule(
        "yaml-documents",
        ERROR,
        "only one YAML document per file",
        "more than one document (`---`) in a file",
        "一个文件中有多个文档（`---`）",
        "keep one document per file",
        "每个文件只保留一个文档",
    ),
    Rule(
        "yaml-depth",
        ERROR,
        "nesting deeper than 24 levels",
        "values nested too deeply",
        "嵌套层级过深",
        "flatten the structure",
        "减少嵌套",
    ),
    Rule(
        "yaml-size",
        ERROR,
        "more than 50000 values in one file",
        "too many values in one file",
        "一个文件中的值过多",
        "one paper per file, without generated data",
        "每个文件一篇论文，不要放生成的数据",
    ),
    Rule(
        "yaml-char",
        ERROR,
        "control character U+007F in text; remove it",
        "a control character in text",
        "文本中有控制字符",
        "remove the character",
        "删除该字符",
    ),
    Rule(
        "empty-file",
        ERROR,
        "file is empty",
        "the file holds nothing",
        "文件为空",
        "write the paper, or delete the file",
        "写入论文内容，或删除该文件",
    ),
    Rule(
        "encoding",
        ERROR,
        "file is not valid UTF-8 (byte 0xe9)",
        "the file is not UTF-8 text",
        "文件不是 UTF-8 文本",
        "save the file as UTF-8",
        "将文件保存为 UTF-8",
    ),
    Rule(
        "file-size",
        ERROR,
        "file is 2000000 bytes; the limit is 1048576",
        "the file is larger than 1 MiB",
        "文件大于 1 MiB",
        "keep a paper file under 1 MiB",
        "论文文件应小于 1 MiB",
    ),
    Rule(
        "io",
        ERROR,
        "cannot read file: Permission denied",
        "the file cannot be read",
        "无法读取文件",
        "check the file's permissions",
        "检查文件权限",
    ),
    # strongly recommended: warnings ------------------------------------------------------------------
    Rule(
        "missing-locator",
        WARNING,
        "result has no locator: say where in its source the numbers are",
        "a result without a `locator` (table, figure, page, row)",
        "结果没有 `locator`（表、图、页、行）",
        "add `locator`, e.g. `Table 4`",
        "添加 `locator`，例如 `Table 4`",
    ),
    Rule(
        "missing-retrieved",
        WARNING,
        "leaderboard source has no retrieved date",
        "a leaderboard source without the date it was read (a file at a commit does not change: none needed)",
        "排行榜出处没有读取日期（固定到某次提交的文件不会变化，无需日期）",
        "add `retrieved: YYYY-MM-DD` (leaderboards change)",
        "添加 `retrieved: YYYY-MM-DD`（排行榜会变化）",
    ),
    Rule(
        "source-contradiction",
        WARNING,
        "the source contradicts itself: the row names extra training data (mapillary) "
        "but its extra-data column says no",
        "`training.extra` (what the source's label names) and `training.extra_data` (what its column says) disagree",
        "`training.extra`（出处标签所写）与 `training.extra_data`（出处该栏所写）相互矛盾",
        "keep both as the source states them: the result is then not counted as own-data-only nor as extra-data "
        "(its training data is shown as contradictory)",
        "按出处原样保留两者：该结果既不算作仅用自身数据，也不算作使用额外数据（训练数据显示为相互矛盾）",
    ),
    Rule(
        "missing-primary-metric",
        WARNING,
        "cityscapes is ranked by mIoU, which this result does not give",
        "a result without its dataset's primary metric is on no leaderboard",
        "结果缺少其数据集的主要指标，因此不会出现在排行榜上",
        "add the primary metric if the source gives it",
        "若出处给出了该指标，请补上",
    ),
)

RULES: dict[str, Rule] = {r.code: r for r in _ALL}
assert len(RULES) == len(_ALL), "a code is registered twice"


def level(code: str) -> str:
    return RULES[code].level


# The tables of CONTRIBUTING.md and CONTRIBUTING.zh.md ----------------------------------------------

BEGIN = "<!-- problem-codes: generated from generator/format/rules.py by `python -m generator.format.rules` -->"
END = "<!-- /problem-codes -->"
DOCS = {"en": "CONTRIBUTING.md", "zh": "CONTRIBUTING.zh.md"}
_HEAD = {
    "en": ("code", "level", "what it means", "example message", "what to do"),
    "zh": ("代码", "级别", "含义", "信息示例", "处理方法"),
}


def table(lang: str) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    rows = ["| " + " | ".join(_HEAD[lang]) + " |", "| --- | --- | --- | --- | --- |"]
    for r in _ALL:
        meaning, fix = (r.en, r.fix_en) if lang == "en" else (r.zh, r.fix_zh)
        rows.append(f"| `{r.code}` | {r.level} | {cell(meaning)} | `{cell(r.example)}` | {cell(fix)} |")
    return "\n".join(rows)


def rewrite(text: str, lang: str) -> str:
    """The document with the block between the markers replaced by the table of the registry."""
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise ValueError(f"no {BEGIN!r} ... {END!r} block")
    return pattern.sub(lambda _: f"{BEGIN}\n{table(lang)}\n{END}", text, count=1)


def main(root: Path) -> int:
    for lang, name in DOCS.items():
        path = root / name
        old = path.read_text(encoding="utf-8")
        new = rewrite(old, lang)
        if new != old:
            path.write_text(new, encoding="utf-8")
            print(f"rewrote the problem codes of {name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path.cwd()))
