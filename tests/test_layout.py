"""The package layout is the architecture: imports only point down the list of layers, no cycles.

commands (and cli) → outputs → analysis → results → engine → scenario. Every import counts,
including those inside functions (they run too, only later).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "mtfpmodel"
LAYERS = ("scenario", "engine", "results", "analysis", "outputs", "commands")
TOP_MODULES = {"__init__.py", "__main__.py", "cli.py", "launch.py", "version.py"}   # cli.py sits with commands


def module_name(path: Path) -> str:
    parts = ("mtfpmodel",) + path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """The mtfpmodel modules ``name`` imports (a ``from pkg import mod`` counts as ``pkg.mod``)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: imports_of(name) for name in MODULES}


def layer(name: str) -> int:
    """Rank of a module: its package's place in LAYERS; cli ranks with commands, the top package above all."""
    parts = name.split(".")
    if name == "mtfpmodel.version":
        return -1                      # a constant anyone may read
    if name in ("mtfpmodel", "mtfpmodel.__main__", "mtfpmodel.launch"):
        return len(LAYERS)
    if name == "mtfpmodel.cli":
        return LAYERS.index("commands")
    return LAYERS.index(parts[1])


def test_top_level_holds_only_packages_and_a_few_modules():
    modules = {p.name for p in PACKAGE.iterdir() if p.is_file() and p.suffix == ".py"}
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert modules == TOP_MODULES
    assert packages == set(LAYERS)


@pytest.mark.parametrize("package", LAYERS)
def test_each_package_says_what_lives_there_and_what_it_may_import(package):
    doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8")))
    assert doc and "May import" in doc


def test_imports_only_point_down_the_layers():
    upward = [f"{name} ({LAYERS[layer(name)] if 0 <= layer(name) < len(LAYERS) else 'top'}) imports {dep}"
              for name, deps in GRAPH.items() for dep in deps if layer(dep) > layer(name)]
    assert upward == []


def test_no_import_cycles():
    """Tarjan's strongly connected components: any component of more than one module is a ring."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    rings: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for dep in GRAPH[node]:
            if dep not in index:
                visit(dep)
                low[node] = min(low[node], low[dep])
            elif dep in stack:
                low[node] = min(low[node], index[dep])
        if low[node] == index[node]:
            ring = []
            while True:
                item = stack.pop()
                ring.append(item)
                if item == node:
                    break
            if len(ring) > 1:
                rings.append(sorted(ring))

    for name in GRAPH:
        if name not in index:
            visit(name)
    assert rings == []


def test_the_checker_sees_imports_inside_functions():
    """A test that cannot fail is no test: the run command imports its chart module inside a function."""
    assert "mtfpmodel.outputs.charts" in GRAPH["mtfpmodel.commands.run"]
