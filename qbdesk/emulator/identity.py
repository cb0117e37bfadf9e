"""The emulator's one demo user: OpenID userinfo claims by scope, and the claims of an id token."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoUser:
    """The person who "signs in" on the emulator's consent page."""

    sub: str
    email: str
    given_name: str
    family_name: str
    phone: str
    street: str
    city: str
    region: str
    postal_code: str
    country: str

    def userinfo(self, scopes: tuple[str, ...]) -> dict[str, object]:
        """Claims in the shape of Intuit's userinfo endpoint: sub always, the rest as the scopes allow."""
        claims: dict[str, object] = {"sub": self.sub}
        if "profile" in scopes:
            claims.update(givenName=self.given_name, familyName=self.family_name)
        if "email" in scopes:
            claims.update(email=self.email, emailVerified=True)
        if "phone" in scopes:
            claims.update(phoneNumber=self.phone, phoneNumberVerified=True)
        if "address" in scopes:
            claims["address"] = {
                "streetAddress": self.street,
                "locality": self.city,
                "region": self.region,
                "postalCode": self.postal_code,
                "country": self.country,
            }
        return claims


DEMO_USER = DemoUser(
    sub="4f9c2d1e-7a3b-4c5d-9e8f-1a2b3c4d5e6f",
    email="alex.rivera@example.com",
    given_name="Alex",
    family_name="Rivera",
    phone="+1 6505550142",
    street="100 Main Street",
    city="Mountain View",
    region="CA",
    postal_code="94043",
    country="US",
)


def id_token_claims(
    *, issuer: str, client_id: str, realm_id: str | None, issued_at: float, lifetime: int
) -> dict[str, object]:
    """The claims of an id token as Intuit issues them for the openid scope."""
    claims: dict[str, object] = {
        "sub": DEMO_USER.sub,
        "aud": [client_id],
        "auth_time": int(issued_at),
        "iss": issuer,
        "exp": int(issued_at) + lifetime,
        "iat": int(issued_at),
    }
    if realm_id:
        claims["realmid"] = realm_id
    return claims
