"""A pseudo-translation: every string of qbdesk's 40% longer, with accents, inside ⟦ ⟧, placeholders and & intact.

Installed as a QTranslator it shows which texts went through Qt's translation (they carry ⟦ ⟧) and whether the
screens have room for languages longer than English. Qt's own texts (contexts such as QDialogButtonBox, QShortcut)
are left alone: Qt parses some of them back (key names), and Qt ships their translations itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication, QTranslator

OPEN, CLOSE = "\u27e6", "\u27e7"
ACCENTED = str.maketrans("aeiouycnAEIOUYCN", "áéíóúýçñÁÉÍÓÚÝÇÑ")
# Kept exactly: %1, %n, {name}, {} and the letter after & (the mnemonic; && is a literal ampersand).
KEPT = re.compile(r"%\d+|%n|\{[A-Za-z_0-9]*\}|&&|&.")
QT_CONTEXT = re.compile(r"^Q[A-Z]")
PADDING = "\u00b7x\u00e9"  # letters and a break chance, so padded text still wraps


def pseudo(source: str) -> str:
    """source 40% longer (at least two characters more), accented, between ⟦ and ⟧, placeholders unchanged."""
    if not source:
        return source
    pieces, start = [], 0
    for kept in KEPT.finditer(source):
        pieces.append(source[start:kept.start()].translate(ACCENTED))
        pieces.append(kept.group())
        start = kept.end()
    pieces.append(source[start:].translate(ACCENTED))
    extra = max(2, round(len(source) * 0.4) - 2)  # the two brackets count towards the 40%
    padding = (" " + PADDING * extra)[:extra]
    return OPEN + "".join(pieces) + padding + CLOSE


class PseudoTranslator(QTranslator):
    """Answers every qbdesk string with pseudo(); counts what it was asked."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[tuple[str, str]] = set()

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: ARG002 - Qt's signature
        if not source_text or QT_CONTEXT.match(context or ""):
            return None  # no translation here: Qt shows the source ("" would blank Qt's own words)
        self.asked.add((context, source_text))
        return pseudo(source_text)

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False


@contextmanager
def pseudo_translated() -> Iterator[PseudoTranslator]:
    """The pseudo-translation installed for the duration (texts shown from now on are translated)."""
    translator = PseudoTranslator()
    QCoreApplication.installTranslator(translator)
    try:
        yield translator
    finally:
        QCoreApplication.removeTranslator(translator)
