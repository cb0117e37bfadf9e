"""The sign-ins waiting for Intuit's redirect, by state; a state that stopped working remembers why, for a while."""

from __future__ import annotations

import hmac
import threading
from collections import OrderedDict
from dataclasses import dataclass

from qbdesk.core.destinations import Destination
from qbdesk.core.problems import NextStep
from qbdesk.intuit.discovery import Endpoints
from qbdesk.intuit.oauth import AuthorizationAttempt


@dataclass(frozen=True)
class PendingSignIn:
    """One sign-in sent to Intuit and not answered yet."""

    credential_id: str
    destination: Destination
    endpoints: Endpoints
    authorization: AuthorizationAttempt
    previous_realm: str | None = None  # set when reconnecting a connected credential


@dataclass(frozen=True)
class Retirement:
    """Why a state no longer works, and what to do instead."""

    cause: str
    next_step: NextStep


EARLIER_ATTEMPT = Retirement("This sign-in link belongs to an earlier attempt.", NextStep.SIGN_IN_AGAIN)
ALREADY_USED = Retirement("This sign-in link was already used.", NextStep.SIGN_IN_AGAIN)


def _same(known: str, state: str) -> bool:
    return hmac.compare_digest(known.encode(), state.encode())


class PendingSignIns:
    """States of waiting sign-ins; each state works once. The retired ones kept are the newest few hundred."""

    retired_limit = 256

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[str, PendingSignIn] = {}
        self._retired: OrderedDict[str, Retirement] = OrderedDict()

    def add(self, state: str, pending: PendingSignIn) -> None:
        """Wait on a new state; an earlier sign-in of the same credential stops working."""
        with self._lock:
            self._retire_credential(pending.credential_id, EARLIER_ATTEMPT)
            self._waiting[state] = pending

    def claim(self, state: str) -> tuple[PendingSignIn | None, Retirement | None]:
        """The sign-in for this state, which stops working now; else why the state is unknown (or None)."""
        with self._lock:
            found = None
            for known in self._waiting:  # every state compared, in constant time each
                if _same(known, state):
                    found = known
            if found is not None:
                pending = self._waiting[found]
                self._retire(found, ALREADY_USED)
                return pending, None
            reason = None
            for known, retirement in self._retired.items():
                if _same(known, state):
                    reason = retirement
            return None, reason

    def drop(self, credential_id: str, why: Retirement) -> None:
        """Stop waiting on every sign-in of the credential."""
        with self._lock:
            self._retire_credential(credential_id, why)

    def waiting_on(self, credential_id: str) -> bool:
        with self._lock:
            return any(p.credential_id == credential_id for p in self._waiting.values())

    def redirect_uris(self) -> set[str]:
        """The redirect URIs that some waiting sign-in will come back to."""
        with self._lock:
            return {p.authorization.redirect_uri for p in self._waiting.values()}

    def retired_count(self) -> int:
        with self._lock:
            return len(self._retired)

    def clear(self) -> None:
        with self._lock:
            self._waiting.clear()

    def _retire_credential(self, credential_id: str, why: Retirement) -> None:
        for state in [s for s, p in self._waiting.items() if p.credential_id == credential_id]:
            self._retire(state, why)

    def _retire(self, state: str, why: Retirement) -> None:
        self._waiting.pop(state, None)
        self._retired.pop(state, None)
        self._retired[state] = why
        while len(self._retired) > self.retired_limit:
            self._retired.popitem(last=False)
