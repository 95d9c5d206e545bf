"""How problems are printed: detection lives in load/convert/validate, output formats here (yamllint's split).

text:   file:line:col: error|warning: message [key.path]      (standard error)
github: ::error file=…,line=…,col=…,title=code::message        (workflow annotations, standard output)
sarif:  one SARIF 2.1.0 log for GitHub code scanning            (standard output)
"""

from __future__ import annotations

import json
import sys
from typing import Sequence

from generator.format.problems import Problem, summary
from generator.format.rules import RULES

FORMATS = ("text", "github", "sarif")


def text(p: Problem) -> str:
    where = f"{p.span.file}:{p.span.line}:{p.span.col}"
    suffix = f" [{p.path}]" if p.path else ""
    return f"{where}: {p.level}: {p.message}{suffix}"


def github(p: Problem) -> str:
    # Workflow-command escaping: https://github.com/actions/toolkit (command.ts)
    def prop(value: str) -> str:
        return (
            value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")
        )

    def data(value: str) -> str:
        return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    msg = p.message + (f" [{p.path}]" if p.path else "")
    return f"::{p.level} file={prop(p.span.file)},line={p.span.line},col={p.span.col},title={prop(p.code)}::{data(msg)}"


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def sarif(problems: Sequence[Problem]) -> dict:
    """A SARIF 2.1.0 log: one run, every registered code as a rule, one result per problem."""
    codes = list(RULES)
    rules = [
        {
            "id": r.code,
            "name": r.code,
            "shortDescription": {"text": r.en},
            "fullDescription": {"text": f"{r.en}. Example: {r.example}"},
            "help": {"text": r.fix_en},
            "defaultConfiguration": {"level": r.level},
        }
        for r in RULES.values()
    ]
    results = [
        {
            "ruleId": p.code,
            "ruleIndex": codes.index(p.code),
            "level": p.level,
            "message": {"text": p.message + (f" [{p.path}]" if p.path else "")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": p.span.file},
                        "region": {"startLine": p.span.line, "startColumn": p.span.col},
                    },
                }
            ],
        }
        for p in problems
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "generator validate", "rules": rules}},
                "results": results,
            }
        ],
    }


def print_problems(problems: Sequence[Problem], fmt: str, files: int) -> None:
    """Every problem in the format asked for, then a one-line summary on standard error."""
    if fmt == "sarif":
        json.dump(sarif(problems), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for p in problems:
            print(github(p) if fmt == "github" else text(p), file=sys.stdout if fmt == "github" else sys.stderr)
    if problems:
        print(summary(list(problems), files), file=sys.stderr)
