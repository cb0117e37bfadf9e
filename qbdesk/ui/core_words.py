"""The words the rules below ui/ give states and destinations, as the window shows them: through Qt's translation."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from qbdesk.core.destinations import Destination
from qbdesk.core.health import State

# For the translators' list: the words exactly as core/ spells them.
CORE_WORDS = (
    QT_TRANSLATE_NOOP("CoreWords", "QuickBooks"),
    QT_TRANSLATE_NOOP("CoreWords", "QuickBooks (Sandbox Mode)"),
    QT_TRANSLATE_NOOP("CoreWords", "Connected"),
    QT_TRANSLATE_NOOP("CoreWords", "Incomplete"),
    QT_TRANSLATE_NOOP("CoreWords", "Needs reconnect"),
    QT_TRANSLATE_NOOP("CoreWords", "Offline-unknown"),
)


def destination_word(destination: Destination) -> str:
    """A destination's name in the user's language."""
    return QCoreApplication.translate("CoreWords", destination.label)


def state_word(state: State) -> str:
    """A credential state's name in the user's language."""
    return QCoreApplication.translate("CoreWords", state.value)
