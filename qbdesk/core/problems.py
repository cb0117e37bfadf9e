"""What went wrong and what to do next, as plain data: each front end puts them into words for its medium."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum


class Kind(str, Enum):
    """What kind of trouble, so callers can react (mark for reconnect, retry later, fix settings)."""

    RECONNECT = "reconnect"  # Intuit refuses this credential's tokens: only a new sign-in helps
    OFFLINE = "offline"  # Intuit could not be reached; nothing is known about the credential
    SETUP = "setup"  # the app's keys or addresses in the settings are wrong
    SERVICE = "service"  # Intuit is having trouble; try later
    OTHER = "other"


class NextStep(str, Enum):
    """What the person can do about a problem; the window and the command line each say it their own way."""

    SIGN_IN_AGAIN = "sign_in_again"  # start this same sign-in over at Intuit
    RECONNECT = "reconnect"  # the credential needs a new sign-in at Intuit
    START_OVER = "start_over"  # the credential is gone: configure a new one
    ENTER_KEYS = "enter_keys"  # the Intuit app's Client ID or Client Secret is missing
    CHECK_SETUP = "check_setup"  # a key or address in the settings is wrong
    CHECK_CONNECTION = "check_connection"  # Intuit could not be reached from this computer
    TRY_LATER = "try_later"  # Intuit is having trouble or answered badly; nothing is wrong here
    SEE_LOG = "see_log"  # something unexpected: try again, the log file has details
    NONE = "none"  # nothing to do, or the cause already says it


class Problem(Exception):
    """A failure below the front ends: str() is the cause (what happened), never what to press next."""

    def __init__(self, cause: str, next_step: NextStep = NextStep.NONE, kind: Kind = Kind.OTHER) -> None:
        super().__init__(cause)
        self.cause = cause
        self.next_step = next_step
        self.kind = kind


def in_words(cause: str, next_step: NextStep, steps: Mapping[NextStep, str]) -> str:
    """The cause followed by a front end's words for the next step (not repeated when the cause has them)."""
    step = steps[next_step]
    if not cause:
        return step
    return f"{cause} {step}" if step and step not in cause else cause
