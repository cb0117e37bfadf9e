"""The sign-in browser window against the emulator: the redirect is handed back and never loaded."""

from __future__ import annotations

import os

os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

import datetime
import ipaddress
import ssl
from urllib.parse import parse_qs, urlsplit

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QLabel, QLineEdit, QProgressBar, QPushButton
from shiboken6 import Shiboken

from qbdesk.intuit.discovery import DiscoveryCache
from qbdesk.intuit.oauth import start_authorization

from web_pages import SIGNIN_REDIRECT, free_port

pytestmark = [pytest.mark.gui, pytest.mark.webengine]

REDIRECT = SIGNIN_REDIRECT
CLIENT_ID = "ABsigninWindowClient"
LOAD_MS = 15000


def authorization(emulator, redirect_uri: str = REDIRECT, environment: str = "production"):
    emulator.register_client(CLIENT_ID, "secret-value", [redirect_uri], environment)
    endpoints = DiscoveryCache().endpoints(emulator.discovery_url(environment))
    return start_authorization(endpoints, CLIENT_ID, redirect_uri)


def wait_loaded(qtbot, window, ok: bool = True) -> None:
    with qtbot.waitSignal(window.page.loadFinished, timeout=LOAD_MS) as finished:
        pass
    assert finished.args == [ok]


def answer_consent(qtbot, window, decision: str) -> str:
    """Press Connect or Cancel on the consent page; returns the address the window handed back."""
    with qtbot.waitSignal(window.redirect_captured, timeout=LOAD_MS) as captured:
        window.page.runJavaScript(f"document.querySelector('button[value={decision}]').click()")
    return captured.args[0]


def button(window, text: str) -> QPushButton:
    return next(child for child in window.findChildren(QPushButton) if child.text().replace("&", "") == text)


def problem_text(window) -> str:
    return window.findChild(QLabel, "problemText").text()


def problem_shown(window) -> bool:
    return window.findChild(QLabel, "problemText").isVisibleTo(window)


def test_connect_hands_back_the_redirect_and_closes(qtbot, emulator, open_signin):
    attempt = authorization(emulator)
    window = open_signin(attempt.url)
    wait_loaded(qtbot, window)
    assert window.windowTitle() == "Sign in to QuickBooks"

    address = answer_consent(qtbot, window, "connect")

    assert address.startswith(REDIRECT + "?")
    query = parse_qs(urlsplit(address).query)
    assert query["state"] == [attempt.state]
    assert query["code"][0]
    assert query["realmId"] == [emulator.companies[0].realm_id]
    qtbot.waitUntil(lambda: not Shiboken.isValid(window), timeout=5000)
    assert window.early == []


def test_cancel_hands_back_access_denied(qtbot, emulator, open_signin):
    attempt = authorization(emulator)
    window = open_signin(attempt.url)
    wait_loaded(qtbot, window)

    address = answer_consent(qtbot, window, "cancel")

    query = parse_qs(urlsplit(address).query)
    assert query["error"] == ["access_denied"]
    assert query["state"] == [attempt.state]
    qtbot.waitUntil(lambda: not Shiboken.isValid(window), timeout=5000)
    assert window.early == []


def test_a_loopback_redirect_is_caught_without_a_request(qtbot, emulator, open_signin, listeners):
    listener = listeners()
    redirect = f"http://localhost:{listener.port}/qbdesk/callback"
    window = open_signin(authorization(emulator, redirect, "sandbox").url, redirect)
    wait_loaded(qtbot, window)

    address = answer_consent(qtbot, window, "connect")

    assert address.startswith(redirect + "?code=")
    qtbot.waitUntil(lambda: not Shiboken.isValid(window), timeout=5000)
    assert listener.paths == []


def test_closing_early_reports_it_once(qtbot, emulator, open_signin):
    window = open_signin(authorization(emulator).url)
    wait_loaded(qtbot, window)
    captured = []
    window.redirect_captured.connect(captured.append)

    with qtbot.waitSignal(window.closed_early, timeout=1000):
        window.close()

    qtbot.waitUntil(lambda: not Shiboken.isValid(window), timeout=5000)
    assert window.early == [True] and captured == []


def test_escape_closes_and_keys_reach_the_window_from_the_page(qtbot, emulator, open_signin):
    window = open_signin(authorization(emulator).url)
    wait_loaded(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    inside_page = window.focusWidget()
    assert inside_page is not None

    with qtbot.waitSignal(window.page.loadStarted, timeout=2000):
        qtbot.keyClick(inside_page, Qt.Key.Key_F5)
    wait_loaded(qtbot, window)
    with qtbot.waitSignal(window.page.loadStarted, timeout=2000):
        qtbot.keyClick(inside_page, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    wait_loaded(qtbot, window)

    with qtbot.waitSignal(window.page.loadFinished, timeout=LOAD_MS):
        window.page.runJavaScript("location.href = '/'")
    consent_url = window.page.history().backItem().url()
    assert button(window, "Back").isEnabled()
    with qtbot.waitSignal(window.page.urlChanged, timeout=LOAD_MS) as changed:
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert changed.args[0] == consent_url

    with qtbot.waitSignal(window.closed_early, timeout=1000):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Escape)


def test_address_line_shows_the_host_and_that_it_is_this_computer(qtbot, emulator, open_signin):
    attempt = authorization(emulator)
    window = open_signin(attempt.url)
    progress = window.findChild(QProgressBar)
    shown_while_loading = []
    window.page.loadProgress.connect(lambda _value: shown_while_loading.append(progress.isVisible()))
    wait_loaded(qtbot, window)

    address = window.findChild(QLineEdit, "address")
    assert address.isReadOnly()
    assert address.text() == "127.0.0.1"
    assert address.toolTip().startswith(emulator.base_url + "/")
    assert "state=" + attempt.state in address.toolTip()
    assert window.findChild(QLabel, "security").text() == "Not secure (this computer)"
    assert shown_while_loading and all(shown_while_loading)
    assert not progress.isVisible()
    assert not problem_shown(window)


def test_each_window_has_its_own_off_the_record_profile(qtbot, qtlog, emulator, open_signin):
    url = authorization(emulator).url
    first, second = open_signin(url), open_signin(url)
    profile = first.page.profile()
    assert profile.isOffTheRecord()
    assert profile.storageName() == ""
    assert profile is not second.page.profile()
    assert profile.parent() is first.page and first.page.parent().window() is first
    wait_loaded(qtbot, first)

    first.close()
    second.close()
    qtbot.waitUntil(lambda: not (Shiboken.isValid(first) or Shiboken.isValid(second)), timeout=5000)
    assert not Shiboken.isValid(profile)
    assert not [record for record in qtlog.records if "profile" in record.message.lower()]


def test_a_page_that_cannot_be_reached_says_so_and_reload_recovers(qtbot, open_signin, listeners):
    port = free_port()
    window = open_signin(f"http://127.0.0.1:{port}/")
    wait_loaded(qtbot, window, ok=False)
    qtbot.waitUntil(lambda: problem_shown(window), timeout=2000)
    assert problem_text(window) == (
        "The page could not be loaded. Check your internet connection, then press Reload."
    )

    listener = listeners(port)
    with qtbot.waitSignal(window.page.loadFinished, timeout=LOAD_MS) as finished:
        qtbot.mouseClick(button(window, "Reload"), Qt.MouseButton.LeftButton)
    assert finished.args == [True]
    # The page was loaded once; the browser may also ask for its icon, whenever it gets round to it.
    assert [path for path in listener.paths if path != "/favicon.ico"] == ["/"]
    assert not problem_shown(window)


def test_an_error_answer_is_reported_without_blaming_the_connection(qtbot, emulator, open_signin):
    window = open_signin(emulator.base_url + "/no-such-page")
    wait_loaded(qtbot, window, ok=False)
    qtbot.waitUntil(lambda: problem_shown(window), timeout=2000)
    assert "HTTP 404" in problem_text(window)
    assert "internet connection" not in problem_text(window)


def self_signed_tls(tmp_path) -> ssl.SSLContext:
    """A server TLS context whose certificate no browser trusts."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context


def test_a_bad_certificate_is_refused_and_explained(qtbot, tmp_path, open_signin, listeners):
    listener = listeners(tls=self_signed_tls(tmp_path))
    window = open_signin(f"https://127.0.0.1:{listener.port}/connect/oauth2")
    with qtbot.waitSignal(window.page.certificateError, timeout=LOAD_MS):
        pass
    qtbot.waitUntil(lambda: problem_shown(window), timeout=LOAD_MS)

    assert problem_text(window).startswith(
        "Intuit's page did not present a valid security certificate, so qbdesk stopped loading it."
    )
    assert window.findChild(QLabel, "security").text() == "Not secure"
    wait_loaded(qtbot, window, ok=False)
    assert listener.paths == []


def test_the_redirect_is_refused_in_a_frame_and_captured_in_the_main_frame(qtbot, open_signin, listeners):
    from PySide6.QtWebEngineCore import QWebEnginePage

    listener = listeners()
    window = open_signin(f"http://127.0.0.1:{listener.port}/")
    wait_loaded(qtbot, window)
    captured = []
    window.redirect_captured.connect(captured.append)
    redirect = QUrl(REDIRECT + "?code=abc&state=xyz&realmId=1")
    link = QWebEnginePage.NavigationType.NavigationTypeLinkClicked

    assert window.page.acceptNavigationRequest(QUrl(f"http://127.0.0.1:{listener.port}/next"), link, True)
    assert not window.page.acceptNavigationRequest(redirect, link, False)
    assert not window.page.acceptNavigationRequest(redirect, link, True)
    qtbot.waitUntil(lambda: captured == [REDIRECT + "?code=abc&state=xyz&realmId=1"], timeout=2000)
    qtbot.waitUntil(lambda: not Shiboken.isValid(window), timeout=5000)


@pytest.mark.parametrize(
    ("address", "note"),
    [
        ("https://appcenter.intuit.com/connect/oauth2", "Secure connection (https)"),
        ("http://example.com/", "Not secure"),
        ("http://localhost:8080/callback", "Not secure (this computer)"),
        ("http://[::1]:8080/", "Not secure (this computer)"),
        ("about:blank", ""),
    ],
)
def test_security_note(address, note):
    from qbdesk.ui.signin_window import security_note

    assert security_note(QUrl(address)) == note
