"""The app's pages go through the facade: they import only planning, errors and text.

``app.py`` and every ``app_pages/*.py`` are parsed with the walker of
``tests/test_layers.py`` (nothing is imported; imports inside functions and under
``if TYPE_CHECKING:`` count too).
"""

from __future__ import annotations

from pathlib import Path

from tests.test_layers import ROOT, imported_modules, package_modules

ALLOWED = ("coverage.planning", "coverage.errors", "coverage.text")
"""What a page may import from ``coverage`` (``coverage.text`` with its catalogues)."""


def app_files() -> list[Path]:
    """Return ``app.py`` and every module of ``app_pages/``."""
    return [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]


def allowed(module: str) -> bool:
    """Whether a page may import ``module``."""
    return any(module == door or module.startswith(door + ".") for door in ALLOWED)


def test_pages_import_only_the_facade_errors_and_text() -> None:
    modules = package_modules()
    files = app_files()
    assert len(files) > 15, "the walk found too few app files: is ROOT right?"
    found = {path.relative_to(ROOT).as_posix(): imported_modules(path, modules) for path in files}
    assert "coverage.planning" in found["app_pages/state.py"], "the walker sees no import at all"
    wrong = {
        name: sorted(m for m in imported if not allowed(m))
        for name, imported in found.items()
        if any(not allowed(m) for m in imported)
    }
    assert not wrong, f"app files import coverage modules other than {ALLOWED}: {wrong}"


def test_the_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    """A page importing ``coverage.outputs.maps`` (even inside a function) is caught."""
    page = tmp_path / "page.py"
    page.write_text("def draw():\n    from coverage.outputs import maps\n    return maps\n")
    imported = imported_modules(page, package_modules(), tmp_path)
    assert imported == {"coverage.outputs.maps"}
    assert not allowed("coverage.outputs.maps") and allowed("coverage.text.ui")
