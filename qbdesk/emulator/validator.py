"""oauthlib server wiring that makes its generic OAuth 2.0 endpoints behave like Intuit's."""

from __future__ import annotations

import base64
import binascii
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote_plus

from oauthlib.oauth2 import RequestValidator, WebApplicationServer
from oauthlib.oauth2.rfc6749 import errors

from . import shapes
from .config import HARD_EXPIRY_HEADER, SUPPORTED_SCOPES, Lifetimes, TokenPolicy
from .identity import DEMO_USER, id_token_claims
from .signing import SigningKey
from .state import AccessToken, AuthorizationCode, Client, RefreshClaim, RefreshToken, Registry

log = logging.getLogger("qbdesk.emulator")

INVALID_REFRESH_TOKEN = "Incorrect or invalid refresh token"
INVALID_CODE = "Incorrect or invalid authorization code"
GRANT_TYPES = ("authorization_code", "refresh_token")


@dataclass(frozen=True)
class TokenTiming:
    """When the tokens of one token response stop working (epoch seconds)."""

    issued_at: float
    access_expires_at: float
    refresh_expires_at: float
    hard_expires_at: float


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """The (client_id, client_secret) pair of an HTTP Basic Authorization header."""
    if not header:
        return None
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    client_id, separator, client_secret = decoded.partition(":")
    return (client_id, client_secret) if separator and client_id else None


def _header_is_true(request, name: str) -> bool:
    return str(request.headers.get(name, "")).strip().lower() == "true"


class IntuitRequestValidator(RequestValidator):
    """Answers oauthlib's questions from the emulator's registry."""

    def __init__(self, registry: Registry, lifetimes: Lifetimes, policy: TokenPolicy) -> None:
        super().__init__()
        self._registry = registry
        self._lifetimes = lifetimes
        self._policy = policy

    # client authentication (confidential clients only, like Intuit)

    def client_authentication_required(self, request, *args, **kwargs) -> bool:
        return True

    def authenticate_client(self, request, *args, **kwargs) -> bool:
        credentials = basic_credentials(request.headers.get("Authorization"))
        if credentials is None and request.client_id and request.client_secret is not None:
            credentials = (request.client_id, request.client_secret)
        if credentials is None:
            return False
        client = self._matching_client(*credentials)
        if client is None and any(mark in "".join(credentials) for mark in "%+"):
            client = self._matching_client(*(unquote_plus(part) for part in credentials))
        if client is None or (request.client_id and request.client_id != client.client_id):
            return False
        request.client = client
        return True

    def _matching_client(self, client_id: str, client_secret: str) -> Client | None:
        client = self._registry.client(client_id)
        if client is None:
            return None
        if not hmac.compare_digest(client.client_secret.encode(), client_secret.encode()):
            return None
        return client

    def authenticate_client_id(self, client_id, request, *args, **kwargs) -> bool:
        return False

    # authorization request

    def validate_client_id(self, client_id, request, *args, **kwargs) -> bool:
        client = self._registry.client(client_id)
        if client is None:
            return False
        request.client = client
        return True

    def validate_redirect_uri(self, client_id, redirect_uri, request, *args, **kwargs) -> bool:
        client = self._registry.client(client_id)
        return client is not None and redirect_uri in client.redirect_uris

    def get_default_redirect_uri(self, client_id, request, *args, **kwargs):
        return None

    def validate_response_type(self, client_id, response_type, client, request, *args, **kwargs) -> bool:
        if response_type != "code":
            raise errors.UnsupportedResponseTypeError(request=request)
        return True

    def get_default_scopes(self, client_id, request, *args, **kwargs):
        return []

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs) -> bool:
        return bool(scopes) and all(scope in SUPPORTED_SCOPES for scope in scopes)

    def is_pkce_required(self, client_id, request) -> bool:
        return False

    def save_authorization_code(self, client_id, code, request, *args, **kwargs) -> None:
        self._registry.save_code(
            AuthorizationCode(
                value=code["code"],
                client_id=client_id,
                redirect_uri=request.redirect_uri,
                scopes=tuple(request.scopes),
                realm_id=getattr(request, "realm_id", None),
                code_challenge=request.code_challenge,
                code_challenge_method=request.code_challenge_method,
                expires_at=self._registry.now() + self._lifetimes.code_ttl,
            )
        )
        log.info("authorization code issued to client %s", client_id)

    # code exchange

    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs) -> bool:
        if grant_type not in GRANT_TYPES:
            raise errors.UnsupportedGrantTypeError(request=request)
        return True

    def validate_code(self, client_id, code, client, request, *args, **kwargs) -> bool:
        record = self._registry.find_code(code)
        if record is None or record.client_id != client.client_id:
            raise errors.InvalidGrantError(description=INVALID_CODE, request=request)
        if record.consumed:
            # RFC 6749 4.1.2: a reused code revokes what it already bought.
            if self._registry.revoke_family(record.family_id):
                log.warning("authorization code reused by client %s; its tokens are revoked", client_id)
            raise errors.InvalidGrantError(description="Authorization code has already been used", request=request)
        if self._registry.now() >= record.expires_at:
            raise errors.InvalidGrantError(description="Authorization code has expired", request=request)
        request.user = DEMO_USER
        request.scopes = list(record.scopes)
        return True

    def get_code_challenge(self, code, request):
        record = self._registry.find_code(code)
        return record.code_challenge if record else None

    def get_code_challenge_method(self, code, request):
        record = self._registry.find_code(code)
        return record.code_challenge_method if record else None

    def confirm_redirect_uri(self, client_id, code, redirect_uri, client, request, *args, **kwargs) -> bool:
        record = self._registry.find_code(code)
        if record is None or record.redirect_uri != redirect_uri:
            # Intuit answers a redirect_uri mismatch with invalid_grant, not invalid_request.
            raise errors.InvalidGrantError(
                description="redirect_uri does not match the authorization request", request=request
            )
        return True

    def invalidate_authorization_code(self, client_id, code, request, *args, **kwargs) -> None:
        """Nothing to do: the code was claimed before its tokens were made."""

    # refresh

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs) -> bool:
        found = self._registry.usable_refresh(refresh_token, client.client_id, self._policy.rotation)
        if found is None:
            raise errors.InvalidGrantError(description=INVALID_REFRESH_TOKEN, request=request)
        request.refresh_family = found[1]
        request.user = DEMO_USER
        return True

    def get_original_scopes(self, refresh_token, request, *args, **kwargs):
        return list(request.refresh_family.scopes)

    def rotate_refresh_token(self, request) -> bool:
        return True

    # issuing, checking and revoking tokens

    def save_bearer_token(self, token, request, *args, **kwargs) -> None:
        timing: TokenTiming = request.token_timing
        if request.grant_type == "refresh_token":
            family = request.refresh_family
        else:
            family = self._registry.open_family(request.code, request.client, timing.hard_expires_at)
        reused = _reused_refresh(request)
        refresh = None
        if reused is None:
            refresh = RefreshToken(
                token["refresh_token"], family.family_id, timing.refresh_expires_at, issued_at=timing.issued_at
            )
        self._registry.store_tokens(
            family.family_id, AccessToken(token["access_token"], family.family_id, timing.access_expires_at), refresh
        )
        log.info("tokens issued to client %s (%s)", request.client.client_id, request.grant_type)

    def validate_bearer_token(self, token, scopes, request) -> bool:
        found = self._registry.active_access(token)
        if found is None:
            return False
        request.token_family = found[1]
        return True

    def revoke_token(self, token, token_type_hint, request, *args, **kwargs) -> None:
        if self._registry.revoke_token(token, request.client.client_id):
            log.info("token family revoked by client %s", request.client.client_id)


def _reused_refresh(request) -> RefreshToken | None:
    """The existing refresh token a refresh hands back, or None when it issues a new one."""
    claim: RefreshClaim | None = getattr(request, "refresh_claim", None)
    return claim.reuse if claim is not None else None


class IntuitTokenShaper:
    """Token modifier: turns oauthlib's token dict into Intuit's token response."""

    def __init__(
        self, registry: Registry, lifetimes: Lifetimes, issuer: Callable[[], str], signing_key: SigningKey
    ) -> None:
        self._registry = registry
        self._lifetimes = lifetimes
        self._issuer = issuer
        self._signing_key = signing_key

    def __call__(self, token, token_handler, request) -> dict[str, object]:
        now = self._registry.now()
        if request.grant_type == "refresh_token":
            hard_expires_at = request.refresh_family.hard_expires_at
        else:
            hard_expires_at = now + self._lifetimes.hard_expiry_ttl
        reused = _reused_refresh(request)
        timing = TokenTiming(
            issued_at=now,
            access_expires_at=now + self._lifetimes.access_token_ttl,
            refresh_expires_at=reused.expires_at
            if reused
            else min(now + self._lifetimes.refresh_token_ttl, hard_expires_at),
            hard_expires_at=hard_expires_at,
        )
        request.token_timing = timing
        shaped: dict[str, object] = {
            "token_type": "bearer",
            "expires_in": self._lifetimes.access_token_ttl,
            "refresh_token": token["refresh_token"],
            "x_refresh_token_expires_in": int(timing.refresh_expires_at - now),
            "access_token": token["access_token"],
        }
        if "openid" in (request.scopes or ()):
            family = getattr(request, "refresh_family", None)
            code = None if family else self._registry.find_code(request.code)
            claims = id_token_claims(
                issuer=self._issuer(),
                client_id=request.client.client_id,
                realm_id=family.realm_id if family else (code.realm_id if code else None),
                issued_at=now,
                lifetime=self._lifetimes.access_token_ttl,
            )
            shaped["id_token"] = self._signing_key.sign(claims)
        if _header_is_true(request, HARD_EXPIRY_HEADER):
            shaped["x_refresh_token_hard_expires_in"] = int(hard_expires_at - now)
        return shaped


def _claim_code(registry: Registry) -> Callable:
    def claim(request) -> None:
        if not registry.claim_code(request.code):
            raise errors.InvalidGrantError(description="Authorization code has already been used", request=request)

    return claim


def _claim_refresh_token(registry: Registry, policy: TokenPolicy) -> Callable:
    def claim(request) -> None:
        outcome = registry.claim_refresh(request.refresh_token, policy.rotation)
        if outcome is None:
            raise errors.InvalidGrantError(description=INVALID_REFRESH_TOKEN, request=request)
        request.refresh_claim = outcome

    return claim


def _refresh_token_generator(registry: Registry) -> Callable:
    def generate(request) -> str:
        reused = _reused_refresh(request)
        return reused.value if reused is not None else registry.remember(shapes.refresh_token())

    return generate


def _attach_realm_to_code(registry: Registry) -> Callable:
    def modify(grant, token_handler, request):
        grant["code"] = registry.remember(shapes.authorization_code())
        realm_id = getattr(request, "realm_id", None)
        if realm_id:
            grant["realmId"] = realm_id
        return grant

    return modify


class _DropDebugRecords(logging.Filter):
    """Drops DEBUG records: oauthlib's grant types log codes and tokens at that level."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


_SECRET_LOGGING_MODULES = (
    "oauthlib.oauth2.rfc6749.grant_types.authorization_code",
    "oauthlib.oauth2.rfc6749.grant_types.refresh_token",
)


def _silence_secret_debug_logs() -> None:
    for name in _SECRET_LOGGING_MODULES:
        library_logger = logging.getLogger(name)
        if not any(isinstance(existing, _DropDebugRecords) for existing in library_logger.filters):
            library_logger.addFilter(_DropDebugRecords())


def build_oauth_server(
    registry: Registry,
    lifetimes: Lifetimes,
    policy: TokenPolicy,
    issuer: Callable[[], str],
    signing_key: SigningKey,
) -> WebApplicationServer:
    """An oauthlib authorization server with Intuit's token shapes and rotation rules."""
    _silence_secret_debug_logs()
    validator = IntuitRequestValidator(registry, lifetimes, policy)
    server = WebApplicationServer(
        validator,
        token_generator=lambda request: registry.remember(shapes.access_token(policy.access_token_length)),
        refresh_token_generator=_refresh_token_generator(registry),
        token_expires_in=lambda request: lifetimes.access_token_ttl,
    )
    shaper = IntuitTokenShaper(registry, lifetimes, issuer, signing_key)
    server.auth_grant.register_code_modifier(_attach_realm_to_code(registry))
    server.auth_grant.register_token_modifier(shaper)
    server.refresh_grant.register_token_modifier(shaper)
    # Claim single-use values last, after every other check, so a failed attempt does not burn them.
    server.auth_grant.custom_validators.post_token.append(_claim_code(registry))
    server.refresh_grant.custom_validators.post_token.append(_claim_refresh_token(registry, policy))
    return server
