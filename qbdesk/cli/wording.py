"""How the command line words a problem's next step: commands and environment variables, never the window's buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qbdesk.core.credential import Credential, Health
from qbdesk.core.problems import NextStep, Problem, in_words

if TYPE_CHECKING:
    from qbdesk.store.managed import ManagedSetup

CREATE_AGAIN = "Run \u201cqbdesk create\u201d again."

NEXT_STEPS = {
    NextStep.SIGN_IN_AGAIN: CREATE_AGAIN,
    NextStep.RECONNECT: "Open the qbdesk window and sign it in at Intuit again.",
    NextStep.START_OVER: CREATE_AGAIN,
    NextStep.ENTER_KEYS: (
        "Enter your Intuit app's keys in the qbdesk window, or set QBDESK_SANDBOX_CLIENT_ID and "
        "QBDESK_SANDBOX_CLIENT_SECRET (PRODUCTION instead of SANDBOX for QuickBooks)."
    ),
    NextStep.CHECK_SETUP: "Correct it in the qbdesk window, or with the QBDESK_SANDBOX_* or QBDESK_PRODUCTION_* variables.",
    NextStep.CHECK_CONNECTION: "Check your internet connection and try again.",
    NextStep.TRY_LATER: "Try again in a few minutes.",
    NextStep.SEE_LOG: "Try again; if it keeps happening, the log file in the data folder has details (--verbose shows it).",
    NextStep.NONE: "",
}


def sentence(cause: str, next_step: NextStep) -> str:
    """The cause followed by what to do at the terminal."""
    return in_words(cause, next_step, NEXT_STEPS)


def explain(error: BaseException) -> str:
    """An error as the terminal shows it: a Problem with its next step, anything else as it reads."""
    return sentence(error.cause, error.next_step) if isinstance(error, Problem) else str(error)


def health_detail(credential: Credential) -> str | None:
    """What was recorded about a credential in trouble, with what to do about it; None when nothing was."""
    if not credential.health_detail:
        return None
    step = NextStep.RECONNECT if credential.health is Health.NEEDS_RECONNECT else NextStep.NONE
    return sentence(credential.health_detail, step)


def managed_setup_warnings(managed: ManagedSetup | None) -> list[str]:
    """Warning lines about the administrator's managed file: not used at all, or a part of it ignored."""
    if managed is None or managed.path is None:
        return []
    lines = []
    if managed.problem:
        lines.append(
            f"qbdesk: warning: the managed setup file {managed.path} is not used: {managed.problem} "
            "Your own settings apply until your administrator corrects it."
        )
    if managed.warning:
        lines.append(f"qbdesk: warning: the managed setup file {managed.path}: {managed.warning}")
    return lines
