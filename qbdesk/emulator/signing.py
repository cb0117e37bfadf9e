"""The emulator's id-token key: RS256 signatures and the JWKS entry that lets clients check them."""

from __future__ import annotations

import hashlib
import json
import threading

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from .shapes import b64url

KEY_BITS = 2048
PUBLIC_EXPONENT = 65537


def b64url_json(value: dict[str, object]) -> str:
    """A JSON object as a JOSE segment (ASCII only, compact)."""
    return b64url(json.dumps(value, separators=(",", ":")).encode("ascii"))


def _unsigned_integer(number: int) -> str:
    return b64url(number.to_bytes((number.bit_length() + 7) // 8, "big"))


class SigningKey:
    """An RSA key made on first use (so emulators that never issue an id token never pay for one)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: rsa.RSAPrivateKey | None = None
        self._jwk: dict[str, str] | None = None

    def _private(self) -> rsa.RSAPrivateKey:
        with self._lock:
            if self._key is None:
                self._key = rsa.generate_private_key(public_exponent=PUBLIC_EXPONENT, key_size=KEY_BITS)
                numbers = self._key.public_key().public_numbers()
                required = {"e": _unsigned_integer(numbers.e), "kty": "RSA", "n": _unsigned_integer(numbers.n)}
                # RFC 7638 thumbprint: the required members, sorted, no whitespace.
                thumbprint = hashlib.sha256(json.dumps(required, separators=(",", ":"), sort_keys=True).encode())
                self._jwk = {**required, "use": "sig", "alg": "RS256", "kid": b64url(thumbprint.digest())}
            return self._key

    @property
    def kid(self) -> str:
        """The key id every id token names in its header."""
        return self.jwk()["kid"]

    def jwk(self) -> dict[str, str]:
        """The public half as a JSON Web Key."""
        self._private()
        assert self._jwk is not None
        return dict(self._jwk)

    def sign(self, claims: dict[str, object]) -> str:
        """A compact JWS of these claims, RS256, with this key's kid."""
        key = self._private()
        signing_input = f"{b64url_json({'kid': self.kid, 'alg': 'RS256'})}.{b64url_json(claims)}"
        signature = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{b64url(signature)}"
