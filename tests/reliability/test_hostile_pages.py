"""A hostile page inside the sign-in window: it cannot hand an address to the operating system, read qbdesk's
own resources or local files, or reach the Redirect URI by any kind of request."""

from __future__ import annotations

import os

os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

import socket
import threading
import time

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from web_pages import free_port

pytestmark = [pytest.mark.reliability, pytest.mark.gui, pytest.mark.webengine]

LOAD_MS = 15000
PROBE_SCHEME = "qbdesk-probe"  # stands for ms-msdt:, search-ms: and any other handler the system has
QT_RESOURCE = "qrc:/qt-project.org/qmessagebox/images/qtlogo-64.png"  # present in every Qt Widgets program


class SystemOpener(QObject):
    """Stands in for the operating system's handler of PROBE_SCHEME and records what it is given."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


@pytest.fixture
def system_opener(qapp):
    opener = SystemOpener()
    QDesktopServices.setUrlHandler(PROBE_SCHEME, opener, "open")
    yield opener
    QDesktopServices.unsetUrlHandler(PROBE_SCHEME)


def wait_until(qapp, condition, timeout_s: float = LOAD_MS / 1000) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        qapp.processEvents()
        if condition():
            return True
        time.sleep(0.01)
    return False


def click_link(qapp, window) -> None:
    """Click the page's link with the mouse, as a user would (the system is asked only after a real gesture)."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWebEngineWidgets import QWebEngineView

    box: list = []
    window.page.runJavaScript(
        "(function(){var r = document.getElementById('link').getBoundingClientRect();"
        "return Math.round(r.left + r.width / 2) + ',' + Math.round(r.top + r.height / 2);})()",
        0,
        box.append,
    )
    assert wait_until(qapp, lambda: box)
    x, y = (int(value) for value in box[0].split(","))
    target = window.findChild(QWebEngineView).focusProxy()
    QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, y))


def test_a_link_with_another_scheme_is_not_handed_to_the_system(qapp, qtbot, listeners, open_signin, system_opener):
    page = (
        '<!DOCTYPE html><title>ready</title><body style="margin:0">'
        f'<a id="link" href="{PROBE_SCHEME}:run?payload=1" style="display:block;width:300px;height:100px">Open</a>'
    )
    server = listeners(pages={"/hostile": page})
    window = open_signin(f"{server.base_url}/hostile")
    assert wait_until(qapp, lambda: window.page.title() == "ready")

    click_link(qapp, window)
    problem = window.findChild(QObject, "problemText")
    assert wait_until(qapp, lambda: system_opener.opened or "was not opened" in problem.text())

    assert system_opener.opened == []
    assert f"\u201c{PROBE_SCHEME}:\u201d" in problem.text()


def test_a_page_cannot_load_qt_resources_or_local_files(qapp, listeners, open_signin, tmp_path):
    secret_file = tmp_path / "local.png"
    secret_file.write_bytes(b"\x89PNG\r\n\x1a\n")  # any file would do: it must not be reached
    script = "var left = 2; function done(){ if (--left === 0) document.title = results.join(','); }"
    page = (
        "<!DOCTYPE html><title>loading</title><script>var results = [];" + script + "</script>"
        f'<img src="{QT_RESOURCE}" onload="results.push(\'qrc loaded\');done()" '
        "onerror=\"results.push('qrc blocked');done()\">"
        f'<img src="{QUrl.fromLocalFile(str(secret_file)).toString()}" '
        "onload=\"results.push('file loaded');done()\" onerror=\"results.push('file blocked');done()\">"
    )
    server = listeners(pages={"/hostile": page})
    window = open_signin(f"{server.base_url}/hostile")
    assert wait_until(qapp, lambda: window.page.title() not in ("", "loading") and "," in window.page.title())

    assert sorted(window.page.title().split(",")) == ["file blocked", "qrc blocked"]


def test_a_page_cannot_navigate_the_window_to_a_qt_resource(qapp, listeners, open_signin):
    page = f'<!DOCTYPE html><title>ready</title><a id="link" href="{QT_RESOURCE}">logo</a>'
    server = listeners(pages={"/hostile": page})
    window = open_signin(f"{server.base_url}/hostile")
    assert wait_until(qapp, lambda: window.page.title() == "ready")

    window.page.runJavaScript("document.getElementById('link').click()")
    problem = window.findChild(QObject, "problemText")
    assert wait_until(qapp, lambda: "was not opened" in problem.text() or window.page.url().scheme() == "qrc")

    assert window.page.url().scheme() == "http"


class RawListener:
    """A TCP listener that counts the connections it gets (the Redirect URI's listener, as far as a page knows)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.connections = 0
        self._socket = socket.create_server(("127.0.0.1", self.port))
        self._socket.settimeout(0.2)
        self._running = True
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while self._running:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._running = False
        self._thread.join(timeout=5)
        self._socket.close()


def test_a_websocket_to_the_redirect_uri_is_caught(qapp, listeners, open_signin):
    redirect = RawListener()
    try:
        redirect_uri = f"http://127.0.0.1:{redirect.port}/callback"
        socket_address = f"ws://127.0.0.1:{redirect.port}/callback?code=stolen&state=guessed"
        page = (
            "<!DOCTYPE html><title>loading</title><script>"
            f"var ws = new WebSocket('{socket_address}');"
            "ws.onerror = ws.onclose = function(){ document.title = 'tried'; };"
            "</script>"
        )
        server = listeners(pages={"/hostile": page})
        window = open_signin(f"{server.base_url}/hostile", redirect_uri)
        assert wait_until(qapp, lambda: window.page.title() == "tried")
        time.sleep(0.2)  # a connection that was made would have been counted by now

        assert redirect.connections == 0
    finally:
        redirect.close()
