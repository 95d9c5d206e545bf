"""`python -m generator serve`: the live preview (generator/site/serve.py)."""

from __future__ import annotations

import argparse

from generator.site import serve


def run(args: argparse.Namespace) -> int:
    return serve.run(args)
