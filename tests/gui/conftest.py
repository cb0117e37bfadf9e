"""GUI fixtures: the main window on a real data folder, a browser stand-in, answered dialogs."""

from __future__ import annotations

import pytest

from qbdesk.ui import dialogs
from qbdesk.ui.main_window import MainWindow

from browser_stand_in import BrowserStandIn, installed


@pytest.fixture
def browser(qapp):
    """The system browser replaced by a stand-in that approves Intuit's consent page."""
    with installed(BrowserStandIn()) as stand_in:
        yield stand_in


class DialogAnswers:
    """Answers for dialogs.ask, in order; any unexpected dialog fails the test instead of blocking."""

    def __init__(self) -> None:
        self.answers: list[bool] = []
        self.asked: list[str] = []
        self.errors: list[str] = []
        self.texts: list[str | None] = []
        self.paths: list[str | None] = []
        self.open_paths: list[str | None] = []
        self.problems: list[str | None] = []
        self.prompts: list[tuple[str, str, str]] = []  # ask_text's title, prompt and starting text

    def ask(self, parent, title, text, confirm, cancel="Keep"):
        self.asked.append(text)
        assert self.answers, f"unexpected question: {title}"
        return self.answers.pop(0)

    def error(self, parent, title, text):
        self.errors.append(text)

    def ask_save_path(self, parent, title, suggested, file_filter):
        assert self.paths, f"unexpected save question: {title}"
        return self.paths.pop(0)

    def ask_open_path(self, parent, title, file_filter):
        assert self.open_paths, f"unexpected open question: {title}"
        return self.open_paths.pop(0)

    def ask_text(self, parent, title, prompt, text, problem):
        self.asked.append(title)
        self.prompts.append((title, prompt, text))
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
    monkeypatch.setattr(dialogs, "ask_open_path", answers.ask_open_path)
    return answers


@pytest.fixture
def open_window(qtbot):
    """Opens MainWindow on a context; closes both at the end."""
    opened = []

    def factory(context):
        window = MainWindow.opened(context)
        qtbot.addWidget(window)
        window.show()
        opened.append((window, context))
        return window

    yield factory
    for window, context in opened:
        window.close()
        context.close()
