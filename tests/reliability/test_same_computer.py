"""Other people on the same computer, and text that looks like markup: the files, sockets, logs and dialogs
that must not give them a way in (SECURITY.md lists what is covered).

Tests that need another user run a throwaway uid through `setpriv` (they run as root here and in CI) with the
system's Python, which any user can start.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pytest

from qbdesk.core.clock import FakeClock
from qbdesk.core.credential import Credential, Status
from qbdesk.core.destinations import Destination
from qbdesk.log import LOG_FILENAME, configure_logging
from qbdesk.store import database
from qbdesk.store.schema import DATABASE_FILENAME
from qbdesk.store.vault import FileVault, VaultUnavailable

from old_schema import first_release_database

pytestmark = pytest.mark.reliability

OTHER_UID = 54321  # belongs to nobody on a test machine
SYSTEM_PYTHON = "/usr/bin/python3"
MARKUP_NAME = '<a href="https://pay.example.invalid/">Click to pay</a><img src="file:///etc/passwd">'
needs_other_user = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() != 0 or not Path(SYSTEM_PYTHON).exists(),
    reason="running code as another user needs root and a system Python",
)


def as_other_user(code: str, *args: str) -> subprocess.Popen:
    """Start Python code as OTHER_UID; it prints 'ready' once it has done its part."""
    return subprocess.Popen(
        ["setpriv", f"--reuid={OTHER_UID}", f"--regid={OTHER_UID}", "--clear-groups", SYSTEM_PYTHON, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )


@pytest.fixture
def shared_tmp():
    """A temporary folder everyone may write to, like /tmp (sticky, world-writable)."""
    folder = Path(tempfile.mkdtemp(prefix="qbdesk-shared-"))
    folder.chmod(0o1777)
    yield folder
    subprocess.run(["rm", "-rf", str(folder)], check=False)


# --- W7: the secrets file --------------------------------------------------------------------------------


def test_a_planted_link_at_the_temporary_secrets_file_receives_nothing(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    elsewhere = tmp_path / "collected.txt"
    elsewhere.write_text("")
    (data / "secrets.json.tmp").symlink_to(elsewhere)

    FileVault(data / "secrets.json").set("tokens/x", "refresh-AB11-secret-value")

    assert elsewhere.read_text() == ""
    written = data / "secrets.json"
    assert not written.is_symlink() and stat.S_IMODE(written.stat().st_mode) == 0o600
    assert FileVault(written).get("tokens/x") == "refresh-AB11-secret-value"


def test_a_leftover_open_temporary_file_does_not_make_the_secrets_file_readable_by_others(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    leftover = data / "secrets.json.tmp"
    leftover.write_text("{}")
    leftover.chmod(0o644)

    FileVault(data / "secrets.json").set("tokens/x", "value")

    assert stat.S_IMODE((data / "secrets.json").stat().st_mode) == 0o600


def test_a_secrets_file_others_can_read_is_made_private_and_the_user_is_told(tmp_path, caplog):
    path = tmp_path / "secrets.json"
    path.write_text('{"tokens/x": "value"}')
    path.chmod(0o644)

    with caplog.at_level(logging.WARNING, logger="qbdesk.vault"):
        assert FileVault(path).get("tokens/x") == "value"

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert any("could be read by other users" in record.getMessage() for record in caplog.records)


def test_a_secrets_file_that_is_a_link_is_refused(tmp_path):
    real = tmp_path / "someone-elses.json"
    real.write_text('{"tokens/x": "theirs"}')
    (tmp_path / "secrets.json").symlink_to(real)

    with pytest.raises(VaultUnavailable, match="cannot be read"):
        FileVault(tmp_path / "secrets.json").get("tokens/x")


@needs_other_user
def test_a_secrets_file_owned_by_another_user_is_refused(tmp_path):
    path = tmp_path / "secrets.json"
    path.write_text('{"tokens/x": "planted"}')
    path.chmod(0o600)
    os.chown(path, OTHER_UID, OTHER_UID)

    with pytest.raises(VaultUnavailable, match="belongs to another user"):
        FileVault(path).get("tokens/x")


# --- W8: the socket that brings a running window forward ----------------------------------------------

LISTEN = """
import os, socket, sys
made = []
for path in sys.argv[1:]:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    server = socket.socket(socket.AF_UNIX)
    server.bind(path)
    os.chmod(path, 0o777)
    server.listen(5)
    made.append(server)
print("ready", flush=True)
import time; time.sleep(60)
"""


@needs_other_user
def test_another_user_cannot_answer_for_a_running_window(qapp, tmp_path, shared_tmp, monkeypatch):
    from qbdesk.ui import single_instance

    monkeypatch.setenv("TMPDIR", str(shared_tmp))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", None)
    data = tmp_path / "data"
    digest = hashlib.sha256(str(data.resolve()).encode()).hexdigest()[:16]
    user = os.environ.get("USER") or os.environ.get("USERNAME") or "user"
    # The other user gets there first: the folder this user would make in the shared temporary folder, with
    # a socket inside it, and the socket name earlier versions used there.
    squatted = [
        shared_tmp / f"qbdesk-{os.geteuid()}" / f"qbdesk-{digest}.socket",
        shared_tmp / f"qbdesk-{user}-{digest}",
    ]
    squatter = as_other_user(LISTEN, *map(str, squatted))
    try:
        assert squatter.stdout.readline().strip() == "ready", squatter.stderr.read()
        assert not single_instance.ask_running_window(data)  # "already open" would send the user away
    finally:
        squatter.kill()
        squatter.communicate()


def test_a_second_launch_still_finds_the_first_window(qapp, tmp_path, shared_tmp, monkeypatch):
    from qbdesk.ui import single_instance

    monkeypatch.setenv("TMPDIR", str(shared_tmp))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", None)
    data = tmp_path / "data"
    server = single_instance.WindowServer(data)
    asked = []
    server.show_requested.connect(lambda: asked.append(True))
    try:
        assert single_instance.ask_running_window(data)
        deadline = time.monotonic() + 5
        while not asked and time.monotonic() < deadline:
            qapp.processEvents()
            time.sleep(0.01)
        assert asked
        folder = Path(single_instance.server_name(data)).parent
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and folder.stat().st_uid == os.geteuid()
    finally:
        server.close()
        server.deleteLater()
        for _ in range(20):  # let the finished connection and the server go before the test ends
            qapp.processEvents()
            time.sleep(0.005)


# --- W9: tracebacks in the log ----------------------------------------------------------------------------


def test_a_traceback_in_the_log_is_redacted_like_a_message(tmp_path):
    secret = "AB11" + "q7Xw" * 10
    configure_logging(tmp_path)
    log = logging.getLogger("qbdesk.test")
    try:
        raise ValueError(f"token endpoint said no to refresh_token={secret}")
    except ValueError:
        log.exception("Refresh failed")
    for handler in logging.getLogger("qbdesk").handlers:
        handler.flush()

    text = (tmp_path / LOG_FILENAME).read_text()
    assert "Refresh failed" in text and "Traceback" in text and "refresh_token=[redacted]" in text
    assert secret not in text


# --- W10: names and server text shown as written ---------------------------------------------------------


def _inspect_modal_then_close(qapp, seen: list) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QLabel

    def look() -> None:
        dialog = qapp.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, look)
            return
        seen.extend((label.text(), label.textFormat()) for label in dialog.findChildren(QLabel) if label.text())
        dialog.reject()
        dialog.close()

    QTimer.singleShot(20, look)


@pytest.mark.parametrize("kind", ["ask", "error", "ask_text"])
def test_a_name_that_looks_like_markup_is_shown_as_written_in_every_dialog(qapp, kind):
    from PySide6.QtCore import Qt

    from qbdesk.ui import dialogs

    seen: list = []
    _inspect_modal_then_close(qapp, seen)
    text = f"Delete \u201c{MARKUP_NAME}\u201d?"
    if kind == "ask":
        dialogs.ask(None, "Delete credential", text, "Delete")
    elif kind == "error":
        dialogs.error(None, "Cannot rename", text)
    else:
        dialogs.ask_text(None, "Rename credential", text, MARKUP_NAME, lambda value: None)

    shown = [fmt for label_text, fmt in seen if MARKUP_NAME in label_text]
    assert shown and all(fmt == Qt.TextFormat.PlainText for fmt in shown)


def test_tooltips_show_a_name_and_a_company_as_written(qapp):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextDocument

    from qbdesk.core.listing import Column
    from qbdesk.ui.credential_model import CredentialTableModel

    clock = FakeClock()
    credential = Credential(
        id="c1",
        name=MARKUP_NAME,
        destination=Destination.SANDBOX,
        created_at=clock.now() - timedelta(days=1),
        status=Status.CONNECTED,
        realm_id="9130001",
        company_name="<b>Acme</b> & <i>Sons</i>",
    )
    model = CredentialTableModel([credential], clock.now)
    for column, expected in ((Column.NAME, MARKUP_NAME), (Column.COMPANY, "<b>Acme</b> & <i>Sons</i>")):
        tooltip = model.data(model.index(0, int(column)), Qt.ItemDataRole.ToolTipRole)
        document = QTextDocument()
        document.setHtml(tooltip)  # how Qt shows a tooltip that looks like HTML
        assert expected in document.toPlainText().splitlines()  # a line of its own (the cell's text may come first)


# --- W11: the data folder and the backup before an upgrade ------------------------------------------------


def test_an_open_data_folder_is_made_private_at_start(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o755)

    database.open_database(data).dispose()

    assert stat.S_IMODE(data.stat().st_mode) == 0o700


class _WatchedConnection:
    """A real sqlite3 connection whose backup() notes who could read the copy while it was being written."""

    def __init__(self, connection: sqlite3.Connection, path: str, modes: list[int]) -> None:
        self._connection, self._path, self._modes = connection, path, modes

    def backup(self, target: _WatchedConnection, **kwargs) -> None:
        self._modes.append(stat.S_IMODE(os.stat(target._path).st_mode))
        self._connection.backup(target._connection, **kwargs)

    def __enter__(self):
        self._connection.__enter__()
        return self

    def __exit__(self, *exc):
        result = self._connection.__exit__(*exc)
        self._connection.close()
        return result

    def __getattr__(self, name):
        return getattr(self._connection, name)


def test_the_backup_before_an_upgrade_is_never_readable_by_others(tmp_path, monkeypatch):
    data = tmp_path / "data"
    first_release_database(data)
    data.chmod(0o700)
    modes: list[int] = []

    class WatchedSqlite:
        def __getattr__(self, name):
            return getattr(sqlite3, name)

        @staticmethod
        def connect(path, *args, **kwargs):
            return _WatchedConnection(sqlite3.connect(path, *args, **kwargs), str(path), modes)

    monkeypatch.setattr(database, "sqlite3", WatchedSqlite())
    old_umask = os.umask(0o022)
    try:
        database.open_database(data).dispose()
    finally:
        os.umask(old_umask)

    backups = list(data.glob(f"{DATABASE_FILENAME}.before-*"))
    assert len(backups) == 1 and stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    assert modes == [0o600]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__]))


# --- V1 and W3: the sign-in listener ----------------------------------------------------------------------


@pytest.fixture
def callback_listener():
    """A listener on a free loopback port that records the callbacks it is given and answers Connected."""
    from qbdesk.callback.listener import CallbackListener, CallbackPage

    from web_pages import free_port

    calls: list[dict[str, str]] = []

    def record(params: dict[str, str]) -> CallbackPage:
        calls.append(params)
        return CallbackPage(True, "Connected", "All set.")

    listener = CallbackListener(f"http://127.0.0.1:{free_port()}/callback", record)
    listener.calls = calls
    listener.start()
    yield listener
    listener.stop()


SEND_CALLBACK = """
import socket, sys
try:
    with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10) as conn:
        conn.sendall(b"GET /callback?code=attackers-code&state=read-from-cmdline HTTP/1.1\\r\\nHost: localhost\\r\\n\\r\\n")
        print("answer", conn.recv(100)[:12])
except OSError as error:
    print("no answer", type(error).__name__)
"""


@needs_other_user
def test_another_user_cannot_deliver_a_callback_to_the_listener(callback_listener):
    import requests

    other = as_other_user(SEND_CALLBACK, str(callback_listener.port))
    out, err = other.communicate(timeout=30)

    assert "answer b'HTTP" not in out, out + err
    assert callback_listener.calls == []
    own = requests.get(f"http://127.0.0.1:{callback_listener.port}/callback?code=mine&state=s", timeout=10)
    assert own.status_code == 200 and callback_listener.calls == [{"code": "mine", "state": "s"}]


def test_the_real_callback_gets_through_a_flood_of_idle_connections(callback_listener):
    import socket
    import threading

    import requests

    port = callback_listener.port
    idle = []
    for _ in range(40):  # more than the listener's slots, each with one byte and no more
        conn = socket.create_connection(("127.0.0.1", port), timeout=10)
        conn.sendall(b"G")
        idle.append(conn)
    flooding = threading.Event()
    flooding.set()

    def keep_reconnecting() -> None:
        while flooding.is_set():
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=2) as conn:
                    conn.sendall(b"G")
                    time.sleep(0.01)
            except OSError:
                time.sleep(0.01)

    flooder = threading.Thread(target=keep_reconnecting, daemon=True)
    flooder.start()
    try:
        time.sleep(0.3)
        answer = requests.get(f"http://127.0.0.1:{port}/callback?code=real&state=s", timeout=10)
        assert answer.status_code == 200
        assert callback_listener.calls == [{"code": "real", "state": "s"}]
    finally:
        flooding.clear()
        flooder.join(timeout=5)
        for conn in idle:
            conn.close()
