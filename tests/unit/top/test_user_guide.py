"""The user guide ships with qbdesk, needs no network, and explains every message Intuit's answers can cause."""

from __future__ import annotations

import html
import re
from importlib.resources import files

import pytest

from qbdesk.intuit import errors
from qbdesk.store.vault import NO_KEYCHAIN_MESSAGE

GUIDE = files("qbdesk.resources").joinpath("help", "user-guide.html").read_text(encoding="utf-8")
TEXT = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", GUIDE)).split())

# Every sentence qbdesk/intuit/errors.py can produce, one call per branch.
MESSAGES = [
    str(errors.token_refusal("invalid_grant", 400, refreshing=True)),
    str(errors.token_refusal("invalid_grant", 400, refreshing=False)),
    str(errors.token_refusal("invalid_client", 401, refreshing=False)),
    str(errors.token_refusal("invalid_request", 400, refreshing=True)),
    str(errors.token_refusal("invalid_request", 400, refreshing=False)),
    str(errors.service_trouble()),
    str(errors.unreachable(timed_out=True)),
    str(errors.unreachable(timed_out=False)),
    str(errors.unreadable_answer()),
    str(errors.throttled("5")),
    str(errors.api_fault(401, "3200")),
    str(errors.api_fault(403, "3100")),
    str(errors.api_fault(418, None)),
    errors.consent_refusal("access_denied", None),
    errors.consent_refusal("server_error", "Something broke"),
    NO_KEYCHAIN_MESSAGE,
]


def opening(message: str) -> str:
    """The words a user would look up: the message up to its first bracket, colon or full stop (five at most)."""
    head = re.split(r"[(:.\u201c]", message, maxsplit=1)[0]
    return " ".join(head.split()[:5])


@pytest.mark.parametrize("message", MESSAGES, ids=opening)
def test_the_guide_explains_the_message(message):
    assert opening(message) in TEXT


def test_the_guide_loads_nothing_from_the_network():
    assert not re.search(r"""(?i)<(img|script|link|iframe)\b|url\(|@import""", GUIDE)
    links = re.findall(r'href="([^"]+)"', GUIDE)
    anchors = set(re.findall(r'<a name="([^"]+)"', GUIDE))
    assert {link[1:] for link in links if link.startswith("#")} <= anchors  # every section link has its section
    assert all(link.startswith(("#", "https://")) for link in links)
