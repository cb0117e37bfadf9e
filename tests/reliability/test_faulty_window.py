"""The window stays responsive while Intuit's token endpoint is slow or silent, then says what happened."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt, QTimer

from qbdesk.emulator import Fault
from qbdesk.services.signin import Phase
from qbdesk.ui import dialogs
from qbdesk.ui.main_window import MainWindow

from browser_stand_in import BrowserStandIn, installed
from faulty import CLIENT_TIMEOUT_SECONDS, HOLD_SECONDS, SLOW_SECONDS, assert_plain, shorten_timeouts

pytestmark = [pytest.mark.reliability, pytest.mark.gui]

TICK_MS = 20
LONGEST_GAP_SECONDS = 0.2


@pytest.fixture(autouse=True)
def short_timeouts(monkeypatch):
    shorten_timeouts(monkeypatch)


@pytest.fixture(autouse=True)
def no_dialogs(monkeypatch):
    """A dialog here would be a bug: fail instead of blocking."""

    def unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected dialog: {args[1:3]}")

    for name in ("ask", "error", "ask_text", "ask_save_path"):
        monkeypatch.setattr(dialogs, name, unexpected)


@pytest.fixture
def browser(qapp):
    with installed(BrowserStandIn()) as stand_in:
        yield stand_in


@pytest.mark.parametrize(
    "fault, delay, outcome",
    [
        (Fault.SLOW, SLOW_SECONDS, "Connected"),
        (Fault.TIMEOUT, HOLD_SECONDS, "Intuit took too long to answer"),
    ],
    ids=["SLOW", "TIMEOUT"],
)
def test_the_window_keeps_responding_while_the_token_endpoint_stalls(qtbot, world, browser, fault, delay, outcome):
    context = world.open()
    window = MainWindow.opened(context)
    qtbot.addWidget(window)
    window.show()
    try:
        phases: list[tuple[Phase, float]] = []  # heard on the listener's thread, timed there
        context.signin.updated.subscribe(lambda update: phases.append((update.phase, time.monotonic())))
        world.emulator.inject_fault("token", fault, delay=delay)
        window.show_create()
        page = window.services.create_page
        qtbot.keyClicks(page.name_field, "Stalled Books")
        page.sandbox_choice.setChecked(True)
        qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)

        ticks: list[float] = []
        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setInterval(TICK_MS)
        timer.timeout.connect(lambda: ticks.append(time.monotonic()))
        timer.start()
        qtbot.mouseClick(page.sign_in.go_button, Qt.MouseButton.LeftButton)
        # The page hears of the outcome through the bridge, which may be before this test's own subscriber.
        qtbot.waitUntil(
            lambda: outcome in page.sign_in.status_text()
            and any(phase in (Phase.CONNECTED, Phase.FAILED) for phase, _ in phases),
            timeout=15000,
        )
        timer.stop()

        assert world.emulator.served_faults() == [("token", fault)]
        exchanging = next(at for phase, at in phases if phase is Phase.EXCHANGING)
        finished = next(at for phase, at in phases if phase in (Phase.CONNECTED, Phase.FAILED))
        assert finished - exchanging >= 0.9 * (SLOW_SECONDS if fault is Fault.SLOW else CLIENT_TIMEOUT_SECONDS)
        during = [exchanging, *(at for at in ticks if exchanging < at < finished), finished]
        longest_gap = max(later - earlier for earlier, later in zip(during, during[1:], strict=False))
        assert longest_gap < LONGEST_GAP_SECONDS, f"the GUI thread stalled for {longest_gap:.3f} s"
        assert len(during) - 2 >= 0.5 * (finished - exchanging) / (TICK_MS / 1000)

        if fault is Fault.TIMEOUT:
            assert_plain(page.sign_in.status_text(), world)
            assert page.sign_in.go_button.isEnabled()  # the next step the message names is at hand
        else:
            assert window.services.context.credentials.list()[0].realm_id in page.sign_in.status_text()
    finally:
        window.close()
        context.close()
