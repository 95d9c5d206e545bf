"""`python -m generator build`: papers/ -> a new site/, swapped in whole (see generator/site/build.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.config import SiteConfig
from generator.errors import EXIT_OK, EXIT_PROBLEMS
from generator.site.build import BuildError, Problems, build_site


def site_config(args: argparse.Namespace) -> SiteConfig:
    return SiteConfig.from_env(
        papers=Path(args.papers) if getattr(args, "papers", None) else None,
        site_dir=Path(args.site_dir) if getattr(args, "site_dir", None) else None,
        build_dir=Path(args.build_dir) if getattr(args, "build_dir", None) else None,
    )


def run(args: argparse.Namespace) -> int:
    config = site_config(args)
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
