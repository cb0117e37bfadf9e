"""Shared fixtures: an isolated environment, an in-memory keychain, and answered dialogs."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import pytest

from memory_keyring import MemoryKeyring

pytest_plugins = ["web_pages"]  # the listeners and open_signin fixtures


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch, tmp_path):
    """No QBDESK_* or oauthlib setting from the outside world leaks into a test."""
    for name in list(os.environ):
        if name.startswith("QBDESK_") or name == "OAUTHLIB_INSECURE_TRANSPORT":
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture(autouse=True)
def memory_keyring():
    """Every test gets an empty in-memory keychain; the previous backend comes back afterwards."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def emulator():
    """The Intuit emulator on a free loopback port."""
    from qbdesk.emulator import Emulator

    with Emulator() as running:
        yield running


@pytest.fixture
def world(emulator, tmp_path):
    """The emulator plus a fresh data folder whose settings point at it."""
    from world import make_world

    return make_world(emulator, tmp_path / "data")


def pytest_collection_modifyitems(items):
    """Qt WebEngine tests run last: once WebEngine is up, a second app.exec() exit crashes the process."""
    items.sort(key=lambda item: item.get_closest_marker("webengine") is not None)


@pytest.fixture
def context(world):
    """The services of a fresh data folder whose settings point at the emulator."""
    opened = world.open()
    yield opened
    opened.close()


@pytest.fixture
def signin_updates(context):
    """Every sign-in update the services announce during the test, in order."""
    seen = []
    context.signin.updated.subscribe(seen.append)
    return seen
