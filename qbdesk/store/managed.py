"""The administrator's managed setup file: where it lives on each system, and reading it without trusting it.

The file gives every user of a computer the same Intuit app values (see store/setup_file.py for its shape).
qbdesk refuses a file that someone other than its owner or an administrator could change, since it decides where
sign-ins go. A client secret in it is used only on Linux and macOS, and only when the file is not readable by
every user of the computer; otherwise the secret is ignored, said so, and each user enters it in Settings.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from qbdesk.store.setup_file import (
    NotRegularFile,
    SetupDocument,
    SetupFileProblem,
    SetupKind,
    decode_setup,
    read_limited,
)

MANAGED_ENV = "QBDESK_MANAGED_CONFIG"
MANAGED_FILENAME = "managed.json"


def managed_path(environ: Mapping[str, str], system: str = sys.platform) -> Path:
    """The managed file for this system, or the one QBDESK_MANAGED_CONFIG names."""
    named = environ.get(MANAGED_ENV, "").strip()
    if named:
        return Path(named)
    if system == "win32":
        return Path(environ.get("ProgramData") or "C:\\ProgramData") / "qbdesk" / MANAGED_FILENAME
    if system == "darwin":
        return Path("/Library/Application Support/qbdesk") / MANAGED_FILENAME
    return Path("/etc/qbdesk") / MANAGED_FILENAME


@dataclass(frozen=True)
class ManagedSetup:
    """The managed file as read at start: its checked values, or why it is not used.

    `problem` says why the file at `path` is not used at all; `warning` why a part of it (a client secret) was
    ignored. Both are plain sentences about the file; the front ends add the file's name and what to do.
    """

    path: Path | None = None
    document: SetupDocument | None = None
    problem: str | None = None
    warning: str | None = None

    @property
    def in_force(self) -> bool:
        return self.document is not None


NO_MANAGED_SETUP = ManagedSetup()


def load_managed(path: Path, system: str = sys.platform) -> ManagedSetup:
    """Read and check the managed file; never raises for anything about the file itself."""
    try:
        raw, status = read_limited(path)
    except NotRegularFile:
        return ManagedSetup(path, problem="It is not a file.")
    except FileNotFoundError:
        return ManagedSetup(path)
    except PermissionError:
        return ManagedSetup(path, problem="qbdesk is not allowed to read it.")
    except OSError as exc:
        return ManagedSetup(path, problem=f"It could not be read ({exc.strerror or type(exc).__name__}).")
    if system != "win32":
        unsafe = _unsafe_owner(path, status)
        if unsafe:
            return ManagedSetup(path, problem=unsafe)
    try:
        document = decode_setup(raw, SetupKind.MANAGED)
    except SetupFileProblem as exc:
        return ManagedSetup(path, problem=str(exc))
    return _with_trusted_secrets(ManagedSetup(path, document), status, system)


def _unsafe_owner(path: Path, status: os.stat_result) -> str | None:
    """Why another user could have changed the file or swapped it, or None."""
    owners = {0, os.getuid()} if hasattr(os, "getuid") else {0}
    if status.st_uid not in owners:
        return "It belongs to another user, who could change where everyone's sign-ins go."
    if status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "Other users of this computer can change it (remove group and other write permission)."
    try:
        folder = path.resolve().parent.stat()
    except OSError:
        return None
    if folder.st_mode & stat.S_IWOTH and not folder.st_mode & stat.S_ISVTX:
        return "Every user of this computer can replace it: its folder is open for writing to all."
    return None


def _with_trusted_secrets(managed: ManagedSetup, status: os.stat_result, system: str) -> ManagedSetup:
    """Drop the file's client secrets unless only its owner and group can read it (never on Windows)."""
    document = managed.document
    assert document is not None
    if not any(d.client_secret for d in document.destinations.values()):
        return managed
    if system != "win32" and not status.st_mode & stat.S_IROTH:
        return managed
    why = (
        "On Windows qbdesk does not take a client secret from this file"
        if system == "win32"
        else "Every user of this computer can read this file, so qbdesk did not use the client secret in it"
    )
    stripped = {d: replace(setup, client_secret="") for d, setup in document.destinations.items()}
    return replace(
        managed,
        document=replace(document, destinations=stripped),
        warning=f"{why}; each user enters it in Settings instead.",
    )
