"""Production sign-in through qbdesk's own sign-in window, from the Create page to the list."""

from __future__ import annotations

import os

os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from steps import walk_to_stage_two

pytestmark = [pytest.mark.gui, pytest.mark.webengine]
LOAD_MS = 15000


def open_sign_in_window(qtbot, window):
    from qbdesk.ui.signin_window import SignInWindow

    page = walk_to_stage_two(qtbot, window, "Prod Ltd", sandbox=False)
    assert "sign-in window" in page.sign_in.plan_label.text()
    qtbot.mouseClick(page.sign_in.go_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(isinstance(w, SignInWindow) and w.isVisible() for w in QApplication.topLevelWidgets()),
                    timeout=LOAD_MS)
    signin = next(w for w in QApplication.topLevelWidgets() if isinstance(w, SignInWindow) and w.isVisible())
    qtbot.waitSignal(signin.page.loadFinished, timeout=LOAD_MS).wait()
    return page, signin


def test_connect_in_the_sign_in_window_lists_the_credential(qtbot, world, open_window, browser):
    window = open_window(world.open())
    page, signin = open_sign_in_window(qtbot, window)
    assert browser.opened == []  # the system browser is not used
    calls = world.emulator.token_calls
    signin.page.runJavaScript("document.querySelector('button[value=connect]').click()")
    qtbot.waitUntil(lambda: "Connected" in page.sign_in.status_text(), timeout=LOAD_MS)
    assert world.emulator.token_calls == calls + 1
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    rows = window.quickbooks_page.visible_rows()
    company = world.emulator.companies[0]
    assert rows[0][:3] == ["Prod Ltd", "QuickBooks", f"{company.name} ({company.realm_id})"]


def test_closing_the_sign_in_window_early_keeps_the_credential_incomplete(qtbot, world, open_window, browser):
    window = open_window(world.open())
    page, signin = open_sign_in_window(qtbot, window)
    signin.close()
    qtbot.waitUntil(lambda: "closed before you finished" in page.sign_in.status_text(), timeout=5000)
    assert page.sign_in.go_button.isEnabled()
    assert window.quickbooks_page.visible_rows()[0][0] == "Prod Ltd (Incomplete)"
