"""Guided setup from a fresh data folder with no keys: the Redirect URI to register, keys checked, then a credential."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from qbdesk.core.destinations import Destination
from qbdesk.services.context import AppContext
from qbdesk.store.settings import env_name

from steps import walk_to_stage_two

pytestmark = pytest.mark.gui

# Shaped like Intuit's: a Client ID of 50 letters and digits starting with AB, a Client Secret of 40.
CLIENT_ID = "ABq7Rk2Lm9Xv4Tn8Wc3Pz6Hs1Jd5Fg0Yb7Ne2Ku9Ma4Qt6Vx3"
CLIENT_SECRET = "w3Rt8Yp2Lk6Hn9Bv4Cx7Zq1Mj5Gf0Ds3Ae8Tu2Io"


@pytest.fixture
def fresh(emulator, tmp_path):
    """An empty data folder whose only settings say where the emulator is: no Client ID, no secret."""
    addresses = {
        env_name(Destination.SANDBOX, "discovery_url"): emulator.discovery_url("sandbox"),
        env_name(Destination.SANDBOX, "api_base_url"): emulator.api_base_url("sandbox"),
    }
    return AppContext.open(tmp_path / "data", addresses)


def paste(qtbot, field, text):
    """Paste as a user does: through the clipboard, with whatever the copy brought along."""
    QGuiApplication.clipboard().setText(text)
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def check(qtbot, guide):
    qtbot.mouseClick(guide.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not guide.check_panel.running, timeout=15000)
    return guide.check_panel.result.text()


def test_first_start_welcomes_with_the_guided_setup(qtbot, fresh, open_window):
    window = open_window(fresh)
    assert window.integrations_page.welcome.isVisible()
    qtbot.mouseClick(window.integrations_page.setup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.setup_guide is not None and window.setup_guide.isVisible())
    guide = window.setup_guide
    assert guide.destination is Destination.PRODUCTION
    assert guide.redirect_field.text().startswith("https://")
    assert "Nothing has to answer" in guide.redirect_reason.text()
    assert "com.intuit.quickbooks.accounting" in guide.step_app.text()
    guide.reject()


def test_from_no_keys_to_a_named_credential_through_the_guide(qtbot, fresh, open_window, browser, emulator):
    window = open_window(fresh)
    page = walk_to_stage_two(qtbot, window, "Bakery")
    assert not page.sign_in.go_button.isEnabled() and page.sign_in.setup_button.isVisible()
    qtbot.mouseClick(page.sign_in.setup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.setup_guide is not None and window.setup_guide.isVisible())
    guide = window.setup_guide
    assert guide.destination is Destination.SANDBOX

    # The user registers the proposed Redirect URI for their app at Intuit, copied with the Copy button.
    qtbot.mouseClick(guide.copy_button, Qt.MouseButton.LeftButton)
    redirect_uri = QGuiApplication.clipboard().text()
    assert redirect_uri == guide.redirect_field.text() and redirect_uri.startswith("http://localhost:")
    emulator.register_client(CLIENT_ID, CLIENT_SECRET, [redirect_uri], "sandbox")

    # The secret pasted where the Client ID goes is caught before Intuit is asked.
    paste(qtbot, guide.client_id, CLIENT_SECRET)
    calls = emulator.token_calls
    qtbot.mouseClick(guide.check_button, Qt.MouseButton.LeftButton)
    assert "looks like a Client Secret" in guide.problem.text() and emulator.token_calls == calls

    # Stray spaces and line breaks from the copy are dropped; a wrong secret is told apart from a right one.
    paste(qtbot, guide.client_id, f"  {CLIENT_ID}\n")
    assert guide.client_id.text() == CLIENT_ID
    paste(qtbot, guide.client_secret, CLIENT_SECRET[:-1] + "X")
    assert "Wrong Client ID or Client Secret" in check(qtbot, guide)
    assert not fresh.settings.has_client_secret(Destination.SANDBOX)
    paste(qtbot, guide.client_secret, f"{CLIENT_SECRET}\r\n")
    assert "Keys accepted" in check(qtbot, guide)
    with qtbot.waitSignal(guide.saved, timeout=15000):
        qtbot.mouseClick(guide.save_button, Qt.MouseButton.LeftButton)
    assert not guide.isVisible()
    assert fresh.settings.app(Destination.SANDBOX).client_id == CLIENT_ID
    assert fresh.settings.app(Destination.SANDBOX).redirect_uri == redirect_uri
    assert fresh.settings.client_secret(Destination.SANDBOX) == CLIENT_SECRET

    # Stage 2 can sign in now; the list names the company without Test connection.
    assert page.sign_in.go_button.isEnabled() and not page.sign_in.setup_panel.isVisibleTo(page)
    qtbot.mouseClick(page.sign_in.go_button, Qt.MouseButton.LeftButton)
    company = emulator.companies[0]
    qtbot.waitUntil(lambda: "Connected" in page.sign_in.status_text(), timeout=15000)
    assert page.sign_in.status_text() == f"Connected to {company.name} ({company.realm_id})."
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    rows = window.quickbooks_page.visible_rows()
    assert [row[:4] for row in rows] == [
        ["Bakery", "QuickBooks (Sandbox Mode)", f"{company.name} ({company.realm_id})", "Connected"]
    ]
    assert not window.integrations_page.welcome.isVisible()


def test_a_redirect_uri_of_ones_own_is_held_to_intuits_rules(qtbot, fresh, open_window):
    window = open_window(fresh)
    window.open_setup_guide(Destination.PRODUCTION)
    guide = window.setup_guide
    guide.redirect_field.clear()
    qtbot.keyClicks(guide.redirect_field, "http://localhost:8765/callback")
    qtbot.keyClicks(guide.client_id, CLIENT_ID)
    qtbot.keyClicks(guide.client_secret, CLIENT_SECRET)
    qtbot.mouseClick(guide.save_button, Qt.MouseButton.LeftButton)
    assert "only https" in guide.problem.text() and guide.isVisible()
    assert fresh.settings.app(Destination.PRODUCTION).client_id == ""
    guide.reject()


def _in_view(guide, widget) -> bool:
    """Whether the whole of `widget` shows inside the guide's scrolling steps."""
    viewport = guide.steps_area.viewport()
    top_left = widget.mapTo(viewport, widget.rect().topLeft())
    return viewport.rect().contains(top_left) and viewport.rect().contains(top_left + widget.rect().bottomRight())


def test_the_verdict_and_a_problem_scroll_into_view_below_the_steps(qtbot, fresh, open_window, emulator):
    window = open_window(fresh)
    window.open_setup_guide(Destination.SANDBOX)
    guide = window.setup_guide
    guide.resize(guide.width(), 420)  # a short screen: the steps scroll
    qtbot.waitUntil(guide.isVisible)
    emulator.register_client(CLIENT_ID, CLIENT_SECRET, [guide.redirect_field.text()], "sandbox")
    guide.client_id.setText(CLIENT_SECRET)
    qtbot.mouseClick(guide.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _in_view(guide, guide.problem), timeout=5000)
    guide.client_id.setText(CLIENT_ID)
    guide.client_secret.setText(CLIENT_SECRET[:-1] + "X")
    guide.steps_area.verticalScrollBar().setValue(0)  # the user went back up to read the steps
    assert "Wrong Client ID or Client Secret" in check(qtbot, guide)
    qtbot.waitUntil(lambda: _in_view(guide, guide.check_panel.result), timeout=5000)
    guide.reject()
