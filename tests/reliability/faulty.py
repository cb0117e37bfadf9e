"""What the reliability tests share: short client timeouts, and what a plain message must (not) contain."""

from __future__ import annotations

from qbdesk.cli import wording as terminal
from qbdesk.core.destinations import Destination
from qbdesk.core.problems import NextStep
from qbdesk.emulator.faults import FAKE_ACCESS_TOKEN, FAKE_REFRESH_TOKEN, GARBAGE_BODY
from qbdesk.intuit import timeouts
from qbdesk.store.settings import env_name
from qbdesk.ui import wording as window

CLIENT_TIMEOUT_SECONDS = 2.0  # stands in for qbdesk's 15-30 s network timeouts
SLOW_SECONDS = 1.0  # well inside the client timeout: a slow answer must still be taken
HOLD_SECONDS = 30.0  # a TIMEOUT hold; clear_faults() or stop() ends it early

NEXT_STEPS = ("Try again", "try again", "Check", "Reconnect", "Settings", "Go to QuickBooks")
RAW_TEXT = (
    "Traceback", 'File "', "{", "}", "<", ">", "Error(", "Exception", "HTTPConnectionPool", "urllib3",
    "http://", "127.0.0.1", "invalid_grant", "invalid_client", "missing_token", "server_error",
)


def shorten_timeouts(monkeypatch) -> None:
    """qbdesk gives up on a silent Intuit after seconds, not after half a minute."""
    for name in ("CALL_TIMEOUT_SECONDS", "DISCOVERY_TIMEOUT_SECONDS"):
        monkeypatch.setattr(timeouts, name, CLIENT_TIMEOUT_SECONDS)


def secrets_of(world) -> set[str]:
    """Everything that must never appear in a message: codes, tokens, client secrets, fault bodies."""
    client_secrets = {world.overrides[env_name(destination, "client_secret")] for destination in Destination}
    return (
        world.emulator.issued_secrets()
        | client_secrets
        | {FAKE_ACCESS_TOKEN, FAKE_REFRESH_TOKEN, GARBAGE_BODY.decode(), "garbage"}
    )


def assert_plain(message: str, world) -> None:
    """A sentence or two for a person: a next step, no stack trace, no raw answer, no secret."""
    assert any(step in message for step in NEXT_STEPS), message
    assert_clean(message, world)


def assert_plain_problem(cause: str, next_step: NextStep, world) -> None:
    """A cause in plain words with a next step, said plainly in the window and at a terminal alike."""
    assert next_step is not NextStep.NONE, cause
    assert_clean(cause, world)
    for front_end in (window, terminal):
        said = front_end.sentence(cause, next_step)
        assert said.startswith(cause) and said.endswith(front_end.NEXT_STEPS[next_step]), said
        assert_clean(said, world)


def assert_clean(message: str, world) -> None:
    """No stack trace, no raw answer, no secret, and short enough to read."""
    assert message and len(message) < 400, message
    for raw in RAW_TEXT:
        assert raw not in message, f"{raw!r} in {message!r}"
    for secret in secrets_of(world):
        assert secret not in message, "a secret leaked into the message"

