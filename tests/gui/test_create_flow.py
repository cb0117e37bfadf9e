"""The create flow as a user walks it: Integrations → QuickBooks → Create → sign in → listed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from qbdesk.core.clock import FakeClock
from qbdesk.core.destinations import Destination
from qbdesk.ui.stage_indicator import CURRENT, DONE, UPCOMING

from steps import walk_to_stage_two
from world import make_world

pytestmark = pytest.mark.gui


def test_a_user_creates_a_credential_and_sees_it_listed(qtbot, world, open_window, browser):
    window = open_window(world.open())
    assert window.integrations_page.quickbooks_entry.text().endswith("No credentials yet")
    page = walk_to_stage_two(qtbot, window)
    assert page.indicator.states() == [DONE, CURRENT]
    assert not page.sign_in.setup_panel.isVisibleTo(page)
    assert "Authentication details are given on the QuickBooks website" in page.sign_in.info_label.text()

    qtbot.mouseClick(page.sign_in.go_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Connected" in page.sign_in.status_text(), timeout=15000)
    realm, company = world.emulator.companies[0].realm_id, world.emulator.companies[0].name
    assert f"{company} ({realm})" in page.sign_in.status_text()
    qtbot.waitUntil(lambda: bool(browser.pages), timeout=10000)  # the browser's page arrives just after
    assert len(browser.opened) == 1 and browser.pages[0].status_code == 200
    assert "Connected to QuickBooks" in browser.pages[0].text
    assert window.quickbooks_page.visible_rows()[0][0] == "Acme Books"

    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.quickbooks_page
    rows = window.quickbooks_page.visible_rows()
    assert [row[:4] for row in rows] == [
        ["Acme Books", "QuickBooks (Sandbox Mode)", f"{company} ({realm})", "Connected"]
    ]
    assert window.integrations_page.quickbooks_entry.text().endswith("1 credential")


def test_next_stays_disabled_until_the_name_is_valid_and_says_why(qtbot, world, open_window, browser):
    context = world.open()
    context.credentials.create_pending("Acme Books", Destination.SANDBOX)
    window = open_window(context)
    window.show_create()
    page = window.services.create_page
    assert page.indicator.states() == [CURRENT, UPCOMING]
    assert not page.next_button.isEnabled() and page.name_problem.text() == ""
    qtbot.keyClicks(page.name_field, "   ")
    assert not page.next_button.isEnabled() and "Enter a name" in page.name_problem.text()
    page.name_field.clear()
    qtbot.keyClicks(page.name_field, "ACME books")
    assert not page.next_button.isEnabled() and "already exists" in page.name_problem.text()
    qtbot.keyClick(page.name_field, Qt.Key.Key_Return)
    assert page.stages.currentIndex() == 0
    qtbot.keyClicks(page.name_field, " 2")
    assert page.next_button.isEnabled() and page.name_problem.text() == ""
    qtbot.keyClick(page.name_field, Qt.Key.Key_Return)
    assert page.stages.currentIndex() == 1


def test_create_before_sign_in_lists_incomplete_and_the_list_updates_when_it_finishes(
    qtbot, world, open_window, browser
):
    browser.decision = None  # the user has not approved yet
    window = open_window(world.open())
    page = walk_to_stage_two(qtbot, window, "Later Ltd")
    qtbot.mouseClick(page.sign_in.go_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(browser.opened), timeout=10000)
    qtbot.waitUntil(lambda: "Time left" in page.sign_in.time_left.text(), timeout=5000)
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert window.quickbooks_page.visible_rows()[0][0] == "Later Ltd (Incomplete)"
    assert window.quickbooks_page.visible_rows()[0][3].startswith("Incomplete")

    from consent import approve_in_browser

    assert approve_in_browser(browser.opened[0]).status_code == 200
    qtbot.waitUntil(lambda: window.quickbooks_page.visible_rows()[0][0] == "Later Ltd", timeout=10000)
    assert window.quickbooks_page.visible_rows()[0][3] == "Connected"


def test_denied_consent_is_explained_and_go_can_be_pressed_again(qtbot, world, open_window, browser):
    browser.decision = "cancel"
    window = open_window(world.open())
    page = walk_to_stage_two(qtbot, window)
    qtbot.mouseClick(page.sign_in.go_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not granted" in page.sign_in.status_text(), timeout=15000)
    assert page.sign_in.go_button.isEnabled()
    assert window.quickbooks_page.visible_rows()[0][0] == "Acme Books (Incomplete)"
    browser.decision = "connect"
    qtbot.mouseClick(page.sign_in.go_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Connected" in page.sign_in.status_text(), timeout=15000)


def test_incomplete_credential_disappears_at_expiry(qtbot, emulator, tmp_path, open_window, browser):
    browser.decision = None
    world = make_world(emulator, tmp_path / "data", ttl_seconds=2)
    window = open_window(world.open())
    assert not window.services.expiry.armed
    page = walk_to_stage_two(qtbot, window, "Short Lived")
    qtbot.mouseClick(page.sign_in.go_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(browser.opened), timeout=10000)
    assert window.services.expiry.armed
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert window.quickbooks_page.visible_rows()[0][0] == "Short Lived (Incomplete)"
    qtbot.waitUntil(lambda: window.quickbooks_page.visible_rows() == [], timeout=6000)
    assert not window.services.expiry.armed
    assert not window.services.context.signin.listening()


def test_the_timer_is_armed_for_the_next_expiry_only(qtbot, world, open_window):
    clock = FakeClock()
    context = world.open(clock)
    window = open_window(context)
    assert not window.services.expiry.armed
    context.credentials.create_pending("First", Destination.SANDBOX)
    clock.advance(120)
    context.credentials.create_pending("Second", Destination.SANDBOX)
    qtbot.waitUntil(lambda: window.services.expiry.armed)
    # First expires 600 s after creation, 120 s of which have passed.
    assert 479_000 <= window.services.expiry.interval_ms <= 481_000


def test_cancel_discards_the_pending_credential_after_asking(qtbot, world, open_window, browser, answered_dialogs):
    browser.decision = None
    window = open_window(world.open())
    page = walk_to_stage_two(qtbot, window, "Mistake")
    qtbot.mouseClick(page.sign_in.go_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(browser.opened), timeout=10000)
    answered_dialogs.answers = [False]
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is page
    answered_dialogs.answers = [True]
    qtbot.keyClick(page, Qt.Key.Key_Escape)
    assert "Mistake" in answered_dialogs.asked[-1]
    assert window.pages.currentWidget() is window.quickbooks_page
    assert window.quickbooks_page.visible_rows() == []
    assert window.services.context.credentials.list() == []


def test_missing_keys_are_explained_on_stage_two_with_the_guided_setup(qtbot, world, open_window):
    overrides = {k: v for k, v in world.overrides.items() if not k.startswith("QBDESK_PRODUCTION_")}
    from qbdesk.services.context import AppContext

    window = open_window(AppContext.open(world.data_dir, overrides))
    window.show_create()
    page = window.services.create_page
    qtbot.keyClicks(page.name_field, "Prod")
    page.production_choice.setChecked(True)
    qtbot.keyClick(page.name_field, Qt.Key.Key_Return)
    assert page.sign_in.setup_panel.isVisibleTo(page)
    assert "QuickBooks has no Client ID yet" in page.sign_in.setup_message.text()
    assert not page.sign_in.go_button.isEnabled()
    assert not page.sign_in.open_settings_button.isVisibleTo(page)
    qtbot.mouseClick(page.sign_in.setup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.setup_guide is not None and window.setup_guide.isVisible())
    assert window.setup_guide.destination is Destination.PRODUCTION
    window.setup_guide.reject()


def test_back_to_stage_one_and_rename_carries_over_to_the_pending_credential(qtbot, world, open_window, browser):
    browser.decision = None
    window = open_window(world.open())
    page = walk_to_stage_two(qtbot, window, "First Name")
    qtbot.mouseClick(page.sign_in.go_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(browser.opened), timeout=10000)
    qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    assert page.stages.currentIndex() == 0 and page.next_button.isEnabled()
    page.name_field.clear()
    qtbot.keyClicks(page.name_field, "Second Name")
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    assert [c.name for c in window.services.context.credentials.list()] == ["Second Name"]


def test_stage_one_works_from_the_keyboard_alone(qtbot, world, open_window):
    window = open_window(world.open())
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.integrations_page.quickbooks_entry, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.quickbooks_page
    assert window.focusWidget() is window.quickbooks_page.configure_button
    qtbot.keyClick(window.quickbooks_page.configure_button, Qt.Key.Key_Return)
    page = window.services.create_page
    assert window.focusWidget() is page.name_field
    qtbot.keyClicks(page.name_field, "Keyboard Co")
    qtbot.keyClick(page.name_field, Qt.Key.Key_Tab)
    assert window.focusWidget() is page.production_choice
    qtbot.keyClick(page.production_choice, Qt.Key.Key_Down)
    assert page.sandbox_choice.isChecked()
    qtbot.keyClick(page.sandbox_choice, Qt.Key.Key_Return)
    assert page.stages.currentIndex() == 1
    assert window.focusWidget() is page.sign_in.go_button
