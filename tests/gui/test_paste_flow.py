"""Production sign-in through the system browser, with the address pasted back into Stage 2."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from consent import consent_redirect
from steps import walk_to_stage_two

pytestmark = pytest.mark.gui


@pytest.fixture
def paste_window(world, open_window, browser):
    context = world.open()
    context.settings.save_prefer_system_browser(True)
    browser.decision = None  # the user answers Intuit's page by hand
    return open_window(context)


def start_paste_sign_in(qtbot, window, browser):
    page = walk_to_stage_two(qtbot, window, "Prod Books", sandbox=False)
    assert "paste it here" in page.sign_in.plan_label.text()
    qtbot.mouseClick(page.sign_in.go_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(browser.opened), timeout=10000)
    qtbot.waitUntil(lambda: page.sign_in.paste_panel.isVisibleTo(page), timeout=5000)
    return page


def test_pasting_the_address_connects_the_credential(qtbot, paste_window, browser, world):
    page = start_paste_sign_in(qtbot, paste_window, browser)
    assert "copy the address" in page.sign_in.status_text()
    address = consent_redirect(browser.opened[0])
    qtbot.keyClicks(page.sign_in.paste_field, address)
    qtbot.keyClick(page.sign_in.paste_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Connected" in page.sign_in.status_text(), timeout=15000)
    assert not page.sign_in.paste_panel.isVisibleTo(page)
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert paste_window.quickbooks_page.visible_rows()[0][:2] == ["Prod Books", "QuickBooks"]


def test_a_wrong_paste_is_explained_and_the_right_one_still_works(qtbot, paste_window, browser):
    page = start_paste_sign_in(qtbot, paste_window, browser)
    qtbot.keyClicks(page.sign_in.paste_field, "https://appcenter.intuit.com/connect/oauth2?code=x")
    qtbot.mouseClick(page.sign_in.paste_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not your Redirect URI" in page.sign_in.status_text(), timeout=5000)
    assert page.sign_in.paste_panel.isVisibleTo(page)
    page.sign_in.paste_field.setText(consent_redirect(browser.opened[0]))
    qtbot.mouseClick(page.sign_in.paste_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Connected" in page.sign_in.status_text(), timeout=15000)


def test_a_denied_consent_pasted_back_is_explained(qtbot, paste_window, browser):
    page = start_paste_sign_in(qtbot, paste_window, browser)
    page.sign_in.paste_field.setText(consent_redirect(browser.opened[0], decision="cancel"))
    qtbot.mouseClick(page.sign_in.paste_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not granted" in page.sign_in.status_text(), timeout=5000)
    assert page.sign_in.go_button.isEnabled()
