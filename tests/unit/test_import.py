"""`import bibtex`: real records in, valid paper files out, broken entries reported at their line."""

from __future__ import annotations

import shutil
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

from helpers import FIXTURES, ROOT, run_cli

from generator.bib import read as bibparse
from generator.bib.to_paper import match_venue
from generator.format.identity import method_name, unique_id
from generator.format.validate import validate_tree

REAL = FIXTURES / "bib" / "real.bib"


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def import_bib(papers: Path, bib: Path, *extra: str):
    return run_cli("import", "bibtex", str(bib), "--papers", str(papers), *extra)


def written(papers: Path) -> set[str]:
    fixture = {
        p.relative_to(FIXTURES / "valid" / "papers").as_posix()
        for p in (FIXTURES / "valid" / "papers").glob("*/*.yaml")
    }
    return {p.relative_to(papers).as_posix() for p in papers.glob("*/*.yaml")} - fixture


def families(author_field: str) -> list[str]:
    return [
        bibparse.decode(" ".join(parse_single_name_into_parts(n, strict=False).last))
        for n in split_multiple_persons_names(author_field)
    ]


def test_real_records_round_trip_through_import_and_export(corpus, tmp_path):
    proc = import_bib(corpus, REAL)
    # the one broken record is reported at its line; the six others are imported
    text = REAL.read_text(encoding="utf-8")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    line = line_of(text, "@inproceedings{Howard_2019_ICCV")
    assert f"{REAL}:{line}: error: unbalanced braces" in proc.stderr
    assert len(written(corpus)) == 6, proc.stdout
    assert run_cli("validate", str(corpus)).returncode == 0

    out = tmp_path / "all.bib"
    assert run_cli("export", "bibtex", "--papers", str(corpus), "-o", str(out)).returncode == 0
    exported = {
        bibparse.decode(e.fields_dict["title"].value).casefold(): e
        for e in bibtexparser.parse_string(out.read_text(encoding="utf-8")).entries
    }
    originals = [e for e in bibtexparser.parse_string(text).entries if e.key != "Howard_2019_ICCV"]
    assert len(originals) == 6
    for orig in originals:
        title = bibparse.decode(orig.fields_dict["title"].value)  # protective braces and accents resolved
        back = exported.get(title.casefold())
        assert back is not None, f"{orig.key}: {title!r} not in the export"
        assert bibparse.decode(back.fields_dict["title"].value) == title
        assert families(back.fields_dict["author"].value) == families(orig.fields_dict["author"].value)
        assert back.fields_dict["year"].value == orig.fields_dict["year"].value
    # accents arrive as Unicode in the paper files, and leave as braced BibTeX special characters
    erfnet = (corpus / "2017" / "erfnet.yaml").read_text(encoding="utf-8")
    assert "José M Alvarez" in erfnet
    assert "Doll{\\'a}r" in out.read_text(encoding="utf-8")
    assert 'Kr{\\"a}henb{\\"u}hl' in out.read_text(encoding="utf-8")


def test_imported_files_carry_what_the_entry_says_and_no_results(corpus):
    assert import_bib(corpus, REAL).returncode == 1
    beit = (corpus / "2022" / "beit.yaml").read_text(encoding="utf-8")
    assert beit.splitlines()[0] == "# yaml-language-server: $schema=../paper.schema.json"
    assert 'title: "BEiT: BERT Pre-Training of Image Transformers"' in beit
    assert "name: BEiT" in beit
    assert "links:\n  paper: https://openreview.net/forum?id=p-BhZSz59o4" in beit
    assert "results" not in beit
    mae = (corpus / "2021" / "he2021.yaml").read_text(encoding="utf-8")
    assert "venue: arxiv" in mae and 'arxiv: "2111.06377"' in mae
    # a venue the registry lacks stays in the entry that the export writes
    assert "type: article" in (corpus / "2017" / "erfnet.yaml").read_text()
    checked = validate_tree(corpus)
    assert checked.problems == ()
    papers = {pf.id: pf.paper for pf in checked.papers}
    assert papers["he2021"].authors[4] == "Piotr Dollár"
    assert papers["k-net"].title == "K-Net: Towards Unified Image Segmentation"
    assert all(not p.results for pid, p in papers.items() if pid in {"beit", "he2021", "k-net", "erfnet"})


BROKEN = """@article{ok1,
  title={A Good Entry},
  author={Ada Lovelace},
  year={2020}
}

@foo{weird,
  title={Unknown Type},
  year={2020}
}

@article{notitle,
  author={Ada Lovelace},
  year={2020}
}

@article{noyear,
  title={No Year Here},
}

@article{open,
  title={Unbalanced {braces},
  year={2020}
}

@inproceedings{ok2,
  title={Another Good Entry},
  author={Grace Hopper},
  booktitle={Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition},
  year={2021}
}
"""


def test_broken_entries_get_located_errors_and_the_rest_still_import(corpus, tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(BROKEN, encoding="utf-8")
    proc = import_bib(corpus, bib)
    assert proc.returncode == 1
    errors = [l for l in proc.stderr.splitlines() if ": error: " in l]
    assert [e.split(": error: ")[0] for e in errors] == [f"{bib}:7", f"{bib}:12", f"{bib}:17", f"{bib}:21"]
    assert "unknown entry type '@foo'" in errors[0]
    assert "missing title" in errors[1]
    assert "missing year" in errors[2]
    assert "unbalanced braces" in errors[3]
    assert written(corpus) == {"2020/lovelace2020.yaml", "2021/hopper2021.yaml"}
    assert "venue: cvpr" in (corpus / "2021" / "hopper2021.yaml").read_text()
    assert run_cli("validate", str(corpus)).returncode == 0


def test_papers_already_present_are_skipped_and_never_overwritten(corpus, tmp_path):
    before = {p: p.read_bytes() for p in corpus.glob("*/*.yaml")}
    bib = tmp_path / "dups.bib"
    bib.write_text(
        """@inproceedings{a, title={Some Other Title}, author={X Y}, year={2017},
  eprint={1612.01105v2}, archivePrefix={arXiv}}
@inproceedings{b, title={FULLY convolutional networks -- for semantic segmentation!}, author={J Long}, year={2015}}
@article{c, title={Third}, author={Z W}, year={2018}, doi={https://doi.org/10.1109/cvpr.2017.660}}
@article{d, title={Twice in this file}, author={Q R}, year={2019}}
@article{e, title={Twice in this file.}, author={Q R}, year={2019}}
""",
        encoding="utf-8",
    )
    proc = import_bib(corpus, bib)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert f"skipped {bib}:1 [a]: already in" in out and "pspnet.yaml (same arXiv id)" in out
    assert f"skipped {bib}:3 [b]: already in" in out and "fcn.yaml (same title)" in out
    assert f"skipped {bib}:4 [c]: already in" in out and "pspnet.yaml (same DOI)" in out
    assert f"skipped {bib}:6 [e]: the same paper as the entry at line 5" in out
    assert written(corpus) == {"2019/r2019.yaml"}
    for path, data in before.items():
        assert path.read_bytes() == data


def test_dry_run_says_what_it_would_write_and_writes_nothing(corpus):
    proc = import_bib(corpus, REAL, "--dry-run")
    assert "would write" in proc.stdout and "beit.yaml" in proc.stdout
    assert written(corpus) == set()


@pytest.fixture(scope="module")
def venues():
    regs = validate_tree(ROOT / "papers").registries
    assert regs is not None
    return regs.venues


@pytest.mark.parametrize(
    "text, slug",
    [
        ("Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)", "cvpr"),
        ("Computer Vision and Pattern Recognition (CVPR), 2017 IEEE Conference on", "cvpr"),
        ("Proceedings of the IEEE conference on computer vision and pattern recognition", "cvpr"),
        ("2019 IEEE/CVF Conference on Computer Vision and Pattern Recognition Workshops (CVPRW)", "cvprw"),
        ("Proceedings of the IEEE International Conference on Computer Vision", "iccv"),
        ("Proceedings of the IEEE International Conference on Computer Vision Workshops", None),
        ("ECCV", "eccv"),
        ("Proceedings of the European conference on computer vision (ECCV)", "eccv"),
        ("Advances in Neural Information Processing Systems", "neurips"),
        ("Thirty-Fifth Conference on Neural Information Processing Systems", "neurips"),
        ("NIPS", "neurips"),
        ("International Journal of Computer Vision", "ijcv"),
        ("International Conference on Medical image computing and computer-assisted intervention", "miccai"),
        ("TPAMI", "tpami"),
        ("Proceedings of the AAAI Conference on Artificial Intelligence", None),
    ],
)
def test_booktitles_and_journals_map_to_registry_venues(venues, text, slug):
    assert match_venue(text, venues) == slug


def test_ids_come_from_the_method_name_or_the_first_author_and_year():
    assert method_name("PSPNet: Pyramid Scene Parsing") == "PSPNet"
    assert method_name("SAM 2: Segment Anything in Images and Videos") == "SAM 2"
    assert method_name("Deep Dual-resolution Networks") is None
    assert unique_id({"title": "PSPNet: Pyramid Scene Parsing", "year": 2017}, set()) == "pspnet"
    assert unique_id({"title": "PSPNet: Pyramid Scene Parsing", "year": 2017}, {"pspnet"}) == "pspnet-pyramid"
    assert unique_id({"title": "DeepLabv3+: Encoder", "year": 2018}, set()) == "deeplabv3-plus"
    assert (
        unique_id({"title": "Deep Dual-resolution Networks", "authors": ["Yuanduo Hong"], "year": 2021}, set())
        == "hong2021"
    )
    assert unique_id({"title": "无标题", "authors": ["何恺明"], "year": 2021}, set()) == "paper2021"


def test_latex_in_entries_is_decoded_to_unicode():
    assert bibparse.decode(r"Kr{\"{a}}henb{\"{u}}hl") == "Krähenbühl"
    assert bibparse.decode(r"{BEiT}: {BERT} Pre-Training") == "BEiT: BERT Pre-Training"
    names, notes = bibparse.people("Sachin Mehta, Mohammad Rastegari, Anat Caspi, and Hannaneh Hajishirzi")
    assert names == ["Sachin Mehta", "Mohammad Rastegari", "Anat Caspi", "Hannaneh Hajishirzi"]
    assert notes
    names, _ = bibparse.people(r"Romera, Eduardo and Alvarez, Jos{\'e} M and van der Berg, Jos and others")
    assert names == ["Eduardo Romera", "José M Alvarez", "Jos van der Berg"]


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_import_into_the_real_corpus_copy_validates(tmp_path):
    papers = tmp_path / "papers"
    shutil.copytree(ROOT / "papers", papers)
    proc = import_bib(papers, REAL)
    assert proc.returncode == 1  # Howard_2019_ICCV
    # the corpus holds the public record's bibliographies: an entry is written or found already there
    assert "wrote" in proc.stdout or "already in" in proc.stdout
    assert run_cli("validate", str(papers)).returncode == 0
