"""One writer: only the credential service holds the repository and announces credential changes."""

from __future__ import annotations

import ast
from pathlib import Path

import qbdesk

PACKAGE = Path(qbdesk.__file__).parent
WRITER = PACKAGE / "services" / "credentials.py"
EVENTS = {"added", "changed", "removed"}


def product_modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "store" not in p.relative_to(PACKAGE).parts]


def names_imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}


def event_emitters(path: Path) -> list[str]:
    """`something.changed.emit(...)` and the like: who announces a credential change."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "emit" and isinstance(node.value, ast.Attribute):
            if node.value.attr in EVENTS:
                found.append(f"{node.value.attr}.emit (line {node.lineno})")
    return found


def test_only_the_credential_service_holds_the_repository():
    holders = {p.relative_to(PACKAGE).as_posix() for p in product_modules() if "CredentialRepository" in names_imported(p)}
    assert holders == {"services/credentials.py", "services/context.py"}


def test_only_the_credential_service_announces_credential_changes():
    emitters = {p.relative_to(PACKAGE).as_posix(): event_emitters(p) for p in product_modules() if p != WRITER}
    assert {path: found for path, found in emitters.items() if found} == {}
    assert event_emitters(WRITER)
