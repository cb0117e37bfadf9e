"""The sign-in window scene: qbdesk's own browser window on the emulator's consent page."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from qbdesk.emulator import Emulator
from qbdesk.intuit.discovery import DiscoveryCache
from qbdesk.intuit.oauth import start_authorization
from qbdesk.ui.signin_window import SignInWindow
from shots.common import wait, wait_until

REDIRECT_URI = "https://harborlane.example/qbdesk/callback"  # https: the kind the sign-in window is for


def signin_window(app: QApplication, out: Path) -> None:
    """The consent page loaded, the address line naming the host; the window is closed without an answer."""
    with Emulator() as emulator:
        emulator.register_client("ABscreenshotClient", "made-up-secret", [REDIRECT_URI], "production")
        endpoints = DiscoveryCache().endpoints(emulator.discovery_url("production"))
        attempt = start_authorization(endpoints, "ABscreenshotClient", REDIRECT_URI)
        window = SignInWindow(attempt.url, REDIRECT_URI)
        loaded = []
        window.page.loadFinished.connect(loaded.append)
        window.resize(900, 720)
        window.show()
        wait_until(app, lambda: loaded, tries=300)
        wait(app, 800)
        window.grab().save(str(out / "signin-window.png"))
        window.close()
        wait(app, 300)
