"""GUI fixtures: the main window on a real data folder, a browser stand-in, answered dialogs."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from qbdesk.ui import dialogs
from qbdesk.ui.main_window import MainWindow

from consent import approve_in_browser


class Browser(QObject):
    """Stands in for the system browser: records each URL and, when told, answers the consent page."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []
        self.decision: str | None = "connect"
        self.pages: list = []
        self.threads: list[threading.Thread] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        address = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
        self.opened.append(address)
        if self.decision is None:
            return
        decision = self.decision
        thread = threading.Thread(target=lambda: self.pages.append(approve_in_browser(address, decision)), daemon=True)
        self.threads.append(thread)
        thread.start()


@pytest.fixture
def browser(qapp):
    stand_in = Browser()
    for scheme in ("http", "https"):
        QDesktopServices.setUrlHandler(scheme, stand_in, "open")
    yield stand_in
    for scheme in ("http", "https"):
        QDesktopServices.unsetUrlHandler(scheme)
    for thread in stand_in.threads:
        thread.join(timeout=10)


class DialogAnswers:
    """Answers for dialogs.ask, in order; any unexpected dialog fails the test instead of blocking."""

    def __init__(self) -> None:
        self.answers: list[bool] = []
        self.asked: list[str] = []
        self.errors: list[str] = []
        self.texts: list[str | None] = []
        self.paths: list[str | None] = []
        self.problems: list[str | None] = []

    def ask(self, parent, title, text, confirm, cancel="Keep"):
        self.asked.append(text)
        assert self.answers, f"unexpected question: {title}"
        return self.answers.pop(0)

    def error(self, parent, title, text):
        self.errors.append(text)

    def ask_save_path(self, parent, title, suggested, file_filter):
        assert self.paths, f"unexpected save question: {title}"
        return self.paths.pop(0)

    def ask_text(self, parent, title, prompt, text, problem):
        self.asked.append(title)
        assert self.texts, f"unexpected text question: {title}"
        answer = self.texts.pop(0)
        if answer is not None:
            self.problems.append(problem(answer))
        return answer


@pytest.fixture(autouse=True)
def answered_dialogs(monkeypatch):
    answers = DialogAnswers()
    monkeypatch.setattr(dialogs, "ask", answers.ask)
    monkeypatch.setattr(dialogs, "error", answers.error)
    monkeypatch.setattr(dialogs, "ask_text", answers.ask_text)
    monkeypatch.setattr(dialogs, "ask_save_path", answers.ask_save_path)
    return answers


@pytest.fixture
def open_window(qtbot):
    """Opens MainWindow on a context; closes both at the end."""
    opened = []

    def factory(context):
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        opened.append((window, context))
        return window

    yield factory
    for window, context in opened:
        window.close()
        context.close()
