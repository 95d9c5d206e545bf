"""Imports point one way: from the command line down to the paper format, never back up.

The layers, lowest first. A module may import its own layer and those below it, never one above;
nothing imports the command line. A new folder of generator/ must be given its layer here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from helpers import ROOT

LAYERS: list[set[str]] = [
    {"generator", "generator.errors", "generator.config", "generator.i18n"},  # settings, texts, exit codes
    {"generator.format"},  # what a contributor writes: reading, models, rules, problems
    {"generator.corpus"},  # derived data: boards, ranks, lineage, comparability
    {"generator.bib"},  # bibliography in and out
    {"generator.authoring"},  # writing paper files
    {"generator.importers"},  # the public record -> paper files
    {"generator.render"},  # corpus -> pages and data files (pure)
    {"generator.site"},  # the MkDocs backend: tree, build, finish, preview
    {"generator.commands"},  # one thin module per command
    {"generator.cli", "generator.__main__"},
]


def modules(package: Path) -> dict[str, Path]:
    out = {}
    for f in package.rglob("*.py"):
        parts = list(f.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = f
    return out


def imports(name: str, path: Path) -> set[str]:
    """Every module of the package that `name` imports, at module level or inside a function."""
    found = set()
    base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                target = ".".join(base[: len(base) - node.level + 1] + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found |= {f"{target}.{a.name}" for a in node.names}
    return found


def layer_of(name: str) -> int:
    best, depth = -1, -1
    for i, layer in enumerate(LAYERS):
        for prefix in layer:
            if (name == prefix or name.startswith(prefix + ".")) and prefix.count(".") > depth:
                best, depth = i, prefix.count(".")
    return best


def violations(package: Path) -> list[str]:
    mods = modules(package)
    out = []
    for name, path in sorted(mods.items()):
        mine = layer_of(name)
        if mine < 0:
            out.append(f"{name}: in no layer (add its folder to LAYERS)")
            continue
        for target in sorted(imports(name, path)):
            if target not in mods:
                continue
            theirs = layer_of(target)
            if target == "generator.cli" and name != "generator.__main__":
                out.append(f"{name} imports the command line ({target})")
            elif theirs > mine:
                out.append(f"{name} (layer {mine}) imports {target} (layer {theirs}): a wrong-way import")
    return out


def test_imports_point_one_way():
    assert violations(ROOT / "generator") == []


def test_a_wrong_way_import_is_caught(tmp_path):
    """The check itself can fail: a format module that imports rendering, and a command that imports cli."""
    pkg = tmp_path / "generator"
    for sub in ("format", "render", "commands"):
        (pkg / sub).mkdir(parents=True)
        (pkg / sub / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "cli.py").write_text("")
    (pkg / "render" / "pages.py").write_text("X = 1\n")
    (pkg / "format" / "model.py").write_text("def f():\n    from ..render.pages import X\n    return X\n")
    (pkg / "commands" / "new.py").write_text("from generator import cli\n")
    found = violations(pkg)
    assert any("generator.format.model (layer 1) imports generator.render.pages (layer 6)" in v for v in found)
    assert any("generator.commands.new imports the command line" in v for v in found)


@pytest.mark.parametrize(
    "folder", sorted(p.name for p in (ROOT / "generator").iterdir() if p.is_dir() and (p / "__init__.py").exists())
)
def test_every_folder_has_a_layer(folder):
    assert layer_of(f"generator.{folder}") >= 0
