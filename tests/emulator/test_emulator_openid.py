"""OpenID parts: id tokens signed RS256 under a key the JWKS serves, and userinfo claims by scope."""

from __future__ import annotations

import base64
import json

import pytest
import requests
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from emulator_flow import ACCOUNTING, PRODUCTION_KEYS, SANDBOX_KEYS


def segment(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key(jwk: dict[str, str]) -> rsa.RSAPublicKey:
    n, e = (int.from_bytes(segment(jwk[name]), "big") for name in ("n", "e"))
    return rsa.RSAPublicNumbers(e, n).public_key()


def verified_claims(id_token: str, jwks_uri: str) -> dict:
    """The claims, after checking the RS256 signature against the key the JWKS serves under the header's kid."""
    header_part, claims_part, signature = id_token.split(".")
    header = json.loads(segment(header_part))
    assert header["alg"] == "RS256"
    keys = {key["kid"]: key for key in requests.get(jwks_uri, timeout=10).json()["keys"]}
    key = public_key(keys[header["kid"]])
    signed = f"{header_part}.{claims_part}".encode()
    key.verify(segment(signature), signed, padding.PKCS1v15(), hashes.SHA256())
    return json.loads(segment(claims_part))


def discovery(emulator, environment: str = "production") -> dict:
    return requests.get(emulator.discovery_url(environment), timeout=10).json()


def test_openid_scope_adds_an_id_token_signed_by_a_key_the_jwks_serves(driver, emulator, clock):
    body, callback = driver.tokens(scope=f"{ACCOUNTING} openid email")
    doc = discovery(emulator)
    claims = verified_claims(body["id_token"], doc["jwks_uri"])
    assert claims["iss"] == doc["issuer"]
    assert claims["aud"] == [PRODUCTION_KEYS.client_id]
    assert claims["realmid"] == callback["realmId"]
    assert claims["iat"] == claims["auth_time"] == int(clock())
    assert claims["exp"] == claims["iat"] + 3600
    assert claims["sub"]
    refreshed = driver.refresh(body["refresh_token"]).json()
    assert verified_claims(refreshed["id_token"], doc["jwks_uri"])["sub"] == claims["sub"]


def test_a_tampered_id_token_fails_the_signature_check(driver, emulator):
    body, _ = driver.tokens(scope=f"{ACCOUNTING} openid")
    header, claims, signature = body["id_token"].split(".")
    forged = json.loads(segment(claims)) | {"realmid": "1234567890123456"}
    forged_part = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")
    with pytest.raises(InvalidSignature):
        verified_claims(f"{header}.{forged_part}.{signature}", discovery(emulator)["jwks_uri"])


def test_no_id_token_without_openid(driver):
    body, _ = driver.tokens()
    assert "id_token" not in body


def userinfo(driver, emulator, keys, scope: str) -> requests.Response:
    body, _ = driver.tokens(keys, scope=scope)
    address = discovery(emulator, keys.environment)["userinfo_endpoint"]
    return requests.get(address, headers={"Authorization": f"Bearer {body['access_token']}"}, timeout=10)


def test_userinfo_gives_the_claims_the_scopes_allow(driver, emulator):
    bare = userinfo(driver, emulator, PRODUCTION_KEYS, "openid").json()
    assert set(bare) == {"sub"}
    full = userinfo(driver, emulator, SANDBOX_KEYS, "openid profile email phone address").json()
    assert full["sub"] == bare["sub"]
    assert full["givenName"] and full["familyName"]
    assert full["email"] and full["emailVerified"] is True
    assert full["phoneNumber"] and full["phoneNumberVerified"] is True
    assert {"streetAddress", "locality", "region", "postalCode", "country"} <= set(full["address"])


def test_userinfo_refuses_tokens_without_openid_or_from_the_other_environment(driver, emulator):
    assert userinfo(driver, emulator, PRODUCTION_KEYS, ACCOUNTING).status_code == 403
    body, _ = driver.tokens(SANDBOX_KEYS, scope="openid")
    production = discovery(emulator, "production")["userinfo_endpoint"]
    reply = requests.get(production, headers={"Authorization": f"Bearer {body['access_token']}"}, timeout=10)
    assert reply.status_code == 401
