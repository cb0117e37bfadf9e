"""WCAG 2 contrast: the figures its own examples give."""

from __future__ import annotations

import pytest

from qbdesk.core.contrast import contrast_ratio, relative_luminance


def test_black_and_white_are_the_ends_of_the_scale():
    assert relative_luminance((0, 0, 0)) == 0
    assert relative_luminance((255, 255, 255)) == pytest.approx(1)
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert contrast_ratio((255, 255, 255), (0, 0, 0)) == pytest.approx(21)  # order does not matter


def test_a_colour_on_itself_has_no_contrast():
    assert contrast_ratio((120, 60, 200), (120, 60, 200)) == 1


@pytest.mark.parametrize(
    ("grey", "expected"),
    [((0x76, 0x76, 0x76), 4.54), ((0x77, 0x77, 0x77), 4.48), ((0x94, 0x94, 0x94), 3.03), ((0x95, 0x95, 0x95), 3.00)],
)
def test_greys_on_white_either_side_of_the_limits(grey, expected):
    # #767676 is the lightest grey that passes 4.5:1 on white and #949494 the lightest at 3:1.
    assert contrast_ratio(grey, (255, 255, 255)) == pytest.approx(expected, abs=0.01)


def test_green_weighs_most_in_luminance():
    assert relative_luminance((0, 255, 0)) > relative_luminance((255, 0, 0)) > relative_luminance((0, 0, 255))
