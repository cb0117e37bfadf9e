"""Setup files from outside qbdesk: one checker for the managed file and for a shared setup, and the export.

Both are JSON of the same shape, one object per destination with its non-secret Intuit app values:

    {"qbdesk_setup": 1,
     "destinations": {"production": {"client_id": "...", "redirect_uri": "https://...",
                                     "discovery_url": "", "api_base_url": ""}}}

The managed file may also lock fields ("locked": ["client_id", ...] or true for all), hide a destination
("hidden": true) and carry a client secret ("client_secret"; store/managed.py decides whether to trust it).
A shared setup may do none of this; a client secret found in one is never read, only reported.
Every value is checked with the rules Settings applies to typed values, so a file is never more trusted than
a keyboard. Any problem rejects the whole file: half a file could lock or hide the wrong things.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from qbdesk.core.destinations import Destination
from qbdesk.store.settings import (
    FIELDS,
    client_id_problem,
    client_secret_problem,
    discovery_url_problem,
    redirect_uri_problem,
)

FORMAT_KEY = "qbdesk_setup"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 64 * 1024  # a setup is a few hundred bytes; anything far larger is not one
_CHECKS = {
    "client_id": client_id_problem,
    "redirect_uri": redirect_uri_problem,
    "discovery_url": discovery_url_problem,
    "api_base_url": discovery_url_problem,
}


class SetupKind(str, Enum):
    """Which sort of setup file is being read: it decides which keys are allowed."""

    MANAGED = "managed"  # the administrator's system-wide file
    SHARED = "shared"  # a file one user exported for another


class NotRegularFile(ValueError):
    """The path names a folder, a pipe or a device, not a file."""


class SetupFileProblem(ValueError):
    """The file cannot be used; str() names what is wrong, one sentence per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class DestinationSetup:
    """One destination's values from a setup file; only the fields the file gives are in `values`."""

    values: dict[str, str] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()
    hidden: bool = False
    client_secret: str = ""  # managed files only, and only when store/managed.py trusts the file


@dataclass(frozen=True)
class SetupDocument:
    """A checked setup file. `ignored_secret` is True when a shared file held a client secret (not read)."""

    destinations: dict[Destination, DestinationSetup]
    ignored_secret: bool = False

    def get(self, destination: Destination) -> DestinationSetup:
        return self.destinations.get(destination, DestinationSetup())


def read_limited(path: Path) -> tuple[bytes, os.stat_result]:
    """Up to MAX_FILE_BYTES + 1 bytes of a regular file, and its status; never waits on a pipe or device.

    Raises OSError as opening does, or NotRegularFile."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    status = os.fstat(descriptor)
    if not stat.S_ISREG(status.st_mode):
        os.close(descriptor)
        raise NotRegularFile(path)
    with os.fdopen(descriptor, "rb") as file:
        return file.read(MAX_FILE_BYTES + 1), status


def read_setup(path: Path, kind: SetupKind) -> SetupDocument:
    """Read and check a setup file; raises SetupFileProblem, also when it cannot be read."""
    try:
        raw, _ = read_limited(path)
    except NotRegularFile:
        raise SetupFileProblem(["It is not a file."]) from None
    except OSError as exc:
        raise SetupFileProblem([f"It could not be read ({exc.strerror or type(exc).__name__})."]) from None
    return decode_setup(raw, kind)


def decode_setup(raw: bytes, kind: SetupKind) -> SetupDocument:
    """Check a setup file's bytes (read with at most MAX_FILE_BYTES + 1); raises SetupFileProblem."""
    if len(raw) > MAX_FILE_BYTES:
        raise SetupFileProblem([f"It is larger than {MAX_FILE_BYTES // 1024} KB, far more than a setup needs."])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SetupFileProblem(["It is not UTF-8 text."]) from None
    return parse_setup(text, kind)


def parse_setup(text: str, kind: SetupKind) -> SetupDocument:
    """Check a setup file's text; raises SetupFileProblem listing everything wrong with it."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        where = f" (line {line})" if line else ""
        raise SetupFileProblem([f"It is not valid JSON{where}."]) from None
    return check_setup(data, kind)


def check_setup(data: object, kind: SetupKind) -> SetupDocument:
    """Check an already-decoded setup; raises SetupFileProblem listing everything wrong with it."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise SetupFileProblem(["It must hold one JSON object, { ... }."])
    if data.get(FORMAT_KEY) != FORMAT_VERSION:
        problems.append(f'It must say "{FORMAT_KEY}": {FORMAT_VERSION} (this qbdesk reads version {FORMAT_VERSION}).')
    for key in data:
        if key not in (FORMAT_KEY, "destinations"):
            problems.append(f"{_quoted(key)} is not a setup setting.")
    raw = data.get("destinations")
    if not isinstance(raw, dict) or not raw:
        problems.append('"destinations" must be an object with "production", "sandbox" or both.')
        raise SetupFileProblem(problems)
    destinations: dict[Destination, DestinationSetup] = {}
    ignored_secret = False
    for key, entry in raw.items():
        try:
            destination = Destination.parse(key)
        except ValueError:
            problems.append(f'{_quoted(key)} is not a destination: use "production" or "sandbox".')
            continue
        checked, secret_seen = _check_destination(destination, entry, kind, problems)
        ignored_secret = ignored_secret or secret_seen
        destinations[destination] = checked
    if destinations and all(d.hidden for d in destinations.values()) and len(destinations) == len(Destination):
        problems.append("It hides every destination; at least one must stay available.")
    if problems:
        raise SetupFileProblem(problems)
    return SetupDocument(destinations, ignored_secret)


def _check_destination(
    destination: Destination, entry: object, kind: SetupKind, problems: list[str]
) -> tuple[DestinationSetup, bool]:
    """One destination's object; appends to problems; returns the values and whether a secret was skipped."""
    where = destination.value
    if not isinstance(entry, dict):
        problems.append(f"{_quoted(where)} must be an object of settings.")
        return DestinationSetup(), False
    values: dict[str, str] = {}
    extra = ("locked", "hidden") if kind is SetupKind.MANAGED else ()
    for key, value in entry.items():
        if key in FIELDS:
            if not isinstance(value, str):
                problems.append(f"{where}: {_quoted(key)} must be text.")
                continue
            value = value.strip()
            if not value:
                continue  # an empty value gives nothing: Settings keeps its own, or Intuit's default
            problem = _CHECKS[key](value)
            if problem:
                problems.append(f"{where}: {problem}")
            else:
                values[key] = value
        elif key != "client_secret" and key not in extra:
            problems.append(f"{where}: {_quoted(key)} is not a setup setting.")
    locked = _locked(entry.get("locked", False), where, problems)
    hidden = entry.get("hidden", False)
    if not isinstance(hidden, bool):
        problems.append(f'{where}: "hidden" must be true or false.')
        hidden = False
    secret = entry.get("client_secret")
    secret_seen = secret is not None
    kept_secret = ""
    if secret_seen and kind is SetupKind.MANAGED:
        if not isinstance(secret, str) or not secret.strip() or client_secret_problem(secret.strip()):
            problems.append(f"{where}: the client secret is not a valid Client Secret.")
        else:
            kept_secret = secret.strip()
    return DestinationSetup(values, locked, hidden, kept_secret), secret_seen and kind is SetupKind.SHARED


def _locked(value: object, where: str, problems: list[str]) -> frozenset[str]:
    if value is True:
        return frozenset((*FIELDS, "client_secret"))
    if value is False:
        return frozenset()
    if isinstance(value, list) and all(isinstance(v, str) and v in (*FIELDS, "client_secret") for v in value):
        return frozenset(value)
    problems.append(f'{where}: "locked" must be true, false or a list of field names ({", ".join(FIELDS)}).')
    return frozenset()


def _quoted(key: object) -> str:
    """A key from the file, shown safely: printable, and short enough for one line."""
    text = str(key)
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    if len(text) > 40:
        text = text[:40] + "\u2026"
    return f"\u201c{text}\u201d"


def write_shared_setup(path: Path, apps: dict[Destination, dict[str, str]]) -> None:
    """Write a shared setup (no secrets in it, so an ordinary file); raises OSError."""
    path.write_text(shared_setup_text(apps), encoding="utf-8")


def shared_setup_text(apps: dict[Destination, dict[str, str]]) -> str:
    """The JSON of a shared setup: each destination's non-secret fields, and never a secret."""
    destinations = {
        destination.value: {name: values.get(name, "") for name in FIELDS} for destination, values in apps.items()
    }
    return json.dumps({FORMAT_KEY: FORMAT_VERSION, "destinations": destinations}, indent=2) + "\n"
