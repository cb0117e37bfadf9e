"""Settings: keys per destination, validation as typed values, secrets kept out of files, no keychain."""

from __future__ import annotations

import json

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from qbdesk.core.destinations import Destination
from qbdesk.services.context import AppContext
from qbdesk.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def context(tmp_path):
    opened = AppContext.open(tmp_path / "data", {})
    yield opened
    opened.close()


def fill(dialog, destination, **values):
    """Type values into a tab. These keys are made up and these tests are about storing them: the check with
    Intuit on Save has tests of its own, against the emulator (test_settings_key_check.py)."""
    dialog.check_on_save.setChecked(False)
    form = dialog.forms[destination]
    for name, value in values.items():
        form.fields[name].setText(value)


def test_saved_keys_enable_sign_in_and_the_secret_stays_in_the_keychain(qtbot, context, memory_keyring):
    assert "no Client ID yet" in context.signin.setup_problem(Destination.SANDBOX).cause
    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    fill(dialog, Destination.SANDBOX, client_id="ABC123", client_secret="s3cret-value",
         redirect_uri="http://localhost:8765/callback")
    with qtbot.waitSignal(dialog.saved):
        dialog.save()
    assert context.signin.setup_problem(Destination.SANDBOX) is None
    assert memory_keyring.secrets[("qbdesk", "client-secret/sandbox")] == "s3cret-value"
    assert "s3cret-value" not in (context.data_dir / "settings.json").read_text()


def test_bad_values_are_marked_and_nothing_is_saved(qtbot, context):
    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    fill(dialog, Destination.PRODUCTION, client_id="has space", redirect_uri="ftp://example.com/cb",
         discovery_url="http://example.com/.well-known")
    dialog.save()
    form = dialog.forms[Destination.PRODUCTION]
    assert "no spaces" in form.problems["client_id"].text()
    assert "https://" in form.problems["redirect_uri"].text()
    assert "https://" in form.problems["discovery_url"].text()
    assert "Correct the fields" in dialog.save_problem.text()
    assert not (context.data_dir / "settings.json").exists()


def test_environment_overrides_show_as_read_only(qtbot, tmp_path):
    context = AppContext.open(tmp_path / "data", {"QBDESK_SANDBOX_CLIENT_ID": "from-env"})
    try:
        dialog = SettingsDialog(context)
        qtbot.addWidget(dialog)
        field = dialog.forms[Destination.SANDBOX].fields["client_id"]
        assert field.text() == "from-env" and field.isReadOnly()
        assert "QBDESK_SANDBOX_CLIENT_ID" in field.toolTip()
    finally:
        context.close()


def press_save(qtbot, dialog):
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def test_without_a_keychain_the_app_says_so_and_a_file_is_used_only_when_allowed(qtbot, tmp_path, open_window):
    keyring.set_keyring(fail.Keyring())
    context = AppContext.open(tmp_path / "data", {})
    window = open_window(context)
    assert window.banners.vault.isVisibleTo(window)
    assert "No keychain is available" in window.banners.vault_message.text()

    window.open_settings()
    dialog = window.settings_dialog
    fill(dialog, Destination.SANDBOX, client_id="ABC", client_secret="file-secret",
         redirect_uri="http://localhost:8765/callback")
    press_save(qtbot, dialog)
    assert "No keychain is available" in dialog.save_problem.text()
    assert not (context.data_dir / "secrets.json").exists()

    dialog.secrets_in_file.setChecked(True)
    with qtbot.waitSignal(dialog.saved):
        press_save(qtbot, dialog)
    assert json.loads((context.data_dir / "secrets.json").read_text()) == {"client-secret/sandbox": "file-secret"}
    assert "anyone who can read your files" in window.banners.vault_message.text()
    assert context.signin.setup_problem(Destination.SANDBOX) is None


def test_the_empty_panel_points_to_settings_only_while_no_keys_exist(qtbot, context, open_window):
    window = open_window(context)
    assert "Set up Intuit app" in window.quickbooks_page.empty_message.text()
    window.open_settings()
    fill(window.settings_dialog, Destination.SANDBOX, client_id="ABC", client_secret="x",
         redirect_uri="http://localhost:8765/callback")
    press_save(qtbot, window.settings_dialog)
    assert "Set up Intuit app" not in window.quickbooks_page.empty_message.text()


def test_the_redirect_uri_is_explained_as_typed_with_intuits_rules(qtbot, context):
    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    form = dialog.forms[Destination.PRODUCTION]
    note = form.problems["redirect_uri"]
    form.fields["redirect_uri"].setText("http://localhost:8765/callback")
    assert "only https" in note.text()
    form.fields["redirect_uri"].setText("https://books.example.com/qbdesk/callback")
    assert "sign-in window" in note.text()
    dialog.prefer_system_browser.setChecked(True)
    assert "paste the address" in note.text()
    form.fields["redirect_uri"].setText("https://books.example.com/cb#x")
    assert "fragment" in note.text() or "user name" in note.text()


def test_a_client_secret_with_characters_intuit_never_issues_is_refused(qtbot, context):
    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    fill(dialog, Destination.SANDBOX, client_id="ABC", client_secret="s3cr\u20act",
         redirect_uri="http://localhost:8765/callback")
    dialog.save()
    assert "no spaces or special characters" in dialog.forms[Destination.SANDBOX].problems["client_secret"].text()
    assert context.settings.client_secret(Destination.SANDBOX) is None
