"""A stand-in for the system browser: records each address qbdesk opens and, when told, answers Intuit's page."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from consent import approve_in_browser


class BrowserStandIn(QObject):
    """Each opened address is recorded; with a decision, the consent page is answered on a thread."""

    def __init__(self, decision: str | None = "connect") -> None:
        super().__init__()
        self.opened: list[str] = []
        self.decision = decision
        self.pages: list = []
        self.threads: list[threading.Thread] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        address = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
        self.opened.append(address)
        if self.decision is None:
            return
        decision = self.decision
        thread = threading.Thread(target=lambda: self.pages.append(approve_in_browser(address, decision)), daemon=True)
        self.threads.append(thread)
        thread.start()


@contextlib.contextmanager
def installed(stand_in: BrowserStandIn) -> Iterator[BrowserStandIn]:
    """Route QDesktopServices.openUrl for http and https to the stand-in while the block runs."""
    for scheme in ("http", "https"):
        QDesktopServices.setUrlHandler(scheme, stand_in, "open")
    try:
        yield stand_in
    finally:
        for scheme in ("http", "https"):
            QDesktopServices.unsetUrlHandler(scheme)
        for thread in stand_in.threads:
            thread.join(timeout=10)
