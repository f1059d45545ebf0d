"""The package's layers hold: no import cycle, and the CLI and the app use the facade only.

Every file is parsed with :mod:`ast` (nothing is imported), so imports under
``if TYPE_CHECKING:`` and inside functions count too: a cycle "for types only" is still a
cycle, and a lazy import of a layer is still a way around the facade.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterable
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "coverage"

FACADE = ("coverage.planning", "coverage.errors", "coverage.text")
"""What the CLI and the app may import from ``coverage``: the facade, the error classes
and the text catalogue (``coverage.text`` and its modules)."""


def module_name(path: Path, root: Path = ROOT) -> str:
    """``coverage/inputs/model.py`` -> ``coverage.inputs.model``; a package is its ``__init__``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def package_modules() -> dict[str, Path]:
    """Every module of the ``coverage`` package, by dotted name."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_modules(path: Path, modules: dict[str, Path], root: Path = ROOT) -> set[str]:
    """The ``coverage`` modules that ``path`` imports, anywhere in the file.

    ``from coverage.x import y`` counts as importing ``coverage.x.y`` when that is a
    module, else ``coverage.x``. Relative imports are resolved against the file's package.
    """
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules:
                    found.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                candidate = f"{source}.{alias.name}"
                if candidate in modules:
                    found.add(candidate)
                elif source in modules:
                    found.add(source)
    found.discard(name)
    return found


def import_graph() -> nx.DiGraph:
    """Directed graph: module -> the ``coverage`` modules it imports."""
    modules = package_modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        graph.add_edges_from((name, target) for target in imported_modules(path, modules))
    return graph


def import_cycles(graph: nx.DiGraph) -> list[list[str]]:
    """Groups of modules that import each other (strongly connected, more than one)."""
    return sorted(
        sorted(group) for group in nx.strongly_connected_components(graph) if len(group) > 1
    )


def facade_breaches(
    files: Iterable[Path], allowed: Collection[str] = FACADE, *, root: Path = ROOT
) -> list[str]:
    """Return ``"file: module"`` for every ``coverage`` module a file imports outside ``allowed``.

    Parameters
    ----------
    files
        Python files to check (anywhere under ``root``: ``coverage/commands/*.py``,
        ``app_pages/*.py``, ``app.py``...).
    allowed
        Dotted names a file may import; a name allows its sub-modules too
        (``coverage.text`` allows ``coverage.text.ui``).
    root
        The checkout that holds the ``coverage`` package.
    """
    modules = {module_name(path, root): path for path in sorted((root / "coverage").rglob("*.py"))}
    breaches = []
    for path in sorted(files):
        for name in sorted(imported_modules(path, modules, root)):
            if not any(name == ok or name.startswith(ok + ".") for ok in allowed):
                breaches.append(f"{path.relative_to(root)}: {name}")
    return breaches


def test_commands_use_only_the_facade() -> None:
    """The CLI imports ``planning``, ``errors`` and ``text`` only (and its own commands)."""
    files = [*sorted((PACKAGE / "commands").glob("*.py")), PACKAGE / "cli.py"]
    assert len(files) > 8, "the walk found too few command modules"
    breaches = facade_breaches(files, (*FACADE, "coverage.commands"))
    assert not breaches, "the CLI goes around the facade:\n" + "\n".join(breaches)


def test_facade_check_sees_hidden_imports(tmp_path: Path) -> None:
    """The facade check reports a layer imported in a function or for types only."""
    pkg = tmp_path / "coverage"
    (pkg / "text").mkdir(parents=True)
    (pkg / "storage").mkdir()
    for name in ("__init__", "planning", "errors", "settings", "text/__init__", "text/ui"):
        (pkg / f"{name}.py").write_text("")
    (pkg / "storage" / "__init__.py").write_text("")
    (pkg / "storage" / "store.py").write_text("")
    page = tmp_path / "pages" / "page.py"
    page.parent.mkdir()
    page.write_text(
        "from typing import TYPE_CHECKING\n"
        "from coverage.planning import load_inputs\n"
        "from coverage.text import ui\n"
        "import coverage.errors\n"
        "if TYPE_CHECKING:\n"
        "    from coverage.storage.store import Store\n"
        "def run():\n"
        "    from coverage import settings\n"
    )
    clean = tmp_path / "pages" / "clean.py"
    clean.write_text("from coverage import planning, text\nfrom coverage.text.ui import X\n")
    assert facade_breaches([page, clean], root=tmp_path) == [
        "pages/page.py: coverage.settings",
        "pages/page.py: coverage.storage.store",
    ]


def test_no_import_cycle() -> None:
    graph = import_graph()
    assert len(graph) > 40, "the walk found too few modules: is PACKAGE right?"
    assert graph.has_edge("coverage.planning", "coverage.errors")
    cycles = import_cycles(graph)
    detail = [
        " -> ".join(edge[0] for edge in nx.find_cycle(graph.subgraph(group), group[0]))
        for group in cycles
    ]
    assert not cycles, f"import cycles among coverage modules: {detail}"


def test_cycle_check_sees_type_checking_imports(tmp_path: Path) -> None:
    """The walk counts an import under ``if TYPE_CHECKING:`` and a relative one."""
    pkg = tmp_path / "coverage"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from coverage.sub.b import B\n"
    )
    (pkg / "sub" / "b.py").write_text("from .. import a\n")
    modules = {
        "coverage": pkg / "__init__.py",
        "coverage.sub": pkg / "sub" / "__init__.py",
        "coverage.a": pkg / "a.py",
        "coverage.sub.b": pkg / "sub" / "b.py",
    }
    assert imported_modules(pkg / "a.py", modules, tmp_path) == {"coverage.sub.b"}
    assert imported_modules(pkg / "sub" / "b.py", modules, tmp_path) == {"coverage.a"}
    graph = nx.DiGraph([("coverage.a", "coverage.sub.b"), ("coverage.sub.b", "coverage.a")])
    assert import_cycles(graph) == [["coverage.a", "coverage.sub.b"]]


def package_init_imports(root: Path = ROOT) -> list[str]:
    """Return ``"path: line"`` for every import in a sub-package's ``__init__.py``.

    A sub-package of ``coverage`` imports nothing in its ``__init__`` (a name is imported
    from the module that defines it), except ``coverage/text/``, whose ``__init__``
    registers every catalogue. ``from __future__ import ...`` is allowed.
    """
    found = []
    for path in sorted((root / "coverage").glob("*/**/__init__.py")):
        relative = path.relative_to(root).as_posix()
        if relative == "coverage/text/__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import) or (
                isinstance(node, ast.ImportFrom) and node.module != "__future__"
            ):
                found.append(f"{relative}: {node.lineno}")
    return found


def test_sub_packages_import_nothing() -> None:
    assert len(list(PACKAGE.glob("*/**/__init__.py"))) > 8, "the walk found too few packages"
    found = package_init_imports()
    assert not found, "a sub-package __init__ re-exports names:\n" + "\n".join(found)


def test_init_check_sees_an_import(tmp_path: Path) -> None:
    """An import anywhere in a sub-package's ``__init__`` is reported; text/ and __future__ not."""
    for sub in ("maps", "quiet"):
        (tmp_path / "coverage" / "outputs" / sub).mkdir(parents=True)
    (tmp_path / "coverage" / "outputs" / "__init__.py").write_text('"""Outputs."""\n')
    (tmp_path / "coverage" / "outputs" / "maps" / "__init__.py").write_text(
        '"""Maps."""\n\ndef f():\n    from coverage.outputs.maps.build import build_map\n'
    )
    (tmp_path / "coverage" / "outputs" / "quiet" / "__init__.py").write_text(
        "from __future__ import annotations\n"
    )
    (tmp_path / "coverage" / "text").mkdir()
    (tmp_path / "coverage" / "text" / "__init__.py").write_text("from coverage.text import ui\n")
    assert package_init_imports(tmp_path) == ["coverage/outputs/maps/__init__.py: 4"]


LOWER_LAYERS = ("coverage.inputs", "coverage.analysis")
"""Layers that come before the outputs in the data flow (docs/architecture.md)."""


def upward_imports(graph: nx.DiGraph, lower: Iterable[str], upper: str) -> list[str]:
    """Return ``"a -> b"`` for every module of a ``lower`` package that imports ``upper``.

    Parameters
    ----------
    graph
        Module -> imported modules (:func:`import_graph`).
    lower
        Dotted package names that must not import ``upper`` (nor its modules).
    upper
        The dotted name of the later layer.
    """
    lower = tuple(lower)
    return sorted(
        f"{a} -> {b}"
        for a, b in graph.edges
        if any(a == p or a.startswith(p + ".") for p in lower)
        and (b == upper or b.startswith(upper + "."))
    )


def test_inputs_and_analysis_never_import_outputs() -> None:
    graph = import_graph()
    assert graph.has_edge("coverage.outputs.reports.content", "coverage.analysis.headline")
    found = upward_imports(graph, LOWER_LAYERS, "coverage.outputs")
    assert not found, "a lower layer imports the outputs:\n" + "\n".join(found)


def test_upward_import_check_sees_one() -> None:
    """An analysis module importing an output module (or its package) is reported."""
    graph = nx.DiGraph(
        [
            ("coverage.analysis.impact", "coverage.outputs.reports.content"),
            ("coverage.analysis.geo", "coverage.outputs"),
            ("coverage.outputs.reports.content", "coverage.analysis.headline"),
            ("coverage.analysisx", "coverage.outputs.maps"),
        ]
    )
    assert upward_imports(graph, LOWER_LAYERS, "coverage.outputs") == [
        "coverage.analysis.geo -> coverage.outputs",
        "coverage.analysis.impact -> coverage.outputs.reports.content",
    ]
