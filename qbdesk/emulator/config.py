"""Fixed vocabulary and tunable lifetimes of the Intuit emulator."""

from __future__ import annotations

from dataclasses import dataclass

PRODUCTION = "production"
SANDBOX = "sandbox"
ENVIRONMENTS = (PRODUCTION, SANDBOX)

ACCOUNTING_SCOPE = "com.intuit.quickbooks.accounting"
PAYMENT_SCOPE = "com.intuit.quickbooks.payment"
QUICKBOOKS_SCOPES = frozenset({ACCOUNTING_SCOPE, PAYMENT_SCOPE})
OPENID_SCOPES = ("openid", "profile", "email", "phone", "address")
SUPPORTED_SCOPES = frozenset(QUICKBOOKS_SCOPES | set(OPENID_SCOPES))

HARD_EXPIRY_HEADER = "x-include-refresh-token-hard-expires-in"

MAX_BODY_BYTES = 64 * 1024
MAX_TARGET_LENGTH = 8 * 1024
SOCKET_TIMEOUT_SECONDS = 15.0


@dataclass(frozen=True)
class Lifetimes:
    """How long codes and tokens stay valid, in seconds."""

    access_token_ttl: int = 3600
    refresh_token_ttl: int = 8726400
    hard_expiry_ttl: int = 5 * 365 * 86400
    code_ttl: int = 600

    def __post_init__(self) -> None:
        for name in ("access_token_ttl", "refresh_token_ttl", "hard_expiry_ttl", "code_ttl"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"{name} must be a positive whole number of seconds")


@dataclass(frozen=True)
class Rotation:
    """How a refresh rotates the refresh token, in seconds.

    Intuit hands the same refresh token back for about a day (reuse_for), then a new one, and by its older
    documentation keeps accepting the previous one for a while (grace). STRICT is the newer help article's
    reading: every refresh issues a new token and the previous one stops working at once.
    """

    reuse_for: float = 86400
    grace: float = 86400

    def __post_init__(self) -> None:
        for name in ("reuse_for", "grace"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < float("inf"):
                raise ValueError(f"{name} must be zero or a positive number of seconds")


INTUIT_ROTATION = Rotation()
STRICT_ROTATION = Rotation(reuse_for=0, grace=0)


@dataclass
class TokenPolicy:
    """What the token endpoint issues: the access tokens' length (None: 900-1,300 like Intuit's) and rotation.

    Changeable while the emulator runs (Emulator.rotation), so a test can switch to the strict rule.
    """

    access_token_length: int | None = None
    rotation: Rotation = INTUIT_ROTATION
