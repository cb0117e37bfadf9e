"""Plain request and response values passed between the HTTP server and the routes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

MAX_FORM_FIELDS = 64

SECURITY_HEADERS = (
    ("Cache-Control", "no-store"),
    ("Pragma", "no-cache"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
)
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"


class BadRequest(Exception):
    """The request cannot be understood; answered with a 400 and no details."""


@dataclass(frozen=True)
class HttpRequest:
    """One parsed HTTP request; header names are lower-cased."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes = b""

    @property
    def target(self) -> str:
        """Path plus query, as the client sent them."""
        return f"{self.path}?{self.query}" if self.query else self.path

    def header(self, name: str, default: str = "") -> str:
        """A header value by case-insensitive name."""
        return self.headers.get(name.lower(), default)

    def media_type(self) -> str:
        """The Content-Type without parameters, lower-cased."""
        return self.header("content-type").split(";", 1)[0].strip().lower()

    def query_fields(self) -> list[tuple[str, str]]:
        """Query parameters in order, duplicates kept."""
        return _parse_fields(self.query)

    def form_fields(self) -> list[tuple[str, str]]:
        """Fields of an application/x-www-form-urlencoded body, duplicates kept."""
        if not self.body:
            return []
        if self.media_type() not in ("application/x-www-form-urlencoded", ""):
            raise BadRequest("body is not form-encoded")
        try:
            text = self.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadRequest("body is not UTF-8") from exc
        return _parse_fields(text)

    def json_object(self) -> dict[str, object]:
        """The body parsed as a JSON object."""
        try:
            value = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise BadRequest("body is not JSON") from exc
        if not isinstance(value, dict):
            raise BadRequest("body is not a JSON object")
        return value


def _parse_fields(text: str) -> list[tuple[str, str]]:
    if not text:
        return []
    try:
        return parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS, errors="strict")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("malformed form fields") from exc


@dataclass(frozen=True)
class HttpResponse:
    """Status, headers and body bytes to send back."""

    status: int
    headers: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    body: bytes = b""


def json_response(status: int, payload: object, extra_headers: tuple[tuple[str, str], ...] = ()) -> HttpResponse:
    """A JSON response that is never cached."""
    body = json.dumps(payload).encode("utf-8")
    headers = (("Content-Type", "application/json;charset=UTF-8"), *SECURITY_HEADERS, *extra_headers)
    return HttpResponse(status, headers, body)


def raw_json_response(status: int, body: str, extra_headers: tuple[tuple[str, str], ...] = ()) -> HttpResponse:
    """A response whose JSON text was already serialised (by oauthlib)."""
    headers = (("Content-Type", "application/json;charset=UTF-8"), *SECURITY_HEADERS, *extra_headers)
    return HttpResponse(status, headers, body.encode("utf-8"))


def html_response(status: int, html: str) -> HttpResponse:
    """An HTML page with a strict content security policy."""
    headers = (
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Security-Policy", PAGE_POLICY),
        ("X-Frame-Options", "DENY"),
        *SECURITY_HEADERS,
    )
    return HttpResponse(status, headers, html.encode("utf-8"))


def redirect_response(location: str) -> HttpResponse:
    """A 302 to the given absolute URL."""
    return HttpResponse(302, (("Location", location), *SECURITY_HEADERS))


def empty_response(status: int, extra_headers: tuple[tuple[str, str], ...] = ()) -> HttpResponse:
    """A response without a body."""
    return HttpResponse(status, (*SECURITY_HEADERS, *extra_headers))
