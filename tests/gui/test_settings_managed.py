"""A managed setup file drives a test machine: locked fields read-only, a hidden destination absent from
Stage 1 and Settings, a sign-in with the organisation's keys; a broken file shows a banner and the app runs.
Also Settings' Export setup and Import setup, round trip, never carrying a secret."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from qbdesk.core.destinations import Destination
from qbdesk.services.context import AppContext
from qbdesk.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.gui

FIELD_NAMES = ("client_id", "client_secret", "redirect_uri", "discovery_url", "api_base_url")


def organisation_file(tmp_path, world, destination=Destination.SANDBOX, hide=Destination.PRODUCTION, mode=0o640):
    """Move a destination's keys from the world's variables into a managed file that locks them all."""
    overrides = dict(world.overrides)
    values = {name: overrides.pop(f"{destination.env_prefix}{name.upper()}") for name in FIELD_NAMES}
    for name in FIELD_NAMES:
        overrides.pop(f"{hide.env_prefix}{name.upper()}", None)
    path = tmp_path / "managed.json"
    path.write_text(json.dumps({"qbdesk_setup": 1, "destinations": {
        destination.value: {**values, "locked": True}, hide.value: {"hidden": True}}}))
    path.chmod(mode)
    overrides["QBDESK_MANAGED_CONFIG"] = str(path)
    return overrides, values


def test_a_managed_file_sets_up_the_machine_and_the_user_signs_in(qtbot, tmp_path, world, open_window, browser):
    overrides, values = organisation_file(tmp_path, world)
    context = AppContext.open(world.data_dir, overrides)
    window = open_window(context)
    assert not window.banners.managed.isVisible()

    window.show_create()
    page = window.services.create_page
    assert not page.production_choice.isVisibleTo(page)  # production is hidden by the organisation
    assert page.sandbox_choice.isVisibleTo(page) and page.sandbox_choice.isChecked()
    assert not page.sandbox_hint.isVisibleTo(page)  # no choice left to explain
    qtbot.keyClicks(page.name_field, "Org Books")
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    assert not page.sign_in.setup_panel.isVisibleTo(page)
    qtbot.mouseClick(page.sign_in.go_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Connected" in page.sign_in.status_text(), timeout=15000)
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert window.quickbooks_page.visible_rows()[0][:2] == ["Org Books", "QuickBooks (Sandbox Mode)"]

    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    assert list(dialog.forms) == [Destination.SANDBOX]  # no tab for the hidden destination
    assert "set by your organisation" in dialog.managed_note.text()
    form = dialog.forms[Destination.SANDBOX]
    for name in FIELD_NAMES:
        assert form.fields[name].isReadOnly(), name
        assert form.fields[name].toolTip().startswith("Set by your organisation."), name
    assert form.fields["client_id"].text() == values["client_id"]
    assert form.fields["client_secret"].text() == ""  # the secret is used, never shown
    qtbot.keyClicks(form.fields["client_id"], "TYPED")  # read-only: typing changes nothing
    assert form.fields["client_id"].text() == values["client_id"]
    with qtbot.waitSignal(dialog.saved):
        dialog.save()
    assert context.settings.app(Destination.SANDBOX).client_id == values["client_id"]


def test_a_broken_managed_file_shows_a_banner_naming_it_and_the_app_runs(qtbot, tmp_path, world, open_window):
    path = tmp_path / "managed.json"
    path.write_text('{"qbdesk_setup": 1, "destinations": {"production": {"redirect_uri": "http://x.example/cb"}}}')
    window = open_window(AppContext.open(world.data_dir, {**world.overrides, "QBDESK_MANAGED_CONFIG": str(path)}))
    assert window.banners.managed.isVisible()
    text = window.banners.managed_message.text()
    assert str(path) in text and "cannot be used" in text and "https://" in text
    window.show_create()
    page = window.services.create_page
    assert page.production_choice.isVisibleTo(page) and page.sandbox_choice.isVisibleTo(page)
    dialog = SettingsDialog(window.services.context)
    qtbot.addWidget(dialog)
    assert str(path) in dialog.managed_note.text() and set(dialog.forms) == set(Destination)


@pytest.fixture
def plain_context(tmp_path):
    opened = AppContext.open(tmp_path / "data", {})
    yield opened
    opened.close()


def test_export_then_import_round_trips_without_secrets(qtbot, tmp_path, plain_context, answered_dialogs,
                                                        memory_keyring):
    exporter = SettingsDialog(plain_context)
    qtbot.addWidget(exporter)
    exporter.forms[Destination.PRODUCTION].fields["client_id"].setText("ProdID42")
    exporter.forms[Destination.PRODUCTION].fields["client_secret"].setText("ProdSecret99")
    exporter.forms[Destination.PRODUCTION].fields["redirect_uri"].setText("https://org.example/qb/callback")
    exporter.forms[Destination.SANDBOX].fields["client_id"].setText("SandID7")
    exporter.forms[Destination.SANDBOX].fields["redirect_uri"].setText("http://localhost:8765/callback")
    shared = tmp_path / "shared" / "qbdesk-setup.json"
    shared.parent.mkdir()
    answered_dialogs.paths.append(str(shared))
    qtbot.mouseClick(exporter.export_button, Qt.MouseButton.LeftButton)
    assert "Exported to" in exporter.sharing_note.text()
    assert "ProdSecret99" not in shared.read_text() and "secret" not in shared.read_text().lower()

    colleague = AppContext.open(tmp_path / "colleague", {})
    colleague.settings.save_app(colleague.settings.app(Destination.SANDBOX), client_secret="SandSecretOwn")
    try:
        importer = SettingsDialog(colleague)
        qtbot.addWidget(importer)
        importer.show_form(Destination.SANDBOX)
        answered_dialogs.open_paths.append(str(shared))
        qtbot.mouseClick(importer.import_button, Qt.MouseButton.LeftButton)
        production = importer.forms[Destination.PRODUCTION]
        assert production.fields["client_id"].text() == "ProdID42"
        assert production.fields["redirect_uri"].text() == "https://org.example/qb/callback"
        assert importer.forms[Destination.SANDBOX].fields["client_id"].text() == "SandID7"
        assert "Enter each Client Secret" in importer.sharing_note.text()
        assert importer.shown_form() is production  # Sandbox Mode has its secret: on to QuickBooks'
        production.fields["client_secret"].setText("ProdSecret99")  # typed by the colleague, asked separately
        with qtbot.waitSignal(importer.saved):
            importer.save()
        assert colleague.settings.app(Destination.PRODUCTION).client_id == "ProdID42"
        assert colleague.settings.client_secret(Destination.PRODUCTION) == "ProdSecret99"
    finally:
        colleague.close()


def test_import_refuses_a_hostile_file_and_skips_a_secret_and_locked_fields(qtbot, tmp_path, answered_dialogs):
    managed = tmp_path / "managed.json"
    managed.write_text(json.dumps({"qbdesk_setup": 1, "destinations": {
        "production": {"client_id": "ORGID", "locked": ["client_id"]}}}))
    context = AppContext.open(tmp_path / "data", {"QBDESK_MANAGED_CONFIG": str(managed)})
    try:
        dialog = SettingsDialog(context)
        qtbot.addWidget(dialog)
        hostile = tmp_path / "hostile.json"
        hostile.write_text(json.dumps({"qbdesk_setup": 1, "destinations": {
            "production": {"client_id": "X", "redirect_uri": "http://evil.example/cb"}}}))
        answered_dialogs.open_paths.append(str(hostile))
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        [error] = answered_dialogs.errors
        assert str(hostile) in error and "https://" in error and "Nothing was changed" in error
        production = dialog.forms[Destination.PRODUCTION]
        assert production.fields["client_id"].text() == "ORGID"

        with_secret = tmp_path / "with-secret.json"
        with_secret.write_text(json.dumps({"qbdesk_setup": 1, "destinations": {"production": {
            "client_id": "THEIRS", "client_secret": "LeakedSecret1", "redirect_uri": "https://their.example/cb"}}}))
        answered_dialogs.open_paths.append(str(with_secret))
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        assert production.fields["client_id"].text() == "ORGID"  # locked by the organisation: kept
        assert production.fields["redirect_uri"].text() == "https://their.example/cb"
        assert production.fields["client_secret"].text() == ""
        note = dialog.sharing_note.text()
        assert "set by your organisation or the environment were kept" in note and "did not read it" in note
    finally:
        context.close()
