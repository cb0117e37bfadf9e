"""Contrast between two colours as WCAG 2 defines it: relative luminance and the ratio between two of them."""

from __future__ import annotations

RGB = tuple[int, int, int]  # 0-255 per channel, sRGB

TEXT_MINIMUM = 4.5  # WCAG 1.4.3, normal text
NON_TEXT_MINIMUM = 3.0  # WCAG 1.4.11, control borders and focus indicators


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb: RGB) -> float:
    """0 for black, 1 for white."""
    red, green, blue = (_linear(channel) for channel in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: RGB, second: RGB) -> float:
    """From 1 (the same colour) to 21 (black on white); the order of the two does not matter."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
