"""qbdesk's colours, worked out from the window's palette so every text and border stays readable in light,
dark and high-contrast themes alike."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from qbdesk.core.contrast import NON_TEXT_MINIMUM, TEXT_MINIMUM, contrast_ratio

# The hues qbdesk starts from; each is made lighter or darker until it reads on the palette's backgrounds.
GREEN, RED, BLUE, AMBER = QColor("#2c7a4b"), QColor("#b3261e"), QColor("#3b7fc4"), QColor("#c98a00")
SPARE = 0.1  # above each minimum, so rounding never takes a colour below it
HIGH_CONTRAST_TEXT = 7.0  # WCAG's enhanced level, for users who ask their system for more contrast


def rgb(colour: QColor) -> tuple[int, int, int]:
    return colour.red(), colour.green(), colour.blue()


def contrast(first: QColor, second: QColor) -> float:
    return contrast_ratio(rgb(first), rgb(second))


def blend(colour: QColor, background: QColor, share: float) -> QColor:
    """share of colour over background (0: the background, 1: the colour)."""
    mixed = (round(c * share + b * (1 - share)) for c, b in zip(rgb(colour), rgb(background), strict=True))
    return QColor(*mixed)


def readable(hue: QColor, backgrounds: list[QColor], minimum: float) -> QColor:
    """hue, lighter on dark backgrounds or darker on light ones (same hue and saturation), until it reaches
    minimum, with a little to spare, against each of backgrounds."""
    lighter = sum(contrast(b, QColor("white")) for b in backgrounds) > sum(
        contrast(b, QColor("black")) for b in backgrounds
    )
    hue_f, saturation, lightness, _alpha = hue.getHslF()
    for step in range(51):
        shade = lightness + (1 - lightness) * step / 50 if lighter else lightness * (1 - step / 50)
        candidate = QColor.fromHslF(max(hue_f, 0.0), saturation, shade)
        if all(contrast(candidate, b) >= minimum + SPARE for b in backgrounds):
            return candidate
    return QColor("white") if lighter else QColor("black")


def text_on(fill: QColor) -> QColor:
    """Black or white, whichever reads better on fill."""
    return QColor("black") if contrast(fill, QColor("black")) >= contrast(fill, QColor("white")) else QColor("white")


def asks_for_high_contrast() -> bool:
    """The system's contrast preference (Qt 6.10 and later); False where it says nothing."""
    hints = QGuiApplication.styleHints()
    accessibility = getattr(hints, "accessibility", None)
    if accessibility is None:
        return False
    return accessibility().contrastPreference() == Qt.ContrastPreference.HighContrast


@dataclass(frozen=True)
class Tint:
    """A panel's background and border."""

    back: QColor
    border: QColor


@dataclass(frozen=True)
class Colours:
    """Every colour qbdesk's style sheet uses, worked out for one palette."""

    accent: QColor  # links, breadcrumbs and finished stages, as text
    accent_fill: QColor  # the primary button and a finished stage's badge
    on_accent: QColor  # text on accent_fill
    danger: QColor  # problems, as text
    muted: QColor  # hints and read-only values
    border: QColor  # a field's border
    focus: QColor  # the ring around the widget with keyboard focus
    info: Tint
    warning: Tint
    success: Tint

    @classmethod
    def from_palette(cls, palette: QPalette, high_contrast: bool = False) -> Colours:
        role = QPalette.ColorRole
        window, base, text = palette.color(role.Window), palette.color(role.Base), palette.color(role.WindowText)
        # Qt's styles paint tab pages, group boxes and alternate rows in these; qbdesk's texts lie on any of them.
        backgrounds = [window, base, *(palette.color(r) for r in (role.AlternateBase, role.Button, role.Midlight))]
        text_minimum = HIGH_CONTRAST_TEXT if high_contrast else TEXT_MINIMUM
        dark = window.lightness() < 128
        tint_share = 0.0 if high_contrast else 0.22 if dark else 0.10

        def tint(hue: QColor) -> Tint:
            share = tint_share
            back = blend(hue, base, share)
            while share > 0 and contrast(text, back) < min(text_minimum, contrast(text, base)):
                share = max(share - 0.02, 0.0)  # a fainter tint, so the palette's own text still reads on it
                back = blend(hue, base, share)
            border = text if high_contrast else readable(hue, [back, window, base], NON_TEXT_MINIMUM)
            return Tint(back, border)

        info, warning, success = tint(BLUE), tint(AMBER), tint(GREEN)  # panels lie on the page: window or base
        panels = [info.back, warning.back, success.back]
        accent_fill = readable(GREEN, backgrounds, NON_TEXT_MINIMUM)
        on_accent = text_on(accent_fill)
        accent_fill = readable(accent_fill, [on_accent], text_minimum)
        return cls(
            accent=readable(GREEN, backgrounds + panels, text_minimum),
            accent_fill=accent_fill,
            on_accent=on_accent,
            danger=readable(RED, backgrounds + panels, text_minimum),
            muted=readable(blend(text, window, 0.6), backgrounds + panels, text_minimum),
            border=readable(palette.color(role.Mid), backgrounds, NON_TEXT_MINIMUM),
            focus=readable(GREEN, backgrounds + panels, NON_TEXT_MINIMUM + 0.5),  # to stand out more than a border
            info=info,
            warning=warning,
            success=success,
        )

    def names(self) -> dict[str, str]:
        """The colours by the names the style sheet uses."""
        return {
            "ACCENT": self.accent.name(),
            "ACCENT_FILL": self.accent_fill.name(),
            "ON_ACCENT": self.on_accent.name(),
            "DANGER": self.danger.name(),
            "MUTED": self.muted.name(),
            "BORDER": self.border.name(),
            "FOCUS": self.focus.name(),
            **{
                f"{kind}_{part}": getattr(getattr(self, kind.lower()), part.lower()).name()
                for kind in ("INFO", "WARNING", "SUCCESS")
                for part in ("BACK", "BORDER")
            },
        }
