"""The pages the callback listener shows the browser: the template, its escaping and its CSP."""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import importlib.resources
import re
from dataclasses import dataclass

__all__ = [
    "FAILED",
    "MALFORMED",
    "NOT_WAITING",
    "CallbackPage",
    "content_security_policy",
    "load_template",
    "plain",
    "render",
    "too_large",
]

_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_PLACEHOLDERS = {"outcome", "title", "message"}


@dataclass(frozen=True)
class CallbackPage:
    """The page the browser shows after the redirect; all text is plain and escaped when rendered."""

    ok: bool
    title: str
    message: str
    status: int = 200

    def __post_init__(self) -> None:
        if not isinstance(self.title, str) or not isinstance(self.message, str):
            raise TypeError("CallbackPage title and message must be str")
        if not isinstance(self.status, int) or not 200 <= self.status <= 599:
            raise ValueError(f"CallbackPage status must be an HTTP status from 200 to 599, not {self.status!r}")


@dataclass(frozen=True)
class _Template:
    text: str
    csp: str


@functools.lru_cache(maxsize=1)
def _page_template() -> _Template:
    """Load the callback page template once, and derive a CSP that allows exactly its own stylesheet."""
    text = (importlib.resources.files("qbdesk.resources") / "pages" / "callback.html").read_text("utf-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # browsers hash the style after this normalisation
    found = set(_PLACEHOLDER.findall(text))
    if found != _PLACEHOLDERS:
        raise RuntimeError(f"callback.html placeholders are {sorted(found)}, expected {sorted(_PLACEHOLDERS)}")
    styles = re.findall(r"<style>(.*?)</style>", text, re.DOTALL)
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii") + "'"
        for s in styles
    )
    style_src = hashes or "'none'"
    csp = f"default-src 'none'; style-src {style_src}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    return _Template(text, csp)


def load_template() -> None:
    """Load and check the template now; raises RuntimeError or OSError if the install is broken."""
    _page_template()


def content_security_policy() -> str:
    """The Content-Security-Policy every answer carries: only the template's own stylesheet may apply."""
    return _page_template().csp


def render(page: CallbackPage) -> bytes:
    """Fill the template in one pass, so text in one value can never be read as another placeholder."""
    paragraphs = (line.strip() for line in page.message.splitlines())
    values = {
        "outcome": "ok" if page.ok else "fail",
        "title": html.escape(page.title),
        "message": "\n".join(f"    <p>{html.escape(p)}</p>" for p in paragraphs if p),
    }
    return _PLACEHOLDER.sub(lambda m: values[m[1]], _page_template().text).encode("utf-8", "replace")


def plain(title: str) -> bytes:
    """A bare page for answers nobody is meant to read (wrong path, wrong method)."""
    text = html.escape(title)
    return f'<!DOCTYPE html>\n<html lang="en"><title>{text}</title><p>{text}</p></html>\n'.encode()


def too_large(status: int) -> CallbackPage:
    """The page for a request line, target or head longer than the listener accepts."""
    return CallbackPage(
        False,
        "Request too large",
        "Your browser sent more data than qbdesk accepts, so nothing was changed.\n"
        "Start the sign-in again from qbdesk. If this keeps happening, clear your browser's cookies for localhost.",
        status,
    )


MALFORMED = CallbackPage(
    False,
    "This sign-in address isn't valid",
    "qbdesk received an address it couldn't read, so nothing was changed.\n"
    "Start the sign-in again from qbdesk.",
    400,
)
FAILED = CallbackPage(
    False,
    "Something went wrong",
    "qbdesk couldn't finish the sign-in.\nGo back to qbdesk to see what happened and try again.",
    500,
)
NOT_WAITING = CallbackPage(
    False,
    "qbdesk isn't waiting for this sign-in",
    "qbdesk stopped listening for this sign-in, so nothing was changed.\nStart the sign-in again from qbdesk.",
    503,
)
