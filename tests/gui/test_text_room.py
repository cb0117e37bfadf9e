"""Large text and 2x scaling: every page and dialog fits 1,000 logical px and no text is cut off."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pseudo_translation import OPEN, pseudo_translated
from PySide6.QtGui import QFont, QFontInfo
from PySide6.QtWidgets import QApplication, QLabel
from screens import (
    LONG_COMPANY,
    LONG_NAME,
    SCREENS,
    WIDEST_WINDOW,
    at_narrowest,
    close_screen,
    open_long_window,
    show_screen,
    text_size,
)
from text_room import clipped_text, visible_texts

from qbdesk.ui.style import apply_style

pytestmark = pytest.mark.gui

TAG = re.compile(r"<[^>]+>")
URL = re.compile(r"https?://\S+")  # example addresses are the same in every language
TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")  # a time as the window shows it

SCALED = "TEXT_ROOM_AT_TWICE_THE_SCALE"  # set in the child run at 2x (a QBDESK_* name would be cleared)


def test_the_longest_name_is_as_long_as_the_rules_allow():
    assert len(LONG_NAME) == 100


def crowded_screens(window, words_checked: bool = False) -> str:
    """Each screen at its narrowest: what is cut off there, and whether it is wider than WIDEST_WINDOW;
    with words_checked, also the words on it that never passed through translation."""
    found = {}
    for name in SCREENS:
        shown = show_screen(window, name)
        problems = untranslated(shown, {LONG_NAME, LONG_COMPANY}) if words_checked else []
        width = at_narrowest(shown)
        problems += clipped_text(shown)
        if width > WIDEST_WINDOW:
            problems.append(f"{width} px wide at its narrowest")
        if problems:
            found[name] = problems
        close_screen(window, shown)
        window.resize(1100, 680)
    return "\n".join(f"{name}: {problem}" for name, problems in found.items() for problem in problems)


@pytest.mark.parametrize("points", [None, 16], ids=["usual text", "16 pt text"])
def test_every_screen_fits_1000_px_without_cutting_text(qtbot, context, open_window, points):
    with text_size(points):
        crowded = crowded_screens(open_long_window(context, open_window))
    assert not crowded, crowded


@pytest.mark.timeout(600)
def test_every_screen_fits_at_twice_the_scale(context, open_window):
    """QT_SCALE_FACTOR is read once, when the application starts: the check runs again in a process of its own."""
    if os.environ.get(SCALED):
        assert QApplication.instance().devicePixelRatio() == 2
        window = open_long_window(context, open_window)
        for points in (None, 16):
            with text_size(points):
                crowded = crowded_screens(window)
            assert not crowded, crowded
        return
    tests = Path(__file__).resolve().parent
    child = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"{__file__}::{test_every_screen_fits_at_twice_the_scale.__name__}"],
        env={**os.environ, SCALED: "1", "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "offscreen"},
        cwd=tests.parent.parent, capture_output=True, text=True, timeout=300,
    )
    assert child.returncode == 0, child.stdout[-4000:] + child.stderr[-2000:]


def untranslated(shown, allowed: set[str]) -> list[str]:
    """Visible words that did not pass through Qt's translation, apart from what the user gave (names, times)."""
    found = []
    for widget, shown_text in visible_texts(shown):
        text = html.unescape(TAG.sub("", shown_text))  # tooltips are rich text
        given = text in allowed or TIME.fullmatch(text) or URL.fullmatch(text)  # the user's, the clock's, an address
        if OPEN in text or given or not any(ch.isalpha() for ch in text):
            continue
        found.append(f"not translated: {type(widget).__name__} {text[:70]!r}")
    return found


def test_every_screen_in_a_longer_language_keeps_its_text_whole_and_translated(qtbot, context, open_window):
    """The pseudo-translation makes each string 40% longer with accents; any text without its marks was never
    translated, and any text cut off at 16 pt has no room for languages longer than English."""
    with pseudo_translated() as translator, text_size(16):
        crowded = crowded_screens(open_long_window(context, open_window), words_checked=True)
    assert translator.asked, "the pseudo-translation was never asked"
    assert not crowded, crowded


def test_the_window_opens_within_the_screen(qtbot, context, open_window):
    window = open_window(context)
    room = window.screen().availableGeometry().size()
    assert window.width() <= room.width() and window.height() <= room.height(), (window.size(), room)


def test_at_16_pt_titles_and_headings_are_larger_than_body_text(qtbot, context, open_window):
    with text_size(16):
        window = open_long_window(context, open_window)
        window.show_quickbooks()
        labels = window.quickbooks_page.findChildren(QLabel)
        body = QFontInfo(window.quickbooks_page.details.notice_text.font()).pixelSize()
        sizes = {role: {QFontInfo(each.font()).pixelSize() for each in labels if each.property("role") == role}
                 for role in ("title", "heading")}
    assert sizes["title"] and min(sizes["title"]) > max(sizes["heading"]) > body, (sizes, body)


def test_an_open_window_restyles_when_the_text_size_changes(qtbot, context, open_window):
    """A larger text size chosen while qbdesk is open grows the titles with it: the style follows the font."""
    app = QApplication.instance()
    before = QFont(app.font())
    apply_style(app)
    window = open_long_window(context, open_window)
    window.show_quickbooks()
    title = next(each for each in window.quickbooks_page.findChildren(QLabel) if each.property("role") == "title")
    usual = QFontInfo(title.font()).pixelSize()
    try:
        larger = QFont(before)
        larger.setPointSizeF(24)
        app.setFont(larger)
        QApplication.processEvents()
        assert QFontInfo(title.font()).pixelSize() > usual * 1.3, (usual, QFontInfo(title.font()).pixelSize())
    finally:
        app.setFont(before)
        app.setStyleSheet("")
