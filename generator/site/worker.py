"""The two kinds of process a build starts (`python -m generator.site.worker …`):

    generate         validate papers/ once, then render every language at once, each in a copy of the
                     process (linux.each): its pages into build/LANG/ as they are made (tree.TreeWriter),
                     its static files and mkdocs.LANG.yml. Once every copy has ended, it says
                     {"trees": [...]} on stdout, writes the data files at the site root (while the MkDocs
                     builds run) and says {"papers": n, "boards": m}. Exit status 0, 1 (the papers have
                     problems: printed), 3 (an error, printed), anything else a crash.
    mkdocs LANG CFG  `mkdocs build --strict` of that tree, one per language (hooks.py does the rest of a
                     page's work).

Each ends when the build that started it is killed (linux.die_with_parent). Only this module's `Clock`
and `main` are imported by the build; everything heavy is imported in the process that needs it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from generator.site import linux

EXIT_ERROR = 3  # generate: an error, printed


class Clock:
    """With --verbose: when each step ended (seconds since the build started), and the peak memory of the
    process that says it (with the build: of its largest finished child)."""

    def __init__(self, verbose: bool, start: float | None = None):
        self.verbose = verbose
        self.start = time.monotonic() if start is None else start

    def say(self, who: str, what: str, children: bool = False) -> None:
        if self.verbose:
            import resource  # Unix

            usage = resource.getrusage(resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF)
            line = (
                f"build: {time.monotonic() - self.start:6.1f} s  {who:<12} {what} (peak {usage.ru_maxrss // 1024} MB)\n"
            )
            # one write(2) of one line: the two languages' workers share stderr, and a line under PIPE_BUF
            # written at once is never cut by the other's (print() may write a line in pieces)
            sys.stderr.flush()
            os.write(sys.stderr.fileno(), line.encode("utf-8", "replace"))


def config_arg(config) -> str:
    return json.dumps({k: (str(v) if isinstance(v, Path) else v) for k, v in dataclasses.asdict(config).items()})


def _config(text: str):
    from generator.config import SiteConfig, load_survey

    fields: dict[str, Any] = json.loads(text)
    paths = {f.name for f in dataclasses.fields(SiteConfig) if f.type in ("Path", Path)}
    values: dict[str, Any] = {k: Path(v) if k in paths else v for k, v in fields.items()}
    values["survey"] = load_survey(values["survey_file"])  # read again: the file is the survey's one source
    return SiteConfig(**values)


def generate(config, site_tmp: Path, clock: Clock) -> int:
    from generator.config import LANGS
    from generator.corpus.core import build_corpus
    from generator.format.formatters import print_problems
    from generator.format.validate import validate_tree
    from generator.render.pages import DuplicateOutput, SiteRenderer
    from generator.site.tree import TreeError, TreeWriter, fresh, write_static

    try:  # the paper files in two shares at once (validate_tree), each read by a copy of this process
        checked = validate_tree(config.papers, run_all=linux.in_copies)
    except linux.CopyFailed as exc:
        print(f"build: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if checked.problems:
        print_problems(checked.problems, "text", checked.files_checked)
        return 1
    assert checked.registries is not None
    corpus = build_corpus(checked.registries, checked.papers, config.survey)
    clock.say("generator", f"{len(corpus.papers)} papers validated")
    renderer = SiteRenderer(corpus, config, writer := TreeWriter(config.build_dir, site_tmp))

    def write(lang: str) -> int:
        before = len(writer.written)
        try:
            fresh(config.build_dir / lang)
            write_static(config.build_dir, config, site_tmp, langs=(lang,))
            renderer.render_lang(lang)
        except (TreeError, DuplicateOutput) as exc:
            print(f"build: error: {exc}", file=sys.stderr)
            return EXIT_ERROR
        clock.say(f"writer {lang}", f"{len(writer.written) - before} files written")
        return 0

    # every language at once, each in a copy of this process that shares the corpus (linux.each)
    failed = [code for code in linux.each(LANGS, write) if code != 0]
    if failed:
        return failed[0]
    print(json.dumps({"trees": list(LANGS)}), flush=True)  # the build starts the MkDocs builds now
    try:
        renderer.render_root()
    except (TreeError, DuplicateOutput) as exc:
        print(f"build: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    clock.say("root", "data files written at the site root")
    print(json.dumps({"papers": len(corpus.papers), "boards": len(corpus.boards)}), flush=True)
    return 0


def mkdocs(lang: str, config_file: str, quiet: bool) -> None:
    from mkdocs.__main__ import cli

    cli(["build", "--strict", "-f", config_file, *(["-q"] if quiet else [])])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m generator.site.worker")
    ap.add_argument("--parent", type=int, required=True)
    sub = ap.add_subparsers(dest="step", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--config", required=True)
    g.add_argument("--site-tmp", required=True)
    g.add_argument("--clock", type=float)
    m = sub.add_parser("mkdocs")
    m.add_argument("lang")
    m.add_argument("config_file")
    m.add_argument("-q", action="store_true")
    args = ap.parse_args(argv)
    linux.die_with_parent(args.parent)
    if args.step == "mkdocs":
        mkdocs(args.lang, args.config_file, args.q)  # exits
        return 0
    clock = Clock(args.clock is not None, args.clock)
    return generate(_config(args.config), Path(args.site_tmp), clock)


if __name__ == "__main__":
    code = main()
    # the generate step ends holding a corpus (about 300 MB at 5,000 papers) that the interpreter would take a
    # second or two to free object by object while the MkDocs builds run beside it: its files are written and
    # closed, so the process ends at once
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
