"""Bursts of changes from other threads (Test all changes every credential) reach the list as a few updates."""

from __future__ import annotations

import threading

import pytest

from qbdesk.core.destinations import Destination
from qbdesk.ui import bridge
from qbdesk.ui.credential_model import CREDENTIAL_ROLE, NAME

pytestmark = pytest.mark.gui

COUNT = 40


@pytest.fixture
def window(world, open_window):
    context = world.open()
    for number in range(COUNT):
        context.credentials.create_pending(f"Company {number:02}", Destination.SANDBOX)
    opened = open_window(context)
    opened.show_quickbooks()
    return opened


def on_a_worker(work) -> None:
    """Run `work` on another thread and wait for it, without letting the GUI thread handle events meanwhile."""
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()


def names_shown(window) -> list[str]:
    """The names of the credentials in the table's rows as the view reads them."""
    model = window.model
    return sorted(model.index(row, NAME).data(CREDENTIAL_ROLE).name for row in range(model.rowCount()))


class Counted:
    """How often a signal fired."""

    def __init__(self, *signals) -> None:
        self.count = 0
        for signal in signals:
            signal.connect(self._note)

    def _note(self, *_args: object) -> None:
        self.count += 1


def test_a_burst_of_changes_ends_in_the_right_rows_after_a_few_updates(qtbot, window):
    context, model = window.services.context, window.model
    credentials = context.credentials.list()
    delivered = Counted(window.services.bridge.credential_changed)
    updates = Counted(model.dataChanged, model.layoutChanged, model.rowsMoved, model.modelReset)

    def rename_each_twice() -> None:
        for credential in credentials:
            context.credentials.rename(credential.id, f"First {credential.name}")
        for credential in credentials:
            context.credentials.rename(credential.id, f"Renamed {credential.name}")

    on_a_worker(rename_each_twice)
    wanted = sorted(f"Renamed {credential.name}" for credential in credentials)
    qtbot.waitUntil(lambda: names_shown(window) == wanted, timeout=5000)
    assert delivered.count == COUNT  # a credential changed twice before the window looked is shown once, as it is now
    assert updates.count <= 4  # not one row update per change
    assert sorted(c.name for c in model.credentials()) == wanted


@pytest.mark.parametrize("turns", ["few", "one event per turn"])
def test_a_removal_after_a_burst_of_changes_is_not_undone_by_them(qtbot, window, monkeypatch, turns):
    if turns == "one event per turn":  # the GUI thread gives the event loop a turn after each event
        monkeypatch.setattr(bridge, "DELIVER_SECONDS", 0.0)
    context = window.services.context
    credentials = context.credentials.list()
    gone = credentials[0]

    def change_all_then_remove_one() -> None:
        for credential in credentials:
            context.credentials.rename(credential.id, f"Renamed {credential.name}")
        context.credentials.discard(gone.id)

    on_a_worker(change_all_then_remove_one)
    wanted = sorted(f"Renamed {credential.name}" for credential in credentials[1:])
    qtbot.waitUntil(lambda: names_shown(window) == wanted, timeout=5000)
    assert window.model.total() == COUNT - 1


def test_a_single_change_shows_at_once_and_a_quick_second_one_to_the_selected_row_too(qtbot, window):
    context, page = window.services.context, window.quickbooks_page
    first, second = context.credentials.list()[:2]
    page.select(second.id)
    context.credentials.rename(first.id, "Acme Holdings")
    assert "Acme Holdings" in names_shown(window)  # no event loop turn needed
    context.credentials.rename(second.id, "Birch Ledger")  # within the tenth of a second after the first
    assert page.selected().name == "Birch Ledger"  # what the actions act on is current at once
    assert page.details.heading.text() == "Birch Ledger"  # the selected row is told at once: its details follow
