"""The pending time-to-live setting and the countdown text."""

from datetime import timedelta

import pytest

from qbdesk.core.ttl import format_remaining, pending_ttl


def test_default_is_ten_minutes():
    assert pending_ttl({}) == timedelta(minutes=10)


def test_environment_overrides_the_default():
    assert pending_ttl({"QBDESK_PENDING_TTL_SECONDS": " 30 "}) == timedelta(seconds=30)


@pytest.mark.parametrize("raw", ["abc", "0", "-5", "1.5", "999999999"])
def test_bad_values_are_refused_with_a_message(raw):
    with pytest.raises(ValueError, match="QBDESK_PENDING_TTL_SECONDS"):
        pending_ttl({"QBDESK_PENDING_TTL_SECONDS": raw})


@pytest.mark.parametrize(
    ("seconds", "text"), [(600, "10:00"), (599.2, "10:00"), (61, "1:01"), (0.4, "0:01"), (0, "0:00"), (-3, "0:00")]
)
def test_countdown_rounds_up_and_never_goes_negative(seconds, text):
    assert format_remaining(timedelta(seconds=seconds)) == text
