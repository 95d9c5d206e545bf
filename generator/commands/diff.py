"""`python -m generator diff BASE`: what a change does to the rankings, for a pull request's job summary.

BASE is a git revision (its papers/ folder is extracted with `git archive` into a temporary folder)
or a path to a papers folder. The new side is --papers (default papers/). Both are validated; problems
on the new side are printed as `validate` prints them and the command exits 1; a broken base is said
so and compared as if it were empty.

How a row is followed from one corpus to the other: within one leaderboard (task, dataset, split),
a row is the same row when it is the same result: the same paper id and result `id` (ids are stable and
unique in a paper, so inserting or moving a result changes nothing, and a value that changes is reported
as a change of that row). Rows left unmatched after that (a result whose id was renamed) are paired once
more on (paper id, model label, protocol, source identity), then on (paper id, model label, protocol)
alone, each when that pairing is unambiguous, so that renaming an id or correcting a source's link reads
as a change of that row, not as a result leaving and another entering.

Rank changes of rows whose own value did not change are always caused by other rows (competition
ranking: a row's rank is one plus the number of strictly better rows); they are summarised per
leaderboard ("5 rows move down by one") instead of listed one by one, unless a single row moves.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Optional, cast

from generator.config import load_survey, survey_file
from generator.corpus.core import Board, Corpus, Row, build_corpus
from generator.format import formatters
from generator.format.problems import summary
from generator.format.types import Slug
from generator.format.validate import is_papers_folder, validate_tree
from generator.render import routes

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
PAGES_SHOWN = 60  # a job summary lists at most this many touched pages


class DiffUsageError(Exception):
    pass


# Reading the two sides -----------------------------------------------------------------------


def _git(args: list[str], cwd: Path, binary: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=str(cwd), capture_output=True, text=not binary, timeout=120)


def _toplevel(start: Path) -> Optional[Path]:
    try:
        proc = _git(["rev-parse", "--show-toplevel"], start)
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(proc.stdout.strip()) if proc.returncode == 0 and proc.stdout.strip() else None


def extract_revision(base: str, papers: Path, dest: Path) -> tuple[Path, Optional[str]]:
    """Extract the papers folder of git revision `base` under `dest`.

    Returns (folder, note): note says why the base is empty (no papers folder at that revision)."""
    start = papers if papers.is_dir() else Path.cwd()
    top = _toplevel(start) or _toplevel(Path.cwd())
    if top is None:
        raise DiffUsageError(f"'{base}' is neither a papers folder nor a git revision (not inside a git repository)")
    proc = _git(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], top)
    if proc.returncode != 0:
        raise DiffUsageError(f"'{base}' is neither a papers folder nor a git revision of {top}")
    commit = proc.stdout.strip()
    try:
        rel = papers.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        rel = "papers"
    out = dest / "base"
    out.mkdir(parents=True, exist_ok=True)
    arch = _git(["archive", "--format=tar", commit, "--", rel], top, binary=True)
    if arch.returncode != 0:
        return out / rel, f"{rel}/ does not exist at {base}"
    with tarfile.open(fileobj=io.BytesIO(arch.stdout)) as tar:
        tar.extractall(out, filter="data")
    return out / rel, None


def _load(folder: Path) -> tuple[Optional[Corpus], tuple]:
    checked = validate_tree(folder)
    if checked.problems:
        return None, (checked.problems, checked.files_checked)
    assert checked.registries is not None
    return build_corpus(checked.registries, checked.papers, load_survey(survey_file(folder))), ()


# Comparing -----------------------------------------------------------------------------------


def _num(value: Optional[Decimal]) -> str:
    return "—" if value is None else format(value, "f")


def board_title(board: Board, corpus: Corpus) -> str:
    regs = corpus.registries
    ds = regs.datasets[board.dataset]
    split = ds.splits[cast(Slug, board.split)].name.en if board.split in ds.splits else board.split
    title = f"{regs.datasets[board.dataset].name.en} {split}"
    if board.task != corpus.default_task:
        task = regs.tasks[board.task].name.en if board.task in regs.tasks else board.task
        title = f"{title} · {task}"
    return title


def _key(row: Row) -> tuple:
    return (row.paper.id, row.result.id)


def _sourced(row: Row) -> tuple:
    return (row.paper.id, row.model, row.protocol, row.cite.identity())


def _loose(row: Row) -> tuple:
    return (row.paper.id, row.model, row.protocol)


def _keyed(rows: tuple[Row, ...]) -> dict[tuple, Row]:
    out: dict[tuple, Row] = {}
    seen: Counter = Counter()
    for row in sorted(rows, key=lambda r: (r.paper.id, r.index)):
        k = _key(row)
        out[(*k, seen[k])] = row  # ids are unique in a paper (validate); the count only guards a broken base
        seen[k] += 1
    return out


def match_rows(old: tuple[Row, ...], new: tuple[Row, ...]) -> tuple[list[tuple[Row, Row]], list[Row], list[Row]]:
    """(matched pairs, rows only in old, rows only in new)."""
    a, b = _keyed(old), _keyed(new)
    pairs = [(a[k], b[k]) for k in a if k in b]
    left = [a[k] for k in a if k not in b]
    entered = [b[k] for k in b if k not in a]
    for key in (_sourced, _loose):
        by_old: dict[tuple, list[Row]] = defaultdict(list)
        by_new: dict[tuple, list[Row]] = defaultdict(list)
        for r in left:
            by_old[key(r)].append(r)
        for r in entered:
            by_new[key(r)].append(r)
        for k, olds in by_old.items():
            news = by_new.get(k, [])
            if len(olds) == 1 and len(news) == 1:
                pairs.append((olds[0], news[0]))
                left.remove(olds[0])
                entered.remove(news[0])
    return pairs, left, entered


@dataclass
class BoardChange:
    slug: str
    title: str
    metric: str
    new_board: bool = False
    removed_board: bool = False
    lines: list[str] = field(default_factory=list)


def _labels(rows: list[Row]) -> dict[int, str]:
    """A readable label per row (by id()), naming the source where one board has a label twice."""
    count = Counter(r.model for r in rows)
    return {id(r): (r.model if count[r.model] == 1 else f"{r.model} [{r.cite.name}]") for r in rows}


def _where(rank: Optional[int]) -> str:
    return f"#{rank}" if rank is not None else "unranked"


def _spelled(n: int) -> str:
    return "one" if n == 1 else str(n)


def compare_board(old: Optional[Board], new: Optional[Board], title: str) -> BoardChange:
    board = new or old
    assert board is not None
    change = BoardChange(
        board.slug, title, board.metric, new_board=old is None and new is not None, removed_board=new is None
    )
    metric = board.metric
    if old is None:
        assert new is not None
        labels = _labels(list(new.rows))
        for r in new.rows:
            change.lines.append(_enter_line(r, labels[id(r)], title, metric))
        return change
    if new is None:
        labels = _labels(list(old.rows))
        for r in old.rows:
            change.lines.append(f"{labels[id(r)]} leaves {title} (was {_where(r.rank)}, {metric} {_num(r.score)})")
        return change
    pairs, left, entered = match_rows(old.rows, new.rows)
    labels = {**_labels(list(old.rows)), **_labels(list(new.rows))}
    new_order = {id(r): i for i, r in enumerate(new.rows)}
    old_order = {id(r): i for i, r in enumerate(old.rows)}
    for r in sorted(entered, key=lambda r: new_order[id(r)]):
        change.lines.append(_enter_line(r, labels[id(r)], title, metric))
    for r in sorted(left, key=lambda r: old_order[id(r)]):
        change.lines.append(f"{labels[id(r)]} leaves {title} (was {_where(r.rank)}, {metric} {_num(r.score)})")
    incidental: dict[int, list[tuple[Row, Row]]] = defaultdict(list)
    for o, n in sorted(pairs, key=lambda p: new_order[id(p[1])]):
        label = labels[id(n)]
        if o.cite.identity() != n.cite.identity():
            change.lines.append(f"{label}: source changed ({o.cite.name} → {n.cite.name})")
        if o.score != n.score:
            moved = f"{_where(o.rank)} → {_where(n.rank)}" if o.rank != n.rank else f"still {_where(n.rank)}"
            change.lines.append(f"{label}: {_num(o.score)} → {_num(n.score)} ({metric}), {moved}")
        elif o.rank != n.rank and o.rank is not None and n.rank is not None:
            incidental[n.rank - o.rank].append((o, n))
    for delta in sorted(incidental, key=lambda d: (d < 0, abs(d))):
        rows = incidental[delta]
        if len(rows) == 1:
            o, n = rows[0]
            change.lines.append(f"{labels[id(n)]}: #{o.rank} → #{n.rank}")
        else:
            way = "down" if delta > 0 else "up"
            change.lines.append(f"{len(rows)} rows move {way} by {_spelled(abs(delta))}")
    return change


def _enter_line(r: Row, label: str, title: str, metric: str) -> str:
    if r.rank is None:
        return f"{label} enters {title}, unranked (no {metric})"
    return f"{label} enters {title} at #{r.rank} ({metric} {_num(r.score)})"


@dataclass
class Report:
    base: str
    new: str
    base_note: Optional[str]
    boards: list[BoardChange]
    papers_added: list[str]
    papers_removed: list[str]
    pages: list[str] = field(default_factory=list)  # paths after the language prefix, of the pages that change

    @property
    def unchanged(self) -> bool:
        return not any(b.lines for b in self.boards)

    def markdown(self) -> str:
        out = [f"### Rankings: `{self.base}` → `{self.new}`", ""]
        if self.base_note:
            out += [f"> **Note:** {self.base_note}", ""]
        if self.unchanged:
            out += ["No change to any ranking.", ""]
        for b in self.boards:
            if not b.lines:
                continue
            what = " — new leaderboard" if b.new_board else (" — leaderboard removed" if b.removed_board else "")
            out += [f"#### {b.title} (`{b.slug}`, by {b.metric}){what}", ""]
            out += [f"- {line}" for line in b.lines]
            out.append("")
        if self.papers_added:
            out += ["#### Papers added", ""] + [f"- {p}" for p in self.papers_added] + [""]
        if self.papers_removed:
            out += ["#### Papers removed", ""] + [f"- {p}" for p in self.papers_removed] + [""]
        if self.pages:
            out += [
                "#### Pages this change touches",
                "",
                "In both languages (`/en/…`, `/zh/…`); open them in the built site (the `site` artifact).",
                "",
            ]
            out += [f"- `{p}`" for p in self.pages[:PAGES_SHOWN]]
            out += [f"- … and {len(self.pages) - PAGES_SHOWN} more" if len(self.pages) > PAGES_SHOWN else "", ""]
        return "\n".join(out).rstrip() + "\n"

    def text(self) -> str:
        out = [f"Rankings: {self.base} -> {self.new}"]
        if self.base_note:
            out.append(f"note: {self.base_note}")
        if self.unchanged:
            out.append("No change to any ranking.")
        for b in self.boards:
            if not b.lines:
                continue
            what = " (new leaderboard)" if b.new_board else (" (leaderboard removed)" if b.removed_board else "")
            out.append("")
            out.append(f"{b.title} [{b.slug}, by {b.metric}]{what}")
            out += [f"  {line}" for line in b.lines]
        if self.papers_added:
            out += ["", "Papers added:"] + [f"  {p}" for p in self.papers_added]
        if self.papers_removed:
            out += ["", "Papers removed:"] + [f"  {p}" for p in self.papers_removed]
        if self.pages:
            out += ["", "Pages this change touches (after /en/ and /zh/):"] + [
                f"  {p}" for p in self.pages[:PAGES_SHOWN]
            ]
            if len(self.pages) > PAGES_SHOWN:
                out.append(f"  ... and {len(self.pages) - PAGES_SHOWN} more")
        return "\n".join(out) + "\n"


def _paper_line(pf) -> str:
    return f"{pf.paper.label} ({pf.id}, {pf.paper.year})"


def compare(
    old: Optional[Corpus],
    new: Corpus,
    base_label: str = "base",
    new_label: str = "papers/",
    base_note: Optional[str] = None,
) -> Report:
    old_boards = {b.slug: b for b in old.boards} if old is not None else {}
    new_boards = {b.slug: b for b in new.boards}
    changes = []
    for slug in [*new_boards, *(s for s in old_boards if s not in new_boards)]:
        o, n = old_boards.get(slug), new_boards.get(slug)
        title = board_title(n, new) if n is not None else board_title(o, old)  # type: ignore[arg-type]
        changes.append(compare_board(o, n, title))
    old_ids = set(old.by_id) if old is not None else set()
    added = [_paper_line(new.by_id[i]) for i in sorted(set(new.by_id) - old_ids)]
    removed = [_paper_line(old.by_id[i]) for i in sorted(old_ids - set(new.by_id))] if old is not None else []
    # the pages that change: each leaderboard whose ranking moves, and each paper added or edited (a removed
    # paper's page is gone); a paper's own page, not the lists that name it
    edited = sorted(
        i for i in new.by_id if old is None or i not in old.by_id or old.by_id[i].paper != new.by_id[i].paper
    )
    pages = [routes.board(b.slug) for b in changes if b.lines and not b.removed_board] + [
        routes.paper(i) for i in edited
    ]
    return Report(base_label, new_label, base_note, changes, added, removed, pages)


# The command ---------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    papers = Path(args.papers) if getattr(args, "papers", None) else Path("papers")
    if not is_papers_folder(papers):
        print(f"generator diff: no papers folder at {papers} (looked for {papers}/datasets.yaml)", file=sys.stderr)
        return EXIT_USAGE
    new, problems = _load(papers)
    if new is None:
        probs, files = problems
        for p in probs:
            print(formatters.text(p), file=sys.stderr)
        print(summary(list(probs), files), file=sys.stderr)
        print("diff: the new side has problems; fix them first", file=sys.stderr)
        return EXIT_PROBLEMS
    with tempfile.TemporaryDirectory(prefix="semseg-diff-") as tmp:
        base_arg = args.base
        note = None
        if Path(base_arg).is_dir():
            base_dir = Path(base_arg)
            if not is_papers_folder(base_dir) and is_papers_folder(base_dir / "papers"):
                base_dir = base_dir / "papers"
        else:
            try:
                base_dir, note = extract_revision(base_arg, papers, Path(tmp))
            except DiffUsageError as exc:
                print(f"generator diff: {exc}", file=sys.stderr)
                return EXIT_USAGE
        old: Optional[Corpus] = None
        if note is None:
            if not is_papers_folder(base_dir):
                note = f"no papers folder in {base_arg}; compared as if it were empty"
            else:
                old, base_problems = _load(base_dir)
                if old is None:
                    probs, _ = base_problems
                    note = (
                        f"the base ({base_arg}) has {len(probs)} validation problem{'s' if len(probs) != 1 else ''}; "
                        "compared as if it were empty"
                    )
        else:
            note += "; compared as if it were empty"
        report = compare(old, new, base_arg, papers.as_posix().rstrip("/") + "/", note)
    sys.stdout.write(report.markdown() if args.format == "markdown" else report.text())
    return EXIT_OK
