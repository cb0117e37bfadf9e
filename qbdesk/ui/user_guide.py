"""The user guide window: the guide shipped under resources/help, shown offline and coloured for the theme."""

from __future__ import annotations

import re
from importlib.resources import as_file, files

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLineEdit, QTextBrowser, QVBoxLayout, QWidget

from qbdesk import user_apps
from qbdesk.core.contrast import TEXT_MINIMUM
from qbdesk.ui.colours import GREEN, Colours, readable
from qbdesk.ui.widgets import button, label

GUIDE = ("help", "user-guide.html")
_OWN_STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)


def guide_html() -> str:
    """The guide without its own style sheet, which is for browsers; the window colours it from its palette."""
    return _OWN_STYLE.sub("", files("qbdesk.resources").joinpath(*GUIDE).read_text(encoding="utf-8"))


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def link_colour(palette: QPalette) -> str:
    """qbdesk's green, light enough on the guide's dark background and dark enough on a light one."""
    return readable(GREEN, [palette.color(QPalette.ColorRole.Base)], TEXT_MINIMUM).name()


def theme_css(palette: QPalette) -> str:
    """The guide's colours from the window's palette, so it reads in light and dark themes alike."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    dark = is_dark(palette)
    link = link_colour(palette)
    shade = base.lighter(135).name() if dark else base.darker(106).name()
    rule = palette.color(QPalette.ColorRole.Mid).name()
    note = Colours.from_palette(palette).warning.back.name()
    return (
        f"body {{ color: {text.name()}; }} a {{ color: {link}; }} table {{ border-collapse: collapse; }}"
        f" td, th {{ border: 1px solid {rule}; padding: 3px 6px; }} h2 {{ margin-top: 18px; }}"
        f" code, kbd, pre {{ background-color: {shade}; }}"
        f" th {{ background-color: {shade}; }}"
        f" .note {{ background-color: {note}; }}"
    )


class UserGuideWindow(QDialog):
    """A separate, non-modal window: Ctrl+F finds text, links to other sections stay here, web links open
    in the user's browser."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("qbdesk user guide"))
        self.setWindowFlag(Qt.WindowType.WindowMinMaxButtonsHint, True)
        self.resize(860, 680)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)  # web pages go to the browser; sections scroll here
        self.browser.anchorClicked.connect(self.follow)
        self.browser.document().setDefaultStyleSheet(theme_css(self.palette()))
        self.browser.setHtml(guide_html())
        self.find_field = QLineEdit()
        self.find_field.setPlaceholderText(self.tr("Find in the guide"))
        self.find_field.setClearButtonEnabled(True)
        self.find_field.returnPressed.connect(self.find_next)
        self.find_result = label(role="hint", wrap=False)
        self.browser_button = button(self.tr("&Open in your browser"))
        self.browser_button.clicked.connect(self.open_in_browser)
        close_button = button(self.tr("&Close"))
        close_button.clicked.connect(self.close)
        bar = QHBoxLayout()
        bar.addWidget(self.find_field, 1)
        bar.addWidget(self.find_result)
        bar.addWidget(self.browser_button)
        bar.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addLayout(bar)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.find_field.setFocus)
        QShortcut(QKeySequence.StandardKey.FindNext, self, activated=self.find_next)
        self.browser.setFocus()

    def follow(self, url: QUrl) -> None:
        if url.scheme() in user_apps.WEB_SCHEMES:
            try:
                user_apps.open_in_user_app(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))
            except user_apps.CannotOpen:
                pass
        elif url.hasFragment():
            self.browser.scrollToAnchor(url.fragment())

    def find_next(self) -> None:
        """The next match after the cursor, starting over from the top once."""
        words = self.find_field.text()
        if not words:
            return
        found = self.browser.find(words)
        if not found:
            self.browser.moveCursor(self.browser.textCursor().MoveOperation.Start)
            found = self.browser.find(words)
        self.find_result.setText("" if found else self.tr("Not found"))

    def open_in_browser(self) -> None:
        with as_file(files("qbdesk.resources").joinpath(*GUIDE)) as path:
            user_apps.open_in_user_app(path)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.type() == event.Type.PaletteChange:  # the desktop switched between light and dark
            self.browser.document().setDefaultStyleSheet(theme_css(self.palette()))
            self.browser.setHtml(guide_html())
        super().changeEvent(event)

