"""Steps a user takes through the window, shared by the GUI tests."""

from __future__ import annotations

from PySide6.QtCore import Qt

from qbdesk.core.destinations import Destination

from consent import approve_in_browser


def connect(context, name, destination=Destination.SANDBOX):
    """A credential signed in at the emulator (sandbox) or left pending (production); returns its id."""
    credential = context.credentials.create_pending(name, destination)
    if destination is Destination.SANDBOX:
        assert approve_in_browser(context.signin.begin(credential.id).url).status_code == 200
    return credential.id


def walk_to_stage_two(qtbot, window, name="Acme Books", sandbox=True):
    qtbot.mouseClick(window.integrations_page.quickbooks_entry, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.quickbooks_page
    qtbot.mouseClick(window.quickbooks_page.configure_button, Qt.MouseButton.LeftButton)
    page = window.services.create_page
    assert window.pages.currentWidget() is page
    assert page.system_field.text() == "QuickBooks" and page.system_field.isReadOnly()
    qtbot.keyClicks(page.name_field, name)
    (page.sandbox_choice if sandbox else page.production_choice).setChecked(True)
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    assert page.stages.currentIndex() == 1
    return page
