"""The person at Intuit's consent page, played over real HTTP against the emulator.

It opens the authorization URL, reads the consent form like a browser would, presses Connect or
Cancel, and follows the redirect to wherever it points (normally qbdesk's loopback listener).
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin

import requests


class _ConsentForm(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}
        self.companies: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.action = attributes.get("action", "")
        elif tag == "input" and attributes.get("type") == "hidden":
            self.fields[attributes["name"]] = attributes.get("value", "")
        elif tag == "input" and attributes.get("type") == "radio" and attributes.get("name") == "company":
            self.companies.append(attributes["value"])


def consent_redirect(url: str, decision: str = "connect", company: str | None = None) -> str:
    """Answer the consent page and return the address Intuit redirects the browser to."""
    page = requests.get(url, timeout=10)
    page.raise_for_status()
    form = _ConsentForm()
    form.feed(page.text)
    assert form.companies, "the consent page offered no company"
    data = dict(form.fields, decision=decision, company=company or form.companies[0])
    answer = requests.post(urljoin(page.url, form.action), data=data, allow_redirects=False, timeout=10)
    assert answer.status_code in (302, 303), answer.text[:300]
    return answer.headers["Location"]


def approve_in_browser(url: str, decision: str = "connect", company: str | None = None) -> requests.Response:
    """Consent, then load the redirect like the browser would; returns qbdesk's callback page."""
    return requests.get(consent_redirect(url, decision, company), timeout=30)
