"""File › Move credentials to another computer… and File › Import credentials…: the window's side of a move.

The questions go through dialogs.py; the key derivation, file and keychain work runs off the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from qbdesk.services.context import AppContext
from qbdesk.services.transfer import NameChoice, TransferService, passphrase_problem, read_transfer_file
from qbdesk.services.transfer_contents import Bundle
from qbdesk.ui import dialogs
from qbdesk.ui.core_words import destination_word
from qbdesk.ui.wording import explain
from qbdesk.ui.workers import Worker, run_in_background


class TransferFlow(QObject):
    """Asks, works in the background, and says how it ended; `ended` carries the last message shown."""

    ended = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self._context = context
        self._window = parent
        self._service = TransferService(context)
        self._workers: list[Worker] = []
        self.busy = False
        self._failure_title = ""

    def _run(self, work, on_returned, failure_title: str) -> None:
        self.busy = True
        self._failure_title = failure_title
        self._workers.append(run_in_background(work, lambda result: self._done(on_returned, result), self._failed))

    def _done(self, on_returned, result) -> None:
        self.busy = False
        on_returned(result)

    def _failed(self, error: Exception) -> None:
        self.busy = False
        message = explain(error)
        dialogs.error(self._window, self._failure_title, message)
        self.ended.emit(message)

    def _finish(self, title: str, message: str) -> None:
        dialogs.inform(self._window, title, message)
        self.ended.emit(message)

    # --- move ----------------------------------------------------------------------------------

    def start_move(self) -> None:
        """Choose credentials, a file and a passphrase, then export (and remove here) in the background."""
        credentials = self._service.exportable()
        if not credentials:
            self._finish(self.tr("Nothing to move"), self.tr("There are no connected credentials to move yet."))
            return
        items = [(c.id, f"{c.name} \u2014 {destination_word(c.destination)}, {c.company_name or c.realm_id}") for c in credentials]
        choice = dialogs.choose_credentials_to_move(self._window, items)
        if choice is None:
            return
        chosen, remove_here = choice
        path = dialogs.ask_save_path(self._window, self.tr("Save the credentials file"),
                                     str(Path.home() / "qbdesk-credentials.qbdesk"),
                                     self.tr("qbdesk credentials (*.qbdesk)"))
        if path is None:
            return
        passphrase = dialogs.ask_passphrase(
            self._window, self.tr("Passphrase for the file"),
            self.tr("Choose a passphrase of at least 10 characters. You need it to import the file on the other "
                    "computer; qbdesk cannot recover it."),
            True, passphrase_problem,
        )
        if passphrase is None:
            return

        def export() -> int:
            return len(self._service.export(chosen, Path(path), passphrase, move=remove_here, overwrite=True))

        def exported(count: int) -> None:
            where = Path(path).name
            if remove_here:
                text = self.tr("%n credential(s) saved to %1 and removed from this computer. On the other "
                               "computer, choose File \u203a Import credentials.", "", count).replace("%1", where)
            else:
                text = self.tr("%n credential(s) saved to %1. They stay on this computer too: use them on one "
                               "computer only.", "", count).replace("%1", where)
            self._finish(self.tr("Credentials saved"), text)

        self._run(export, exported, self.tr("The credentials were not saved"))

    # --- import --------------------------------------------------------------------------------

    def start_import(self) -> None:
        """Choose a file and type its passphrase; it is opened in the background, then the choices are shown."""
        path = dialogs.ask_open_path(self._window, self.tr("Import credentials"),
                                     self.tr("qbdesk credentials (*.qbdesk);;All files (*)"))
        if path is None:
            return
        passphrase = dialogs.ask_passphrase(
            self._window, self.tr("Passphrase of the file"),
            self.tr("Type the passphrase chosen when the file was saved."), False, passphrase_problem,
        )
        if passphrase is None:
            return
        self._run(lambda: read_transfer_file(Path(path), passphrase), lambda bundle: self._opened(Path(path), bundle),
                  self.tr("The file cannot be imported"))

    def _opened(self, source: Path, bundle: Bundle) -> None:
        problem = self._service.key_problem(bundle)
        if problem is not None:
            self._failure_title = self.tr("The file cannot be imported")
            self._failed(problem)
            return
        rows = [f"{c.credential.name} \u2014 {destination_word(c.credential.destination)}, "
                f"{c.credential.company_name or c.credential.realm_id}" for c in bundle.carried]
        summary = self.tr("%1 holds %n credential(s):", "", len(rows)).replace("%1", source.name)
        chosen = dialogs.confirm_import(self._window, summary, rows, self._service.name_conflicts(bundle))
        if chosen is None:
            return
        choices = {name: NameChoice(value) for name, value in chosen.items()}

        def imported(outcome) -> None:
            text = self.tr("%n credential(s) imported.", "", len(outcome.added))
            if outcome.replaced:
                text += " " + self.tr("Replaced: %1.").replace("%1", ", ".join(outcome.replaced))
            if outcome.skipped:
                text += " " + self.tr("Skipped: %1.").replace("%1", ", ".join(outcome.skipped))
            self._finish(self.tr("Credentials imported"), text)

        self._run(lambda: self._service.import_bundle(bundle, source, choices), imported,
                  self.tr("The credentials were not imported"))
