"""Discovery documents, userinfo and the QuickBooks CompanyInfo and query calls, shaped like Intuit's."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .companies import invoices_of
from .config import ACCOUNTING_SCOPE, PRODUCTION, SANDBOX, SUPPORTED_SCOPES
from .identity import DEMO_USER
from .messages import HttpRequest, HttpResponse, json_response
from .oauth_routes import AUTHORIZE_PATH, REVOKE_PATH, TOKEN_PATH
from .state import TokenFamily

if TYPE_CHECKING:
    from .router import EmulatorApp

DISCOVERY_PATHS = {
    PRODUCTION: "/.well-known/openid_configuration",
    SANDBOX: "/.well-known/openid_sandbox_configuration",
}
USERINFO_PATHS = {
    PRODUCTION: "/v1/openid_connect/userinfo",
    SANDBOX: "/sandbox/v1/openid_connect/userinfo",
}
# Every address Intuit's clients read a discovery document from: developer.api.intuit.com's paths (as in
# Intuit's docs) and developer.intuit.com's with a trailing slash (as intuitlib reads them).
DISCOVERY_ADDRESSES = {
    path + ending: environment for environment, path in DISCOVERY_PATHS.items() for ending in ("", "/")
}
API_PREFIXES = {PRODUCTION: "/v3", SANDBOX: "/sandbox/v3"}
# Intuit names one issuer in both environments' discovery documents and in every id token: a fixed name,
# not the host the document came from. Intuit's Node client compares an id token's iss with this literal.
INTUIT_ISSUER = "https://oauth.platform.intuit.com/op/v1"
JWKS_PATH = "/op/v1/jwks"

BEARER_CHALLENGE = (("WWW-Authenticate", 'Bearer realm="qbdesk Intuit emulator", error="invalid_token"'),)


def discovery_document(app: EmulatorApp, environment: str) -> dict[str, object]:
    """The OpenID configuration Intuit publishes for one environment."""
    base = app.base_url
    return {
        "issuer": app.issuer,
        "authorization_endpoint": base + AUTHORIZE_PATH,
        "token_endpoint": base + TOKEN_PATH,
        "userinfo_endpoint": base + USERINFO_PATHS[environment],
        "revocation_endpoint": base + REVOKE_PATH,
        "jwks_uri": base + JWKS_PATH,
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": sorted(SUPPORTED_SCOPES),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "claims_supported": ["aud", "auth_time", "exp", "iat", "iss", "realmid", "sub"],
    }


def discovery(app: EmulatorApp, request: HttpRequest, environment: str) -> HttpResponse:
    """Serve one environment's discovery document."""
    return json_response(200, discovery_document(app, environment))


def jwks(app: EmulatorApp, request: HttpRequest) -> HttpResponse:
    """The key set that holds the key id tokens are signed with."""
    return json_response(200, {"keys": [app.signing_key.jwk()]})


def _authenticated_family(app: EmulatorApp, request: HttpRequest, environment: str) -> TokenFamily | None:
    authorization = request.header("authorization")
    if not authorization.lower().startswith("bearer "):
        return None
    valid, oauth_request = app.oauth.verify_request(
        app.url(request.path), http_method="GET", headers={"Authorization": authorization}
    )
    family = getattr(oauth_request, "token_family", None) if valid else None
    if family is None or family.environment != environment:
        return None
    return family


def userinfo(app: EmulatorApp, request: HttpRequest, environment: str) -> HttpResponse:
    """OpenID userinfo for a bearer token that was granted the openid scope."""
    family = _authenticated_family(app, request, environment)
    if family is None:
        return json_response(401, {"error": "invalid_token"}, BEARER_CHALLENGE)
    if "openid" not in family.scopes:
        return json_response(403, {"error": "insufficient_scope"})
    return json_response(200, DEMO_USER.userinfo(family.scopes))


def intuit_fault(app: EmulatorApp, status: int, code: str, name: str, detail: str, kind: str) -> dict[str, object]:
    """A QuickBooks Online API fault as the v3 API sends it in JSON: Fault.Error[] with Message, Detail, code."""
    return {
        "Fault": {
            "Error": [
                {
                    "Message": f"message={name}; errorCode={int(code):06d}; statusCode={status}",
                    "Detail": detail,
                    "code": code,
                }
            ],
            "type": kind,
        },
        "time": _timestamp(app.registry.now()),
    }


def _timestamp(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds")


def _refusal(app: EmulatorApp, request: HttpRequest, environment: str, realm_id: str) -> HttpResponse | None:
    """The fault for a call without a valid bearer (3200) or for another company (3100); None when allowed."""
    family = _authenticated_family(app, request, environment)
    if family is None:
        fault = intuit_fault(
            app,
            401,
            "3200",
            "AuthenticationFailed",
            "Token is invalid, expired, revoked or for the other environment",
            "AUTHENTICATION",
        )
        return json_response(401, fault, BEARER_CHALLENGE)
    if ACCOUNTING_SCOPE not in family.scopes or family.realm_id != realm_id:
        fault = intuit_fault(
            app,
            403,
            "3100",
            "ApplicationAuthorizationFailed",
            "Token is not authorized for this company",
            "AUTHORIZATION",
        )
        return json_response(403, fault)
    return None


def company_info(
    app: EmulatorApp, request: HttpRequest, environment: str, realm_id: str, entity_id: str
) -> HttpResponse:
    """GET {api}/company/{realm}/companyinfo/{realm} for the company the token was granted."""
    refusal = _refusal(app, request, environment, realm_id if entity_id == realm_id else "")
    if refusal is not None:
        return refusal
    company = next(known for known in app.companies if known.realm_id == realm_id)
    now = app.registry.now()
    payload = {
        "CompanyInfo": {
            "CompanyName": company.name,
            "LegalName": company.name,
            "CompanyAddr": {
                "Id": "1",
                "Line1": "100 Main Street",
                "City": "Mountain View",
                "CountrySubDivisionCode": "CA",
                "PostalCode": "94043",
            },
            "Country": "US",
            "Email": {"Address": "owner@example.com"},
            "SupportedLanguages": "en",
            "FiscalYearStartMonth": "January",
            "domain": "QBO",
            "sparse": False,
            "Id": company.realm_id,
            "SyncToken": "1",
            "MetaData": {"CreateTime": "2021-03-01T09:00:00.000+00:00", "LastUpdatedTime": _timestamp(now)},
        },
        "time": _timestamp(now),
    }
    return json_response(200, payload)


# select * from ENTITY [startposition N] [maxresults M]: the part of Intuit's query language scripts start with.
QUERY_GRAMMAR = re.compile(
    r"\s*select\s+\*\s+from\s+(?P<entity>\w+)"
    r"(?:\s+startposition\s+(?P<start>\d{1,6}))?(?:\s+maxresults\s+(?P<max>\d{1,6}))?\s*;?\s*",
    re.IGNORECASE,
)
DEFAULT_MAX_RESULTS, MAX_MAX_RESULTS = 100, 1000


def _validation_fault(app: EmulatorApp, code: str, name: str, detail: str) -> HttpResponse:
    return json_response(400, intuit_fault(app, 400, code, name, detail, "ValidationFault"))


def query(app: EmulatorApp, request: HttpRequest, environment: str, realm_id: str) -> HttpResponse:
    """GET {api}/company/{realm}/query?query=select * from Invoice: QueryResponse with the company's invoices."""
    refusal = _refusal(app, request, environment, realm_id)
    if refusal is not None:
        return refusal
    fields = dict(request.query_fields())
    minor = fields.get("minorversion")
    if minor is not None and not (minor.isascii() and minor.isdigit() and len(minor) <= 4):
        return _validation_fault(app, "4001", "Invalid minor version", f"Minor version {minor!r} is not a number")
    text = fields.get("query", "")
    match = QUERY_GRAMMAR.fullmatch(text)
    if match is None:
        return _validation_fault(app, "4000", "Error parsing query", "QueryParserError: the query could not be read")
    if match["entity"].lower() != "invoice":
        detail = f"QueryValidationError: {match['entity'][:40]} is not an entity this company holds"
        return _validation_fault(app, "4001", "Invalid query", detail)
    start = int(match["start"] or 1)
    limit = int(match["max"] or DEFAULT_MAX_RESULTS)
    if start < 1 or not 1 <= limit <= MAX_MAX_RESULTS:
        return _validation_fault(app, "4001", "Invalid query", "QueryValidationError: startposition or maxresults")
    company = next(known for known in app.companies if known.realm_id == realm_id)
    page = invoices_of(company)[start - 1 : start - 1 + limit]
    response: dict[str, object] = {"startPosition": start, "maxResults": len(page)} if page else {}
    if page:
        response["Invoice"] = page
    return json_response(200, {"QueryResponse": response, "time": _timestamp(app.registry.now())})
