"""The rules a credential name must follow, with the reason shown to the user when it does not."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

MAX_NAME_LENGTH = 100
T = TypeVar("T")


@dataclass(frozen=True)
class NameCheck:
    """The outcome of checking a typed name: the cleaned name, or why it cannot be used."""

    name: str
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def name_key(name: str) -> str:
    """The form two names are compared in: case and Unicode composition ignored.

    Unicode's canonical caseless match, NFD(casefold(NFD(name))), stored composed. Case folding a composed letter can
    leave a decomposed sequence (\u0390 folds to three code points), so normalizing only before folding misses some.
    """
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", name).casefold())


class NamedSource(Protocol[T]):
    """Something that finds a credential by name key or by id (the services, or the quick path's plain read)."""

    def named(self, key: str) -> T | None: ...
    def get(self, credential_id: str) -> T | None: ...


def find_named(source: NamedSource[T], typed: str) -> T | None:
    """The credential whose name is `typed` (ignoring case and spaces around it), else the one with that id."""
    wanted = typed.strip()
    return source.named(name_key(wanted)) or source.get(wanted)


def _has_control_characters(text: str) -> bool:
    """Control and format characters, line and paragraph separators, and lone surrogates (not text at all)."""
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") for ch in text)


def check_name(typed: str, taken: Iterable[str] = ()) -> NameCheck:
    """Check a name as typed against the rules and the names already in use."""
    name = unicodedata.normalize("NFC", typed.strip())
    if not name:
        return NameCheck(name, "Enter a name for this credential.")
    if len(name) > MAX_NAME_LENGTH:
        return NameCheck(name, f"Use at most {MAX_NAME_LENGTH} characters (this name has {len(name)}).")
    if _has_control_characters(name):
        return NameCheck(name, "Remove the invisible control characters (tabs, line breaks and similar) from the name.")
    key = name_key(name)
    if any(name_key(other) == key for other in taken):
        return taken_name(name)
    return NameCheck(name)


def taken_name(name: str) -> NameCheck:
    """The outcome for a name another credential already uses."""
    return NameCheck(name, f"A credential named \u201c{name}\u201d already exists. Choose another name.")
