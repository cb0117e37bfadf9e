"""Words at the edges: every cause with every next step, said by the window and by the command line.

The window may name its own buttons; the command line has none of them, and nothing below ui/ and cli/
names one either.
"""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton

from qbdesk.cli import wording as terminal
from qbdesk.core.problems import NextStep
from qbdesk.intuit import errors
from qbdesk.services import signin, signin_pending
from qbdesk.services.repair import MISSING_TOKENS
from qbdesk.ui import wording as window_words

pytestmark = pytest.mark.gui

# Labels that are also the ordinary names of what a terminal user deals with: not a button to press.
ORDINARY_WORDS = {"QuickBooks", "Integrations", "Back", "Cancel", "Next", "Quit", "Reload"}


def button_names(window) -> set[str]:
    """Every button and menu action label in the open window, without its mnemonic and ellipsis."""
    labels = [b.text() for b in window.findChildren(QAbstractButton)]
    labels += [a.text() for a in window.findChildren(QAction)]
    names = {label.replace("&", "").rstrip("\u2026").strip() for label in labels}
    return {name for name in names if name and name not in ORDINARY_WORDS}


def lower_layer_causes() -> list[str]:
    """The causes services and intuit/ produce, as they would reach a front end."""
    made = [
        *(errors.token_refusal(code, status, refreshing)
          for code, status, refreshing in itertools.product(
              ("invalid_grant", "invalid_client", "unauthorized_client", "server_error", "odd"), (400, 500),
              (True, False))),
        errors.service_trouble(), errors.unreachable(True), errors.unreachable(False), errors.unreadable_answer(),
        *(errors.api_fault(status, code) for status, code in ((401, None), (403, "3100"), (500, None), (404, None))),
    ]
    retired = [v for v in vars(signin).values() if isinstance(v, signin_pending.Retirement)]
    retired += [v for v in vars(signin_pending).values() if isinstance(v, signin_pending.Retirement)]
    return [
        *(error.cause for error in made),
        *(why.cause for why in retired),
        errors.consent_refusal("access_denied", "User denied"),
        errors.consent_refusal("server_error", None),
        signin.REMOVED_MEANWHILE,
        MISSING_TOKENS,
    ]


def test_no_window_button_is_named_in_the_command_lines_words_or_below_the_front_ends(world, open_window):
    window = open_window(world.open())
    window.show_quickbooks()
    names = button_names(window)
    assert {"Go to QuickBooks", "Reconnect", "Settings", "Test connection"} <= names  # the window was read

    causes = lower_layer_causes()
    assert len(causes) > 20
    for cause in causes:
        assert not [name for name in names if name in cause], cause
    for cause, step in itertools.product(causes, NextStep):
        said_in_window = window_words.sentence(cause, step)
        said_at_terminal = terminal.sentence(cause, step)
        assert said_in_window.startswith(cause) and said_at_terminal.startswith(cause)
        assert not [name for name in names if name in said_at_terminal], said_at_terminal
    for step in NextStep:
        if step is not NextStep.NONE:
            assert window_words.NEXT_STEPS[step] and terminal.NEXT_STEPS[step], step


def test_the_window_names_only_buttons_it_has(world, open_window):
    """Where the window's words send the user to a button, that button exists."""
    window = open_window(world.open())
    window.show_quickbooks()
    names = button_names(window)
    quoted = {
        part.split("\u201d")[0]
        for words in window_words.NEXT_STEPS.values()
        for part in words.split("\u201c")[1:]
    }
    assert quoted and quoted <= names
