"""No input crashes the validator (issue 8): random and mutated paper files, hostile YAML.

Starting from the valid fixture files, hypothesis mutates bytes, truncates, inserts YAML syntax, unicode,
control characters and invalid UTF-8, and feeds the result to `validate_tree` (and a few through the
command line). Every outcome must be a success or clean located problems (`file:line:col: error: ...`,
exit 1): never an exception, never a traceback, within a time bound per example. The classic attacks
(alias bombs, deep nesting, huge scalars, multi-megabyte files, tags that construct objects) are refused
quickly and in bounded memory. Derandomized, so CI sees the same examples every run.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.format import formatters
from generator.corpus.core import build_corpus
from generator.format.problems import Problem
from generator.format.validate import validate_tree
from helpers import FIXTURES, run_cli

VALID = FIXTURES / "valid" / "papers"
TARGETS = ["2017/pspnet.yaml", "2015/fcn.yaml", "2018/deeplabv3-plus.yaml", "datasets.yaml", "metrics.yaml"]
SEEDS = {name: (VALID / name).read_bytes() for name in TARGETS}
LOCATED = re.compile(r"^.+\.yaml:\d+:\d+: (error|warning): \S.*$")

SETTINGS = settings(
    max_examples=120,
    derandomize=True,
    deadline=3000,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Fragments that mean something to a YAML parser, or to the rest of the pipeline.
SYNTAX = [
    b":",
    b": ",
    b"- ",
    b"[",
    b"]",
    b"{",
    b"}",
    b",",
    b"&a ",
    b"*a",
    b"!!str ",
    b"!!python/object:os.system ",
    b"!x ",
    b"? ",
    b"|",
    b">-",
    b"'",
    b'"',
    b"#",
    b"\n",
    b"\n  ",
    b"\t",
    b"---\n",
    b"...\n",
    b"%YAML 1.1\n",
    b"<<: *a\n",
    b"~",
    b"null",
    b"true",
    b"yes",
    b".inf",
    b"-.nan",
    b"0x1F",
    b"1e999",
    b"2017-02-30",
    b"\\",
    b'"\\x7f"',
    b'"\\u0000"',
    b'"\\ud800"',
    b'"\\U0010FFFF"',
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\x00",
    b"\x1b[31m",
    b"\r",
    b"\x85",
    "\u2028".encode(),
    "语义".encode(),
    "😀".encode(),
    "e\u0301".encode(),
    b"javascript:alert(1)",
    b"https://",
    b"<script>",
    b"{{7*7}}",
    b"=cmd|' /C calc'!A0",
    b"../../etc/passwd",
    b"title: ",
    b"year: ",
    b"results:\n  - ",
    b"metrics: {mIoU: ",
    b"source: {url: ",
    b"dataset: ",
    b"notes:\n  en: ",
]


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(TARGETS))
    data = bytearray(SEEDS[name])
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "syntax", "delete", "truncate", "duplicate", "repeat"]))
        pos = draw(st.integers(0, len(data)))
        if op == "flip" and data:
            data[min(pos, len(data) - 1)] = draw(st.integers(0, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=12))
        elif op == "syntax":
            data[pos:pos] = draw(st.sampled_from(SYNTAX))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 40))]
        elif op == "truncate":
            del data[pos:]
        elif op == "duplicate":
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            data = bytearray(b"\n".join(lines))
        elif op == "repeat":  # a big but legal-looking file
            data[pos:pos] = draw(st.sampled_from(SYNTAX)) * draw(st.integers(2, 2000))
    return name, bytes(data)


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "papers"
        shutil.copytree(VALID, root)
        yield root


def check_outcome(root: Path, problems: tuple[Problem, ...]) -> None:
    for p in problems:
        text = formatters.text(p)
        assert "\n" not in text.split(": error: ", 1)[0]
        assert LOCATED.match(text.splitlines()[0]), text
        assert p.span.line >= 1 and p.span.col >= 1, text
        assert Path(p.span.file).name.endswith(".yaml"), text


def run_one(root: Path, name: str, data: bytes) -> None:
    target = root / name
    original = SEEDS[name]
    target.write_bytes(data)
    try:
        started = time.perf_counter()
        checked = validate_tree(root)
        assert time.perf_counter() - started < 3
        check_outcome(root, checked.problems)
        if not checked.problems:  # what validates must also index (ranks, boards) without an exception
            assert isinstance(build_corpus(checked.registries, checked.papers).boards, tuple)
    finally:
        target.write_bytes(original)


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
@SETTINGS
@given(mutated())
def test_mutated_files_give_located_problems_or_pass(workdir, case):
    name, data = case
    run_one(workdir, name, data)


@SETTINGS
@given(st.sampled_from(["2017/pspnet.yaml", "datasets.yaml"]), st.text(max_size=400))
def test_random_text_gives_located_problems_or_passes(workdir, name, text):
    run_one(workdir, name, text.encode("utf-8", errors="surrogatepass"))


def nested(depth: int) -> bytes:
    return (
        b"title: x\nyear: 2017\nnotes:\n"
        + b"".join(b"  " * i + b"  en:\n" for i in range(1, depth))
        + b"  " * depth
        + b"x\n"
    )


def alias_bomb() -> bytes:
    lines = [b"a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]".encode())
    return b"\n".join(lines) + b"\ntitle: *j\nyear: 2017\n"


HOSTILE = {
    "alias bomb": (alias_bomb(), "YAML anchors"),
    "merge key": (b"base: &b {title: x}\n<<: *b\nyear: 2017\n", "YAML anchors"),
    "python tag": (b"title: !!python/object/apply:os.system [touch /tmp/pwned]\nyear: 2017\n", "YAML tags"),
    "local tag": (b"title: !x y\nyear: 2017\n", "YAML tags"),
    "deep flow nesting": (b"title: " + b"[" * 200_000 + b"]" * 200_000 + b"\nyear: 2017\n", "nesting deeper"),
    "deep unclosed nesting": (b"title: " + b"{a: " * 100_000, "nesting deeper"),
    "deep block nesting": (nested(200), "nesting deeper"),
    "several MB": (b"title: x\nyear: 2017\nabstract: " + b"y" * 6_000_000 + b"\n", "the limit is"),
    "many values": (b"authors: [" + b"a," * 400_000 + b"a]\n", "values in one file"),
    "two documents": (b"title: x\nyear: 2017\n---\ntitle: y\n", "one YAML document"),
    "NUL byte": (b"title: x\x00\nyear: 2017\n", "YAML"),
    "invalid UTF-8": (b"title: caf\xe9\nyear: 2017\n", "not valid UTF-8"),
    "escaped control char": (b'title: "a\\x1b[2Jb"\nyear: 2017\n', "control character"),
    "escaped DEL": (b'title: "a\\u007fb"\nyear: 2017\n', "control character"),
    "empty": (b"", "empty"),
    "only a comment": (b"# nothing\n", "empty"),
}


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
@pytest.mark.parametrize("label", list(HOSTILE))
def test_hostile_files_are_refused_quickly_in_bounded_memory(workdir, label):
    data, expected = HOSTILE[label]
    target = workdir / "2017" / "pspnet.yaml"
    target.write_bytes(data)
    try:
        started = time.perf_counter()
        checked = validate_tree(workdir)
        elapsed = time.perf_counter() - started
        tracemalloc.start()  # again, for memory (tracemalloc slows every allocation down: not timed)
        validate_tree(workdir)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        target.write_bytes(SEEDS["2017/pspnet.yaml"])
    mine = [p for p in checked.problems if p.span.file.endswith("pspnet.yaml")]
    assert mine and any(expected in p.message for p in mine), [formatters.text(p) for p in checked.problems]
    check_outcome(workdir, checked.problems)
    assert elapsed < (3 if label == "many values" else 1), f"{label}: {elapsed:.2f}s"
    assert peak < 64 * 2**20, f"{label}: {peak / 2**20:.1f} MiB"


@settings(max_examples=4, derandomize=True, deadline=None, database=None)
@given(mutated())
def test_cli_reports_mutations_without_traceback(tmp_path_factory, case):
    name, data = case
    root = tmp_path_factory.mktemp("cli") / "papers"
    shutil.copytree(VALID, root)
    (root / name).write_bytes(data)
    proc = run_cli("validate", str(root), cwd=root.parent)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    lines = proc.stderr.strip().splitlines()
    if proc.returncode == 1:
        *errors, summary = lines
        assert errors and re.match(r"\d+ errors?(, \d+ warnings?)? in \d+ files? \(\d+ files checked\)$", summary), (
            proc.stderr
        )
        for line in errors:
            assert LOCATED.match(line), line
    else:
        assert lines[-1].startswith("ok: "), proc.stderr


@pytest.mark.parametrize("label", ["alias bomb", "python tag", "deep flow nesting", "invalid UTF-8"])
def test_cli_refuses_hostile_files_with_a_located_error(tmp_path, label):
    root = tmp_path / "papers"
    shutil.copytree(VALID, root)
    (root / "2017" / "pspnet.yaml").write_bytes(HOSTILE[label][0])
    proc = run_cli("validate", str(root), cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert re.search(r"^papers/2017/pspnet\.yaml:\d+:\d+: error: ", proc.stderr, re.M), proc.stderr
    assert not Path("/tmp/pwned").exists()
