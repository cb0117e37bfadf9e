"""Plain words for the terms the window uses, shown as a tooltip wherever such a term appears."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

# Each term as the window writes it, and what it means to someone who has never met it.
TERMS = {
    "Realm id": "The number Intuit gives a QuickBooks company. Tools use it to say which company they mean.",
    "Offline-unknown": (
        "qbdesk could not reach Intuit the last time it tried, so it does not know whether this credential "
        "still works. Test connection asks again."
    ),
    "Hard expiry": (
        "The last day Intuit lets this sign-in last, however often it is refreshed. Reconnect before then."
    ),
    "Redirect URI": (
        "The address Intuit sends your browser back to after you approve access. It must match, character "
        "for character, one registered for your app at developer.intuit.com."
    ),
    "Discovery document": (
        "An address where Intuit lists its sign-in addresses. Optional: leave it empty to use Intuit's own."
    ),
    "QuickBooks API URL": (
        "The address qbdesk calls to reach QuickBooks data. Optional: leave it empty to use Intuit's own."
    ),
    "Listener": (
        "A small receiver qbdesk runs on this computer only while you sign in, to catch the answer your "
        "browser brings back from Intuit."
    ),
    "Keychain": (
        "Your computer's safe store for passwords (for example GNOME Keyring, KWallet, macOS Keychain or "
        "Windows Credential Manager). qbdesk keeps tokens and client secrets there."
    ),
}


def meaning(term: str) -> str:
    """What a term means, in the user's language."""
    return QCoreApplication.translate("Glossary", TERMS[term])


def explain_term(widget: QWidget, term: str) -> None:
    """Show the term's meaning as the widget's tooltip and tell screen readers the same."""
    widget.setToolTip(meaning(term))
    widget.setAccessibleDescription(meaning(term))
