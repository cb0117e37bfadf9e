"""What a sign-in reports: how far it came, and the problem that stopped it (a cause and a next step)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from qbdesk.callback.plan import CapturePlan
from qbdesk.core.credential import Credential
from qbdesk.core.problems import Kind, NextStep, Problem


class SignInProblem(Problem):
    """Sign-in cannot start or finish: the cause, what to do next, and what sort of trouble it is."""

    def __init__(self, cause: str, next_step: NextStep = NextStep.CHECK_SETUP, kind: Kind = Kind.SETUP) -> None:
        super().__init__(cause, next_step, kind)


class Phase(str, Enum):
    """How far a sign-in has come, as the Create page shows it."""

    EXCHANGING = "exchanging"
    CONNECTED = "connected"
    FAILED = "failed"
    REALM_CHANGED = "realm_changed"  # a reconnect came back with another company: the user decides


@dataclass(frozen=True)
class SignInUpdate:
    """News about a sign-in. credential_id is None when a redirect matched no sign-in at all.

    cause says what happened in plain words; next_step what the person can do (each front end words it).
    """

    phase: Phase
    credential_id: str | None
    cause: str = ""
    next_step: NextStep = NextStep.NONE
    credential: Credential | None = None
    kind: Kind | None = None  # for FAILED: what went wrong, when it came from Intuit or the setup


@dataclass(frozen=True)
class SignInStart:
    """What a front end needs to send the user to Intuit."""

    url: str
    plan: CapturePlan
    redirect_uri: str
    browser_url: str = ""  # what to start the system browser with (see CallbackCapture.browser_address)
