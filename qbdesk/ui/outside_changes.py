"""Noticing changes other qbdesk processes (the CLI, say) make to the database, without polling."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from qbdesk.store.schema import DATABASE_FILENAME

SETTLE_MS = 250


class DatabaseWatcher(QObject):
    """Emits changed() once writes to the database files have settled (our own writes included)."""

    changed = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._files = [data_dir / DATABASE_FILENAME, data_dir / (DATABASE_FILENAME + "-wal")]
        self._watcher = QFileSystemWatcher(self)
        self._watcher.addPath(str(data_dir))  # the WAL file comes and goes; the folder says when
        self._watch_files()
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.changed)
        self._watcher.fileChanged.connect(self._touched)
        self._watcher.directoryChanged.connect(self._folder_changed)

    def _watch_files(self) -> None:
        present = [str(path) for path in self._files if path.exists()]
        missing = [p for p in present if p not in self._watcher.files()]
        if missing:
            self._watcher.addPaths(missing)

    def _folder_changed(self, _path: str) -> None:
        self._watch_files()
        self._touched()

    def _touched(self, *_args: object) -> None:
        self._settle.start()
