"""Settings checks new keys with Intuit on Save, off the GUI thread, and says which destination's keys are wrong."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from qbdesk.core.destinations import Destination
from qbdesk.services.context import AppContext
from qbdesk.store.settings import env_name
from qbdesk.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def context(emulator, tmp_path):
    """No keys yet; the sandbox addresses point at the emulator, where the app is registered."""
    emulator.register_client("check-client", "check-secret", ["http://localhost:8765/callback"], "sandbox")
    opened = AppContext.open(tmp_path / "data", {
        env_name(Destination.SANDBOX, "discovery_url"): emulator.discovery_url("sandbox"),
        env_name(Destination.SANDBOX, "api_base_url"): emulator.api_base_url("sandbox"),
    })
    yield opened
    opened.close()


def save_sandbox_keys(qtbot, dialog, client_id, client_secret):
    form = dialog.forms[Destination.SANDBOX]
    form.fields["client_id"].setText(client_id)
    form.fields["client_secret"].setText(client_secret)
    form.fields["redirect_uri"].setText("http://localhost:8765/callback")
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert not dialog.buttons.isEnabled() or not dialog.isVisible()  # the check runs; Save waits for it
    qtbot.waitUntil(lambda: not dialog.key_check.running, timeout=15000)


def test_wrong_keys_are_saved_but_the_dialog_stays_open_and_says_so(qtbot, context):
    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    save_sandbox_keys(qtbot, dialog, "check-client", "not-the-secret")
    assert dialog.isVisible() and dialog.buttons.isEnabled()
    assert dialog.shown_form() is dialog.forms[Destination.SANDBOX]
    text = dialog.key_check.result.text()
    assert text.startswith("Saved. QuickBooks (Sandbox Mode): Wrong Client ID or Client Secret.")
    assert "not-the-secret" not in text


def test_right_keys_close_settings_once_intuit_accepts_them(qtbot, context):
    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    save_sandbox_keys(qtbot, dialog, "check-client", "check-secret")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert context.settings.client_secret(Destination.SANDBOX) == "check-secret"


def test_the_guided_setup_opens_from_settings_and_its_keys_show_there(qtbot, context):
    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    form = dialog.forms[Destination.SANDBOX]
    qtbot.mouseClick(form.guide_button, Qt.MouseButton.LeftButton)
    guide = dialog.guide
    assert guide.isVisible() and guide.destination is Destination.SANDBOX
    guide.client_id.setText("check-client")
    guide.client_secret.setText("check-secret")
    with qtbot.waitSignal(guide.saved, timeout=15000):
        qtbot.mouseClick(guide.save_button, Qt.MouseButton.LeftButton)
    assert form.fields["client_id"].text() == "check-client"
    assert form.fields["redirect_uri"].text() == guide.redirect_field.text()
    assert form.fields["client_secret"].text() == "" and "Saved" in form.fields["client_secret"].placeholderText()


def test_keys_pasted_into_each_others_field_are_caught_before_saving(qtbot, context):
    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    form = dialog.forms[Destination.SANDBOX]
    form.fields["client_id"].setText("w3Rt8Yp2Lk6Hn9Bv4Cx7Zq1Mj5Gf0Ds3Ae8Tu2Io")  # 40 characters: a secret
    form.fields["client_secret"].setText("ABq7Rk2Lm9Xv4Tn8Wc3Pz6Hs1Jd5Fg0Yb7Ne2Ku9Ma4Qt6Vx3")  # starts AB: an id
    form.fields["redirect_uri"].setText("http://localhost:8765/callback")
    dialog.save()
    assert "looks like a Client Secret" in form.problems["client_id"].text()
    assert context.settings.app(Destination.SANDBOX).client_id == ""
