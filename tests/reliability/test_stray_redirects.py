"""Any web page can send the browser to qbdesk's listener (an <img> with a made-up state is enough): the browser
is told no, and the sign-in the Create page waits for carries on as if nothing happened."""

from __future__ import annotations

import pytest
import requests
from PySide6.QtCore import Qt

from qbdesk.core.destinations import Destination
from qbdesk.ui.main_window import MainWindow

from browser_stand_in import BrowserStandIn, installed
from consent import approve_in_browser
from steps import walk_to_stage_two

pytestmark = pytest.mark.reliability


def test_a_made_up_redirect_leaves_the_waiting_create_page_alone(qtbot, world):
    context = world.open()
    window = MainWindow.opened(context)
    qtbot.addWidget(window)
    window.show()
    try:
        with installed(BrowserStandIn(decision=None)) as browser:
            page = walk_to_stage_two(qtbot, window, "Payroll")
            qtbot.mouseClick(page.sign_in.go_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: bool(browser.opened) and "Time left" in page.sign_in.time_left.text(),
                            timeout=15000)
            waiting = page.sign_in.status_text()

            listener = world.redirect_uri(Destination.SANDBOX)
            for query in ("code=planted&state=made-up", "error=access_denied&state=made-up", "code=x"):
                stray = requests.get(f"{listener}?{query}", timeout=10)
                assert stray.status_code == 400  # the browser that was sent there is told no
            qtbot.wait(300)  # anything announced would have reached the page by now

            assert page.sign_in.status_text() == waiting
            assert approve_in_browser(browser.opened[0]).status_code == 200
            qtbot.waitUntil(lambda: "Connected" in page.sign_in.status_text(), timeout=15000)
    finally:
        window.close()
        context.close()
