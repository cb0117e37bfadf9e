"""Credential name rules, as the Create page enforces them."""

import pytest

from qbdesk.core.names import MAX_NAME_LENGTH, check_name


def test_a_plain_name_is_accepted_and_trimmed():
    result = check_name("  Acme Ltd  ")
    assert result.ok and result.name == "Acme Ltd"


@pytest.mark.parametrize("typed", ["", "   ", "\t\n"])
def test_empty_or_blank_names_are_refused_with_a_reason(typed):
    result = check_name(typed)
    assert not result.ok and "Enter a name" in result.problem


def test_length_limit_counts_after_trimming():
    assert check_name(" " + "a" * MAX_NAME_LENGTH + " ").ok
    too_long = check_name("a" * (MAX_NAME_LENGTH + 1))
    assert not too_long.ok and str(MAX_NAME_LENGTH) in too_long.problem


def test_ten_thousand_characters_are_refused_not_truncated():
    result = check_name("x" * 10_000)
    assert not result.ok and "10000" in result.problem


@pytest.mark.parametrize("typed", ["Acme\x00", "Ac\nme", "Ac\tme", "Acme\u200e", "Ac\x7fme", "Ac\u2028me"])
def test_control_characters_are_refused(typed):
    result = check_name(typed)
    assert not result.ok and "control characters" in result.problem


def test_duplicates_are_refused_ignoring_case():
    result = check_name("acme LTD", taken=["Acme Ltd"])
    assert not result.ok and "already exists" in result.problem


def test_duplicates_differing_only_in_composition_are_refused():
    composed, decomposed = "Caf\u00e9", "Cafe\u0301"
    assert not check_name(decomposed, taken=[composed]).ok


@pytest.mark.parametrize("typed", ["Müller & Söhne GmbH", "شركة المحاسبة", "Books 📚", "'; DROP TABLE credentials;--"])
def test_unicode_emoji_right_to_left_and_sql_looking_names_are_fine(typed):
    assert check_name(typed).ok
