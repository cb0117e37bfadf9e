"""The layers hold: no Qt below the ui package, and the rules in core import no other layer."""

import ast
from pathlib import Path

import pytest

import qbdesk

PACKAGE = Path(qbdesk.__file__).parent
OTHER_LAYERS = ("qbdesk.store", "qbdesk.services", "qbdesk.intuit", "qbdesk.callback", "qbdesk.ui", "qbdesk.cli")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules_outside_ui():
    return [p for p in PACKAGE.rglob("*.py") if "ui" not in p.relative_to(PACKAGE).parts and p.name != "app.py"]


@pytest.mark.parametrize("path", modules_outside_ui(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_qt_below_the_ui_layer(path):
    forbidden = {m for m in imported_modules(path) if m.startswith(("PySide6", "shiboken6", "qbdesk.ui"))}
    assert not forbidden, f"{path.name} imports {sorted(forbidden)}"


@pytest.mark.parametrize("path", sorted((PACKAGE / "core").glob("*.py")), ids=lambda p: p.name)
def test_core_rules_depend_on_no_other_layer(path):
    assert not {m for m in imported_modules(path) if m.startswith(OTHER_LAYERS)}


def test_the_entry_point_imports_qt_only_inside_the_window_path():
    tree = ast.parse((PACKAGE / "app.py").read_text(encoding="utf-8"))
    top_level = {m for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))
                 for m in ([a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""])}
    assert not {m for m in top_level if m.startswith(("PySide6", "qbdesk.ui"))}
