"""Every page and dialog, rendered in a light and a dark palette, is readable: each visible text, field border
and focus ring measured from the rendered pixels against what lies behind it (WCAG 2 ratios)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import shiboken6
from contrast import (
    borders_below,
    check_boxes,
    check_boxes_below,
    focus_change,
    fusion_dark_palette,
    grab,
    text_contrast,
    text_rect,
    texts_below,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QStyle, QStyleOptionButton, QVBoxLayout, QWidget
from screens import text_size

from qbdesk.core.contrast import NON_TEXT_MINIMUM, TEXT_MINIMUM
from qbdesk.core.destinations import Destination
from qbdesk.services.credentials import CredentialRemoved
from qbdesk.store.settings import env_name
from qbdesk.ui import dialogs
from qbdesk.ui.colours import Colours, contrast
from qbdesk.ui.main_window import MainWindow
from qbdesk.ui.style import apply_style, style_sheet
from qbdesk.ui.transfer_dialogs import MoveDialog

from steps import walk_to_stage_two

pytestmark = pytest.mark.gui
SHOTS_ENV = "CONTRAST_SHOTS"  # a folder: each measured window is saved there as a PNG


@pytest.fixture(params=["light", "dark"])
def theme(request, qapp):
    """The application in Fusion with a light or a dark palette and qbdesk's style; put back afterwards."""
    old_style, old_palette = qapp.style().name(), qapp.palette()
    qapp.setStyle("Fusion")
    qapp.setPalette(fusion_dark_palette() if request.param == "dark" else qapp.style().standardPalette())
    follower = apply_style(qapp)
    yield request.param
    shiboken6.delete(follower)
    qapp.setStyleSheet("")
    qapp.setStyle(old_style)
    qapp.setPalette(old_palette)


def settle(widget: QWidget) -> None:
    """Lay the widget out with room for all it holds, so nothing measured is scrolled out of sight."""
    if isinstance(widget, MainWindow):
        widget.resize(max(widget.width(), 1100), max(widget.height(), 700))
    else:
        widget.resize(widget.size().expandedTo(widget.sizeHint()))
    for _ in range(5):
        QApplication.processEvents()


def keep(image: QImage, name: str) -> None:
    """Save what was measured into the folder CONTRAST_SHOTS names, if any, to look at."""
    folder = os.environ.get(SHOTS_ENV)
    if folder:
        image.save(str(Path(folder) / f"{len(os.listdir(folder)):03}-{name}.png"))


def assert_readable(widget: QWidget) -> None:
    """Every visible text at 4.5:1 or more, every field border at 3:1 or more."""
    focused = QApplication.focusWidget()
    if focused is not None:
        focused.clearFocus()  # focus rings are measured on their own, by assert_focus_visible
    settle(widget)
    keep(grab(widget), type(widget).__name__)
    faint = texts_below(widget, TEXT_MINIMUM) + borders_below(widget, NON_TEXT_MINIMUM)
    assert not faint, "\n".join(str(measure) for measure in faint)


def assert_focus_visible(window: QWidget, widgets: list[QWidget]) -> None:
    """Giving each widget keyboard focus changes a ring around it by 3:1 or more."""
    window.activateWindow()
    faint = []
    for widget in widgets:
        window.setFocus()  # somewhere else first
        settle(window)
        before = grab(window)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        settle(window)
        assert widget.hasFocus(), f"{widget.accessibleName() or widget.text()} did not take focus"
        rect = widget.rect().translated(widget.mapTo(window, widget.rect().topLeft()))
        after = grab(window)
        keep(after, f"focus-{type(widget).__name__}")
        measure = focus_change(f"{type(widget).__name__} {widget.accessibleName() or widget.text()!r} focus", before, after, rect)
        if measure.ratio < NON_TEXT_MINIMUM:
            faint.append(measure)
        text = text_rect(widget)
        if text is not None:  # and its own text still reads while it has focus
            text = text.translated(widget.mapTo(window, text.topLeft()) - text.topLeft())
            measure = text_contrast(f"{type(widget).__name__} text with focus", after, text)
            if measure.ratio < TEXT_MINIMUM:
                faint.append(measure)
    assert not faint, "\n".join(str(measure) for measure in faint)


# --- the measuring helper itself -----------------------------------------------------------------


def sample(qtbot, text_colour: str, background: str) -> QWidget:
    box = QWidget()
    box.setStyleSheet(f"background: {background};")
    layout = QVBoxLayout(box)
    text = QLabel("Invoices sent this month")
    text.setStyleSheet(f"color: {text_colour};")
    field = QLineEdit("Acme")
    field.setStyleSheet(f"border: 1px solid {text_colour}; background: {background}; color: {text_colour};")
    layout.addWidget(text)
    layout.addWidget(field)
    qtbot.addWidget(box)
    box.show()
    settle(box)
    field.clearFocus()  # its cursor is drawn in another colour
    settle(box)
    return box


def test_the_measure_fails_grey_text_and_borders_on_grey(qtbot):
    box = sample(qtbot, "#8a8a8a", "#a0a0a0")
    faint = texts_below(box, TEXT_MINIMUM)
    assert len(faint) == 2 and all(1.1 < measure.ratio < 1.4 for measure in faint)  # the label and the field
    assert [measure.ratio < 1.4 for measure in borders_below(box, NON_TEXT_MINIMUM)] == [True]


def test_the_measure_passes_black_on_white_and_finds_invisible_text(qtbot):
    assert texts_below(sample(qtbot, "#000000", "#ffffff"), 20.9) == []
    invisible = texts_below(sample(qtbot, "#ffffff", "#ffffff"), TEXT_MINIMUM)
    assert [round(measure.ratio, 2) for measure in invisible] == [1.0, 1.0]


# --- the pages ------------------------------------------------------------------------------------


def test_integrations_with_the_demo_and_keychain_banners(qtbot, theme, world):
    context = world.open()
    window = MainWindow(context.credentials.list(), context.clock.now, demo=True)
    qtbot.addWidget(window)
    window.banners.vault_message.setText("Secrets are stored in a file: anyone who can read your files can read them.")
    window.banners.vault.show()
    window.show()
    assert_readable(window)
    window.close()
    context.close()


def test_credentials_list_details_and_reconnect_notice(qtbot, theme, world, open_window):
    context = world.open()
    pending = context.credentials.create_pending("Acme Books", Destination.SANDBOX)
    window = open_window(context)
    window.show_quickbooks()
    window.quickbooks_page.select(pending.id)
    assert window.quickbooks_page.details.notice.isVisibleTo(window)
    assert_readable(window)
    page = window.quickbooks_page
    assert_focus_visible(window, [page.search, page.configure_button, page.table])


def test_empty_list_and_integrations_card(qtbot, theme, world, open_window):
    window = open_window(world.open())
    assert_readable(window)
    assert_focus_visible(window, [window.integrations_page.quickbooks_entry])
    window.show_quickbooks()
    assert_readable(window)


def test_create_stage_one_with_a_name_problem_and_focus(qtbot, theme, world, open_window):
    context = world.open()
    context.credentials.create_pending("Acme Books", Destination.SANDBOX)
    window = open_window(context)
    window.show_create()
    page = window.services.create_page
    qtbot.keyClicks(page.name_field, "acme books")
    assert "already exists" in page.name_problem.text()
    assert_readable(window)
    page.name_field.setText("Acme Books 2")
    assert_focus_visible(window, [page.name_field, page.sandbox_choice, page.next_button, window.quickbooks_crumb])


def test_create_stage_two_waiting_connected_and_failed(qtbot, theme, world, open_window, browser):
    window = open_window(world.open())
    page = walk_to_stage_two(qtbot, window)
    assert_readable(window)
    qtbot.mouseClick(page.sign_in.go_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Connected" in page.sign_in.status_text(), timeout=15000)
    assert_readable(window)
    assert_focus_visible(window, [page.create_button])
    page.sign_in.on_credential_removed(CredentialRemoved(page.sign_in.credential, expired=True))
    assert "ran out" in page.sign_in.status_text()
    assert_readable(window)


def test_stage_two_setup_problem(qtbot, theme, world, open_window):
    del world.overrides[env_name(Destination.PRODUCTION, "client_id")]
    window = open_window(world.open())
    page = walk_to_stage_two(qtbot, window, sandbox=False)
    assert page.sign_in.setup_panel.isVisibleTo(window)
    assert_readable(window)


def test_dialogs(qtbot, theme, world, open_window):
    window = open_window(world.open())
    window.open_settings()
    window.open_audit_log()
    window.help_menu.open_about()
    window.help_menu.open_shortcuts()
    opened = [window.settings_dialog, window.audit_dialog, window.help_menu.about_dialog,
              window.help_menu.shortcuts_dialog,
              dialogs.text_dialog(window, "Rename credential", "New name\nThat name is taken.", "Acme Books"),
              dialogs.error_box(window, "Could not reach Intuit", "Check your connection, then try again.")]
    for dialog in opened:
        dialog.show()
        assert_readable(dialog)
        dialog.close()


def test_an_unchecked_tick_box_or_choice_shows_its_outline(qtbot, theme, world, open_window):
    """A box left unticked (Settings' choices, a credential left out of a move) or a destination not chosen
    (Stage 1) still shows where to click."""
    window = open_window(world.open())
    window.open_settings()
    move = MoveDialog([("1", "Acme Books \u2014 QuickBooks"), ("2", "Northwind \u2014 QuickBooks")], window)
    move.credential_list.item(1).setCheckState(Qt.CheckState.Unchecked)
    window.show()
    window.show_create()
    window.services.create_page.sandbox_choice.setChecked(True)  # QuickBooks (production) is left unchosen
    for dialog in (window.settings_dialog, move, window):
        dialog.show()
        settle(dialog)
        keep(grab(dialog), f"tick-boxes-{type(dialog).__name__}")
        assert check_boxes(dialog), "no unchecked tick box to measure"
        faint = check_boxes_below(dialog, NON_TEXT_MINIMUM)
        assert not faint, "\n".join(str(measure) for measure in faint)
        if dialog is not window:
            dialog.close()


def test_tick_boxes_and_choices_grow_with_large_text(qtbot, theme, world, open_window):
    """At 16 pt a box as small as at 9 pt is hard to see and to hit: it grows with the text beside it."""
    window = open_window(world.open())
    window.show()
    window.show_create()
    with text_size(16):
        settle(window)
        choice = window.services.create_page.production_choice
        option = QStyleOptionButton()
        option.initFrom(choice)
        ring = choice.style().subElementRect(QStyle.SubElement.SE_RadioButtonIndicator, option, choice)
        line = choice.fontMetrics().height()
        assert ring.height() >= 0.75 * line, f"a {ring.height()} px ring beside {line} px text"


# --- following the system's colours ----------------------------------------------------------------


def test_an_open_window_restyles_when_the_palette_turns_dark(qtbot, world, open_window, qapp):
    light = qapp.style().standardPalette()
    qapp.setPalette(light)
    follower = apply_style(qapp)
    try:
        context = world.open()
        context.credentials.create_pending("Acme Books", Destination.SANDBOX)
        window = open_window(context)
        window.show_create()
        qtbot.keyClicks(window.services.create_page.name_field, "acme books")  # a problem, in red
        assert_readable(window)
        with qtbot.waitSignal(follower.restyled):
            qapp.setPalette(fusion_dark_palette())  # as the system does when it switches to dark
        assert_readable(window)
        with qtbot.waitSignal(follower.restyled):
            qapp.setPalette(light)
        assert_readable(window)
    finally:
        shiboken6.delete(follower)
        qapp.setStyleSheet("")


def test_high_contrast_reads_at_seven_to_one(qtbot, world, open_window, qapp, browser):
    """When the system asks for more contrast (white on black here), texts reach WCAG's enhanced 7:1."""
    old_style, old_palette = qapp.style().name(), qapp.palette()
    qapp.setStyle("Fusion")
    high = palette_of("#000000", "#ffffff", "#000000")
    high.setColor(QPalette.ColorRole.ButtonText, QColor("#ffffff"))
    qapp.setPalette(high)
    qapp.setStyleSheet(style_sheet(high, high_contrast=True))
    try:
        context = world.open()
        context.credentials.create_pending("Acme Books", Destination.SANDBOX)
        window = open_window(context)
        window.show_create()
        qtbot.keyClicks(window.services.create_page.name_field, "acme books")
        settle(window)
        assert texts_below(window, 7.0) == []
        window.services.create_page.name_field.setText("Acme Books 2")
        page = window.services.create_page
        page.go_next()
        settle(window)
        assert texts_below(window, 7.0) == []
    finally:
        qapp.setStyleSheet("")
        qapp.setStyle(old_style)
        qapp.setPalette(old_palette)


def test_about_recolours_its_links_when_the_palette_turns_dark(qtbot, world, open_window, qapp):
    window = open_window(world.open())
    window.help_menu.open_about()
    about = window.help_menu.about_dialog
    light = qapp.palette()
    try:
        qapp.setPalette(fusion_dark_palette())
        settle(about)
        assert texts_below(about, TEXT_MINIMUM) == []
    finally:
        qapp.setPalette(light)
    about.close()


def test_a_change_of_colour_scheme_works_the_style_out_again(qtbot, qapp):
    follower = apply_style(qapp)
    try:
        with qtbot.waitSignal(follower.restyled):
            qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert qapp.styleSheet() == style_sheet(qapp.palette())
        assert apply_style(qapp) is follower  # one follower per application
    finally:
        shiboken6.delete(follower)
        qapp.setStyleSheet("")


def palette_of(window: str, text: str, base: str) -> QPalette:
    palette = QPalette(QColor(window))
    for role, colour in ((QPalette.ColorRole.WindowText, text), (QPalette.ColorRole.Text, text),
                         (QPalette.ColorRole.Base, base), (QPalette.ColorRole.AlternateBase, base)):
        palette.setColor(role, QColor(colour))
    return palette


@pytest.mark.parametrize(
    ("window", "text", "base", "high_contrast"),
    [
        ("#efefef", "#000000", "#ffffff", False),  # Fusion light
        ("#353535", "#ffffff", "#2a2a2a", False),  # Fusion dark
        ("#fdf6e3", "#3d4f55", "#eee8d5", False),  # a cream theme with soft text
        ("#000000", "#ffffff", "#000000", True),  # high contrast, white on black
        ("#ffffff", "#000000", "#ffffff", True),  # high contrast, black on white
    ],
)
def test_qbdesk_colours_read_on_any_palette(qapp, window, text, base, high_contrast):
    colours = Colours.from_palette(palette_of(window, text, base), high_contrast)
    minimum = 7.0 if high_contrast else TEXT_MINIMUM
    grounds = [QColor(window), QColor(base), colours.info.back, colours.warning.back, colours.success.back]
    for name in ("accent", "danger", "muted"):
        assert all(contrast(getattr(colours, name), ground) >= minimum for ground in grounds), name
    assert contrast(colours.on_accent, colours.accent_fill) >= minimum
    for panel in (colours.info, colours.warning, colours.success):
        assert contrast(QColor(text), panel.back) >= minimum  # the panel's words, in the palette's text colour
        assert contrast(panel.border, QColor(window)) >= NON_TEXT_MINIMUM
    assert contrast(colours.border, QColor(base)) >= NON_TEXT_MINIMUM
    assert contrast(colours.focus, QColor(window)) >= NON_TEXT_MINIMUM
