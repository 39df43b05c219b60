"""The layers of chatforge, enforced: a module imports only from its own layer or below, and no two
subpackages import each other, directly or round a longer cycle (docs/architecture.md).

Every `import` and `from ... import` anywhere in a module counts, including the lazy ones inside
functions, relative imports, and `importlib.import_module("chatforge....")` with a literal name. A new
subpackage or top-level module must be given its layer in LAYERS before it can be imported.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "chatforge"

# Lowest first. A unit is a subpackage (chatforge/data/) or a top-level module (chatforge/errors.py);
# units in one layer may import each other one way only (serve mounts annotate's routes; annotate never
# imports serve).
LAYERS: list[tuple[str, ...]] = [
    ("__init__", "errors", "config", "output", "provenance", "text_metrics", "command"),
    ("data",),
    ("models",),
    ("rag",),
    ("train",),
    ("eval",),
    ("registry",),
    ("store",),
    ("annotate", "serve"),
    ("pipeline",),
    ("cli",),
]


def unit_of(module: str) -> str | None:
    """The unit a dotted module name belongs to (None outside chatforge)."""
    parts = module.split(".")
    if parts[0] != "chatforge":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def _module_name(path: Path, root: Path) -> str:
    rel = path.relative_to(root.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path) -> list[tuple[str, int]]:
    """(imported module, line) for every import in the file, at any depth (lazy imports included)."""
    name = _module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # from . import x / from ..y import z
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((module, node.lineno))
            if module == "chatforge":  # from chatforge import data: the names are units
                found += [(f"chatforge.{a.name}", node.lineno) for a in node.names]
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) in ("import_module", "__import__")
        ):
            found.append((node.args[0].value, node.lineno))
    return found


def import_graph(root: Path = PACKAGE) -> dict[tuple[str, str], list[str]]:
    """(importing unit, imported unit) -> the `file:line` places of those imports, between distinct units."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(root.rglob("*.py")):
        src = unit_of(_module_name(path, root))
        for module, line in imports_of(path, root):
            dst = unit_of(module)
            if dst and dst != src:
                edges[(src, dst)].append(f"{path.relative_to(root.parent)}:{line}")
    return dict(edges)


def layer_of() -> dict[str, int]:
    return {unit: i for i, layer in enumerate(LAYERS) for unit in layer}


def upward(edges) -> list[str]:
    level = layer_of()
    return [
        f"{a} (layer {level[a]}) imports {b} (layer {level[b]}) at {', '.join(places)}"
        for (a, b), places in sorted(edges.items())
        if level[b] > level[a]
    ]


def cycles(edges) -> list[list[str]]:
    """Strongly connected components of more than one unit (Tarjan)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(set(graph) | {b for _, b in edges}):
        if v not in index:
            visit(v)
    return found


def test_every_unit_has_a_layer():
    units = {unit_of(_module_name(p, PACKAGE)) for p in PACKAGE.rglob("*.py")}
    missing = sorted(units - set(layer_of()))
    assert not missing, f"give these a layer in tests/test_layers.py LAYERS (and docs/architecture.md): {missing}"


def test_no_upward_import():
    bad = upward(import_graph())
    assert not bad, "imports of a higher layer:\n" + "\n".join(bad)


def test_no_cycle_between_subpackages():
    edges = import_graph()
    found = cycles(edges)
    detail = [
        f"{a} -> {b}: {places[0]}" for (a, b), places in sorted(edges.items()) if any(a in c and b in c for c in found)
    ]
    assert not found, f"import cycles between {found}:\n" + "\n".join(detail)


def test_the_checker_sees_lazy_relative_and_dynamic_imports(tmp_path):
    """On a made-up package: imports hidden in functions, relative and by importlib are edges too."""
    root = tmp_path / "chatforge"
    for folder in ("data", "serve", "models"):
        (root / folder).mkdir(parents=True)
        (root / folder / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "data" / "low.py").write_text("def f():\n    from chatforge.serve import app  # lazy, upward\n")
    (root / "models" / "mid.py").write_text(
        "import importlib\n\ndef g():\n    importlib.import_module('chatforge.serve.app')\n"
    )
    (root / "serve" / "app.py").write_text("from ..data import low\nfrom . import other\n")
    edges = import_graph(root)
    assert set(edges) == {("data", "serve"), ("models", "serve"), ("serve", "data")}
    assert edges[("data", "serve")] == ["chatforge/data/low.py:2"]
    assert len(upward(edges)) == 2
    assert cycles(edges) == [["data", "serve"]]
