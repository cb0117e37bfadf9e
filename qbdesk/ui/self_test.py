"""`qbdesk --self-test`: open the window, wait for its services, open the sign-in window once, then exit.

It proves an installed or bundled qbdesk works on this machine: Qt and its plugins, the data folder and its
migrations, the services, and QtWebEngine with its helper process. Success prints one line on stdout and
exits 0; a failure exits 1 with the reason on stderr, never in a dialog.
"""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication

from qbdesk.ui.main_window import MainWindow

DEADLINE_MS = 120_000  # QtWebEngine's first start on a cold disk can take a while
NO_KEYS_PAGE_REDIRECT = "https://self-test.qbdesk.invalid/callback"  # never loaded: only guards the window


class SelfTest(QObject):
    """Drives one self-test run on `window`; call attached() once its services are there, or failed()."""

    _address_ready = Signal(str, str)  # consent page address, redirect URI (from the worker thread)
    _address_failed = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._stage = "waiting for the window's services"
        self._signin_window = None
        self._done = False
        self._address_ready.connect(self._open_signin_window)
        self._address_failed.connect(self.failed)
        self._deadline = QTimer(self, singleShot=True, interval=DEADLINE_MS)
        self._deadline.timeout.connect(lambda: self.failed(f"gave up after {DEADLINE_MS // 1000} s {self._stage}"))
        self._deadline.start()

    @Slot()
    def attached(self) -> None:
        """The services are attached: find the sign-in address off the GUI thread (it needs the network)."""
        self._stage = "fetching the sign-in address"
        threading.Thread(target=self._find_address, name="qbdesk-self-test", daemon=True).start()

    def _find_address(self) -> None:
        from qbdesk.core.destinations import Destination
        from qbdesk.services.consent_preview import consent_address, own_page_address

        context = self._window.services.context
        destination = Destination.PRODUCTION
        if not context.demo and context.signin.setup_problem(destination):
            # No Intuit keys yet: the window can still prove itself on qbdesk's own page.
            self._address_ready.emit(own_page_address(), NO_KEYS_PAGE_REDIRECT)
            return
        try:
            url, redirect_uri = consent_address(context, destination)
        except Exception as exc:  # reported as the reason
            self._address_failed.emit(f"could not get the sign-in address: {exc}")
        else:
            self._address_ready.emit(url, redirect_uri)

    @Slot(str, str)
    def _open_signin_window(self, url: str, redirect_uri: str) -> None:
        from qbdesk.ui.signin_window import SignInWindow

        self._stage = "loading the sign-in window"
        try:
            window = SignInWindow(url, redirect_uri, self._window)
            window.page.loadFinished.connect(self._page_loaded)
            window.page.renderProcessTerminated.connect(
                lambda status, code: self.failed(f"the sign-in window's web process ended ({status.name}, {code})")
            )
            window.show()
        except Exception as exc:  # reported as the reason
            self.failed(f"the sign-in window could not open: {type(exc).__name__}: {exc}")
            return
        self._signin_window = window

    @Slot(bool)
    def _page_loaded(self, ok: bool) -> None:
        page = self._signin_window.page
        if not ok:
            where = page.requestedUrl().host() or "qbdesk's own page"
            self.failed(f"the sign-in window could not load {where}")
        elif not page.title() or page.title() == page.url().toString():
            self.failed("the sign-in window loaded a page without a title")
        else:
            self._finish(0, f"qbdesk self-test passed: window attached, sign-in window showed \u201c{page.title()}\u201d")

    @Slot(str)
    def failed(self, reason: str) -> None:
        """Stop the run with exit code 1 and this reason on stderr."""
        self._finish(1, f"qbdesk self-test failed: {reason}")

    def _finish(self, code: int, line: str) -> None:
        if self._done:
            return
        self._done = True
        self._deadline.stop()
        print(line, file=sys.stdout if code == 0 else sys.stderr, flush=True)
        if self._signin_window is not None:
            self._signin_window.close()
        QApplication.instance().exit(code)
