"""Pasted keys: stray white space goes, and a key in the other key's field is caught."""

from __future__ import annotations

from qbdesk.core.app_keys import swapped_keys_problem, tidy_key

CLIENT_ID = "ABkq3Xn9RrL2mT7vW4cYp8sZ1dF6gH0jK5lQ3eR7tY9uI2oP4a"  # shaped like Intuit's: 50, starts AB
CLIENT_SECRET = "x7Kp2Lm9Qr4St6Uv8Wy1Za3Bc5De7Fg9Hj2Kl4Mn"  # 40 letters and digits


def test_tidy_key_drops_spaces_line_breaks_and_invisible_marks():
    assert tidy_key(f"  {CLIENT_ID}\r\n") == CLIENT_ID
    assert tidy_key(f"{CLIENT_SECRET[:20]}\n{CLIENT_SECRET[20:]}\u200b") == CLIENT_SECRET
    assert tidy_key("\t \n") == ""


def test_right_keys_in_the_right_fields_pass():
    assert swapped_keys_problem(CLIENT_ID, CLIENT_SECRET) is None
    assert swapped_keys_problem("demo-sandbox-client", "demo-sandbox-secret") is None


def test_a_secret_in_the_id_field_is_caught():
    assert "looks like a Client Secret" in swapped_keys_problem(CLIENT_SECRET, "")
    assert "looks like a Client Secret" in swapped_keys_problem(CLIENT_SECRET, CLIENT_ID)


def test_an_id_in_the_secret_field_is_caught():
    assert "looks like a Client ID" in swapped_keys_problem("", CLIENT_ID)


def test_the_same_value_twice_is_caught():
    assert "are the same value" in swapped_keys_problem(CLIENT_ID, CLIENT_ID)
