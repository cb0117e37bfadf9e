"""The hold for a reconnect that came back with another company: its tokens wait for the user's answer."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from qbdesk.intuit.oauth import TokenSet


@dataclass(frozen=True)
class HeldSignIn:
    """Tokens for realm_id, where the credential was for previous_realm."""

    realm_id: str
    previous_realm: str
    tokens: TokenSet

    @property
    def cause(self) -> str:
        return f"Intuit connected company {self.realm_id}, but this credential was for company {self.previous_realm}."


class CompanyChangeHold:
    """At most one held sign-in per credential, until it is released."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[str, HeldSignIn] = {}

    def hold(self, credential_id: str, held: HeldSignIn) -> None:
        with self._lock:
            self._held[credential_id] = held

    def release(self, credential_id: str) -> HeldSignIn | None:
        """The held sign-in, which is no longer held; None when nothing was."""
        with self._lock:
            return self._held.pop(credential_id, None)
