"""Framing a page as the listener's HTTP/1.1 answer, with the headers that protect it in the browser."""

from __future__ import annotations

from http import HTTPStatus

from .pages import content_security_policy

__all__ = ["Headers", "response"]

Headers = tuple[tuple[str, str], ...]


def response(status: int, body: bytes, extra: Headers, *, head_only: bool = False) -> bytes:
    """The whole answer as bytes; the connection is always closed after it."""
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = ""
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Content-Security-Policy", content_security_policy()),
        ("Connection", "close"),
        *extra,
    ]
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    return head.encode("latin-1") + (b"" if head_only else body)
