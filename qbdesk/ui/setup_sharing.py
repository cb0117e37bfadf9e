"""Settings' Export setup and Import setup: hand the Intuit app's non-secret values to a colleague, and back.

Import fills the Settings fields (never a locked or environment-fixed one) and leaves saving to the user, who
types each Client Secret separately; a secret found in the file is never read. The words about the managed file
for the window live here too, so Settings and the main window's banner say the same thing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from qbdesk.store.settings import FIELDS
from qbdesk.store.setup_file import SetupFileProblem, SetupKind, read_setup, write_shared_setup
from qbdesk.ui import dialogs

if TYPE_CHECKING:
    from qbdesk.store.managed import ManagedSetup
    from qbdesk.ui.settings_dialog import SettingsDialog

FILE_FILTER = "qbdesk setup (*.json)"
SUGGESTED_NAME = "qbdesk-setup.json"


def _tr(text: str) -> str:
    return QCoreApplication.translate("SetupSharing", text)


def managed_setup_message(managed: ManagedSetup | None) -> str | None:
    """What the window says about a managed file it cannot use, or a part of it ignored; None when all is well."""
    if managed is None or managed.path is None:
        return None
    parts = []
    if managed.problem:
        parts.append(_tr("Your organisation's setup file {path} cannot be used: {problem} qbdesk uses your own "
                         "settings until your administrator corrects it.").format(path=managed.path,
                                                                                 problem=managed.problem))
    if managed.warning:
        parts.append(_tr("Your organisation's setup file {path}: {warning}").format(path=managed.path,
                                                                                     warning=managed.warning))
    return " ".join(parts) or None


def export_setup(dialog: SettingsDialog) -> None:
    """Ask where to save, then write the non-secret values of the destinations Settings shows."""
    if not all([form.validate() for form in dialog.forms.values()]):
        dialog.sharing_note.setText(_tr("Correct the fields marked in red, then export again."))
        return
    chosen = dialogs.ask_save_path(dialog, _tr("Export setup"), SUGGESTED_NAME, FILE_FILTER)
    if not chosen:
        return
    apps = {destination: {name: getattr(form.values(), name) for name in FIELDS}
            for destination, form in dialog.forms.items()}
    try:
        write_shared_setup(Path(chosen), apps)
    except OSError as exc:
        dialogs.error(dialog, _tr("Export setup"), _tr("qbdesk could not write {path} ({reason}). Choose another "
                                                       "folder and try again.").format(path=chosen, reason=exc.strerror or exc))
        return
    dialog.sharing_note.setText(_tr("Exported to {path}. It holds no Client Secret: give that to your colleagues "
                                    "another way.").format(path=chosen))


def import_setup(dialog: SettingsDialog) -> None:
    """Ask for a setup file, check it, and fill the fields it gives that the user may change."""
    chosen = dialogs.ask_open_path(dialog, _tr("Import setup"), FILE_FILTER)
    if not chosen:
        return
    try:
        document = read_setup(Path(chosen), SetupKind.SHARED)
    except SetupFileProblem as exc:
        dialogs.error(dialog, _tr("Import setup"), _tr("{path} is not a qbdesk setup qbdesk can use: {problem} "
                                                       "Nothing was changed.").format(path=chosen, problem=exc))
        return
    kept = False
    for destination, form in dialog.forms.items():
        for name, value in document.get(destination).values.items():
            field = form.fields[name]
            if field.isReadOnly():
                kept = kept or field.text() != value
            else:
                field.setText(value)
    notes = [_tr("Imported the setup from {path}. Enter each Client Secret, then press Save.").format(path=chosen)]
    if kept:
        notes.append(_tr("Fields set by your organisation or the environment were kept as they are."))
    if document.ignored_secret:
        notes.append(_tr("The file held a Client Secret; qbdesk did not read it."))
    dialog.sharing_note.setText(" ".join(notes))
    _focus_first_missing_secret(dialog)


def _focus_first_missing_secret(dialog: SettingsDialog) -> None:
    for form in dialog.forms.values():
        field = form.fields["client_secret"]
        if not field.isReadOnly() and not field.text() and not form.has_saved_secret:
            dialog.show_form(form.destination)
            field.setFocus()
            return
