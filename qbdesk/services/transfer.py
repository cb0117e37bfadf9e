"""Moving credentials to another computer: export them to an encrypted file (and remove them here), import one.

A refresh token rotates, so it must be used on one computer only: a move takes each credential's refresh lock,
writes the file, reads it back with the passphrase, and only then removes the credentials here (without
revoking them at Intuit, which would end them on the new computer too). An import checks everything first
(passphrase, file, app keys, names) and changes nothing unless it all holds.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from qbdesk.core.credential import Credential, Status
from qbdesk.core.names import check_name, name_key
from qbdesk.core.problems import Kind, NextStep, Problem
from qbdesk.services.transfer_contents import Bundle, Carried, UnreadableContents, bundle_from, contents_of
from qbdesk.store.locks import LockTimeout, exclusive
from qbdesk.store.transfer_file import (
    DamagedFile,
    NewerFormat,
    NotATransferFile,
    TransferFileProblem,
    WrongPassphrase,
    open_sealed,
    seal,
)
from qbdesk.store.vault import load_tokens

if TYPE_CHECKING:
    from qbdesk.services.context import AppContext

log = logging.getLogger("qbdesk.transfer")

MIN_PASSPHRASE = 10
MAX_READ_BYTES = 64 * 1024 * 1024


class TransferProblem(Problem):
    """An export or import stopped; nothing was changed. The cause says why."""


class NameChoice(str, Enum):
    """What an import does with a credential whose name is already used here."""

    SKIP = "skip"
    RENAME = "rename"
    REPLACE = "replace"


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: the credentials added (under the names they got), skipped and replaced."""

    added: list[Credential]
    skipped: list[str]
    replaced: list[str]


def passphrase_problem(passphrase: str) -> str | None:
    """Why a passphrase is too weak to protect refresh tokens, or None."""
    if len(passphrase) < MIN_PASSPHRASE:
        return f"The passphrase must have at least {MIN_PASSPHRASE} characters."
    return None


def _file_problem(path: Path, problem: TransferFileProblem | UnreadableContents) -> TransferProblem:
    if isinstance(problem, WrongPassphrase):
        return TransferProblem("The passphrase does not open this file. Check it and try again.")
    if isinstance(problem, NewerFormat):
        return TransferProblem(f"{path.name} was written by a newer version of qbdesk. Update qbdesk on this "
                               "computer, then import it again.")
    if isinstance(problem, NotATransferFile):
        return TransferProblem(f"{path.name} is not a credentials file written by qbdesk.")
    how = "is incomplete (cut short)" if isinstance(problem, DamagedFile) and problem.truncated else "is damaged"
    return TransferProblem(f"{path.name} {how}, so it cannot be imported. Export the credentials again on the "
                           "other computer.")


def read_transfer_file(path: Path, passphrase: str) -> Bundle:
    """Open a transfer file; raises TransferProblem with the reason when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_READ_BYTES + 1)
    except OSError as exc:
        raise TransferProblem(f"{path} cannot be read ({exc.strerror or exc}).") from None
    if len(data) > MAX_READ_BYTES:
        raise _file_problem(path, NotATransferFile())
    try:
        return bundle_from(open_sealed(data, passphrase))
    except (TransferFileProblem, UnreadableContents) as exc:
        raise _file_problem(path, exc) from None


def _write_privately(path: Path, data: bytes, overwrite: bool) -> None:
    """Write the file readable by this user only, in one step (a temporary file renamed into place)."""
    if path.exists() and not overwrite:
        raise TransferProblem(f"{path} already exists. Choose another file name.")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".qbdesk-export-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as exc:
        raise TransferProblem(f"{path} cannot be written ({exc.strerror or exc}).") from None


class TransferService:
    """Export, move and import on one data folder's services."""

    def __init__(self, context: AppContext) -> None:
        self._context = context

    def exportable(self) -> list[Credential]:
        """The credentials an export can carry: those that finished signing in."""
        return [c for c in self._context.credentials.list() if c.status is Status.CONNECTED]

    def export(self, credential_ids: list[str], path: Path, passphrase: str, move: bool,
               overwrite: bool = False) -> list[Credential]:
        """Write these credentials to an encrypted file; with move, remove them here once the file is verified."""
        problem = passphrase_problem(passphrase)
        if problem:
            raise TransferProblem(problem)
        context = self._context
        chosen = [self._exportable(credential_id) for credential_id in dict.fromkeys(credential_ids)]
        if not chosen:
            raise TransferProblem("There are no connected credentials to export.")
        try:
            with contextlib.ExitStack() as locks:
                for credential in chosen:  # no refresh may rotate a token between reading and removing it
                    locks.enter_context(exclusive(context.data_dir, credential.id))
                carried = [self._with_tokens(c.id) for c in chosen]  # read again inside the locks
                client_ids = {c.credential.destination: context.settings.app(c.credential.destination).client_id
                              for c in carried}
                contents = contents_of(carried, client_ids, context.clock.now())
                _write_privately(path, seal(contents, passphrase), overwrite)
                try:
                    verified = read_transfer_file(path, passphrase)
                except TransferProblem:
                    verified = None
                if verified is None or len(verified.carried) != len(carried) or any(
                    (a.refresh_token, a.credential.name) != (b.refresh_token, b.credential.name)
                    for a, b in zip(verified.carried, carried, strict=True)
                ):
                    raise TransferProblem(f"{path} could not be read back after writing, so nothing was removed. "
                                          "Try another folder or drive.")
                for one in carried:
                    event = "moved" if move else "exported"
                    if move:
                        context.credentials.discard(one.credential.id, event, f"to {path.name}")
                    else:
                        context.audit.record(one.credential, event, f"to {path.name}")
        except LockTimeout:
            raise TransferProblem("A credential is being refreshed by another qbdesk and did not finish. "
                                  "Try again in a minute.", NextStep.NONE) from None
        log.info("Exported %d credentials (move=%s)", len(carried), move)
        return [one.credential for one in carried]

    def _exportable(self, credential_id: str) -> Credential:
        credential = self._context.credentials.get(credential_id)
        if credential is None:
            raise TransferProblem("That credential no longer exists.")
        if credential.status is not Status.CONNECTED:
            raise TransferProblem(f"\u201c{credential.name}\u201d has not finished signing in, so there is "
                                  "nothing to export.")
        return credential

    def _with_tokens(self, credential_id: str) -> Carried:
        credential = self._exportable(credential_id)
        tokens = load_tokens(self._context.vault, credential_id)
        if tokens is None:
            raise TransferProblem(f"The tokens of \u201c{credential.name}\u201d are missing, so it cannot be "
                                  "exported.", NextStep.RECONNECT, Kind.RECONNECT)
        return Carried(credential, *tokens)

    def key_problem(self, bundle: Bundle) -> TransferProblem | None:
        """Why this computer's app keys cannot use the file's tokens (they belong to the Client ID that issued
        them), or None when every destination's keys match."""
        wrong = []
        for destination, client_id in sorted(bundle.client_ids.items()):
            if not any(c.credential.destination is destination for c in bundle.carried):
                continue
            settings = self._context.settings
            if settings.app(destination).client_id != client_id or not settings.has_client_secret(destination):
                wrong.append(f"{destination.label} with Client ID {client_id} and its Client Secret")
        if not wrong:
            return None
        return TransferProblem(
            "The credentials in this file belong to other app keys than this computer's. Set up "
            + " and ".join(wrong) + " first (the secret is not in the file), then import again.",
            NextStep.ENTER_KEYS, Kind.SETUP,
        )

    def name_conflicts(self, bundle: Bundle) -> list[str]:
        """The names in the file that are already used here."""
        taken = {name_key(c.name) for c in self._context.credentials.list()}
        return [one.credential.name for one in bundle.carried if name_key(one.credential.name) in taken]

    def import_bundle(self, bundle: Bundle, source: Path, choices: Mapping[str, NameChoice]) -> ImportOutcome:
        """Add the file's credentials; choices says, per name already used here, what to do (every one is needed)."""
        problem = self.key_problem(bundle)
        if problem:
            raise problem
        undecided = [n for n in self.name_conflicts(bundle) if name_key(n) not in {name_key(k) for k in choices}]
        if undecided:
            raise TransferProblem("Choose whether to skip, rename or replace: " + ", ".join(undecided) + ".")
        decided = {name_key(k): v for k, v in choices.items()}
        credentials = self._context.credentials
        existing = {name_key(c.name): c for c in credentials.list()}
        added, skipped, replaced = [], [], []
        for one in bundle.carried:
            key = name_key(one.credential.name)
            choice = decided.get(key) if key in existing else None
            credential = one.credential
            if choice is NameChoice.SKIP:
                skipped.append(credential.name)
                continue
            if choice is NameChoice.RENAME:
                credential = replace(credential, name=self._free_name(credential.name))
            elif choice is NameChoice.REPLACE:
                credentials.discard(existing[key].id, "replaced", f"by the one imported from {source.name}")
                replaced.append(credential.name)
            added.append(credentials.add_connected(credential, one.access_token, one.refresh_token,
                                                   f"from {source.name}"))
            existing[name_key(added[-1].name)] = added[-1]
        return ImportOutcome(added, skipped, replaced)

    def _free_name(self, name: str) -> str:
        """The name with the lowest number after it that is free: "Acme (2)", "Acme (3)", ..."""
        credentials = self._context.credentials
        for number in range(2, 10_000):
            suffix = f" ({number})"
            candidate = name[: 100 - len(suffix)].rstrip() + suffix
            if check_name(candidate).ok and credentials.check_name(candidate).ok:
                return candidate
        raise TransferProblem(f"No free name was found for \u201c{name}\u201d.")
