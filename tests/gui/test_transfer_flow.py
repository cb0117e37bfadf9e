"""File › Move credentials to another computer… and File › Import credentials…, between two data folders."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from qbdesk.core.destinations import Destination
from qbdesk.services.transfer import passphrase_problem
from qbdesk.store.vault import load_tokens
from qbdesk.ui import dialogs
from qbdesk.ui.transfer_dialogs import ImportDialog, MoveDialog, PassphraseDialog

from consent import approve_in_browser
from world import World

pytestmark = pytest.mark.gui

PASSPHRASE = "correct horse battery staple"


def connect(context, name):
    credential = context.credentials.create_pending(name, Destination.SANDBOX)
    assert approve_in_browser(context.signin.begin(credential.id).url).status_code == 200
    return credential.id


class TransferAnswers:
    """What the person answers in the move and import dialogs; what they were told."""

    def __init__(self) -> None:
        self.move: tuple[list[str], bool] | None = None
        self.open_path: str | None = None
        self.passphrases: list[str | None] = []
        self.import_choices: dict[str, str] | None = {}
        self.shown: list[tuple[str, list[str], list[str]]] = []
        self.told: list[str] = []
        self.items: list[tuple[str, str]] = []

    def choose(self, parent, items):
        self.items = items
        return self.move

    def passphrase(self, parent, title, prompt, confirm, problem):
        assert self.passphrases, f"unexpected passphrase question: {title}"
        answer = self.passphrases.pop(0)
        assert answer is None or not confirm or problem(answer) is None
        return answer

    def confirm_import(self, parent, summary, rows, conflicts):
        self.shown.append((summary, rows, conflicts))
        return self.import_choices

    def inform(self, parent, title, text):
        self.told.append(text)


@pytest.fixture
def answers(monkeypatch):
    given = TransferAnswers()
    monkeypatch.setattr(dialogs, "choose_credentials_to_move", given.choose)
    monkeypatch.setattr(dialogs, "ask_passphrase", given.passphrase)
    monkeypatch.setattr(dialogs, "ask_open_path", lambda parent, title, file_filter: given.open_path)
    monkeypatch.setattr(dialogs, "confirm_import", given.confirm_import)
    monkeypatch.setattr(dialogs, "inform", given.inform)
    return given


@pytest.fixture
def old_window(world, open_window):
    window = open_window(world.open())
    window.show_quickbooks()
    return window


@pytest.fixture
def new_window(world, open_window, tmp_path):
    """A window on a second data folder with the same Intuit app keys: the new computer."""
    window = open_window(World(world.emulator, tmp_path / "new", world.overrides).open())
    window.show_quickbooks()
    return window


def names(window) -> list[str]:
    return sorted(c.name for c in window.model.credentials())


def file_menu_entries(window) -> list[str]:
    [menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&File"]
    return [a.text() for a in menu.actions()]


def test_the_file_menu_offers_move_and_import(old_window):
    entries = file_menu_entries(old_window)
    assert "&Move credentials to another computer\u2026" in entries and "&Import credentials\u2026" in entries


def test_a_credential_moved_in_the_window_is_gone_here_and_works_on_the_new_computer(
        qtbot, old_window, new_window, answers, answered_dialogs, tmp_path):
    old = old_window.services.context
    acme, beta = connect(old, "Acme"), connect(old, "Beta")
    qtbot.waitUntil(lambda: names(old_window) == ["Acme", "Beta"])
    path = str(tmp_path / "laptop.qbdesk")
    answers.move = ([acme], True)
    answered_dialogs.paths.append(path)
    answers.passphrases.append(PASSPHRASE)
    with qtbot.waitSignal(_flow(old_window).ended, timeout=30000):
        old_window.move_credentials()
    assert [label for _, label in answers.items][0].startswith("Acme \u2014 QuickBooks (Sandbox Mode)")
    assert answers.told[-1].startswith("1 credential(s) saved to laptop.qbdesk and removed from this computer")
    qtbot.waitUntil(lambda: names(old_window) == ["Beta"])
    assert load_tokens(old.vault, acme) is None and load_tokens(old.vault, beta) is not None

    new = new_window.services.context
    connect(new, "Acme")  # a name already used on the new computer
    answers.open_path = path
    answers.passphrases.append(PASSPHRASE)
    answers.import_choices = {"Acme": "rename"}
    with qtbot.waitSignal(_flow(new_window).ended, timeout=30000):
        new_window.import_credentials()
    summary, rows, conflicts = answers.shown[-1]
    assert summary == "laptop.qbdesk holds 1 credential(s):" and conflicts == ["Acme"]
    assert rows[0].startswith("Acme \u2014 QuickBooks (Sandbox Mode)")
    assert answers.told[-1] == "1 credential(s) imported."
    qtbot.waitUntil(lambda: names(new_window) == ["Acme", "Acme (2)"])
    [moved] = [c for c in new.credentials.list() if c.name == "Acme (2)"]
    assert new.tokens.refresh(moved.id).status.value == "connected"  # its refresh token works at Intuit
    assert answered_dialogs.errors == []


def _flow(window):
    """The window's move and import flow, made before it is first used so its signal can be awaited."""
    window.ready_transfer_flow()
    return window.transfer_flow


def test_a_wrong_passphrase_is_said_plainly_and_nothing_is_imported(qtbot, old_window, new_window, answers,
                                                                    answered_dialogs, tmp_path):
    connect(old_window.services.context, "Acme")
    path = str(tmp_path / "laptop.qbdesk")
    answers.move = ([c.id for c in old_window.services.context.credentials.list()], False)
    answered_dialogs.paths.append(path)
    answers.passphrases += [PASSPHRASE, "not the passphrase"]
    with qtbot.waitSignal(_flow(old_window).ended, timeout=30000):
        old_window.move_credentials()
    assert "They stay on this computer too" in answers.told[-1]
    answers.open_path = path
    with qtbot.waitSignal(_flow(new_window).ended, timeout=30000):
        new_window.import_credentials()
    assert answered_dialogs.errors == ["The passphrase does not open this file. Check it and try again."]
    assert answers.shown == [] and new_window.services.context.credentials.list() == []


def test_the_passphrase_dialog_accepts_only_a_long_enough_passphrase_typed_twice(qtbot):
    dialog = PassphraseDialog("Passphrase", "Choose one.", True, passphrase_problem)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.keyClicks(dialog.passphrase, "short")
    assert not ok.isEnabled() and "at least 10 characters" in dialog.reason.text()
    dialog.passphrase.setText(PASSPHRASE)
    qtbot.keyClicks(dialog.again, PASSPHRASE[:-1])
    assert not ok.isEnabled() and dialog.reason.text() == "Type the same passphrase twice."
    qtbot.keyClicks(dialog.again, PASSPHRASE[-1])
    assert ok.isEnabled() and dialog.reason.text() == ""
    assert dialog.passphrase.echoMode() == dialog.passphrase.EchoMode.Password


def test_the_move_dialog_returns_the_checked_credentials(qtbot):
    dialog = MoveDialog([("a", "Acme"), ("b", "Beta")])
    qtbot.addWidget(dialog)
    assert dialog.chosen() == ["a", "b"] and dialog.remove_here.isChecked()
    dialog.credential_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.chosen() == ["b"]
    dialog.credential_list.item(1).setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_the_import_dialog_asks_about_each_name_in_use(qtbot):
    dialog = ImportDialog("f holds 2 credential(s):", ["Acme", "Beta"], ["Acme"])
    qtbot.addWidget(dialog)
    assert dialog.chosen() == {"Acme": "rename"}
    dialog.choices["Acme"].setCurrentIndex(2)
    assert dialog.chosen() == {"Acme": "replace"}


def test_a_long_name_in_use_stays_beside_its_choice_at_large_text(qtbot):
    """The name each choice is about is shown, however long it is and however large the text."""
    from screens import LONG_NAME, text_size

    with text_size(16):
        dialog = ImportDialog("credentials.qbdesk holds 1 credential(s):", [LONG_NAME], [LONG_NAME])
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        shown = [label for label in dialog.findChildren(QLabel) if label.buddy() is dialog.choices[LONG_NAME]]
        assert shown and shown[0].isVisible()
        assert shown[0].width() >= shown[0].fontMetrics().horizontalAdvance("Northwind Traders"), shown[0].width()
        assert shown[0].mapTo(dialog, shown[0].rect().topRight()).x() < dialog.width()  # ends in "…", not cut off
