"""What the documentation promises stays true: every field and command is documented in both languages,
the problem-code tables are the registry (generator/format/rules.py), and the README's counts are the corpus's."""

import ast
import dataclasses
import re

import pytest

from generator import cli
from generator.format import model, rules
from generator.format.problems import Problem, Span
from helpers import ROOT

CONTRIBUTING = [ROOT / "CONTRIBUTING.md", ROOT / "CONTRIBUTING.zh.md"]
READMES = [ROOT / "README.md", ROOT / "README.zh.md"]


def emitted_codes() -> set[str]:
    """Every problem code the generator can emit, read from its syntax tree: `code=` arguments, the code
    argument of Problem(span, message, path, code), run.problem(node, message, path, code) and
    converter.error(node, path, message, code), what is assigned to a variable `code`, and the values of
    a `_UNKNOWN` table. A code built at run time (an f-string) cannot be checked against the registry and
    fails here."""
    codes: set[str] = set()
    for path in sorted((ROOT / "generator").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            args: list[ast.expr] = []
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                args += [k.value for k in node.keywords if k.arg == "code"]
                if name in ("Problem", "problem", "error") and len(node.args) == 4:
                    args.append(node.args[3])
            elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "_UNKNOWN" for t in node.targets):
                args += list(node.value.values) if isinstance(node.value, ast.Dict) else []
            elif (
                isinstance(node, ast.Assign)
                and path.parent.name == "format"
                and any(getattr(t, "id", "") == "code" for t in node.targets)
            ):
                # code = "bad-url" if ... else "bad-format"
                args += [n for n in ast.walk(node.value) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
            for arg in args:
                if isinstance(arg, ast.Name) and arg.id == "code":
                    continue  # passed on by a helper; its callers are read instead
                if isinstance(arg, ast.Attribute) and arg.attr == "code":
                    continue  # a problem's own code, passed on unchanged (Problem(p.span, ..., p.code))
                if isinstance(arg, ast.Subscript) and getattr(arg.value, "id", "") == "_UNKNOWN":
                    continue  # read above
                assert isinstance(arg, ast.Constant), f"{path.name}:{arg.lineno}: a problem code must be a literal"
                codes.add(arg.value)
    return codes


def test_the_code_scan_finds_codes():
    codes = emitted_codes()
    assert {
        "unknown-key",
        "yaml-syntax",
        "unknown-dataset",
        "unknown-venue",
        "out-of-range",
        "bad-url",
        "bad-choice",
        "unknown-split",
        "old-shape",
        "missing-locator",
    } <= codes


def test_every_emitted_code_is_registered_and_every_registered_code_emitted():
    assert sorted(emitted_codes() - set(rules.RULES)) == []
    assert sorted(set(rules.RULES) - emitted_codes()) == []


def test_a_problem_with_an_unregistered_code_is_refused():
    with pytest.raises(ValueError, match="not in generator/format/rules.py"):
        Problem(Span("x.yaml"), "message", "", "no-such-code")


def test_every_rule_has_both_languages_and_a_level():
    for r in rules.RULES.values():
        assert r.level in (rules.ERROR, rules.WARNING), r.code
        assert all(s.strip() for s in (r.en, r.zh, r.fix_en, r.fix_zh, r.example)), r.code
        assert re.search(r"[\u4e00-\u9fff]", r.zh + r.fix_zh) and r.fix_zh != r.fix_en, r.code


@pytest.mark.parametrize("lang", rules.DOCS, ids=lambda lang: rules.DOCS[lang])
def test_the_problem_code_tables_are_the_registry(lang):
    doc = ROOT / rules.DOCS[lang]
    text = doc.read_text(encoding="utf-8")
    assert rules.rewrite(text, lang) == text, f"run `python -m generator.format.rules` to regenerate {doc.name}"
    assert all(f"| `{code}` |" in text for code in rules.RULES)


FORMAT_MODELS = [
    model.Paper,
    model.Published,
    model.Result,
    model.Source,
    model.Also,
    model.Training,
    model.Evaluation,
    model.Hardware,
    model.Artifacts,
    model.Links,
    model.Ids,
    model.Text,
    model.BibOverride,
    model.Split,
    model.Dataset,
    model.Backbone,
]


@pytest.mark.parametrize("doc", CONTRIBUTING, ids=lambda p: p.name)
def test_every_field_of_the_format_is_documented(doc):
    text = doc.read_text(encoding="utf-8")
    fields = {f.name for m in FORMAT_MODELS for f in dataclasses.fields(m)}
    assert sorted(f for f in fields if f"`{f}`" not in text) == []


@pytest.mark.parametrize("doc", READMES, ids=lambda p: p.name)
def test_every_command_is_in_the_readme(doc):
    text = doc.read_text(encoding="utf-8")
    sub = next(a for a in cli.parser()._actions if a.dest == "command")
    assert sorted(c for c in sub.choices if f"`{c}" not in text) == []
    assert "make site" in text and "make test" in text


@pytest.mark.parametrize("doc", READMES, ids=lambda p: p.name)
def test_readmes_quote_no_corpus_count(doc):
    """A pull request that adds one paper must not have to edit the READMEs: they quote no count of papers
    or results (`validate` prints them)."""
    text = doc.read_text(encoding="utf-8")
    assert re.findall(r"\*\*\d[\d,]*\s*(?:papers|results|篇论文|条结果)\*\*", text) == []
