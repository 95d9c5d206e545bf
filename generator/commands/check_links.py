"""`python -m generator check-links`: follow every external link in papers/, report the dead ones.

Exit 0 when every link checked answers, 1 when some are dead (or a file does not parse), 2 on usage.
The limits and what counts as dead: generator/authoring/linkcheck.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import urllib.parse
from pathlib import Path

from generator.errors import EXIT_OK, EXIT_PROBLEMS, UsageError


def run(args: argparse.Namespace) -> int:
    from generator.authoring import linkcheck
    from generator.format.validate import DEFAULT_ROOT

    root = Path(args.papers) if args.papers else DEFAULT_ROOT
    if not root.is_dir():
        raise UsageError(f"no papers folder at {root}")
    if args.timeout <= 0 or args.delay < 0 or args.max_requests < 1:
        raise UsageError("--timeout and --max-requests must be positive, --delay not negative")
    checker = linkcheck.Checker(
        timeout=args.timeout, delay=args.delay, per_host=args.per_host, max_requests=args.max_requests
    )
    result = linkcheck.check_tree(root, checker)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    for line in linkcheck.lines(result.links, result.outcomes):
        print(line)
    dead = result.dead
    hosts = len({urllib.parse.urlsplit(u).netloc for u in result.outcomes})
    print(
        f"check-links: {len(result.outcomes)} distinct links ({len(result.links)} places) on {hosts} hosts, "
        f"{checker.requests} requests: {len(dead)} places hold a dead link",
        file=sys.stderr,
    )
    if args.report:
        when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        Path(args.report).write_text(linkcheck.markdown(result.links, result.outcomes, checker, when), encoding="utf-8")
    return EXIT_PROBLEMS if dead or result.problems else EXIT_OK
