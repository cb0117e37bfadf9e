"""Save a screenshot of every page and dialog at 16 pt text, with the longest name and a long company name.

Run under a display, e.g.:
  QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/large_text_screenshots.py
Each screen is taken at 1,000 px wide (or its narrowest, if that is less) into docs/screenshots/large-text-*.png.
With --pseudo DIR, the screens are taken under the tests' pseudo-translation into DIR instead, to judge by eye.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path

import keyring
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "gui"))  # the screens every check walks

from pseudo_translation import pseudo_translated  # noqa: E402
from screens import SCREENS, WIDEST_WINDOW, close_screen, open_long_window, show_screen, text_size  # noqa: E402

from qbdesk.emulator import Emulator  # noqa: E402
from qbdesk.ui.main_window import MainWindow  # noqa: E402

from memory_keyring import MemoryKeyring  # noqa: E402
from world import make_world  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def wait(app: QApplication, ms: int) -> None:
    timer = QTimer()
    timer.setSingleShot(True)
    timer.start(ms)
    while timer.isActive():
        app.processEvents()


def main() -> int:
    app = QApplication(sys.argv[:1])
    keyring.set_keyring(MemoryKeyring())  # the screenshots never touch the real keychain
    out, language = OUT, contextlib.nullcontext()
    if "--pseudo" in sys.argv:
        out, language = Path(sys.argv[sys.argv.index("--pseudo") + 1]), pseudo_translated()
        out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, Emulator() as emulator, text_size(16), language:
        context = make_world(emulator, Path(folder) / "data").open()
        window = open_long_window(context, MainWindow.opened)
        for name in SCREENS:
            window.resize(WIDEST_WINDOW, 720)
            window.show()
            shown = show_screen(window, name)
            if shown is not window:
                shown.resize(min(WIDEST_WINDOW, max(shown.minimumSizeHint().width(), shown.width())), shown.height())
            wait(app, 300)
            shown.grab().save(str(out / f"large-text-{name}.png"))
            print("saved", out / f"large-text-{name}.png", shown.size().width(), "x", shown.size().height())
            close_screen(window, shown)
        window.close()
        context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
