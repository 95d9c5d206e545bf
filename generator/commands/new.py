"""`python -m generator new`: write a new paper file, in the format's field order, that validates.

The file starts with `# yaml-language-server: $schema=../paper.schema.json`, so that editors that read it
(VS Code with the YAML extension, and others) check and complete fields as the contributor types, and
ends with a commented example of a result and its source. The YAML is written here, value by value,
quoting whatever a YAML reader could take for something else (arXiv ids that look like numbers, titles
with ': ' or ' #', words like `yes` or `null`).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from generator.authoring.paper_yaml import ORDER, SCHEMA_LINE, TODO, paper_yaml, scalar  # noqa: F401
from generator.format.problems import relpath

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _usage(message: str) -> int:
    print(f"python -m generator new: {message}", file=sys.stderr)
    return EXIT_USAGE


def _one_entry(text: str) -> tuple[Any, int]:
    """The BibTeX entry `text` holds (a Record, or the BadEntry that says why it cannot be read) and how
    many it holds; the entry is None unless there is exactly one. `--bibtex FILE` and an issue's BibTeX
    field both take one entry; each says what is wrong in its own way."""
    from generator.bib import read as bibparse

    items = bibparse.read(text)
    return (items[0] if len(items) == 1 else None), len(items)


def run(args: argparse.Namespace) -> int:
    from generator.bib import read as bibparse
    from generator.bib.to_paper import paper_from_record
    from generator.format.identity import ID_RULE, existing_paper, method_name, unique_id
    from generator.commands.common import validated
    from generator.format.formatters import print_problems
    from generator.format.convert import hint
    from generator.format.types import ArxivId, Doi, bare_doi
    from generator.format.validate import DEFAULT_ROOT, is_papers_folder, validate_tree
    from generator.format.model import FORMAT_VERSION

    root = Path(args.papers) if args.papers else DEFAULT_ROOT
    if not is_papers_folder(root):
        return _usage(f"no papers folder at {root} (looked for {root}/datasets.yaml)")

    data: dict[str, Any] = {}
    notes: list[str] = []
    if args.bibtex:
        try:
            text = sys.stdin.read() if args.bibtex == "-" else Path(args.bibtex).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return _usage(f"cannot read {args.bibtex}: {exc}")
        shown = "<stdin>" if args.bibtex == "-" else args.bibtex
        item, count = _one_entry(text)
        if count != 1:
            return _usage(
                f"{shown} holds {count} entries; `new --bibtex` takes one "
                f"(`python -m generator import bibtex {shown}` reads many)"
            )
        if isinstance(item, bibparse.BadEntry):
            print(f"{shown}:{item.line}: error: {item.message}", file=sys.stderr)
            return EXIT_PROBLEMS

    arxiv_id = (args.arxiv or "").strip()
    doi = bare_doi(args.doi or "")
    # an id alone is looked up (arXiv API, Crossref); a title or a BibTeX entry means the flags are the record
    look_up = bool(arxiv_id or doi) and not (args.bibtex or args.title or args.offline or args.issue)
    if look_up:
        if arxiv_id and not ArxivId.pattern.match(arxiv_id):
            return _usage(f"--arxiv: expected {ArxivId.expected}, got '{arxiv_id}'")
        if doi and not Doi.pattern.match(doi):
            return _usage(f"--doi: expected {Doi.expected}, got '{doi}'")

    checked = validated(root, "new", "a paper is added")
    if checked is None:
        return EXIT_PROBLEMS
    regs = checked.registries
    assert regs is not None

    issue_problems: list[str] = []
    if args.issue:
        got = _from_issue(args, root, regs)
        if isinstance(got, int):
            return got
        issue_problems = got.problems
        fields = got.fields
        for flag in ("title", "year", "venue", "id"):
            if getattr(args, flag) is None and fields.get(flag) is not None:
                setattr(args, flag, fields[flag])
        arxiv_id = arxiv_id or fields.get("arxiv", "")
        doi = doi or fields.get("doi", "")
        for key in ("links", "notes"):
            if fields.get(key):
                data[key] = fields[key]
        if got.results:
            data["sources"] = got.sources
            data["results"] = got.results
        if got.bibtex and not args.bibtex:
            # the entry gives what the form does not ask (authors, pages...); the form's answers win
            entry_item, count = _one_entry(got.bibtex)
            if isinstance(entry_item, bibparse.Record):
                entry, entry_notes = paper_from_record(entry_item, regs, lenient=True)
                for key, value in entry.items():
                    data.setdefault(key, value)
                notes += [f"BibTeX of the issue: {n}" for n in entry_notes]
            elif isinstance(entry_item, bibparse.BadEntry):
                issue_problems.append(f"BibTeX, line {entry_item.line}: {entry_item.message}; left out")
            else:
                issue_problems.append(f"BibTeX: {count} entries where one was expected; left out")
        for problem in issue_problems:
            print(f"{args.issue}: error: {problem}", file=sys.stderr)

    if look_up:
        ids_only = {"ids": {k: v for k, v in (("arxiv", arxiv_id), ("doi", doi)) if v}}
        dup = existing_paper(ids_only, checked.papers)
        if dup:  # before asking anyone over the network
            print(f"new: {dup[0].path} already describes this paper (same {dup[1]}); edit that file", file=sys.stderr)
            return EXIT_PROBLEMS
        from generator.authoring import lookup

        try:
            found = lookup.merge(
                lookup.arxiv(arxiv_id, regs.venues) if arxiv_id else None,
                lookup.crossref(doi, regs.venues) if doi else None,
            )
        except lookup.LookupFailed as exc:
            print(f"new: {exc}; nothing written", file=sys.stderr)
            if isinstance(exc, lookup.Unreachable):
                print(
                    "  without the network, write the file by hand: "
                    'new --title "…" --year YYYY --arxiv/--doi … (see CONTRIBUTING.md)',
                    file=sys.stderr,
                )
            return EXIT_PROBLEMS
        data = found.data
        notes = [
            f"{', '.join(k for k in ('title', 'authors', 'date', 'venue') if k in data)} from {found.url}",
            *found.notes,
        ]

    if args.bibtex:
        # lenient: a title or year the entry lacks (or gets wrong) may come from --title / --year
        assert isinstance(item, bibparse.Record)  # a BadEntry returned above
        data, notes = paper_from_record(item, regs, lenient=True)
        for what in ("title", "year"):
            if what not in data and getattr(args, what) is None:
                print(f"{shown}:{item.line}: error: the entry has no usable {what}; give --{what}", file=sys.stderr)
                return EXIT_USAGE

    # flags win over the entry
    if args.title:
        data["title"] = " ".join(args.title.split())
    if args.year is not None:
        data["year"] = args.year
    if args.name:
        data["name"] = args.name.strip()
    if args.author:
        data["authors"] = [" ".join(a.split()) for a in args.author if a.strip()]
    if args.venue:
        data["venue"] = args.venue
    ids = dict(data.get("ids") or {})
    if arxiv_id:
        ids["arxiv"] = arxiv_id
    if doi:
        ids["doi"] = doi
    if ids:
        data["ids"] = ids
    if ids.get("arxiv") and not (data.get("links") or {}).get("paper"):
        data.setdefault("links", {})["paper"] = f"https://arxiv.org/abs/{ids['arxiv']}"

    texts = [data.get("title") or "", data.get("name") or "", *(data.get("authors") or [])]
    if any(re.search(r"[\x00-\x1f\x7f-\x9f]", t) for t in texts):
        return _usage("a title, name or author holds a control character; remove it")
    missing = [f"--{k}" for k in ("title", "year") if not data.get(k)]
    if missing:
        return _usage(
            f"give {' and '.join(missing)} (or --bibtex FILE with an entry that has them, "
            "or --arxiv ID / --doi DOI alone to look the paper up)"
        )
    if not data["title"].strip():
        return _usage("the title is empty")
    if not 1900 <= data["year"] <= 2100:
        return _usage(f"year {data['year']} is not plausible")
    if data.get("venue") and data["venue"] not in regs.venues:
        return _usage(
            f"unknown venue '{data['venue']}'{hint(data['venue'], regs.venues)} (venues: {', '.join(regs.venues)})"
        )
    if ids.get("arxiv") and not ArxivId.pattern.match(ids["arxiv"]):
        return _usage(f"--arxiv: expected {ArxivId.expected}, got '{ids['arxiv']}'")
    if ids.get("doi") and not Doi.pattern.match(ids["doi"]):
        return _usage(f"--doi: expected {Doi.expected}, got '{ids['doi']}'")
    if args.id is not None and not ID_RULE.match(args.id):
        return _usage(f"--id '{args.id}' breaks the id rule: lower-case letters, digits and '-' (e.g. my-method)")

    year = data["year"]
    others = list(checked.papers)
    if args.id:
        pid = args.id
    else:
        pid = unique_id(data, {pf.id for pf in others})
        if not (data.get("name") or method_name(data["title"])):
            notes.append(
                f"the id '{pid}' is the first author's name and the year: the title names no method "
                f"('Name: …'); if the paper names one (Mask2Former), rename the file to it "
                f"(mask2former.yaml) or write it again with --name"
            )
    path = root / str(year) / f"{pid}.yaml"
    shown_path = relpath(path)
    if path.exists() and not args.force:
        print(f"new: {shown_path} already exists; edit it, or give --force to overwrite it", file=sys.stderr)
        return EXIT_PROBLEMS
    same_file = {relpath(path)}
    for pf in others:
        if pf.id == pid and pf.path not in same_file:
            print(f"new: id '{pid}' is already used by {pf.path}; choose another --id", file=sys.stderr)
            return EXIT_PROBLEMS
    dup = existing_paper(data, [pf for pf in others if pf.path not in same_file])
    if dup:
        print(f"new: {dup[0].path} already describes this paper (same {dup[1]}); edit that file", file=sys.stderr)
        return EXIT_PROBLEMS

    data["format"] = FORMAT_VERSION
    arxiv_month = re.match(r"(\d\d)(0[1-9]|1[0-2])\.\d{4,5}", ids.get("arxiv") or "")
    if arxiv_month and not data.get("date"):  # the id states the month of the first version
        data["date"] = f"20{arxiv_month.group(1)}-{arxiv_month.group(2)}"
    text = paper_yaml(data, header=True, template=True, results=bool(data.get("results")))  # results: from --issue
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    after = validate_tree(root, only={path})
    if after.problems:  # a bug here, never the contributor's: say so, and leave the file to be looked at
        print_problems(after.problems, "text", after.files_checked)
        print(f"new: wrote {shown_path}, but it does not validate (please report this)", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"wrote {shown_path}", file=sys.stderr)
    for note in notes:
        print(f"  note: {note}", file=sys.stderr)
    todo = [TODO[k] for k in TODO if not data.get(k) or (k == "links" and not data["links"].get("paper"))]
    if todo:
        print(f"fill in, in {shown_path}:", file=sys.stderr)
        for line in todo:
            print(f"  - {line}", file=sys.stderr)
    print(f"then check it: python -m generator validate {shown_path}", file=sys.stderr)
    if issue_problems:
        print(
            f"new: {len(issue_problems)} part{'s' if len(issue_problems) != 1 else ''} of {args.issue} could not be "
            "read (above); the file has the rest",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    return EXIT_OK


def _from_issue(args: argparse.Namespace, root: Path, regs: Any):
    """The issue's answers (an `add-paper` issue form's body, in the file args.issue), or an exit status."""
    from generator.authoring import issue_form
    from generator.format.identity import ID_RULE

    form = Path(args.form) if args.form else root.resolve().parent / ".github" / "ISSUE_TEMPLATE" / "add-paper.yml"
    try:
        labels = issue_form.form_labels(form.read_text(encoding="utf-8"))
        body = sys.stdin.read() if args.issue == "-" else Path(args.issue).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, issue_form.FormError) as exc:
        return _usage(f"--issue: {exc}")
    got = issue_form.from_issue(issue_form.read_answers(body, labels), regs)
    if got.fields.get("id") and not ID_RULE.match(got.fields["id"]):
        got.problems.append(
            f"paper id '{got.fields.pop('id')}' breaks the id rule (lower-case letters, digits and "
            "'-'); the id comes from the title instead"
        )
    return got


__all__ = ["run", "paper_yaml", "scalar", "SCHEMA_LINE", "ORDER"]
