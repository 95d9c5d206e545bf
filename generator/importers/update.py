"""Bring papers/ up to date with some rows and records: what the `import` commands share.

`plan()` merges rows (from any reader) and bibliographic records into the papers of a folder and returns
the files that would change, with the merge's report. `check()` validates the folder as it would be after
the change, in a scratch copy, before anything is written; `commit()` writes every changed file through a
temporary file and a rename, so a file is either as it was or as planned (never half-written), and
nothing at all is written when the result does not validate. A second run over the same input plans no
change (the merge finds every row already present).
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from . import merge
from .bibliography import BibRecord
from .records import Row, Skipped
from .yamlio import dump_paper


@dataclass(frozen=True)
class Change:
    path: Path  # papers/<year>/<id>.yaml
    text: str  # the new content
    new: bool  # a paper file that does not exist yet


@dataclass(frozen=True)
class Plan:
    changes: tuple[Change, ...]
    report: merge.Report


def plan(root: Path, rows: Iterable[Row], records: Iterable[BibRecord] = (), skipped: Iterable[Skipped] = ()) -> Plan:
    """The paper files the rows and records change (new files, and existing ones whose data change)."""
    existing = merge.load_existing(root)
    before = {p.id: (copy.deepcopy(p.data), p.comments) for p in existing}  # the merge changes data in place
    papers, report = merge.merge(existing, list(rows), list(records), list(skipped))
    changes = []
    for p in papers:
        path = Path(root) / p.folder / f"{p.id}.yaml"
        if p.id in before and before[p.id] == (p.data, p.comments):
            continue
        if p.id in before:  # the file's own folder, whatever the merge computed
            path = next(Path(root).glob(f"*/{p.id}.yaml"), path)
        changes.append(Change(path, dump_paper(p.data, p.comments), p.id not in before))
    return Plan(tuple(changes), report)


def check(root: Path, changes: Iterable[Change]):
    """Validation of the folder as it would be after `changes` (a scratch copy; papers/ is not touched).
    Returns the Checked result with paths shown as under `root`."""
    from generator.format.validate import validate_tree

    root = Path(root)
    with tempfile.TemporaryDirectory(prefix="import-check-") as tmp:
        scratch = Path(tmp) / root.name
        shutil.copytree(root, scratch)
        for c in changes:
            target = scratch / c.path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(c.text, encoding="utf-8")
        return validate_tree(scratch), scratch


def commit(changes: Iterable[Change]) -> list[Path]:
    """Write every change: each through a temporary file beside it, then renamed into place."""
    staged: list[tuple[Path, Path]] = []
    try:
        for c in changes:
            c.path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{c.path.stem}.", suffix=".tmp", dir=c.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(c.text)
            staged.append((Path(name), c.path))
    except BaseException:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise
    for temp, path in staged:
        os.replace(temp, path)
    return [path for _, path in staged]


def summary(p: Plan, verb: Optional[str] = None) -> list[str]:
    """What was (or would be) added, matched, enriched and skipped, and why: lines for a person."""
    r = p.report
    lines = [
        f"papers added: {len(r.added)}" + (f" ({', '.join(r.added)})" if r.added else ""),
        f"papers matched: {len(r.matched)}"
        + (" (" + ", ".join(f"{pid} by {how}" for pid, how in r.matched) + ")" if r.matched else ""),
        f"results added: {r.results_added}; merged into a result as a second source (also): "
        f"{r.results_also}; already present: {r.results_present}",
        f"disagreements (same model and settings, another number from another source): {r.disagreements}",
    ]
    lines += [f"  {pid}: {a} / {b}" for pid, a, b in r.disagreement_list]
    enriched = [*r.filled, *r.row_filled]
    lines.append(f"fields filled: {len(enriched)}")
    lines += [f"  {pid}: {field} (from {src})" for pid, field, src in enriched]
    lines.append(f"conflicts (left as they are): {len(r.conflicts)}")
    lines += [
        f"  {pid}: {c.field}: the file has {c.existing!r}, {c.source} says {c.record!r}" for pid, c in r.conflicts
    ]
    lines.append(f"skipped: {len(r.skipped)}")
    lines += [f"  {s.source} {s.locator}: {s.reason}" for s in r.skipped]
    if r.bib_unmatched:
        lines.append(f"records matching no paper (not added by --update): {len(r.bib_unmatched)}")
        lines += [f"  {b}" for b in r.bib_unmatched]
    if verb:
        lines.append(f"{verb}: {len(p.changes)} file(s)")
        lines += [f"  {c.path}{' (new)' if c.new else ''}" for c in p.changes]
    return lines
