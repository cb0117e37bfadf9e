"""Authorize, token and revoke endpoints: HTTP in and out around oauthlib's server."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from oauthlib.oauth2.rfc6749 import errors

from .config import QUICKBOOKS_SCOPES
from .messages import (
    BadRequest,
    HttpRequest,
    HttpResponse,
    empty_response,
    html_response,
    json_response,
    raw_json_response,
    redirect_response,
)
from .pages import consent_page, error_page

if TYPE_CHECKING:
    from .router import EmulatorApp

AUTHORIZE_PATH = "/connect/oauth2"
TOKEN_PATH = "/oauth2/v1/tokens/bearer"
REVOKE_PATH = "/v2/oauth2/tokens/revoke"

CARRIED_PARAMETERS = (
    "client_id",
    "response_type",
    "scope",
    "redirect_uri",
    "state",
    "code_challenge",
    "code_challenge_method",
)
BASIC_CHALLENGE = (("WWW-Authenticate", 'Basic realm="qbdesk Intuit emulator"'),)
PASSED_THROUGH_HEADERS = ("www-authenticate", "access-control-allow-origin")


def _fatal_page(exc: errors.OAuth2Error) -> HttpResponse:
    return html_response(
        400,
        error_page(
            "The app's sign-in request is not valid, so you were not sent back to it.",
            exc.description or exc.error or "",
        ),
    )


def _malformed_page() -> HttpResponse:
    return html_response(400, error_page("The sign-in request is malformed."))


def _single(fields: list[tuple[str, str]], name: str) -> str | None:
    values = [value for key, value in fields if key == name]
    if len(values) > 1:
        raise BadRequest(f"duplicate {name}")
    return values[0] if values else None


def _needs_company(scopes: list[str]) -> bool:
    return bool(QUICKBOOKS_SCOPES.intersection(scopes))


def authorize(app: EmulatorApp, request: HttpRequest) -> HttpResponse:
    """GET shows the consent page; POST applies the user's decision."""
    decision = company = None
    try:
        if request.method == "GET":
            params = request.query_fields()
        else:
            fields = request.form_fields()
            params = [(key, value) for key, value in fields if key in CARRIED_PARAMETERS]
            decision = _single(fields, "decision")
            company = _single(fields, "company")
    except BadRequest:
        return _malformed_page()
    # Parameters reach oauthlib re-encoded by us, so hostile raw query text never reaches its parser.
    target = app.url(AUTHORIZE_PATH)
    encoded_params = urlencode(params)
    try:
        scopes, info = app.oauth.validate_authorization_request(target, http_method=request.method, body=encoded_params)
    except errors.FatalClientError as exc:
        return _fatal_page(exc)
    except errors.OAuth2Error as exc:
        return redirect_response(exc.in_uri(exc.redirect_uri))
    except ValueError:
        return _malformed_page()
    oauth_request = info["request"]
    if request.method == "GET":
        return _consent(app, oauth_request, scopes)
    if decision == "cancel":
        denied = errors.AccessDeniedError(description="The user did not connect the app.", request=oauth_request)
        return redirect_response(denied.in_uri(denied.redirect_uri))
    if decision != "connect":
        return html_response(400, error_page("Choose Connect or Cancel."))
    credentials: dict[str, str] = {}
    if _needs_company(scopes):
        if company not in {known.realm_id for known in app.companies}:
            return html_response(400, error_page("Choose one of the listed companies."))
        credentials["realm_id"] = company
    try:
        headers, _, _ = app.oauth.create_authorization_response(
            target, http_method="POST", body=encoded_params, scopes=scopes, credentials=credentials
        )
    except errors.FatalClientError as exc:
        return _fatal_page(exc)
    return redirect_response(headers["Location"])


def _consent(app: EmulatorApp, oauth_request, scopes: list[str]) -> HttpResponse:
    client = app.registry.client(oauth_request.client_id)
    carried = [(name, getattr(oauth_request, name)) for name in CARRIED_PARAMETERS]
    html = consent_page(
        action=AUTHORIZE_PATH,
        client_id=oauth_request.client_id,
        environment=client.environment if client else "",
        scopes=scopes,
        companies=app.companies if _needs_company(scopes) else (),
        carried_fields=carried,
    )
    return html_response(200, html)


def _oauth_reply(headers: dict[str, str], body: str | None, status: int) -> HttpResponse:
    extra = tuple((name, value) for name, value in headers.items() if name.lower() in PASSED_THROUGH_HEADERS)
    if status == 401:
        # oauthlib answers with a Bearer challenge; clients authenticate here with Basic.
        extra = tuple(item for item in extra if item[0].lower() != "www-authenticate") + BASIC_CHALLENGE
    if not body:
        return empty_response(status, extra)
    return raw_json_response(status, body, extra)


def _invalid_request(description: str) -> HttpResponse:
    return json_response(400, {"error": "invalid_request", "error_description": description})


def _run_endpoint(
    create_response: Callable[..., tuple[dict[str, str], str | None, int]],
    app: EmulatorApp,
    request: HttpRequest,
    fields: list[tuple[str, str]],
) -> HttpResponse:
    """Hand checked form fields to one of oauthlib's POST endpoints and pass its answer on."""
    try:
        headers, body, status = create_response(
            app.url(request.target), http_method="POST", body=urlencode(fields), headers=request.headers
        )
    except ValueError:
        return _invalid_request("Malformed request")
    return _oauth_reply(headers, body, status)


def token(app: EmulatorApp, request: HttpRequest) -> HttpResponse:
    """Exchange an authorization code or a refresh token for tokens."""
    app.registry.count_token_call()
    if request.media_type() != "application/x-www-form-urlencoded":
        return _invalid_request("Content-Type must be application/x-www-form-urlencoded")
    try:
        fields = request.form_fields()
    except BadRequest:
        return _invalid_request("Malformed request body")
    if not any(key == "grant_type" and value for key, value in fields):
        return _invalid_request("grant_type is required")
    return _run_endpoint(app.oauth.create_token_response, app, request, fields)


def revoke(app: EmulatorApp, request: HttpRequest) -> HttpResponse:
    """Revoke a token, and with it its whole family; unknown tokens are accepted silently."""
    try:
        if request.media_type() == "application/json":
            # Intuit's revoke takes JSON; oauthlib reads form fields, so the JSON is re-encoded as a form.
            document = request.json_object()
            fields = [(key, document[key]) for key in ("token", "token_type_hint") if key in document]
        else:
            fields = request.form_fields()
    except BadRequest:
        return _invalid_request("Malformed request body")
    if not all(isinstance(value, str) for _, value in fields):
        return _invalid_request("token must be a string")
    return _run_endpoint(app.oauth.create_revocation_response, app, request, fields)
