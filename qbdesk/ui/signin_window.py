"""The sign-in browser window: shows Intuit's consent page and catches the redirect before it is loaded.

The redirect is caught in SignInPage.acceptNavigationRequest: Qt 6.11 asks it about server redirects
(NavigationTypeRedirect) before any request is sent, so refusing there keeps the address off the network;
a request interceptor on the window's own profile blocks any other request for the redirect URI as a second lock.
Import this module lazily: it loads Qt WebEngine.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWebEngineCore import (
    QWebEngineCertificateError,
    QWebEngineLoadingInfo,
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QProgressBar, QVBoxLayout, QWidget

from qbdesk.callback.address import matches_redirect
from qbdesk.core.addresses import is_loopback_host
from qbdesk.ui.widgets import Panel, button, label, plain_tooltip

log = logging.getLogger("qbdesk.ui")

TITLE = QT_TRANSLATE_NOOP("SignInWindow", "Sign in to QuickBooks")
NETWORK_PROBLEM = QT_TRANSLATE_NOOP("SignInWindow", "The page could not be loaded. Check your internet connection, then press Reload.")
CERTIFICATE_PROBLEM = QT_TRANSLATE_NOOP("SignInWindow", (
    "Intuit's page did not present a valid security certificate, so qbdesk stopped loading it. "
    "The network you are on may be intercepting secure connections: try again from a network you trust, "
    "or ask whoever runs this network."
))
REFUSED_PROBLEM = QT_TRANSLATE_NOOP("SignInWindow", (
    "This window opens only secure web pages, so a link to \u201c{scheme}:\u201d was not opened. "
    "Carry on signing in here."
))
HTTP_PROBLEM = QT_TRANSLATE_NOOP("SignInWindow", "The page answered with an error (HTTP {status}). Press Reload to try again.")
_ENCODED = QUrl.ComponentFormattingOption.FullyEncoded


@dataclass(frozen=True)
class Navigation:
    """A navigation the page is about to make, as plain data."""

    address: str
    main_frame: bool
    server_redirect: bool
    by_qbdesk: bool = False  # qbdesk itself asked for it (the first page), not the page or a server


class Verdict(Enum):
    LOAD = "load"
    REFUSE = "refuse"
    CAPTURE = "capture"


_SAME_ORIGIN_AS = {"ws": "http", "wss": "https"}  # a WebSocket to the redirect URI reaches the same server


def is_redirect(address: str, redirect_uri: str) -> bool:
    """True when address is the redirect URI, whatever kind of request: a page, a resource or a WebSocket."""
    scheme, colon, rest = address.partition(":")
    if colon and scheme.lower() in _SAME_ORIGIN_AS:
        address = f"{_SAME_ORIGIN_AS[scheme.lower()]}:{rest}"
    return matches_redirect(address, redirect_uri)


def may_open(address: str) -> bool:
    """Only https pages, and http pages on this computer (the emulator, a loopback Redirect URI), load here:
    no local files, no Qt resources, and no other scheme, which the operating system would otherwise be asked
    to open."""
    try:
        parts = urlsplit(address)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme in ("https", "wss"):
        return True
    if scheme in ("http", "ws"):
        return is_loopback_host(parts.hostname or "")
    return address == "about:blank"


def judge(navigation: Navigation, redirect_uri: str) -> Verdict:
    """The redirect URI is captured in the main frame and refused anywhere else; what may not be opened here is
    refused; all else loads."""
    if is_redirect(navigation.address, redirect_uri):
        return Verdict.CAPTURE if navigation.main_frame else Verdict.REFUSE
    if navigation.by_qbdesk and navigation.address.startswith("data:"):
        return Verdict.LOAD  # a page of qbdesk's own (the self-test's)
    return Verdict.LOAD if may_open(navigation.address) else Verdict.REFUSE


def security_note(url: QUrl) -> str:
    """What the padlock says about an address."""
    scheme = url.scheme().lower()
    def tr(text: str) -> str:
        return QCoreApplication.translate("SignInWindow", text)

    if scheme == "https":
        return tr("Secure connection (https)")
    if scheme == "http":
        return tr("Not secure (this computer)") if is_loopback_host(url.host()) else tr("Not secure")
    return ""


class SignInPage(QWebEnginePage):
    """A page that never loads the redirect URI; it reports the address instead (redirect_reached). Addresses
    it may not open are refused (refused), never handed to the operating system."""

    redirect_reached = Signal(str)
    refused = Signal(str)

    def __init__(self, profile: QWebEngineProfile, redirect_uri: str, parent: QObject | None = None) -> None:
        super().__init__(profile, parent)
        self._redirect_uri = redirect_uri
        self._reached = False

    def acceptNavigationRequest(self, url: QUrl, kind: QWebEnginePage.NavigationType, is_main_frame: bool) -> bool:
        navigation = Navigation(
            url.toString(_ENCODED),
            is_main_frame,
            kind == QWebEnginePage.NavigationType.NavigationTypeRedirect,
            kind == QWebEnginePage.NavigationType.NavigationTypeTyped,
        )
        if self._reached:
            return False
        verdict = judge(navigation, self._redirect_uri)
        if verdict is Verdict.CAPTURE:
            self._reached = True
            log.info("Sign-in reached the redirect URI (%s); it was not loaded.",
                     "server redirect" if navigation.server_redirect else "navigation")
            self.redirect_reached.emit(navigation.address)
        elif verdict is Verdict.REFUSE and is_main_frame:
            log.info("The sign-in window refused to open an address (%s:)", url.scheme())
            self.refused.emit(url.scheme())
        return verdict is Verdict.LOAD


class RedirectGuard(QWebEngineUrlRequestInterceptor):
    """Blocks every request for the redirect URI, whatever part of the page asks for it and however (a WebSocket
    too), and every request for what may not be opened here (qrc:, file:, http away from this computer)."""

    def __init__(self, redirect_uri: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._redirect_uri = redirect_uri

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        address = info.requestUrl().toString(_ENCODED)
        if is_redirect(address, self._redirect_uri) or not (may_open(address) or _in_page(address)):
            info.block(True)


def _in_page(address: str) -> bool:
    """data: and blob: resources come from the page itself and touch nothing else."""
    return address.split(":", 1)[0].lower() in ("data", "blob")


class SignInWindow(QWidget):
    """A browser window for Intuit's sign-in that hands back the redirect address; deletes itself when closed."""

    redirect_captured = Signal(str)
    closed_early = Signal()

    def __init__(self, url: str, redirect_uri: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr(TITLE))
        self.resize(900, 720)
        self._start_url = QUrl(url)
        self._finished = False

        # Off the record: cookies and cache stay in memory and go with the window.
        profile = QWebEngineProfile()
        self._guard = RedirectGuard(redirect_uri, profile)
        profile.setUrlRequestInterceptor(self._guard)
        self._view = QWebEngineView(self)
        self._view.setAccessibleName(self.tr("Sign-in page"))  # the page itself is named by its own HTML
        self._page = SignInPage(profile, redirect_uri, self._view)
        # A child of its page, the profile is deleted right after the page, as Qt requires.
        profile.setParent(self._page)
        self._page.settings().setAttribute(QWebEngineSettings.WebAttribute.ErrorPageEnabled, False)
        self._view.setPage(self._page)

        self._build_bar()
        self._banner = Panel("warning")
        self._banner.setObjectName("problem")
        self._banner_text = label()
        self._banner_text.setObjectName("problemText")
        self._banner.body.addWidget(self._banner_text)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(self._bar)
        layout.addWidget(self._progress)
        self._banner_row = QWidget()
        banner_row = QHBoxLayout(self._banner_row)
        banner_row.setContentsMargins(8, 4, 8, 8)
        banner_row.addWidget(self._banner)
        self._banner_row.hide()
        layout.addWidget(self._banner_row)
        layout.addWidget(self._view, 1)

        self._add_shortcut("Alt+Left", self.go_back)
        self._add_shortcut("F5", self.reload)
        self._add_shortcut("Ctrl+R", self.reload)
        self._add_shortcut("Esc", self.close)

        self._page.redirect_reached.connect(self._capture, Qt.ConnectionType.QueuedConnection)
        self._page.refused.connect(lambda scheme: self._show_problem(self.tr(REFUSED_PROBLEM).format(scheme=scheme[:40])))
        self._page.urlChanged.connect(self._show_address)
        self._page.loadStarted.connect(self._load_started)
        self._page.loadProgress.connect(self._progress.setValue)
        self._page.loadFinished.connect(self._load_finished)
        self._page.loadingChanged.connect(self._loading_changed)
        self._page.certificateError.connect(self._certificate_error)

        self._show_address(self._start_url)
        self._view.setFocus()
        self._page.load(self._start_url)

    def _build_bar(self) -> None:
        self._back = button(self.tr("&Back"))
        self._back.setToolTip(self.tr("Back (Alt+Left)"))
        self._back.setEnabled(False)
        self._back.clicked.connect(self.go_back)
        self._reload = button(self.tr("&Reload"))
        self._reload.setToolTip(self.tr("Reload (F5)"))
        self._reload.clicked.connect(self.reload)
        self._address = QLineEdit()
        self._address.setReadOnly(True)
        self._address.setObjectName("address")
        self._address.setAccessibleName(self.tr("Address"))
        self._security = label(wrap=False)
        self._security.setObjectName("security")
        self._bar = QHBoxLayout()
        self._bar.setContentsMargins(8, 6, 8, 6)
        self._bar.setSpacing(8)
        self._bar.addWidget(self._back)
        self._bar.addWidget(self._reload)
        self._bar.addWidget(self._security)
        self._bar.addWidget(self._address, 1)
        self._progress = QProgressBar()
        self._progress.setRange(0, 100)
        self._progress.setTextVisible(False)
        self._progress.setAccessibleName(self.tr("Page loading"))
        self._progress.setFixedHeight(3)
        self._progress.setStyleSheet(
            "QProgressBar { border: none; background: transparent; }"
            " QProgressBar::chunk { background: palette(highlight); }"
        )
        self._progress.hide()

    def _add_shortcut(self, keys: str, slot) -> None:
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(slot)

    @property
    def page(self) -> QWebEnginePage:
        """The web page shown (for tests and screenshots)."""
        return self._page

    @Slot()
    def go_back(self) -> None:
        # history().back(): in Qt 6.11 triggerAction(WebAction.Back) did nothing here.
        if self._page.history().canGoBack():
            self._page.history().back()

    @Slot()
    def reload(self) -> None:
        if self._page.url().isEmpty():
            self._page.load(self._start_url)
        else:
            self._page.triggerAction(QWebEnginePage.WebAction.Reload)

    @Slot(QUrl)
    def _show_address(self, url: QUrl) -> None:
        self._address.setText(url.host(_ENCODED) or url.toString(_ENCODED))
        self._address.setToolTip(url.toString(_ENCODED))  # encoded: no markup can survive
        self._address.setCursorPosition(0)
        note = security_note(url)
        self._set_security(note, "hint" if note.startswith("Not secure") else None)
        self._back.setEnabled(self._page.history().canGoBack())

    def _set_security(self, text: str, role: str | None) -> None:
        self._security.setText(text)
        self._security.setProperty("role", role)
        self._security.style().unpolish(self._security)
        self._security.style().polish(self._security)

    def _show_problem(self, text: str, detail: str = "") -> None:
        self._banner_text.setText(text)
        self._banner.setToolTip(plain_tooltip(detail))
        self._banner_row.show()

    @Slot()
    def _load_started(self) -> None:
        self._banner_row.hide()
        self._progress.setValue(0)
        self._progress.show()

    @Slot(bool)
    def _load_finished(self, ok: bool) -> None:
        self._progress.hide()
        self._back.setEnabled(self._page.history().canGoBack())

    @Slot(QWebEngineLoadingInfo)
    def _loading_changed(self, info: QWebEngineLoadingInfo) -> None:
        if self._finished or info.status() != QWebEngineLoadingInfo.LoadStatus.LoadFailedStatus:
            return
        domain = info.errorDomain()
        if domain == QWebEngineLoadingInfo.ErrorDomain.CertificateErrorDomain:
            self._show_problem(self.tr(CERTIFICATE_PROBLEM), info.errorString())
        elif domain == QWebEngineLoadingInfo.ErrorDomain.HttpStatusCodeDomain:
            self._show_problem(self.tr(HTTP_PROBLEM).format(status=info.errorCode()))
        else:
            self._show_problem(self.tr(NETWORK_PROBLEM), info.errorString())
        log.warning("Sign-in page failed to load: %s %s", domain.name, info.errorCode())

    @Slot(QWebEngineCertificateError)
    def _certificate_error(self, error: QWebEngineCertificateError) -> None:
        # Never accepted: Qt rejects the certificate when no handler accepts it.
        log.warning("Sign-in page presented a bad certificate: %s", error.type().name)
        self._set_security(self.tr("Not secure"), "problem")
        self._show_problem(self.tr(CERTIFICATE_PROBLEM), error.description())

    @Slot(str)
    def _capture(self, address: str) -> None:
        if self._finished:
            return
        self._finished = True
        self.redirect_captured.emit(address)
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._finished:
            self._finished = True
            self.closed_early.emit()
        super().closeEvent(event)
