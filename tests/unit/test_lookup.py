"""`new --arxiv ID` / `new --doi DOI`: the record comes from the arXiv API or Crossref, here a server on
127.0.0.1 that answers with recorded answers in the services' documented formats (tests/fixtures/lookup,
whose README names where each shape comes from). Never the network."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pytest

from helpers import FIXTURES, free_port, local_http, run_cli

from generator.format.formatters import text
from generator.format.rules import ERROR
from generator.format.validate import validate_tree

RECORDED = FIXTURES / "lookup"
ARXIV = {  # id_list -> recorded Atom answer
    "2112.01527": "arxiv-2112.01527.atom",
    "1612.01105": "arxiv-journal-ref.atom",
    "1234.12345": "arxiv-error.atom",
    "2112.99999": "arxiv-empty.atom",
}
CROSSREF = {"10.1109/CVPR52688.2022.00135": "crossref-10.1109-CVPR52688.2022.00135.json"}


def answer(method: str, path: str, headers: dict):
    url = urllib.parse.urlsplit(path)
    if url.path == "/api/query":
        wanted = urllib.parse.parse_qs(url.query).get("id_list", [""])[0]
        # the API answers 200 with a feed even for an id it has no paper for (user manual 3.4)
        name = ARXIV.get(wanted, "arxiv-empty.atom")
        return 200, {"Content-Type": "application/atom+xml; charset=utf-8"}, (RECORDED / name).read_bytes()
    if url.path.startswith("/works/"):
        doi = urllib.parse.unquote(url.path[len("/works/") :])
        found = {k.lower(): v for k, v in CROSSREF.items()}.get(doi.lower())
        if found:
            return 200, {"Content-Type": "application/json"}, (RECORDED / found).read_bytes()
        return 404, {"Content-Type": "text/plain"}, b"Resource not found."
    return 404, {}, b""


@pytest.fixture
def services():
    with local_http(answer) as (base, seen):
        env = {
            "SURVEY_ARXIV_API": f"{base}/api/query",
            "SURVEY_CROSSREF_API": base,
            "SURVEY_MAILTO": "survey-maintainers@example.org",
        }
        yield env, seen


def new(papers: Path, env: dict, *args: str):
    return run_cli("new", "--papers", str(papers), *args, env=env)


def paper(papers: Path, pid: str):
    result = validate_tree(papers)
    assert [text(p) for p in result.problems if p.level == ERROR] == []
    return next(pf.paper for pf in result.papers if pf.id == pid)


def test_an_arxiv_id_alone_fills_title_authors_date_venue_and_links(corpus, services):
    env, seen = services
    proc = new(corpus, env, "--arxiv", "2112.01527", "--name", "Mask2Former")
    assert proc.returncode == 0, proc.stderr
    p = paper(corpus, "mask2former")  # the id is the method's name, as CONTRIBUTING says
    assert p.title == "Masked-attention Mask Transformer for Universal Image Segmentation"  # unwrapped
    assert p.authors == ("Bowen Cheng", "Ishan Misra", "Alexander G. Schwing", "Alexander Kirillov", "Rohit Girdhar")
    assert str(p.date) == "2021-12-02" and p.year == 2021  # the first version; no journal reference
    assert p.venue == "arxiv" and p.ids.arxiv == "2112.01527"
    assert p.links.paper == "https://arxiv.org/abs/2112.01527"
    assert p.abstract.startswith("Image segmentation is about grouping pixels")
    assert "if the paper appeared at a venue, set venue and year" in proc.stderr
    assert (corpus / "2021" / "mask2former.yaml").read_text(encoding="utf-8").startswith("# yaml-language-server")
    # one polite request, saying who asks
    ((method, path, headers),) = seen
    assert method == "GET" and "id_list=2112.01527" in path
    assert (
        headers["User-Agent"].startswith("semseg-survey/")
        and "mailto:survey-maintainers@example.org" in headers["User-Agent"]
    )


def test_without_a_method_name_the_id_is_author_and_year_and_new_says_so(corpus, services):
    env, _ = services
    proc = new(corpus, env, "--arxiv", "2112.01527")
    assert proc.returncode == 0, proc.stderr
    assert (corpus / "2021" / "cheng2021.yaml").is_file()
    assert "the title names no method" in proc.stderr and "--name" in proc.stderr


def test_a_doi_alone_takes_the_published_version_from_crossref(corpus, services):
    env, seen = services
    proc = new(corpus, env, "--doi", "https://doi.org/10.1109/CVPR52688.2022.00135", "--name", "Mask2Former")
    assert proc.returncode == 0, proc.stderr
    p = paper(corpus, "mask2former")
    assert p.year == 2022 and p.venue == "cvpr"  # matched from the container title in venues.yaml
    assert p.authors[0] == "Bowen Cheng" and len(p.authors) == 5
    assert p.ids.doi == "10.1109/CVPR52688.2022.00135"  # as given, not Crossref's lower case
    assert p.links.paper == "https://doi.org/10.1109/CVPR52688.2022.00135"
    # Crossref gives 2022-06 only: the format on main takes a full date or none, so there is none
    from generator.format.types import Date

    assert (str(p.date) == "2022-06") if Date.pattern.match("2022-06") else p.date is None
    assert seen[0][1] == "/works/10.1109/CVPR52688.2022.00135"


def test_both_ids_give_the_published_venue_and_the_first_versions_date(corpus, services):
    env, seen = services
    proc = new(corpus, env, "--arxiv", "2112.01527", "--doi", "10.1109/CVPR52688.2022.00135", "--name", "Mask2Former")
    assert proc.returncode == 0, proc.stderr
    p = paper(corpus, "mask2former")
    assert (p.year, p.venue, str(p.date)) == (2022, "cvpr", "2021-12-02")
    assert (p.ids.arxiv, p.ids.doi) == ("2112.01527", "10.1109/CVPR52688.2022.00135")
    assert p.links.paper == "https://arxiv.org/abs/2112.01527"
    assert len(seen) == 2


def test_flags_win_over_the_record(corpus, services):
    env, _ = services
    proc = new(corpus, env, "--arxiv", "2112.01527", "--name", "Mask2Former", "--year", "2022", "--venue", "cvpr")
    assert proc.returncode == 0, proc.stderr
    p = paper(corpus, "mask2former")
    assert (p.year, p.venue) == (2022, "cvpr")


def test_a_journal_reference_names_the_venue_and_year(services):
    from generator.authoring import lookup

    env, _ = services
    venues = validate_tree(FIXTURES / "valid" / "papers").registries.venues
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        found = lookup.arxiv("1612.01105", venues)
    assert found.data["venue"] == "cvpr" and found.data["year"] == 2017 and found.data["date"] == "2016-12-04"
    assert found.data["ids"] == {"arxiv": "1612.01105", "doi": "10.1109/CVPR.2017.660"}


def test_a_known_paper_is_refused_before_anything_is_asked(corpus, services):
    env, seen = services
    proc = new(corpus, env, "--arxiv", "1612.01105")
    assert proc.returncode == 1 and "pspnet.yaml already describes this paper" in proc.stderr
    assert seen == []


@pytest.mark.parametrize(
    "args, message",
    [
        (("--arxiv", "2112.99999"), "arXiv has no paper 2112.99999"),
        (("--arxiv", "1234.12345"), "incorrect id format for 1234.12345"),  # the API's error entry
        (("--doi", "10.1000/nothing"), "Crossref has no record of DOI 10.1000/nothing"),
    ],
)
def test_an_id_the_service_does_not_know_exits_1_and_writes_nothing(corpus, services, args, message):
    env, _ = services
    before = sorted(corpus.rglob("*.yaml"))
    proc = new(corpus, env, *args)
    assert proc.returncode == 1 and message in proc.stderr and "nothing written" in proc.stderr
    assert sorted(corpus.rglob("*.yaml")) == before


def test_offline_is_a_clear_error_exit_1_and_nothing_written(corpus):
    nowhere = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    before = sorted(corpus.rglob("*.yaml"))
    for args, env in (
        (("--arxiv", "2112.01527"), {"SURVEY_ARXIV_API": f"{nowhere}/api/query"}),
        (("--doi", "10.1109/CVPR52688.2022.00135"), {"SURVEY_CROSSREF_API": nowhere}),
    ):
        proc = new(corpus, env, *args)
        assert proc.returncode == 1, proc.stderr
        assert "cannot reach 127.0.0.1" in proc.stderr and "are you offline?" in proc.stderr
        assert "nothing written" in proc.stderr and "--title" in proc.stderr
        assert "Traceback" not in proc.stderr
    assert sorted(corpus.rglob("*.yaml")) == before


def test_a_title_means_the_flags_are_the_record_and_nothing_is_looked_up(corpus, services):
    env, seen = services
    proc = new(corpus, env, "--title", "By Hand", "--year", "2024", "--arxiv", "2401.00001")
    assert proc.returncode == 0, proc.stderr
    assert seen == []
    offline = new(corpus, env, "--arxiv", "2401.00002", "--offline")
    assert offline.returncode == 2 and "--title" in offline.stderr and seen == []


def test_bibtex_with_a_method_name_names_the_file_after_it(corpus, tmp_path):
    bib = tmp_path / "m2f.bib"
    bib.write_text(
        "@inproceedings{cheng2022masked,\n  title={Masked-attention Mask Transformer for Universal "
        "Image Segmentation},\n  author={Cheng, Bowen and Misra, Ishan},\n  booktitle={CVPR},\n"
        "  year={2022}\n}\n",
        encoding="utf-8",
    )
    named = run_cli("new", "--papers", str(corpus), "--bibtex", str(bib), "--name", "Mask2Former")
    assert named.returncode == 0, named.stderr
    assert (corpus / "2022" / "mask2former.yaml").is_file() and not (corpus / "2022" / "cheng2022.yaml").exists()
    assert "names no method" not in named.stderr


def test_the_recorded_crossref_answer_is_a_works_message():
    """Guards the fixture: the envelope Crossref documents for GET /works/{doi}."""
    doc = json.loads((RECORDED / CROSSREF["10.1109/CVPR52688.2022.00135"]).read_text(encoding="utf-8"))
    assert doc["status"] == "ok" and doc["message-type"] == "work"
    assert {"title", "author", "container-title", "issued", "DOI", "type"} <= set(doc["message"])
