"""The strict reader: hostile YAML is refused quickly, with a position, and never constructed."""

import pytest

from generator.format import formatters
from generator.format.load import MAX_BYTES, LoadError, load_file, parse_text


def refuse(text: str) -> str:
    with pytest.raises(LoadError) as info:
        parse_text(text, "f.yaml")
    return formatters.text(info.value.problem)


def test_billion_laughs_is_refused_at_its_first_anchor_and_nothing_is_composed(monkeypatch):
    """Expansion happens where a YAML library composes nodes and resolves aliases: the loader must never
    compose, and must stop at the first anchor (a timing bound could not tell these apart)."""
    from generator.format import load

    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        bomb += f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]\n"

    def never(*args, **kwargs):
        raise AssertionError("the loader composed or constructed nodes: aliases would expand there")

    for method in ("get_node", "get_single_node", "construct_document", "construct_object"):
        monkeypatch.setattr(load._Loader, method, never)
    pulled = []
    get_event = load._Loader.get_event
    monkeypatch.setattr(load._Loader, "get_event", lambda self: pulled.append(1) or get_event(self))
    assert refuse(bomb) == "f.yaml:1:4: error: YAML anchors (&a) are not allowed"
    assert len(pulled) <= 5, f"{len(pulled)} events read: the loader went on past the first anchor"
    # an alias whose anchor is elsewhere is refused as an alias, never looked up
    assert refuse("b: [*a, *a]\n") == "f.yaml:1:5: error: YAML aliases (*name) are not allowed; write the value out"


def test_python_tags_are_never_constructed(tmp_path):
    marker = tmp_path / "pwned"
    text = f"x: !!python/object/apply:os.system ['touch {marker}']\n"
    assert "YAML tags" in refuse(text)
    assert not marker.exists()


def test_deep_nesting_is_refused():
    assert "nesting deeper than" in refuse("a: " + "[" * 200 + "]" * 200)


def test_huge_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"title: " + b"x" * (MAX_BYTES + 10) + b"\n")
    with pytest.raises(LoadError) as info:
        load_file(path, "big.yaml")
    assert "the limit is" in info.value.problem.message


def test_yaml_12_core_schema_keeps_words_as_text():
    node = parse_text("country: no\nversion: 1.10\nid: '007'\n", "f.yaml")
    assert node.items["country"][1].value == "no"  # not False, as YAML 1.1 would read it
    assert node.items["version"][1].text == "1.10"  # the digits as written are kept for numbers
    assert node.items["id"][1].value == "007"


def test_multiple_documents_refused():
    assert "only one YAML document" in refuse("a: 1\n---\nb: 2\n")


def test_positions_are_one_based():
    node = parse_text("a:\n  b: [1, 2]\n", "f.yaml")
    inner = node.items["a"][1].items["b"][1]
    assert (inner.span.line, inner.span.col) == (2, 6)
    assert (inner.items[1].span.line, inner.items[1].span.col) == (2, 10)
