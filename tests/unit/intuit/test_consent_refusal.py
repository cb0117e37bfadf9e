"""Intuit's refusal of consent, told to the user in plain words with Intuit's own reason kept."""

from qbdesk.intuit.errors import consent_refusal


def test_denied_consent_is_explained_in_plain_words():
    text = consent_refusal("access_denied", "User denied")
    assert "not granted" in text and "User denied" in text
