"""Terms a finance user may not know are explained where they appear, and Settings says what is optional."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from screens import describe, open_screen, window_with_credentials

from qbdesk.core.credential import Health
from qbdesk.core.destinations import Destination
from qbdesk.ui.glossary import TERMS, meaning

pytestmark = pytest.mark.gui


def texts_with_terms(top: QWidget) -> list[tuple[QWidget, str]]:
    """Each label or button of the window that shows a glossary term, with the term."""
    found = []
    for widget in [*top.findChildren(QLabel), *top.findChildren(QAbstractButton)]:
        for term in TERMS:
            if term.lower() in widget.text().lower():
                found.append((widget, term))
    return found


@pytest.mark.parametrize("screen", ["credentials", "settings"])
def test_every_term_shown_carries_its_meaning(qtbot, world, open_window, answered_dialogs, screen):
    window = window_with_credentials(qtbot, world, open_window)
    top = open_screen(qtbot, window, screen)
    shown = texts_with_terms(top)
    assert shown
    unexplained = [f"{describe(w)} says {term}" for w, term in shown if meaning(term) not in w.toolTip()]
    assert not unexplained, unexplained


def test_settings_explains_its_addresses_and_says_what_is_optional(qtbot, world, open_window, answered_dialogs):
    window = window_with_credentials(qtbot, world, open_window)
    settings = open_screen(qtbot, window, "settings")
    seen = set()
    for destination, form in settings.forms.items():
        for name, term in (("redirect_uri", "Redirect URI"), ("discovery_url", "Discovery document"),
                           ("api_base_url", "QuickBooks API URL")):
            assert meaning(term) in form.fields[name].toolTip()
        labels = [w.text() for w in form.findChildren(QLabel)]
        assert "Discovery document URL (optional)" in labels and "QuickBooks API URL (optional)" in labels
        assert any("optional can stay empty" in text for text in labels)
        if destination is Destination.SANDBOX:  # a localhost Redirect URI: the sign-in comes back to a listener
            note = form.problems["redirect_uri"]
            assert "listener" in note.text() and note.toolTip() == meaning("Listener")
            seen.add("Listener")
    assert seen == {"Listener"}
    assert meaning("Keychain") in settings.secrets_in_file.toolTip()


def test_offline_unknown_is_explained_in_the_filter_and_the_details(qtbot, world, open_window):
    window = window_with_credentials(qtbot, world, open_window)
    page = window.quickbooks_page
    entry = page.state_filter.findText("Offline-unknown")
    assert page.state_filter.itemData(entry, Qt.ItemDataRole.ToolTipRole) == meaning("Offline-unknown")
    offline = dataclasses.replace(page.selected(), health=Health.OFFLINE)
    page.details.show_credential(offline)
    assert page.details.values["State"].text() == "Offline-unknown"
    assert page.details.values["State"].toolTip() == meaning("Offline-unknown")
    page.details.show_credential(dataclasses.replace(offline, health=Health.OK))
    assert page.details.values["State"].toolTip() == ""
