"""One window per data folder: a second launch brings the first window forward instead of writing too."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger("qbdesk.ui")
WAIT_MS = 1500


def server_name(data_dir: Path) -> str:
    """A local socket name unique to this user and data folder."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    user = os.environ.get("USER") or os.environ.get("USERNAME") or "user"
    return f"qbdesk-{user}-{digest}"


def ask_running_window(data_dir: Path) -> bool:
    """True when a qbdesk window already runs on this folder; it has then been asked to come forward."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir))
    if not socket.waitForConnected(WAIT_MS):
        return False
    socket.write(b"show\n")
    socket.waitForBytesWritten(WAIT_MS)
    socket.disconnectFromServer()
    return True


class WindowServer(QObject):
    """Listens for later launches on the same folder; emits show_requested for each."""

    show_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        name = server_name(data_dir)
        if not self._server.listen(name):
            QLocalServer.removeServer(name)  # left behind by a qbdesk that crashed
            if not self._server.listen(name):
                log.warning("Could not listen for other launches: %s", self._server.errorString())
        self._server.newConnection.connect(self._accept)

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            connection.readyRead.connect(lambda c=connection: self._read(c))
            connection.disconnected.connect(connection.deleteLater)

    def _read(self, connection: QLocalSocket) -> None:
        if bytes(connection.readAll().data()).startswith(b"show"):
            log.info("Another launch asked for this window")
            self.show_requested.emit()

    def close(self) -> None:
        self._server.close()
