"""The command line: parse arguments and hand each command to its module in generator/commands/.

Every command is `generator.commands.<name>.run(args) -> exit status` (0 ok, 1 problems, 2 usage),
imported only when it is called. Nothing imports this module.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Callable, Optional, Sequence

from generator.config import ConfigError
from generator.errors import EXIT_USAGE, UsageError


def lazy(module: str) -> Callable[[argparse.Namespace], int]:
    """The command implemented by generator/commands/<module>.py as `run(args) -> exit status`."""

    def run(args: argparse.Namespace) -> int:
        return importlib.import_module(f"generator.commands.{module}").run(args)

    return run


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m generator",
        description="Build and check a bilingual literature survey from papers/ (its subject: survey.yml).",
    )
    sub = p.add_subparsers(dest="command", metavar="command")

    v = sub.add_parser("validate", help="check papers and registries (exit 1 on problems)")
    v.add_argument("paths", nargs="*", help="paper files or a papers folder (default: papers/)")
    v.add_argument(
        "--format",
        choices=("text", "github", "sarif"),
        default="text",
        help="text: file:line:col: error|warning: ...; github: workflow annotations; "
        "sarif: SARIF 2.1.0 for code scanning",
    )
    v.set_defaults(func=lazy("validate"))

    b = sub.add_parser("build", help="generate the pages and build the site into site/")
    b.add_argument("--papers", help="papers folder (default: papers/)")
    b.add_argument("--site-dir", help="output folder (default: site/)")
    b.add_argument("--build-dir", help="generated Markdown tree (default: build/)")
    b.add_argument("-v", "--verbose", action="store_true", help="show MkDocs output and when each step ends")
    b.set_defaults(func=lazy("build"))

    s = sub.add_parser("serve", help="live preview that rebuilds when a paper file changes")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000, help="port to serve on (default: 8000; 0: any free port)")
    s.add_argument("--papers", help="papers folder (default: papers/)")
    s.add_argument("--site-dir", help="output folder (default: preview/site/; site/ stays the last full build)")
    s.add_argument("--build-dir", help="generated Markdown tree (default: preview/build/)")
    s.set_defaults(func=lazy("serve"))

    n = sub.add_parser(
        "new",
        help="write a new paper file from its arXiv id or DOI, a few flags or a BibTeX entry",
        description="With --arxiv or --doi alone, the title, authors, date, venue and links come "
        "from the arXiv API or Crossref (online); with --title (or --bibtex) the flags "
        "are the record and nothing is looked up.",
    )
    n.add_argument("--id", help="paper id (file name); derived from the name or title when omitted")
    n.add_argument("--title")
    n.add_argument("--year", type=int)
    n.add_argument("--name", help="short method name")
    n.add_argument("--venue", help="venue slug")
    n.add_argument("--author", action="append", default=[], help="an author, 'Given Family' (repeat)")
    n.add_argument("--arxiv", help="arXiv id; alone, the record is looked up on the arXiv API")
    n.add_argument("--doi", help="DOI; alone, the record is looked up on Crossref")
    n.add_argument("--offline", action="store_true", help="never look anything up (then --title and --year are needed)")
    n.add_argument(
        "--bibtex", metavar="FILE", help="take the fields from the one entry in this BibTeX file ('-' for stdin)"
    )
    n.add_argument("--papers", help="papers folder (default: papers/)")
    n.add_argument(
        "--issue",
        metavar="FILE",
        help="take the fields from the body of an 'add a paper' issue "
        "(GitHub's Markdown of the issue form; '-' for stdin); lines it cannot read are listed, exit 1",
    )
    n.add_argument(
        "--form",
        metavar="FILE",
        help="the issue form the body was written from "
        "(default: .github/ISSUE_TEMPLATE/add-paper.yml beside the papers folder)",
    )
    n.add_argument("--force", action="store_true", help="overwrite an existing file")
    n.set_defaults(func=lazy("new"))

    e = sub.add_parser(
        "export",
        help="export the papers or a selection: BibTeX, BibLaTeX, RIS, CSL-JSON, JSON, CSV, "
        "SQLite, a LaTeX table, or the paper format as JSON Schema",
        description="Paper choices (--year, --topic, --as-of, --peer-reviewed) and result choices "
        "(--board, --result, --dataset) combine: the results chosen, of the papers chosen, "
        "and the papers of those results.",
    )
    e.add_argument("kind", choices=("bibtex", "biblatex", "ris", "csl", "json", "csv", "sqlite", "latex", "schema"))
    e.add_argument("--year", type=int, help="papers of this year")
    e.add_argument("--topic", help="papers of this topic")
    e.add_argument("--dataset", help="results on this dataset (and their papers)")
    e.add_argument(
        "--board",
        action="append",
        metavar="BOARD",
        help="results on this leaderboard, <dataset>-<split> as in its URL (repeat)",
    )
    e.add_argument(
        "--result", action="append", metavar="PAPER#RESULT", help="one result: <paper id>#<result id> (repeat)"
    )
    e.add_argument("--as-of", metavar="DATE", help="only what was public by this date (YYYY-MM-DD, YYYY-MM, YYYY)")
    e.add_argument("--peer-reviewed", action="store_true", help="only papers published in a journal or proceedings")
    e.add_argument(
        "--method",
        action="append",
        metavar="PAPER",
        help="latex: a row per method (paper id) across benchmarks (repeat)",
    )
    e.add_argument("--top", type=int, metavar="N", help="latex: the first N rows of the board")
    e.add_argument(
        "--comparable",
        action="store_true",
        help="latex: only results measured like the best one (same test-time augmentation and training data)",
    )
    e.add_argument("--metrics", metavar="M,M", help="latex: the metric columns (default: the board's primary metric)")
    e.add_argument("--lang", choices=("en", "zh"), default="en", help="latex: labels in English or Chinese (xelatex)")
    e.add_argument("--fragment", action="store_true", help="latex: only the table environment, to \\input in a paper")
    e.add_argument("-o", "--output", help="file to write (default: standard output); latex writes FILE.bib beside it")
    e.add_argument("--papers", help="papers folder (default: papers/)")
    e.set_defaults(func=lazy("export"))

    i = sub.add_parser(
        "import",
        help="import papers and results from BibTeX, leaderboards or model zoos",
        description="bibtex FILE: one paper file per entry not already present (--update: also "
        "fill missing fields of papers already present, listing conflicts); "
        "leaderboard FILE...: OpenCodePapers (Papers with Code) benchmark JSON; "
        "model-index PATH...: OpenMMLab metafiles; table FILE --mapping MAP: the "
        "Markdown tables of a model zoo's README. Nothing is written unless papers/ "
        "validates afterwards; importing the same file twice changes nothing.",
    )
    i.add_argument("kind", choices=("bibtex", "leaderboard", "model-index", "table"))
    i.add_argument("files", nargs="+", metavar="FILE")
    i.add_argument(
        "--mapping",
        help="the mapping file (leaderboard: default sources/leaderboards.yaml; "
        "model-index: default the OpenMMLab mapping in sources/model-zoos/; "
        "table: required)",
    )
    i.add_argument("--update", action="store_true", help="bibtex: also fill missing fields of papers already present")
    i.add_argument("--papers", help="papers folder (default: papers/)")
    i.add_argument("--dry-run", action="store_true", help="say what would be written, write nothing")
    i.set_defaults(func=lazy("import_sources"))

    c = sub.add_parser("check-links", help="check every external link in papers/ (exit 1 when some are dead)")
    c.add_argument("--papers", help="papers folder (default: papers/)")
    c.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for one answer (default 15)")
    c.add_argument("--delay", type=float, default=1.0, help="seconds between two requests to one host (default 1)")
    c.add_argument("--per-host", type=int, choices=(1, 2), default=1, help="requests in flight per host (default 1)")
    c.add_argument("--max-requests", type=int, default=2000, help="stop after this many requests (default 2000)")
    c.add_argument("--report", metavar="FILE", help="also write the dead links as Markdown (job summary, issue)")
    c.set_defaults(func=lazy("check_links"))

    d = sub.add_parser("diff", help="what a change does to the rankings, against a git revision")
    d.add_argument("base", help="a git revision (e.g. origin/main) or a papers folder to compare with")
    d.add_argument("--papers", help="papers folder of the new side (default: papers/)")
    d.add_argument("--format", choices=("markdown", "text"), default="markdown")
    d.set_defaults(func=lazy("diff"))
    k = sub.add_parser(
        "keys",
        help="record the citation key of each new paper in papers/citation-keys.tsv",
        description="Keys follow <family><year><word> (README: citation keys) and never change once "
        "recorded; --check exits 1 when a paper has no recorded key.",
    )
    k.add_argument("--papers", help="papers folder (default: papers/)")
    k.add_argument("--check", action="store_true", help="record nothing; exit 1 when a paper is not recorded")
    k.set_defaults(func=lazy("keys"))
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
