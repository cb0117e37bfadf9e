"""End-to-end fixtures: wired services on the emulator world, closed after each test."""

import pytest


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
