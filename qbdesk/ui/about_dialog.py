"""About qbdesk: version, licence, useful links and the notices of the open-source parts it ships with."""

from __future__ import annotations

import html

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qbdesk import __version__, licences, user_apps
from qbdesk.ui.colours import Colours
from qbdesk.ui.widgets import label

LINKS = (
    (QT_TRANSLATE_NOOP("AboutDialog", "Intuit Developer: your apps and their keys"), "https://developer.intuit.com/app/developer/dashboard"),
    (QT_TRANSLATE_NOOP("AboutDialog", "QuickBooks Online accounting API"), "https://developer.intuit.com/app/developer/qbo/docs/get-started"),
    (QT_TRANSLATE_NOOP("AboutDialog", "Qt for Python (PySide6), under the LGPL"), "https://www.qt.io/qt-for-python"),
)


def _text_page(text: str) -> QPlainTextEdit:
    page = QPlainTextEdit(text)
    page.setReadOnly(True)
    page.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard | Qt.TextInteractionFlag.TextSelectableByMouse)
    page.setTabChangesFocus(True)
    return page


class LinkLabel(QLabel):
    """One link, reached by Tab and opened by Enter. Shift+Tab leaves it at once: Qt's label otherwise
    keeps the focus among its links for ever when walked backwards."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByKeyboard
                                     | Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def focusNextPrevChild(self, next: bool) -> bool:
        return super().focusNextPrevChild(next) if next else QWidget.focusNextPrevChild(self, next)


class AboutDialog(QDialog):
    """Three tabs: About (version, licence, links), Licence (qbdesk's own text), Third-party notices."""

    def __init__(self, parent: QWidget | None = None, icon=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About qbdesk"))
        self.resize(640, 520)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._summary(icon), self.tr("&About"))
        self.licence = _text_page(licences.licence_text())
        self.licence.setAccessibleName(self.tr("Licence"))
        self.tabs.addTab(self.licence, self.tr("&Licence"))
        self.notices = _text_page(licences.third_party_notices())
        self.notices.setAccessibleName(self.tr("Third-party notices"))
        self.tabs.addTab(self.notices, self.tr("&Third-party notices"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

    def _summary(self, icon) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        heading = QHBoxLayout()
        if icon is not None:
            picture = QLabel()
            picture.setPixmap(icon.pixmap(64, 64))
            heading.addWidget(picture)
        title = label(self.tr("qbdesk {version}").format(version=__version__), role="title")
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        heading.addWidget(title, 1)
        layout.addLayout(heading)
        layout.addWidget(label(self.tr("Creates and keeps QuickBooks Online integration credentials on this computer.")))
        layout.addWidget(label(self.tr(
            "Licence: {licence} (see the Licence tab). qbdesk includes open-source software; "
            "each part's licence is in Third-party notices."
        ).format(licence=licences.QBDESK_LICENCE)))
        layout.addWidget(label(self.tr("Built with Qt {qt} and PySide6 {pyside}.").format(qt=qVersion(), pyside=pyside_version)))
        self.links = []
        for text, url in LINKS:
            link = LinkLabel(self._link_html(text, url))
            link.linkActivated.connect(self.open_link)
            self.links.append(link)
            layout.addWidget(link)
        layout.addStretch(1)
        return page

    def _link_html(self, text: str, url: str) -> str:
        colour = Colours.from_palette(self.palette()).accent.name()
        return f'<a style="color: {colour}" href="{html.escape(url)}">{html.escape(self.tr(text))}</a>'

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.type() == event.Type.PaletteChange:  # the desktop switched between light and dark
            for link, (text, url) in zip(self.links, LINKS, strict=True):
                link.setText(self._link_html(text, url))
        super().changeEvent(event)

    def open_link(self, url: str) -> None:
        """Links open in the user's browser, started with the user's own environment."""
        try:
            user_apps.open_in_user_app(url)
        except user_apps.CannotOpen:
            pass  # only the fixed links above reach here
