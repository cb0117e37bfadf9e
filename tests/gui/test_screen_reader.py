"""What a screen reader gets: a name and a role for every control, problems tied to their field, no
decoration read as text, and every outcome of an action announced."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QGuiApplication
from PySide6.QtWidgets import QLineEdit, QProgressBar, QWidget
from screens import WALKED, describe, open_screen, window_with_credentials

from steps import walk_to_stage_two

pytestmark = pytest.mark.gui

WITHOUT_MEANING = {QAccessible.Role.NoRole, QAccessible.Role.Client}


def interactive(top: QWidget) -> list[QWidget]:
    """Every control of the window, shown now or not, and the progress bars that report on work."""
    return [
        w for w in top.findChildren(QWidget)
        if w.window() is top and w.focusProxy() is None and not w.objectName().startswith(("qt_", "Scroll"))
        and (w.focusPolicy() & Qt.FocusPolicy.TabFocus or isinstance(w, QProgressBar))
    ]


def name_of(widget: QWidget) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name).strip()


def unnamed_controls(top: QWidget, inside_page: QWidget | None = None) -> list[str]:
    """Controls a screen reader could not name, or could not say what they are (leaving out what is inside
    a web page: the page's own HTML names that)."""
    problems = []
    for widget in interactive(top):
        if inside_page is not None and inside_page.isAncestorOf(widget):
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        name = name_of(widget)
        placeholder = widget.placeholderText() if isinstance(widget, QLineEdit) else ""
        if not any(c.isalpha() for c in name) or name == placeholder:
            problems.append(f"{describe(widget)} is read as {name!r}")
        if interface.role() in WITHOUT_MEANING:
            problems.append(f"{describe(widget)} has no role")
    return problems


@pytest.mark.parametrize("screen", WALKED)
def test_every_control_has_a_meaningful_name_and_role(qtbot, world, open_window, answered_dialogs, screen):
    window = window_with_credentials(qtbot, world, open_window)
    top = open_screen(qtbot, window, screen)
    assert not unnamed_controls(top)


@pytest.mark.webengine
def test_the_sign_in_window_names_its_controls(qtbot, emulator, open_signin):
    from PySide6.QtWebEngineWidgets import QWebEngineView
    from test_signin_window import authorization, wait_loaded

    window = open_signin(authorization(emulator).url)
    wait_loaded(qtbot, window)
    view = window.findChild(QWebEngineView)
    assert name_of(view) == "Sign-in page"
    assert not unnamed_controls(window, inside_page=view)


def test_the_name_problem_is_tied_to_the_name_field(qtbot, world, open_window, answered_dialogs):
    window = window_with_credentials(qtbot, world, open_window)
    open_screen(qtbot, window, "create-stage-1")
    page = window.services.create_page
    field = QAccessible.queryAccessibleInterface(page.name_field)
    page.name_field.setText("acme books")
    problem = page.name_problem.text()
    assert "already" in problem
    assert field.text(QAccessible.Text.Description) == problem
    page.name_field.setText("Acme Books 2")
    description = field.text(QAccessible.Text.Description)
    assert "100 characters" in description and description != page.name_field.placeholderText()


def test_stage_numbers_and_breadcrumb_arrows_are_not_read_as_text(qtbot, world, open_window, answered_dialogs):
    window = window_with_credentials(qtbot, world, open_window)
    open_screen(qtbot, window, "create-stage-2")
    indicator = window.services.create_page.indicator
    read = [name_of(w) for w in indicator.findChildren(QWidget) if name_of(w)]
    assert read == ["Stage 1, Select a system and name, completed", "Stage 2, Configure and create, current stage"]
    shown = [w for w in window.findChildren(QWidget) if w.isVisibleTo(window)]
    assert [w.text() for w in window.separators if w.isVisibleTo(window)] == ["\u203a", "\u203a"]  # still drawn
    assert not [describe(w) for w in shown if name_of(w) in ("\u203a", "1", "2", "\u2713")]


class Announcements:
    """What qbdesk asked screen readers to announce, seen at Qt's call."""

    def __init__(self, monkeypatch) -> None:
        self.heard: list[tuple[str, QAccessible.AnnouncementPoliteness, QWidget]] = []
        real = QAccessible.updateAccessibility

        def update(event) -> None:
            if isinstance(event, QAccessibleAnnouncementEvent):
                self.heard.append((event.message(), event.politeness(), event.object()))
            real(event)

        monkeypatch.setattr(QAccessible, "updateAccessibility", staticmethod(update))

    def said(self, words: str) -> bool:
        return any(words in message for message, _, _ in self.heard)


@pytest.fixture
def announcements(monkeypatch):
    return Announcements(monkeypatch)


def test_test_copy_rename_and_delete_are_announced(qtbot, world, open_window, answered_dialogs, announcements):
    window = window_with_credentials(qtbot, world, open_window)
    actions = window.services.actions
    company = world.emulator.companies[0]
    actions.test.trigger()
    qtbot.waitUntil(lambda: announcements.said(f"connected to {company.name}"), timeout=10000)
    actions.copy_realm.trigger()
    assert QGuiApplication.clipboard().text() == company.realm_id
    assert announcements.said("Copied the realm id of \u201cAcme Books\u201d")
    answered_dialogs.texts = ["Acme Holdings"]
    actions.rename.trigger()
    assert announcements.said("Renamed to \u201cAcme Holdings\u201d")
    answered_dialogs.answers = [True]
    actions.delete.trigger()
    qtbot.waitUntil(lambda: announcements.said("Deleted \u201cAcme Holdings\u201d: revoked at Intuit"), timeout=10000)
    assert all(source.window() is window for _, _, source in announcements.heard)
    assert window.statusBar().currentMessage() == announcements.heard[-1][0]  # what is shown is what is read


def test_the_sign_in_result_is_announced(qtbot, world, open_window, browser, announcements):
    window = open_window(world.open())
    page = walk_to_stage_two(qtbot, window)
    qtbot.mouseClick(page.sign_in.go_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Connected" in page.sign_in.status_text(), timeout=15000)
    message, politeness, source = announcements.heard[-1]
    assert message == page.sign_in.status_text() and message.startswith("Connected to ")
    assert politeness is QAccessible.AnnouncementPoliteness.Polite and source is page.sign_in.status_message
