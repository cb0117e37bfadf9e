"""Fixtures for the emulator tests: a running emulator with a fake clock and a flow driver."""

from __future__ import annotations

import pytest
from emulator_flow import (
    PROD_ID,
    PROD_REDIRECT,
    PROD_SECRET,
    SANDBOX_ID,
    SANDBOX_REDIRECT,
    SANDBOX_SECRET,
    Driver,
    FakeClock,
)

from qbdesk.emulator import Emulator


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def emulator(clock: FakeClock):
    with Emulator(clock=clock) as emu:
        emu.register_client(PROD_ID, PROD_SECRET, [PROD_REDIRECT], "production")
        emu.register_client(SANDBOX_ID, SANDBOX_SECRET, [SANDBOX_REDIRECT], "sandbox")
        yield emu


@pytest.fixture
def driver(emulator: Emulator):
    flow = Driver(emulator)
    yield flow
    flow.close()
