"""The move scene: the File menu, choosing credentials to move, the passphrase, and an import with a clash."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from qbdesk.services.transfer import passphrase_problem
from qbdesk.ui.transfer_dialogs import ImportDialog, MoveDialog, PassphraseDialog
from shots.common import grab_open_menu, shoot
from shots.demo import demo_window

ROWS = [
    ("1", "Acme Ltd \u2013 Accounting \u2014 QuickBooks (Sandbox Mode), Acme Ltd"),
    ("2", "Northwind Traders \u2014 QuickBooks, Northwind Traders Inc."),
    ("3", "Globex \u2014 QuickBooks, 9130354786429856"),
]


def move_and_import(app: QApplication, out: Path) -> None:
    """The File menu open, the move dialog with one left out, a passphrase typed twice apart, an import."""
    with demo_window(app, (900, 480)) as (window, _):
        grab_open_menu(app, window, window.menuBar().actions()[0], out / "file-menu.png", 320)
    move = MoveDialog(ROWS)
    move.credential_list.item(2).setCheckState(Qt.CheckState.Unchecked)
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
