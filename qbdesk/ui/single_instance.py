"""One window per data folder: a second launch brings the first window forward instead of writing too."""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger("qbdesk.ui")
WAIT_MS = 1500


def _private_folder(path: Path) -> bool:
    """True when path is a real folder of this user's that nobody else may enter or write to."""
    try:
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o077


def _socket_folder() -> Path | None:
    """A folder only this user can use, for the socket: the session's runtime folder, else one under the
    temporary folder that is created private. None when the place is taken by someone else."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and _private_folder(Path(runtime)):
        return Path(runtime)
    folder = Path(tempfile.gettempdir()) / f"qbdesk-{os.geteuid()}"
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    if _private_folder(folder):
        return folder
    log.warning("%s belongs to someone else or is open to others; not using it to find other launches", folder)
    return None


def server_name(data_dir: Path) -> str | None:
    """The local socket for this user and data folder: a path in a private folder (POSIX), or a pipe name that
    Windows restricts to this user. None when no private place exists (then every launch runs on its own)."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    if os.name != "posix":
        user = os.environ.get("USERNAME") or "user"
        return f"qbdesk-{user}-{digest}"
    folder = _socket_folder()
    return None if folder is None else str(folder / f"qbdesk-{digest}.socket")


def ask_running_window(data_dir: Path) -> bool:
    """True when a qbdesk window already runs on this folder; it has then been asked to come forward."""
    name = server_name(data_dir)
    if name is None:
        return False
    socket = QLocalSocket()
    socket.connectToServer(name)
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
        if name is None:
            log.warning("No private folder for the window's socket: a second launch will open a second window")
        elif not self._server.listen(name):
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
