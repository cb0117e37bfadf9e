"""A computer that sleeps: the wall clock moves on while the window's timers (monotonic time) stand still.

A FakeClock moves the wall clock only, as a sleep does: the QTimers keep counting real monotonic time.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication

from qbdesk.core.clock import FakeClock
from qbdesk.core.destinations import Destination
from qbdesk.emulator import Emulator

from consent import approve_in_browser
from world import make_world

pytestmark = pytest.mark.gui
SLEEP_SECONDS = 20 * 60
DAY = 86400


@pytest.fixture
def clock():
    return FakeClock()


def listed(window) -> list[str]:
    return sorted(credential.display_name for credential in window.model.credentials())


def activate(window) -> None:
    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowActivate))


def test_after_a_20_minute_sleep_the_incomplete_credential_goes_when_the_window_is_active_again(
    qtbot, world, clock, open_window
):
    context = world.open(clock)
    window = open_window(context)
    pending = context.credentials.create_pending("Acme", Destination.SANDBOX)
    assert listed(window) == ["Acme (Incomplete)"]
    assert window.services.expiry.armed
    clock.advance(SLEEP_SECONDS)  # asleep: the timer, still minutes from firing, did not count this
    assert window.services.expiry.armed and listed(window) == ["Acme (Incomplete)"]
    activate(window)
    assert listed(window) == []
    assert context.credentials.get(pending.id) is None
    assert not window.services.expiry.armed  # nothing pending: no timer
    clock.advance(SLEEP_SECONDS)
    activate(window)
    assert not window.services.expiry.armed  # and activation starts none


def test_waking_as_the_active_application_rechecks_the_expiry_and_re_aims_the_timer(
    qtbot, world, clock, open_window
):
    context = world.open(clock)
    window = open_window(context)
    early = context.credentials.create_pending("Early", Destination.SANDBOX)
    clock.advance(300)
    context.credentials.create_pending("Late", Destination.SANDBOX)
    clock.advance(420)  # Early is 2 minutes past its expiry, Late has 3 minutes left
    QApplication.instance().applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    assert listed(window) == ["Late (Incomplete)"]
    assert context.credentials.get(early.id) is None
    # The timer now aims at Late's stored expiry by the wall clock, not at what was left before the sleep.
    assert 179_000 <= window.services.expiry.interval_ms <= 181_000


def test_keep_alive_runs_when_the_window_wakes_after_its_six_hours_passed_asleep(qtbot, tmp_path, clock, open_window):
    with Emulator(clock=clock) as emulator:
        world = make_world(emulator, tmp_path / "data")
        context = world.open(clock)
        credential = context.credentials.create_pending("Acme", Destination.SANDBOX)
        approve_in_browser(context.signin.begin(credential.id).url)
        window = open_window(context)
        upkeep = window.services.upkeep
        qtbot.waitSignal(upkeep.round_done, timeout=10000).wait()  # the start-up round: nothing due yet
        calls = emulator.token_calls
        clock.advance(80 * DAY)  # a long sleep: 21 days of the refresh token's 101 left, the 6-hour timer unmoved
        with qtbot.waitSignal(upkeep.round_done, timeout=10000):
            activate(window)
        assert emulator.token_calls == calls + 1
        assert context.credentials.get(credential.id).last_refreshed_at == clock.now()
        clock.advance(3600)  # awake again within six hours: no second round
        activate(window)
        assert upkeep._worker is None and emulator.token_calls == calls + 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the timerfd notice is Linux's")
def test_on_linux_the_window_hears_of_clock_changes_and_resumes_from_the_system(qtbot, world, open_window):
    window = open_window(world.open())
    assert window.services.wall_clock.hears_the_system
