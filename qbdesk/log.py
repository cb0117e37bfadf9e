"""Logging for qbdesk: named loggers per area, a file in the data folder, and secrets redacted."""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

LOG_FILENAME = "qbdesk.log"
_SECRET_FIELDS = r"(?:code|code_verifier|state|access_token|refresh_token|client_secret|id_token|token)"
_REDACTIONS = [
    # form and query fields: code=...&refresh_token=...
    (re.compile(r"(?i)\b(" + _SECRET_FIELDS + r"=)[^&\s\"']+"), r"\1[redacted]"),
    # JSON and Python reprs of dicts: "access_token": "...", 'refresh_token': '...' (oauthlib logs both)
    (re.compile(r"""(?i)(["']""" + _SECRET_FIELDS + r"""["']\s*:\s*)(["'])(?:\\.|(?!\2).)+"""), r"\1\2[redacted]"),
    (re.compile(r"(?i)\b((?:Bearer|Basic)\s+)(?!-+>)[A-Za-z0-9._~+/=-]+"), r"\1[redacted]"),  # not "bearer -> 200"
]


def redact(text: str) -> str:
    """Replace anything shaped like a code, token or secret with a placeholder."""
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Formats each record once and strips secrets from the result: the message, and the traceback and
    stack that a handler would otherwise format later from the raw exception."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def configure_logging(data_dir: Path, verbose: bool = False) -> None:
    """Send qbdesk's logs to a rotating file in data_dir (and warnings to stderr), replacing earlier set-ups."""
    root = logging.getLogger("qbdesk")
    for old in [h for h in root.handlers if getattr(h, "qbdesk_handler", False)]:
        root.removeHandler(old)
        old.close()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    file_handler = logging.handlers.RotatingFileHandler(
        data_dir / LOG_FILENAME, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    stderr_handler = logging.StreamHandler()
    stderr_handler.setLevel(logging.DEBUG if verbose else logging.WARNING)
    stderr_handler.setFormatter(logging.Formatter("qbdesk: %(levelname)s: %(message)s"))
    for handler in (file_handler, stderr_handler):
        handler.addFilter(RedactingFilter())
        handler.qbdesk_handler = True  # type: ignore[attr-defined]
        root.addHandler(handler)


def log_file() -> Path | None:
    """The file qbdesk logs to in this process, or None before configure_logging()."""
    for handler in logging.getLogger("qbdesk").handlers:
        if getattr(handler, "qbdesk_handler", False) and isinstance(handler, logging.FileHandler):
            return Path(handler.baseFilename)
    return None
