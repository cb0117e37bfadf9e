"""Secrets stay in the vault: after whole flows, no code, token or client secret is anywhere else.

Every flow runs for real against the emulator: sign-in, refresh, test, reconnect, delete, and the ways they
fail (a wrong client secret, a token revoked at Intuit, a code used twice), in this process and as
`python -m qbdesk` runs. Every secret the emulator issued, and every client secret used, is then searched
for in the data folder (database, WAL, log, settings, locks: everything but the secrets file), in what qbdesk
logged, printed and raised, in the reprs of its data objects and in the pages its callback listener served.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import stat
import subprocess
import sys
import traceback
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from qbdesk.callback.params import parse_callback
from qbdesk.core.credential import Health, Status
from qbdesk.core.destinations import Destination
from qbdesk.demo import free_loopback_port
from qbdesk.emulator import STRICT_ROTATION
from qbdesk.intuit.errors import IntuitError, Kind
from qbdesk.intuit.oauth import exchange_code, refresh_tokens, start_authorization
from qbdesk.log import LOG_FILENAME, RedactingFilter, configure_logging, redact
from qbdesk.services.context import AppContext
from qbdesk.services.tokens import CredentialUnusable
from qbdesk.store.repository import CredentialRepository
from qbdesk.store.schema import DATABASE_FILENAME
from qbdesk.store.settings import IntuitApp
from qbdesk.store.vault import SECRETS_FILENAME, FileVault, load_tokens

from consent import approve_in_browser, consent_redirect

pytestmark = pytest.mark.reliability

REPOSITORY = Path(__file__).resolve().parents[2]
SANDBOX = Destination.SANDBOX


# --- what is searched, and where ---------------------------------------------------------------------


@dataclass
class Scan:
    """Places (name -> text or bytes) to search, and the secrets (name -> value) to search them for."""

    places: dict[str, bytes] = field(default_factory=dict)
    client_ids: dict[str, str] = field(default_factory=dict)  # client secret -> its client id

    def add(self, name: str, content: str | bytes) -> str:
        """Add a place; returns its name (made unique)."""
        data = content.encode("utf-8", "backslashreplace") if isinstance(content, str) else content
        unique, n = name, 1
        while unique in self.places:
            n += 1
            unique = f"{name} (#{n})"
        self.places[unique] = data
        return unique

    def add_error(self, name: str, error: BaseException) -> None:
        """str, repr and the printed traceback of an error, and of every error chained to it."""
        self.add(f"{name}: traceback", "".join(traceback.format_exception(error)))
        seen: BaseException | None = error
        while seen is not None:
            self.add(f"{name}: str/repr of {type(seen).__name__}", f"{seen}\n{seen!r}")
            seen = seen.__cause__ or seen.__context__

    def add_folder(self, label: str, data_dir: Path) -> None:
        """Every file in the data folder except the vault's secrets file."""
        for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
            if path.name != SECRETS_FILENAME:
                self.add(f"{label}/{path.relative_to(data_dir)}", path.read_bytes())

    def needles(self, values: set[str]) -> dict[str, bytes]:
        """Each secret as bytes, plus each client secret in the Basic-auth form it travels in."""
        found = {f"secret {v[:6]}\u2026": v.encode() for v in values}
        for secret, client_id in self.client_ids.items():
            found[f"Basic {client_id}:{secret[:6]}\u2026"] = base64.b64encode(f"{client_id}:{secret}".encode())
        return found

    def hits(self, values: set[str], allowed: dict[str, str] | None = None) -> list[str]:
        """'place: secret' for every secret found; allowed maps a place to the one value it may hold."""
        allowed = allowed or {}
        hits = []
        for place, data in self.places.items():
            for label, needle in self.needles(values - {allowed.get(place)}).items():
                if needle in data:
                    hits.append(f"{place}: {label}")
        return hits


class Records(logging.Handler):
    """Keeps every record's final message, by logger name."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + "".join(traceback.format_exception(*record.exc_info))
        self.lines.append((record.name, text))

    def text(self, qbdesk: bool) -> str:
        return "\n".join(t for name, t in self.lines if (name == "qbdesk" or name.startswith("qbdesk.")) == qbdesk)


@pytest.fixture
def logs():
    """qbdesk's own logging at DEBUG into the data folder, plus two taps: the raw qbdesk records (before
    redaction) and everything that reaches the root logger, third-party DEBUG records included."""
    qbdesk_logger, root = logging.getLogger("qbdesk"), logging.getLogger()
    raw, everything = Records(), Records()
    qbdesk_logger.addHandler(raw)  # first in line, so it sees messages before the redacting filter
    root.addHandler(everything)
    levels = (qbdesk_logger.level, root.level)
    root.setLevel(logging.DEBUG)
    yield raw, everything
    root.removeHandler(everything)
    qbdesk_logger.removeHandler(raw)
    for handler in [h for h in qbdesk_logger.handlers if getattr(h, "qbdesk_handler", False)]:
        qbdesk_logger.removeHandler(handler)
        handler.close()
    qbdesk_logger.setLevel(levels[0])
    root.setLevel(levels[1])


# --- a data folder set up the way a user does it ---------------------------------------------------


def set_up_folder(emulator, data_dir: Path) -> tuple[IntuitApp, str]:
    """A sandbox app with a random client secret, entered in Settings (so it is in the vault); secrets in
    a file, as on a computer without a keychain. Returns the app and its client secret."""
    client_id, secret = f"hyg-{secrets.token_hex(4)}", secrets.token_urlsafe(32)
    redirect_uri = f"http://localhost:{free_loopback_port()}/callback"
    emulator.register_client(client_id, secret, [redirect_uri], SANDBOX.value)
    context = open_context(data_dir)
    app = IntuitApp(SANDBOX, client_id, redirect_uri, emulator.discovery_url("sandbox"), emulator.api_base_url("sandbox"))
    try:
        context.settings.save_secrets_in_file(True)
        context.settings.save_app(app, client_secret=secret)
    finally:
        context.close()
    return app, secret


def open_context(data_dir: Path) -> AppContext:
    return AppContext.open(data_dir, {}, vault=FileVault(data_dir / SECRETS_FILENAME))


def sign_in(context: AppContext, name: str) -> tuple[str, str, requests.Response]:
    """Create and sign in a credential through the loopback listener: (id, redirect address, callback page)."""
    credential = context.credentials.create_pending(name, SANDBOX)
    redirect = consent_redirect(context.signin.begin(credential.id).url)
    page = requests.get(redirect, timeout=30)
    assert page.status_code == 200 and context.credentials.get(credential.id).status is Status.CONNECTED
    return credential.id, redirect, page


def add_page(scan: Scan, name: str, page: requests.Response) -> None:
    scan.add(f"callback page ({name})", f"{page.headers}\n{page.text}")


def revoke_at_intuit(emulator, client: tuple[str, str], refresh_token: str) -> None:
    """What disconnecting the app in QuickBooks does."""
    discovery = requests.get(emulator.discovery_url("sandbox"), timeout=10).json()
    requests.post(discovery["revocation_endpoint"], json={"token": refresh_token}, auth=client,
                  timeout=10).raise_for_status()


def assert_private(data_dir: Path) -> None:
    if os.name != "posix":
        return
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    for name in (DATABASE_FILENAME, SECRETS_FILENAME):
        assert stat.S_IMODE((data_dir / name).stat().st_mode) == 0o600, name


def assert_in_vault(data_dir: Path, *values: str) -> None:
    """The secrets file does hold them: the scan of everything else looks for values that exist. Token pairs
    are kept in parts (store/token_entries.py), so they are read back whole through the vault."""
    vault = FileVault(data_dir / SECRETS_FILENAME)
    entries = json.loads((data_dir / SECRETS_FILENAME).read_text(encoding="utf-8"))
    held = [value for key, value in entries.items() if not key.startswith("tokens/")]
    for key in entries:
        if key.count("/") == 1 and key.startswith("tokens/"):
            held.extend(load_tokens(vault, key.split("/", 1)[1]) or ())
    assert all(any(v in text for text in held) for v in values)


# --- the flows in this process -----------------------------------------------------------------------


def test_no_secret_outside_the_vault_after_every_flow_in_process(emulator, tmp_path, logs, capfd):
    emulator.rotation = STRICT_ROTATION  # every refresh rotates: more refresh tokens to look for
    raw, everything = logs
    data_dir = tmp_path / "data"
    configure_logging(data_dir, verbose=True)
    app, secret = set_up_folder(emulator, data_dir)
    client_id, wrong = app.client_id, secrets.token_urlsafe(32)
    scan = Scan(client_ids={secret: client_id, wrong: client_id})
    context = open_context(data_dir)
    updates = []
    context.signin.updated.subscribe(updates.append)
    try:
        acme, redirect, page = sign_in(context, "Acme")
        add_page(scan, "signed in", page)
        first_code = parse_qs(urlsplit(redirect).query)["code"][0]
        # Refresh, hand out a token, test.
        context.tokens.refresh(acme)
        assert context.tokens.access_token(acme) == load_tokens(context.vault, acme)[0]
        assert context.tokens.test_connection(acme).company_name
        # Reconnect in place.
        realm = context.credentials.get(acme).realm_id
        assert approve_in_browser(context.signin.begin(acme).url, company=realm).status_code == 200
        # While a reconnect waits: the browser loads the first redirect again, then one carrying the
        # first (already used) code with the new state, which Intuit refuses.
        start = context.signin.begin(acme)
        again = requests.get(redirect, timeout=30)
        assert again.status_code == 400 and "already used" in again.text
        add_page(scan, "redirect loaded twice", again)
        state = parse_qs(urlsplit(start.url).query)["state"][0]
        reused = requests.get(f"{start.redirect_uri}?{urlencode(dict(code=first_code, state=state, realmId=realm))}",
                              timeout=30)
        assert reused.status_code == 400 and "already used" in reused.text
        add_page(scan, "reused code", reused)
        # The wrong client secret in Settings: a refresh and a reconnect fail.
        context.settings.save_app(app, client_secret=wrong)
        with pytest.raises(CredentialUnusable) as refused:
            context.tokens.refresh(acme)
        assert refused.value.kind is Kind.SETUP
        scan.add_error("refresh with a wrong client secret", refused.value)
        page = approve_in_browser(context.signin.begin(acme).url, company=realm)
        assert page.status_code == 400 and "Client Secret" in page.text
        add_page(scan, "wrong client secret", page)
        context.settings.save_app(app, client_secret=secret)
        # The same failures one layer down, and the data objects with real values in them.
        endpoints = context.discovery.endpoints(app.discovery_url)
        attempt = start_authorization(endpoints, client_id, app.redirect_uri)
        query = {k: v[0] for k, v in parse_qs(urlsplit(consent_redirect(attempt.url)).query).items()}
        params = parse_callback(query)
        tokens = exchange_code(attempt, endpoints, secret, params.code, context.clock.now())
        scan.add("repr(CallbackParams)", repr(params))
        scan.add("repr(TokenSet)", repr(tokens))
        scan.add("repr(AuthorizationAttempt)", repr(attempt))
        for name, call in [
            ("code exchanged twice", lambda: exchange_code(attempt, endpoints, secret, params.code, tokens.access_expires_at)),
            ("refresh with a wrong client secret (oauth)",
             lambda: refresh_tokens(endpoints, client_id, wrong, tokens.refresh_token, tokens.access_expires_at)),
        ]:
            with pytest.raises(IntuitError) as failed:
                call()
            scan.add_error(name, failed.value)
        # While the database is open its WAL holds the latest writes: scan the folder now too.
        scan.add_folder("data folder (open)", data_dir)
        assert (data_dir / f"{DATABASE_FILENAME}-wal").exists()
        # Disconnected at Intuit: refresh, test and token all refuse.
        revoke_at_intuit(emulator, (client_id, secret), load_tokens(context.vault, acme)[1])
        for name, call in [("refresh of a revoked credential", lambda: context.tokens.refresh(acme)),
                           ("test of a revoked credential", lambda: context.tokens.test_connection(acme)),
                           ("token of a revoked credential", lambda: context.tokens.access_token(acme))]:
            with pytest.raises(CredentialUnusable) as refused:
                call()
            assert refused.value.kind is Kind.RECONNECT
            scan.add_error(name, refused.value)
        assert context.credentials.get(acme).health is Health.NEEDS_RECONNECT
        # Reconnect after all, sign in a second credential, then delete the first.
        assert approve_in_browser(context.signin.begin(acme).url, company=realm).status_code == 200
        beta, _, _ = sign_in(context, "Beta")
        beta_tokens = load_tokens(context.vault, beta)
        assert_in_vault(data_dir, *load_tokens(context.vault, acme), *beta_tokens, secret)
        assert context.tokens.delete(acme) is True
        assert load_tokens(context.vault, acme) is None
        scan.add("repr(Credential) of every credential", repr(context.credentials.list()))
        scan.add("repr(AuditEvent) of the audit log", repr(context.audit.events()) + context.audit.csv())
        scan.add("repr(SignInUpdate) of every update", repr(updates))
        scan.add("repr(SignInStart)", repr(start))
    finally:
        context.close()

    assert_private(data_dir)
    assert_in_vault(data_dir, *beta_tokens, secret)
    scan.add_folder("data folder (closed)", data_dir)
    log_text = (data_dir / LOG_FILENAME).read_text(encoding="utf-8")
    assert " DEBUG qbdesk." in log_text and "Sign-in started" in log_text
    out, err = capfd.readouterr()
    assert "qbdesk: DEBUG:" in err  # the verbose stderr handler was writing here
    scan.add("stdout", out)
    scan.add("stderr", err)
    scan.add("qbdesk log records before redaction", raw.text(qbdesk=True))
    scan.add("qbdesk log records as the root logger got them", everything.text(qbdesk=True))
    issued = emulator.issued_secrets() | {secret, wrong}
    assert len(issued) >= 20
    assert scan.hits(issued) == []
    # The libraries underneath do log tokens at DEBUG, under their own names; none of it reached
    # qbdesk's log file or stderr (scanned above), because qbdesk's handlers sit on the "qbdesk" logger.
    third_party = Scan(client_ids=scan.client_ids)
    third_party.add("third-party records", everything.text(qbdesk=False))
    assert third_party.hits(issued)
    assert "requests_oauthlib" in {name.split(".")[0] for name, _ in everything.lines}


# --- the flows as `python -m qbdesk` runs -----------------------------------------------------------


def run_qbdesk(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """A script's run: no keychain (the folder's settings allow the secrets file), debugging detail on."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("QBDESK_")}
    environment.update(PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", **(env or {}))
    return subprocess.run([sys.executable, "-m", "qbdesk", "--data-dir", str(data_dir), *args, "--verbose"],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, env=environment,
                          cwd=REPOSITORY, timeout=60)


def create_with_cli(data_dir: Path, scan: Scan, name: str) -> None:
    """`qbdesk create --sandbox --no-browser`: approve at the address it prints, as the user's browser would."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("QBDESK_")}
    environment["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    process = subprocess.Popen(
        [sys.executable, "-m", "qbdesk", "--data-dir", str(data_dir), "create", "--name", name, "--sandbox",
         "--no-browser", "--verbose"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment,
        cwd=REPOSITORY,
    )
    try:
        before = []
        for line in process.stderr:
            before.append(line)
            if line.strip().startswith("http"):
                add_page(scan, "signed in by the create command", approve_in_browser(line.strip()))
                break
        stdout, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, "".join(before) + stderr
    scan.add("stdout of create", stdout)
    scan.add("stderr of create", "".join(before) + stderr)


def test_no_secret_outside_the_vault_after_command_line_runs(emulator, tmp_path):
    data_dir = tmp_path / "data"
    app, secret = set_up_folder(emulator, data_dir)
    client_id, wrong = app.client_id, secrets.token_urlsafe(32)
    scan = Scan(client_ids={secret: client_id, wrong: client_id})
    create_with_cli(data_dir, scan, "Acme")
    context = open_context(data_dir)
    try:
        acme = context.credentials.list()[0].id
        beta, _, _ = sign_in(context, "Beta")
    finally:
        context.close()
    vault = FileVault(data_dir / SECRETS_FILENAME)
    expected: dict[str, str] = {}  # place -> the access token that stream is meant to carry

    def run(*args: str, code: int = 0, env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, str]:
        """Run, check the exit code, add both streams to the scan; returns the result and its stdout's place."""
        result = run_qbdesk(data_dir, *args, env=env)
        assert result.returncode == code, result.stderr
        name = " ".join(args)
        scan.add(f"stderr of {name}", result.stderr)
        return result, scan.add(f"stdout of {name}", result.stdout)

    def expire_access_token() -> None:
        context = open_context(data_dir)
        try:
            credential, now = context.credentials.get(acme), context.clock.now()
            CredentialRepository(context.engine).record_refresh(
                acme, now, now - timedelta(minutes=1), credential.refresh_token_expires_at, credential.hard_expires_at)
        finally:
            context.close()

    for args in (("list",), ("list", "--json"), ("status", "Acme"), ("status", "Acme", "--json"), ("test", "Acme")):
        run(*args)
    for refreshed in (False, True):  # a fresh token, then one refreshed first
        if refreshed:
            expire_access_token()
        result, stdout = run("token", "Acme")
        access = load_tokens(vault, acme)[0]
        assert result.stdout == access + "\n"
        expected[stdout] = access  # the one value this one stream is meant to carry
    expire_access_token()
    run("token", "Acme", code=6, env={"QBDESK_SANDBOX_CLIENT_SECRET": wrong})
    assert_in_vault(data_dir, *load_tokens(vault, acme), *load_tokens(vault, beta), secret)
    revoke_at_intuit(emulator, (client_id, secret), load_tokens(vault, acme)[1])
    run("token", "Acme", code=4)
    run("test", "Acme", code=4)
    run("delete", "Acme", "--yes")
    run("delete", "Beta", "--yes")
    result, _ = run("list")
    assert "No credentials yet" in result.stderr
    assert load_tokens(vault, acme) is None and load_tokens(vault, beta) is None
    assert_in_vault(data_dir, secret)

    assert_private(data_dir)
    scan.add_folder("data folder", data_dir)
    log_text = (data_dir / LOG_FILENAME).read_text(encoding="utf-8")
    assert " DEBUG qbdesk." in log_text
    issued = emulator.issued_secrets() | {secret, wrong}
    assert scan.hits(issued, allowed=expected) == []


# --- redaction, the safety net under qbdesk's own log records ---------------------------------------


REALISTIC_LINES = [
    # requests-oauthlib and oauthlib, at DEBUG
    "Request body was grant_type=authorization_code&code={code}&redirect_uri=http%3A%2F%2Flocalhost%3A8321"
    "%2Fcallback&code_verifier={verifier}",
    "Prepared refresh token request body grant_type=refresh_token&scope=com.intuit.quickbooks.accounting"
    "&refresh_token={refresh}",
    "Request headers were {{'User-Agent': 'python-requests/2.32.3', 'Accept': 'application/json', "
    "'Authorization': 'Basic {basic}', 'Content-Length': '151'}}",
    "Response headers were {{'Content-Type': 'application/json'}} and content "
    '{{"access_token":"{access}","refresh_token":"{refresh}","token_type":"bearer","expires_in":3600}}.',
    "Obtained token {{'access_token': '{access}', 'refresh_token': '{refresh}', 'token_type': 'bearer', "
    "'expires_in': 3600, 'x_refresh_token_expires_in': 8726400, 'expires_at': 1767225600.5}}.",
    "Adding token {{'access_token': \"{access}\", 'token_type': 'Bearer'}} to request.",
    "Supplying headers {{'Authorization': 'Bearer {access}'}} and data {{'token': '{refresh}'}}",
    # the callback listener and HTTP wire logs
    "GET '/callback?code={code}&state={state}&realmId=9341453050931201' -> 200",
    "send: b'POST /oauth2/v1/tokens/bearer HTTP/1.1\\r\\nAuthorization: Basic {basic}\\r\\n\\r\\n"
    "grant_type=authorization_code&code={code}'",
    'Revoking with {{"token": "{refresh}"}}; settings {{"client_secret": "{secret}"}}',
]


@pytest.mark.parametrize("start", ["", "-", "_"])  # token_urlsafe values may start with either
def test_redact_removes_every_secret_from_realistic_log_lines(start):
    names = ("code", "verifier", "refresh", "access", "state", "secret")
    values = {name: start + secrets.token_urlsafe(32) for name in names}
    values["basic"] = base64.b64encode(f"client:{values['secret']}".encode()).decode()
    for line in REALISTIC_LINES:
        text = redact(line.format(**values))
        assert [name for name, value in values.items() if value in text] == [], text
        assert "[redacted]" in text
    kept = redact("GET '/callback' realmId=9341453050931201 -> 200; expires_in=3600 token_type=bearer; "
                  "POST /oauth2/v1/tokens/bearer -> 200")
    assert "[redacted]" not in kept


def test_the_redacting_filter_redacts_a_token_dict_passed_as_an_argument():
    value = secrets.token_urlsafe(32)
    record = logging.LogRecord("qbdesk.intuit", logging.DEBUG, __file__, 1, "token %s",
                               ({"access_token": value},), None)
    RedactingFilter().filter(record)
    assert value not in record.getMessage()
