"""The emulator's one demo user: OpenID userinfo claims and an unsigned id_token."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoUser:
    """The person who "signs in" on the emulator's consent page."""

    sub: str
    email: str
    given_name: str
    family_name: str

    def userinfo(self) -> dict[str, object]:
        """Claims in the shape of Intuit's userinfo endpoint."""
        return {
            "sub": self.sub,
            "email": self.email,
            "emailVerified": True,
            "givenName": self.given_name,
            "familyName": self.family_name,
        }


DEMO_USER = DemoUser(
    sub="4f9c2d1e-7a3b-4c5d-9e8f-1a2b3c4d5e6f",
    email="alex.rivera@example.com",
    given_name="Alex",
    family_name="Rivera",
)


def _b64url_json(value: dict[str, object]) -> str:
    raw = json.dumps(value, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unsigned_id_token(*, issuer: str, client_id: str, realm_id: str | None, issued_at: float, lifetime: int) -> str:
    """A JWT-shaped id_token with alg "none"; fine for parsing, not for signature checks."""
    header = {"alg": "none", "typ": "JWT"}
    claims: dict[str, object] = {
        "iss": issuer,
        "sub": DEMO_USER.sub,
        "aud": [client_id],
        "auth_time": int(issued_at),
        "iat": int(issued_at),
        "exp": int(issued_at) + lifetime,
    }
    if realm_id:
        claims["realmid"] = realm_id
    return f"{_b64url_json(header)}.{_b64url_json(claims)}."
