"""Steps a user takes through the window, shared by the GUI tests."""

from __future__ import annotations

from PySide6.QtCore import Qt


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
