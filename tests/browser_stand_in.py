"""A stand-in for the system browser: records each address qbdesk opens and, when told, answers Intuit's page."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from qbdesk import user_apps

from consent import approve_in_browser


class BrowserStandIn:
    """Each opened address is recorded; with a decision, the consent page is answered on a thread."""

    def __init__(self, decision: str | None = "connect") -> None:
        self.opened: list[str] = []
        self.decision = decision
        self.pages: list = []
        self.threads: list[threading.Thread] = []

    def open(self, address: str) -> bool:
        """Stands in for user_apps.open_in_user_app: the user's browser opening a web address."""
        self.opened.append(address)
        if self.decision is None:
            return True
        decision = self.decision
        thread = threading.Thread(target=lambda: self.pages.append(approve_in_browser(address, decision)), daemon=True)
        self.threads.append(thread)
        thread.start()
        return True


@contextlib.contextmanager
def installed(stand_in: BrowserStandIn) -> Iterator[BrowserStandIn]:
    """Send what qbdesk opens in the user's applications to the stand-in while the block runs."""
    real = user_apps.open_in_user_app
    user_apps.open_in_user_app = stand_in.open
    try:
        yield stand_in
    finally:
        user_apps.open_in_user_app = real
        for thread in stand_in.threads:
            thread.join(timeout=10)
