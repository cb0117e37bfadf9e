"""Which qbdesk processes use a data folder, so start-up can tell whether an earlier one was cut short."""

from __future__ import annotations

import os
from pathlib import Path

RUNS_FOLDER = "running"


def _alive(pid: int) -> bool:
    if os.name != "posix":  # pragma: no cover - no cheap check elsewhere: treat as ended
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _ended_without_closing(folder: Path) -> list[Path]:
    """The markers of processes that are gone without having closed the folder."""
    ended = []
    for marker in folder.glob("*.pid"):
        pid = int(marker.stem) if marker.stem.isdigit() else 0
        if pid != os.getpid() and not _alive(pid):
            ended.append(marker)
    return ended


def cut_short(data_dir: Path) -> bool:
    """True when an earlier process ended without closing the folder (nothing is changed: begin_run clears it)."""
    return bool(_ended_without_closing(data_dir / RUNS_FOLDER))


def begin_run(data_dir: Path) -> bool:
    """Record this process as using the folder; True when an earlier process ended without closing."""
    folder = data_dir / RUNS_FOLDER
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    ended = _ended_without_closing(folder)
    for marker in ended:
        marker.unlink(missing_ok=True)
    (folder / f"{os.getpid()}.pid").touch()
    return bool(ended)


def end_run(data_dir: Path) -> None:
    """This process closed the folder cleanly."""
    (data_dir / RUNS_FOLDER / f"{os.getpid()}.pid").unlink(missing_ok=True)
