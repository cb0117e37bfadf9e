"""Helpers for the emulator tests: keys, a fake clock, an HTML form reader, an OAuth flow driver, and the
emulator's command line run as a process."""

from __future__ import annotations

import base64
import hashlib
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import requests

from qbdesk.emulator import Emulator

ACCOUNTING = "com.intuit.quickbooks.accounting"
PROD_ID, PROD_SECRET = "prod-client-id", "prod-client-secret"
SANDBOX_ID, SANDBOX_SECRET = "sandbox-client-id", "sandbox-client-secret"
PROD_REDIRECT = "https://app.example.com/qbdesk/callback"
SANDBOX_REDIRECT = "http://localhost:8765/callback"
START_TIME = 1_767_600_000.0


class FakeClock:
    """Epoch-seconds clock that only moves when told to."""

    def __init__(self, start: float = START_TIME) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FormReader(HTMLParser):
    """Collects <input> elements and the <title> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []
        self.buttons: list[dict[str, str | None]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(dict(attrs))
        elif tag == "button":
            self.buttons.append(dict(attrs))
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def hidden_fields(self) -> list[tuple[str, str]]:
        return [(i["name"], i["value"]) for i in self.inputs if i.get("type") == "hidden"]

    def radios(self) -> list[dict[str, str | None]]:
        return [i for i in self.inputs if i.get("type") == "radio"]


def read_form(html: str) -> FormReader:
    reader = FormReader()
    reader.feed(html)
    return reader


def query_of(location: str) -> dict[str, str]:
    """Single-valued query parameters of a redirect Location."""
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query, keep_blank_values=True).items()}


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return verifier, challenge


@dataclass
class Keys:
    client_id: str
    client_secret: str
    redirect_uri: str
    environment: str


PRODUCTION_KEYS = Keys(PROD_ID, PROD_SECRET, PROD_REDIRECT, "production")
SANDBOX_KEYS = Keys(SANDBOX_ID, SANDBOX_SECRET, SANDBOX_REDIRECT, "sandbox")


class Driver:
    """Walks the OAuth flow against a running emulator over real HTTP."""

    def __init__(self, emulator: Emulator) -> None:
        self.emu = emulator
        self.http = requests.Session()

    def close(self) -> None:
        self.http.close()

    def authorize_params(self, keys: Keys = PRODUCTION_KEYS, **overrides: str | None) -> dict[str, str]:
        params = {
            "client_id": keys.client_id,
            "response_type": "code",
            "scope": ACCOUNTING,
            "redirect_uri": keys.redirect_uri,
            "state": "state-123",
        }
        params.update(overrides)
        return {key: value for key, value in params.items() if value is not None}

    def authorize_page(self, params: dict[str, str]) -> requests.Response:
        return self.http.get(self.emu.base_url + "/connect/oauth2", params=params, allow_redirects=False, timeout=10)

    def decide(
        self, params: dict[str, str], decision: str = "connect", company: str | None = None
    ) -> requests.Response:
        page = self.authorize_page(params)
        assert page.status_code == 200, page.text
        form = read_form(page.text)
        fields = form.hidden_fields()
        radios = form.radios()
        if radios:
            chosen = company or next(r["value"] for r in radios if "checked" in r)
            fields.append(("company", chosen))
        fields.append(("decision", decision))
        return self.http.post(self.emu.base_url + "/connect/oauth2", data=fields, allow_redirects=False, timeout=10)

    def code(self, keys: Keys = PRODUCTION_KEYS, company: str | None = None, **overrides: str | None) -> dict[str, str]:
        reply = self.decide(self.authorize_params(keys, **overrides), "connect", company)
        assert reply.status_code == 302, reply.text
        return query_of(reply.headers["Location"])

    def token_request(
        self,
        data: dict[str, str],
        keys: Keys = PRODUCTION_KEYS,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        auth = (keys.client_id, keys.client_secret if secret is None else secret)
        return self.http.post(
            self.emu.base_url + "/oauth2/v1/tokens/bearer",
            data=data,
            auth=auth,
            headers={"Accept": "application/json", **(headers or {})},
            timeout=10,
        )

    def exchange(self, code: str, keys: Keys = PRODUCTION_KEYS, **extra: str) -> requests.Response:
        data = {"grant_type": "authorization_code", "code": code, "redirect_uri": keys.redirect_uri, **extra}
        return self.token_request(data, keys)

    def refresh(self, refresh_token: str, keys: Keys = PRODUCTION_KEYS) -> requests.Response:
        return self.token_request({"grant_type": "refresh_token", "refresh_token": refresh_token}, keys)

    def tokens(self, keys: Keys = PRODUCTION_KEYS, **overrides: str | None) -> tuple[dict, dict[str, str]]:
        callback = self.code(keys, **overrides)
        reply = self.exchange(callback["code"], keys)
        assert reply.status_code == 200, reply.text
        return reply.json(), callback

    def company_info(self, access_token: str, realm_id: str, environment: str = "production") -> requests.Response:
        url = f"{self.emu.api_base_url(environment)}/company/{realm_id}/companyinfo/{realm_id}"
        headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}
        return self.http.get(url, headers=headers, timeout=10)

    def revoke(self, token: str, keys: Keys = PRODUCTION_KEYS, secret: str | None = None) -> requests.Response:
        auth = (keys.client_id, keys.client_secret if secret is None else secret)
        return self.http.post(
            self.emu.base_url + "/v2/oauth2/tokens/revoke",
            json={"token": token},
            auth=auth,
            headers={"Accept": "application/json"},
            timeout=10,
        )


def fault_code(response: requests.Response) -> str:
    return response.json()["Fault"]["Error"][0]["code"]


@contextmanager
def emulator_process(*arguments: str) -> Iterator[tuple[subprocess.Popen, str]]:
    """`python -m qbdesk.emulator --port 0 ARGUMENTS`: the process and the first line it printed (which names its
    address). Killed if still running, and its pipes closed, at the end."""
    command = [sys.executable, "-m", "qbdesk.emulator", "--port", "0", *arguments]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield process, process.stdout.readline()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()
