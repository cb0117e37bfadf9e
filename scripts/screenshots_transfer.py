"""Screenshots of the move and import dialogs, in the light palette and (with --dark DIR) a dark one.

Run under a display, e.g.: xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots_transfer.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from contrast import fusion_dark_palette  # noqa: E402
from screenshots import wait  # noqa: E402

from qbdesk.launch import open_services  # noqa: E402
from qbdesk.services.transfer import passphrase_problem  # noqa: E402
from qbdesk.ui.main_window import MainWindow  # noqa: E402
from qbdesk.ui.style import apply_style  # noqa: E402
from qbdesk.ui.transfer_dialogs import ImportDialog, MoveDialog, PassphraseDialog  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
ROWS = [
    ("1", "Acme Ltd \u2013 Accounting \u2014 QuickBooks (Sandbox Mode), Acme Ltd"),
    ("2", "Northwind Traders \u2014 QuickBooks, Northwind Traders Inc."),
    ("3", "Globex \u2014 QuickBooks, 9130354786429856"),
]


def shoot(app: QApplication, widget: QWidget, path: Path) -> None:
    widget.show()
    wait(app, 300)
    widget.grab().save(str(path))
    widget.close()


def dialogs_shots(app: QApplication, out: Path) -> None:
    move = MoveDialog(ROWS)
    move.credential_list.item(2).setCheckState(move.credential_list.item(2).checkState().Unchecked)
    shoot(app, move, out / "move-credentials.png")
    passphrase = PassphraseDialog("Passphrase for the file", "Choose a passphrase of at least 10 characters. You "
                                  "need it to import the file on the other computer; qbdesk cannot recover it.",
                                  True, passphrase_problem)
    passphrase.passphrase.setText("correct horse battery staple")
    passphrase.again.setText("correct horse")
    shoot(app, passphrase, out / "move-passphrase.png")
    importing = ImportDialog("credentials.qbdesk holds 2 credential(s):", [r[1] for r in ROWS[:2]],
                             ["Acme Ltd \u2013 Accounting"])
    shoot(app, importing, out / "import-credentials.png")


def file_menu_shot(app: QApplication, window: MainWindow, out: Path) -> None:
    """The window's File menu, open, with the two entries of a move."""
    window.activateWindow()
    window.menuBar().setActiveAction(window.menuBar().actions()[0])
    wait(app, 500)
    area = window.frameGeometry()
    app.primaryScreen().grabWindow(0, area.x(), area.y(), area.width(), 320).save(str(out / "file-menu.png"))
    window.menuBar().actions()[0].menu().hide()


def main() -> int:
    dark_out = Path(sys.argv[sys.argv.index("--dark") + 1]) if "--dark" in sys.argv else None
    app = QApplication(sys.argv[:1])
    apply_style(app)
    with tempfile.TemporaryDirectory() as folder:
        launched = open_services(Path(folder), {}, demo=True)
        window = MainWindow.opened(launched.context)
        window.resize(900, 480)
        window.show()
        wait(app, 400)
        file_menu_shot(app, window, OUT)
        dialogs_shots(app, OUT)
        if dark_out is not None:
            dark_out.mkdir(parents=True, exist_ok=True)
            app.setStyle("Fusion")
            app.setPalette(fusion_dark_palette())
            file_menu_shot(app, window, dark_out)
            dialogs_shots(app, dark_out)
        window.close()
        launched.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
