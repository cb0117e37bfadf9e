"""How the window words a problem's next step: the one place below which no button or menu is named."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from qbdesk.callback.plan import Capture
from qbdesk.core.credential import Credential, Health
from qbdesk.core.health import State
from qbdesk.core.problems import NextStep, Problem, in_words

# Each text is marked for translation here and translated when shown (see tr()), so a language chosen while
# the window is open takes effect.
NEXT_STEPS = {
    NextStep.SIGN_IN_AGAIN: QT_TRANSLATE_NOOP("Wording", "Press \u201cGo to QuickBooks\u201d to sign in again."),
    NextStep.RECONNECT: QT_TRANSLATE_NOOP("Wording", "Reconnect the credential to sign in at Intuit again."),
    NextStep.START_OVER: QT_TRANSLATE_NOOP("Wording", "Configure a new credential."),
    NextStep.ENTER_KEYS: QT_TRANSLATE_NOOP(
        "Wording", "Press \u201cSet up keys\u201d: qbdesk shows where to find your Intuit app's keys and checks them."),
    NextStep.CHECK_SETUP: QT_TRANSLATE_NOOP("Wording", "Open Settings to correct it."),
    NextStep.CHECK_CONNECTION: QT_TRANSLATE_NOOP("Wording", "Check your internet connection and try again."),
    NextStep.TRY_LATER: QT_TRANSLATE_NOOP("Wording", "Try again in a few minutes."),
    NextStep.SEE_LOG: QT_TRANSLATE_NOOP("Wording", (
        "Press \u201cGo to QuickBooks\u201d to try again; if it keeps happening, the log file in the data "
        "folder has details."
    )),
    NextStep.NONE: "",
}

# How the sign-in will come back, as Stage 2 says it before "Go to QuickBooks" is pressed.
CAPTURE_SENTENCES = {
    Capture.LISTENER: QT_TRANSLATE_NOOP(
        "Wording", "Your browser opens Intuit's sign-in page, and qbdesk picks up the result by itself."),
    Capture.PASTE: QT_TRANSLATE_NOOP("Wording", (
        "Your browser opens Intuit's sign-in page. After you approve access, copy the address the browser "
        "lands on and paste it here."
    )),
    Capture.EMBEDDED: QT_TRANSLATE_NOOP("Wording", (
        "A qbdesk sign-in window opens on Intuit's page and picks up the result when you approve access. "
        "(To use your own browser instead, change it in Settings.)"
    )),
}
# The same in a few words, where space is short (Settings).
CAPTURE_SUMMARIES = {
    Capture.LISTENER: QT_TRANSLATE_NOOP("Wording", "Sign-in comes back from your browser to a listener on this computer."),
    Capture.EMBEDDED: QT_TRANSLATE_NOOP("Wording", "Sign-in comes back through the qbdesk sign-in window."),
    Capture.PASTE: QT_TRANSLATE_NOOP("Wording", "Sign-in comes back when you paste the address from your browser."),
}

# What the window says about a credential that needs attention when nothing more precise was recorded.
STATE_NOTICES = {
    State.NEEDS_RECONNECT: (QT_TRANSLATE_NOOP("Wording", "Intuit no longer accepts this credential."), NextStep.RECONNECT),
    State.OFFLINE: (
        QT_TRANSLATE_NOOP("Wording", "Intuit could not be reached last time; the state is unknown."), NextStep.NONE),
}


def tr(text: str) -> str:
    """One of the texts above in the user's language ("" stays "")."""
    return QCoreApplication.translate("Wording", text) if text else text


def sentence(cause: str, next_step: NextStep) -> str:
    """The cause followed by what to do in the window."""
    return in_words(cause, next_step, {step: tr(words) for step, words in NEXT_STEPS.items()})


def explain(error: BaseException) -> str:
    """An error as the window shows it: a Problem with its next step, anything else as it reads."""
    return sentence(error.cause, error.next_step) if isinstance(error, Problem) else str(error)


def attention(credential: Credential, state: State) -> str | None:
    """What the window says about a credential in trouble (needs reconnect, offline), else None."""
    if state not in STATE_NOTICES:
        return None
    cause, step = STATE_NOTICES[state]
    recorded = credential.health_detail if credential.health is not Health.OK else None
    return sentence(recorded or tr(cause), step)
