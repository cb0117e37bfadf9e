"""A Registry that keeps its codes and tokens in a JSON file, so a demo emulator remembers earlier runs.

Every `qbdesk --demo` process starts its own emulator. With this, tokens one run issued still work in the
next, and in a window and a command running side by side: each change is written at once (merged with what
other processes wrote), and a lookup reads the file again when another process changed it. Clients are not
kept: each run registers its own. Demo state only: the file holds demo tokens, private to the user (0600).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path

from .config import Rotation
from .state import AccessToken, AuthorizationCode, RefreshClaim, RefreshToken, Registry, TokenFamily

log = logging.getLogger("qbdesk.emulator")

FORMAT = 1
_KINDS = {
    "codes": ("_codes", AuthorizationCode),
    "families": ("_families", TokenFamily),
    "access_tokens": ("_access_tokens", AccessToken),
    "refresh_tokens": ("_refresh_tokens", RefreshToken),
}


def _merged(mine, theirs):
    """One record seen by two processes: a code once consumed, a family once revoked or a refresh token once
    rotated stays so; everything else about a record never changes."""
    if isinstance(mine, AuthorizationCode):
        return replace(mine, consumed=mine.consumed or theirs.consumed, family_id=mine.family_id or theirs.family_id)
    if isinstance(mine, TokenFamily):
        return replace(mine, revoked=mine.revoked or theirs.revoked)
    if isinstance(mine, RefreshToken):
        replaced = [moment for moment in (mine.replaced_at, theirs.replaced_at) if moment is not None]
        return replace(mine, active=mine.active and theirs.active, replaced_at=min(replaced, default=None))
    return mine


def _record(cls, fields: dict):
    if "scopes" in fields:
        fields = dict(fields, scopes=tuple(fields["scopes"]))
    return cls(**fields)


class SavedRegistry(Registry):
    """Registry whose codes, token families and tokens live on in `path` (created when first written)."""

    def __init__(self, clock: Callable[[], float], path: Path) -> None:
        super().__init__(clock)
        self._path = path
        self._seen: tuple[int, int, int] | None = None  # the file as last read or written: (inode, mtime, size)
        self._reload()

    # reading and writing the file

    def _stamp(self) -> tuple[int, int, int] | None:
        try:
            info = self._path.stat()
        except (FileNotFoundError, NotADirectoryError):  # no file yet, or no folder for one: nothing saved
            return None
        return info.st_ino, info.st_mtime_ns, info.st_size  # each write replaces the file: a new inode

    def _read(self) -> dict:
        try:
            data = json.loads(self._path.read_text("utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("demo emulator state unreadable, starting afresh: %s", type(exc).__name__)
            return {}
        return data if isinstance(data, dict) and data.get("format") == FORMAT else {}

    def _merge_in(self, data: dict) -> None:
        """Caller holds the lock."""
        for key, (attribute, cls) in _KINDS.items():
            table = getattr(self, attribute)
            for value, fields in (data.get(key) or {}).items():
                try:
                    theirs = _record(cls, fields)
                except TypeError:
                    continue  # a record this version does not know
                table[value] = _merged(table[value], theirs) if value in table else theirs

    def _reload(self) -> None:
        stamp = self._stamp()
        if stamp is None or stamp == self._seen:
            return
        data = self._read()
        with self._lock:
            self._merge_in(data)
        self._seen = stamp

    def _drop_expired(self) -> None:
        """Caller holds the lock. Codes and tokens past their expiry work nowhere: the file need not grow with them."""
        now = self.now()
        for attribute in ("_codes", "_access_tokens", "_refresh_tokens"):
            table = getattr(self, attribute)
            for value in [value for value, record in table.items() if now >= record.expires_at]:
                del table[value]

    def _save(self) -> None:
        data = self._read()
        with self._lock:
            self._merge_in(data)
            self._drop_expired()
            payload = {"format": FORMAT}
            for key, (attribute, _cls) in _KINDS.items():
                payload[key] = {value: asdict(record) for value, record in getattr(self, attribute).items()}
        self._path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = self._path.with_name(f".{self._path.name}.{os.getpid()}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            json.dump(payload, out)
        os.replace(temporary, self._path)
        self._seen = self._stamp()

    # every change is written; every lookup sees what other processes wrote

    def save_code(self, code: AuthorizationCode) -> None:
        super().save_code(code)
        self._save()

    def find_code(self, value: str | None) -> AuthorizationCode | None:
        self._reload()
        return super().find_code(value)

    def claim_code(self, value: str) -> bool:
        self._reload()
        claimed = super().claim_code(value)
        self._save()
        return claimed

    def open_family(self, code_value: str, client, hard_expires_at: float) -> TokenFamily:
        family = super().open_family(code_value, client, hard_expires_at)
        self._save()
        return family

    def store_tokens(self, family_id: str, access: AccessToken, refresh: RefreshToken) -> None:
        super().store_tokens(family_id, access, refresh)
        self._save()

    def revoke_family(self, family_id: str | None) -> bool:
        self._reload()
        revoked = super().revoke_family(family_id)
        self._save()
        return revoked

    def revoke_token(self, value: str | None, client_id: str) -> bool:
        self._reload()
        revoked = super().revoke_token(value, client_id)
        self._save()
        return revoked

    def active_access(self, value: str | None):
        self._reload()
        return super().active_access(value)

    def usable_refresh(self, value: str | None, client_id: str, rotation: Rotation):
        self._reload()
        return super().usable_refresh(value, client_id, rotation)

    def claim_refresh(self, value: str, rotation: Rotation) -> RefreshClaim | None:
        self._reload()
        claim = super().claim_refresh(value, rotation)
        self._save()
        return claim
