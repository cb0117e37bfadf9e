"""Every page and dialog the text-room checks walk (tests/gui/screens.py), at 16 pt, with the longest names."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication
from screens import SCREENS, WIDEST_WINDOW, close_screen, open_long_window, show_screen, text_size

from qbdesk.emulator import Emulator
from qbdesk.ui.main_window import MainWindow
from shots.common import wait

from world import make_world

LARGE_POINTS = 16


def large_text(app: QApplication, out: Path, only: set[str] | None = None) -> None:
    """Each screen at 1,000 px wide (or its narrowest, if less) as large-text-NAME.png."""
    with tempfile.TemporaryDirectory() as folder, Emulator() as emulator, text_size(LARGE_POINTS):
        context = make_world(emulator, Path(folder) / "data").open()
        window = open_long_window(context, MainWindow.opened)
        for name in SCREENS:
            if only and name not in only:
                continue
            window.resize(WIDEST_WINDOW, 720)
            window.show()
            shown = show_screen(window, name)
            if shown is not window:
                shown.resize(min(WIDEST_WINDOW, max(shown.minimumSizeHint().width(), shown.width())), shown.height())
            wait(app, 300)
            shown.grab().save(str(out / f"large-text-{name}.png"))
            close_screen(window, shown)
        window.close()
        context.close()
