"""Logs never carry codes, tokens or secrets."""

import logging

from qbdesk.log import RedactingFilter, redact


def test_query_json_and_header_secrets_are_redacted():
    text = redact('GET /cb?code=C0DE&state=ST4TE&realmId=42 {"refresh_token": "RT"} Authorization: Bearer AT.x')
    for secret in ("C0DE", "ST4TE", "RT", "AT.x"):
        assert secret not in text
    assert "realmId=42" in text


def test_the_filter_redacts_arguments_as_well_as_the_message():
    record = logging.LogRecord("qbdesk", logging.INFO, __file__, 1, "got %s", ("access_token=SECRET1",), None)
    RedactingFilter().filter(record)
    assert "SECRET1" not in record.getMessage()
