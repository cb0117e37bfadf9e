"""Thread-safe record of the emulator's clients, authorization codes and token families."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .config import ENVIRONMENTS, Rotation


@dataclass(frozen=True)
class Client:
    """An app registered with the emulator (one set of Intuit keys)."""

    client_id: str
    client_secret: str = field(repr=False)
    redirect_uris: tuple[str, ...]
    environment: str


@dataclass(frozen=True)
class AuthorizationCode:
    """A code handed out on consent, waiting to be exchanged once."""

    value: str
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    realm_id: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    expires_at: float
    consumed: bool = False
    family_id: str | None = None


@dataclass(frozen=True)
class TokenFamily:
    """Every token that descends from one authorization code; revoked as a whole."""

    family_id: str
    client_id: str
    environment: str
    realm_id: str | None
    scopes: tuple[str, ...]
    hard_expires_at: float
    revoked: bool = False


@dataclass(frozen=True)
class AccessToken:
    """A bearer token for the API."""

    value: str
    family_id: str
    expires_at: float


@dataclass(frozen=True)
class RefreshToken:
    """A refresh token; once replaced by a newer one it works for the rotation's grace period only."""

    value: str
    family_id: str
    expires_at: float
    active: bool = True  # False: retired for good (files from before replaced_at existed)
    issued_at: float = 0.0
    replaced_at: float | None = None


@dataclass(frozen=True)
class RefreshClaim:
    """What a refresh may hand back: an existing refresh token (reused), or None for a new one."""

    reuse: RefreshToken | None


class Registry:
    """Holds all emulator state behind one lock; hands out copies, never live records."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._clients: dict[str, Client] = {}
        self._codes: dict[str, AuthorizationCode] = {}
        self._families: dict[str, TokenFamily] = {}
        self._access_tokens: dict[str, AccessToken] = {}
        self._refresh_tokens: dict[str, RefreshToken] = {}
        self._issued: set[str] = set()
        self._token_calls = 0

    def now(self) -> float:
        """The current time according to the injected clock."""
        return float(self._clock())

    # clients

    def register_client(self, client: Client) -> None:
        """Add a client, replacing any earlier one with the same id."""
        if client.environment not in ENVIRONMENTS:
            raise ValueError(f"environment must be one of {ENVIRONMENTS}")
        with self._lock:
            self._clients[client.client_id] = client

    def client(self, client_id: str | None) -> Client | None:
        """The registered client with this id, if any."""
        if not client_id:
            return None
        with self._lock:
            return self._clients.get(client_id)

    # secrets and counters

    def remember(self, value: str) -> str:
        """Note a freshly made code or token for leak scans, and return it."""
        with self._lock:
            self._issued.add(value)
        return value

    def issued_secrets(self) -> set[str]:
        """Every code, access token and refresh token handed out so far."""
        with self._lock:
            return set(self._issued)

    def count_token_call(self) -> None:
        """Note one request to the token endpoint."""
        with self._lock:
            self._token_calls += 1

    @property
    def token_calls(self) -> int:
        """How many requests reached the token endpoint."""
        with self._lock:
            return self._token_calls

    # authorization codes

    def save_code(self, code: AuthorizationCode) -> None:
        """Remember a freshly issued authorization code."""
        with self._lock:
            self._codes[code.value] = code

    def find_code(self, value: str | None) -> AuthorizationCode | None:
        """The code record for this value, used or not."""
        if not value:
            return None
        with self._lock:
            return self._codes.get(value)

    def claim_code(self, value: str) -> bool:
        """Mark a code consumed; False if it was already consumed or is unknown."""
        with self._lock:
            code = self._codes.get(value)
            if code is None or code.consumed:
                return False
            self._codes[value] = replace(code, consumed=True)
            return True

    # token families

    def open_family(self, code_value: str, client: Client, hard_expires_at: float) -> TokenFamily:
        """Start the token family for an exchanged code and link the code to it."""
        with self._lock:
            code = self._codes[code_value]
            family = TokenFamily(
                family_id=secrets.token_hex(16),
                client_id=client.client_id,
                environment=client.environment,
                realm_id=code.realm_id,
                scopes=code.scopes,
                hard_expires_at=hard_expires_at,
            )
            self._families[family.family_id] = family
            self._codes[code_value] = replace(code, family_id=family.family_id)
            return family

    def store_tokens(self, family_id: str, access: AccessToken, refresh: RefreshToken | None) -> None:
        """Record a newly issued access token, and the refresh token unless an existing one was handed back."""
        with self._lock:
            if family_id not in self._families:
                raise KeyError("unknown token family")
            self._access_tokens[access.value] = access
            if refresh is not None:
                self._refresh_tokens[refresh.value] = refresh

    def revoke_family(self, family_id: str | None) -> bool:
        """Stop every token of a family from working; True if there was one."""
        if family_id is None:
            return False
        with self._lock:
            family = self._families.get(family_id)
            if family is None:
                return False
            self._families[family_id] = replace(family, revoked=True)
            return True

    def revoke_token(self, value: str | None, client_id: str) -> bool:
        """Revoke the family of an access or refresh token owned by this client."""
        if not value:
            return False
        with self._lock:
            record = self._access_tokens.get(value) or self._refresh_tokens.get(value)
            family = self._families.get(record.family_id) if record else None
            if family is None or family.client_id != client_id:
                return False
            self._families[family.family_id] = replace(family, revoked=True)
            return True

    def active_access(self, value: str | None) -> tuple[AccessToken, TokenFamily] | None:
        """The access token and its family, if the token is known, unexpired and unrevoked."""
        if not value:
            return None
        now = self.now()
        with self._lock:
            token = self._access_tokens.get(value)
            if token is None or now >= token.expires_at:
                return None
            family = self._families[token.family_id]
            if family.revoked or now >= family.hard_expires_at:
                return None
            return token, family

    def usable_refresh(
        self, value: str | None, client_id: str, rotation: Rotation
    ) -> tuple[RefreshToken, TokenFamily] | None:
        """The refresh token and its family, if this client may still use it under this rotation."""
        if not value:
            return None
        now = self.now()
        with self._lock:
            token = self._refresh_tokens.get(value)
            if token is None or not self._works(token, now, rotation):
                return None
            family = self._families[token.family_id]
            if family.revoked or family.client_id != client_id or now >= family.hard_expires_at:
                return None
            return token, family

    @staticmethod
    def _works(token: RefreshToken, now: float, rotation: Rotation) -> bool:
        if not token.active or now >= token.expires_at:
            return False
        return token.replaced_at is None or now < token.replaced_at + rotation.grace

    def claim_refresh(self, value: str, rotation: Rotation) -> RefreshClaim | None:
        """Decide, atomically, what a refresh with this token hands back; None if it no longer works.

        The family's newest refresh token comes back unchanged while it is younger than rotation.reuse_for
        (also to a caller presenting a replaced token still in its grace period); otherwise the newest is
        marked replaced now and the caller issues a new one.
        """
        now = self.now()
        with self._lock:
            token = self._refresh_tokens.get(value)
            if token is None or not self._works(token, now, rotation):
                return None
            newest = token if token.replaced_at is None else self._newest_refresh(token.family_id)
            if (
                newest is not None
                and now - newest.issued_at < rotation.reuse_for
                and self._works(newest, now, rotation)
            ):
                return RefreshClaim(reuse=newest)
            if newest is not None:
                self._refresh_tokens[newest.value] = replace(newest, replaced_at=now)
            return RefreshClaim(reuse=None)

    def _newest_refresh(self, family_id: str) -> RefreshToken | None:
        """Caller holds the lock. The family's refresh token that nothing has replaced yet, if any."""
        current = [
            token
            for token in self._refresh_tokens.values()
            if token.family_id == family_id and token.replaced_at is None and token.active
        ]
        return max(current, key=lambda token: token.issued_at, default=None)
