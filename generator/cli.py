"""The command line: parse arguments, call the phases, map outcomes to exit codes (0 ok, 1 problems, 2 usage)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Optional, Sequence

from .config import ConfigError, SiteConfig
from .corpus import Corpus, build_corpus
from .problems import Problem, summary
from .validate import DEFAULT_ROOT, find_root, validate_tree

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def print_problems(problems: Sequence[Problem], fmt: str, files: int) -> None:
    for p in problems:
        print(p.github() if fmt == "github" else p.text(), file=sys.stdout if fmt == "github" else sys.stderr)
    if problems:
        print(summary(list(problems), files), file=sys.stderr)


def validated(root: Path, command: str, why: str):
    """The checked corpus, or None after printing its problems: commands that add papers need a valid one."""
    checked = validate_tree(root)
    if checked.problems:
        print_problems(checked.problems, "text", checked.files_checked)
        print(f"{command}: papers/ must validate before {why}; nothing written", file=sys.stderr)
        return None
    return checked


def emit(text: str, output: Optional[str], what: str) -> None:
    """Write to the file named, or to standard output."""
    if output:
        Path(output).write_text(text, encoding="utf-8")
        print(f"wrote {what} to {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def load_corpus(root: Path, fmt: str = "text") -> Optional[Corpus]:
    """Validate, then build the corpus; print problems and return None when there are any."""
    checked = validate_tree(root)
    if checked.problems:
        print_problems(checked.problems, fmt, checked.files_checked)
        return None
    assert checked.registries is not None
    return build_corpus(checked.registries, checked.papers)


def cmd_validate(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths]
    for p in paths:
        if not p.exists():
            raise UsageError(f"no such file or folder: {p}")
    dirs = [p for p in paths if p.is_dir()]
    files = [p for p in paths if p.is_file()]
    root = find_root(paths) if paths else DEFAULT_ROOT
    if not (root / "datasets.yaml").is_file() and not root.is_dir():
        raise UsageError(f"no papers folder found (looked for {root}/datasets.yaml)")
    only = None if (not files or dirs) else set(files)
    checked = validate_tree(root, only=only)
    print_problems(checked.problems, args.format, checked.files_checked)
    if not checked.problems and args.format == "text":
        n = len(checked.papers)
        print(f"ok: {n} papers, {sum(len(p.paper.results) for p in checked.papers)} results, "
              f"{checked.files_checked} files checked", file=sys.stderr)
    return EXIT_PROBLEMS if checked.problems else EXIT_OK


def _config(args: argparse.Namespace) -> SiteConfig:
    return SiteConfig.from_env(
        papers=Path(args.papers) if getattr(args, "papers", None) else None,
        site_dir=Path(args.site_dir) if getattr(args, "site_dir", None) else None,
        build_dir=Path(args.build_dir) if getattr(args, "build_dir", None) else None,
    )


def cmd_build(args: argparse.Namespace) -> int:
    from .build import BuildError, Problems, build_site

    config = _config(args)
    try:
        summary = build_site(config, quiet=not args.verbose)
    except Problems:
        print("build: nothing written; site/ is unchanged", file=sys.stderr)
        return EXIT_PROBLEMS
    except BuildError as exc:
        print(f"build: error: {exc}", file=sys.stderr)
        print("build: site/ is unchanged", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"built {summary.papers} papers, {summary.boards} leaderboards into {config.site_dir}", file=sys.stderr)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from .render import bibtex, data

    if args.kind == "schema":  # the format itself: needs no papers, so a broken corpus does not stop it
        emit(data.schema_json(), args.output, "the paper schema")
        return EXIT_OK
    corpus = load_corpus(Path(args.papers) if args.papers else DEFAULT_ROOT)
    if corpus is None:
        return EXIT_PROBLEMS
    papers = select(corpus, args)
    if papers is None:
        return EXIT_USAGE
    if args.kind == "json":
        text = data.papers_json(papers)
    elif args.kind == "csv":
        text = data.results_csv(papers, corpus)
    elif args.kind == "csl":
        text = data.csl_json(papers, corpus, bibtex.keys(corpus))
    else:
        keys = bibtex.keys(corpus)
        text = bibtex.write(bibtex.paper_entries(papers, corpus, keys))
    emit(text, args.output, f"{len(papers)} papers")
    return EXIT_OK


def select(corpus: Corpus, args: argparse.Namespace):
    from .schema import hint

    regs = corpus.registries
    if args.topic and args.topic not in regs.topics:
        print(f"export: unknown topic '{args.topic}'{hint(args.topic, regs.topics)}", file=sys.stderr)
        return None
    if args.dataset and args.dataset not in regs.datasets:
        print(f"export: unknown dataset '{args.dataset}'{hint(args.dataset, regs.datasets)}", file=sys.stderr)
        return None
    out = []
    for pf in corpus.papers:
        p = pf.paper
        if args.year is not None and p.year != args.year:
            continue
        if args.topic and args.topic not in p.topics:
            continue
        if args.dataset and not any(r.dataset == args.dataset for r in p.results):
            continue
        out.append(pf)
    return out


def lazy(module: str) -> Callable[[argparse.Namespace], int]:
    """A command implemented by generator/<module>.py as `run(args) -> exit code` (imported when used)."""

    def run(args: argparse.Namespace) -> int:
        import importlib

        try:
            mod = importlib.import_module(f"generator.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"generator.{module}":
                raise
            print(f"generator {args.command}: not available yet in this version", file=sys.stderr)
            return EXIT_USAGE
        return mod.run(args)

    return run


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m generator",
        description="Build and check the bilingual semantic segmentation survey from papers/.",
    )
    sub = p.add_subparsers(dest="command", metavar="command")

    v = sub.add_parser("validate", help="check papers and registries (exit 1 on problems)")
    v.add_argument("paths", nargs="*", help="paper files or a papers folder (default: papers/)")
    v.add_argument("--format", choices=("text", "github"), default="text",
                   help="text: file:line:col: error: ...; github: workflow annotations")
    v.set_defaults(func=cmd_validate)

    b = sub.add_parser("build", help="generate the pages and build the site into site/")
    b.add_argument("--papers", help="papers folder (default: papers/)")
    b.add_argument("--site-dir", help="output folder (default: site/)")
    b.add_argument("--build-dir", help="generated Markdown tree (default: build/)")
    b.add_argument("-v", "--verbose", action="store_true", help="show MkDocs output and when each step ends")
    b.set_defaults(func=cmd_build)

    s = sub.add_parser("serve", help="live preview that rebuilds when a paper file changes")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--papers", help="papers folder (default: papers/)")
    s.add_argument("--site-dir", help="output folder (default: site/)")
    s.add_argument("--build-dir", help="generated Markdown tree (default: build/)")
    s.set_defaults(func=lazy("serve"))

    n = sub.add_parser("new", help="write a new paper file from a few flags or a BibTeX entry")
    n.add_argument("--id", help="paper id (file name); derived from the name or title when omitted")
    n.add_argument("--title")
    n.add_argument("--year", type=int)
    n.add_argument("--name", help="short method name")
    n.add_argument("--venue", help="venue slug")
    n.add_argument("--author", action="append", default=[], help="an author, 'Given Family' (repeat)")
    n.add_argument("--arxiv")
    n.add_argument("--doi")
    n.add_argument("--bibtex", metavar="FILE", help="take the fields from the one entry in this BibTeX file ('-' for stdin)")
    n.add_argument("--papers", help="papers folder (default: papers/)")
    n.add_argument("--force", action="store_true", help="overwrite an existing file")
    n.set_defaults(func=lazy("newpaper"))

    e = sub.add_parser("export", help="export papers as BibTeX, JSON, CSV or CSL-JSON, or the paper format as JSON Schema")
    e.add_argument("kind", choices=("bibtex", "json", "csv", "csl", "schema"))
    e.add_argument("--year", type=int)
    e.add_argument("--topic")
    e.add_argument("--dataset")
    e.add_argument("-o", "--output", help="file to write (default: standard output)")
    e.add_argument("--papers", help="papers folder (default: papers/)")
    e.set_defaults(func=cmd_export)

    i = sub.add_parser("import", help="write one paper file per BibTeX entry not already present")
    i.add_argument("kind", choices=("bibtex",))
    i.add_argument("file")
    i.add_argument("--papers", help="papers folder (default: papers/)")
    i.add_argument("--dry-run", action="store_true", help="say what would be written, write nothing")
    i.set_defaults(func=lazy("importer"))

    d = sub.add_parser("diff", help="what a change does to the rankings, against a git revision")
    d.add_argument("base", help="a git revision (e.g. origin/main) or a papers folder to compare with")
    d.add_argument("--papers", help="papers folder of the new side (default: papers/)")
    d.add_argument("--format", choices=("markdown", "text"), default="markdown")
    d.set_defaults(func=lazy("diff"))
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = parser()
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        p.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"{p.prog} {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ConfigError as exc:
        print(f"{p.prog}: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
