"""Keep-alive refreshes at start-up, and one warning a day before Intuit's limits bite."""

from __future__ import annotations

import pytest

from qbdesk.core.clock import FakeClock
from qbdesk.core.destinations import Destination
from qbdesk.emulator import Emulator
from qbdesk.services.context import AppContext

from consent import approve_in_browser
from world import make_world

pytestmark = pytest.mark.gui
DAY = 86400


@pytest.fixture
def clock():
    return FakeClock()


def open_connected(emulator, tmp_path, clock):
    world = make_world(emulator, tmp_path / "data")
    context = AppContext.open(world.data_dir, world.overrides, clock=clock)
    credential = context.credentials.create_pending("Acme", Destination.SANDBOX)
    approve_in_browser(context.signin.begin(credential.id).url)
    return context, credential.id


def test_start_up_refreshes_a_credential_near_its_refresh_deadline(qtbot, tmp_path, clock, open_window):
    with Emulator(clock=clock) as emulator:
        context, credential_id = open_connected(emulator, tmp_path, clock)
        clock.advance(80 * DAY)  # 21 days of the refresh token's 101 left
        calls = emulator.token_calls
        open_window(context)
        qtbot.waitUntil(lambda: emulator.token_calls == calls + 1, timeout=10000)
        qtbot.waitUntil(lambda: context.credentials.get(credential_id).last_refreshed_at == clock.now(), timeout=5000)


def test_a_hard_expiry_within_two_weeks_warns_once_a_day(qtbot, tmp_path, clock, open_window):
    with Emulator(clock=clock, hard_expiry_ttl=10 * DAY) as emulator:
        context, _ = open_connected(emulator, tmp_path, clock)
        window = open_window(context)
        with qtbot.waitSignal(window.services.upkeep.warning, timeout=10000) as warned:
            pass
        assert "hard limit" in warned.args[1] and "Acme" in warned.args[0]
        assert "hard limit" in window.statusBar().currentMessage()
        seen = []
        window.services.upkeep.warning.connect(lambda *args: seen.append(args))
        window.services.upkeep.warn()
        assert seen == []  # already warned today
        clock.advance(DAY)
        window.services.upkeep.warn()
        assert len(seen) == 1
