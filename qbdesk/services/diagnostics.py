"""The diagnostic report a user sends to support: versions, keychain, settings and recent log, with no secret.

Secrets are kept out three ways: settings keys that name a secret are dropped whole, every line passes
qbdesk.log's redaction, and anything shaped like a token (long, mixed-case letters and digits) or equal to a
client secret this qbdesk knows is replaced, whatever field it hides in. Credential ids (lowercase hex)
and realm ids (digits) stay readable.
"""

from __future__ import annotations

import json
import platform
import re
import sys
from collections import Counter, deque
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from qbdesk import __version__
from qbdesk.core.destinations import Destination
from qbdesk.core.health import state_of
from qbdesk.log import LOG_FILENAME, redact
from qbdesk.services.context import AppContext
from qbdesk.store.settings import FIELDS, SETTINGS_FILENAME
from qbdesk.store.vault import VaultUnavailable

LOG_LINES = 200
REMOVED = "[removed]"
REDACTED = "[redacted]"
_SECRET_NAME = re.compile(r"(?i)secret|token|code|state|password|passwd|verifier|key|auth|cookie|session")
# Intuit's tokens, codes and client secrets, and sign-in states: long runs mixing letters and digits or cases.
_OPAQUE = re.compile(r"[A-Za-z0-9_~+=.\-]{20,}")
_HEX_ID = re.compile(r"[0-9a-f-]+")


def _looks_opaque(run: str) -> bool:
    classes = sum((any(c.isupper() for c in run), any(c.islower() for c in run), any(c.isdigit() for c in run)))
    return classes >= 2 and not _HEX_ID.fullmatch(run)


def scrub(text: str, known: tuple[str, ...] = ()) -> str:
    """Text from outside (a log line, a settings value) with anything secret-shaped replaced."""
    for secret in known:
        text = text.replace(secret, REDACTED)
    text = redact(text)
    return _OPAQUE.sub(lambda m: REDACTED if _looks_opaque(m.group()) else m.group(), text)


def _without_query(value: str) -> str:
    """An address keeps scheme, host and path; its query and fragment could carry a code or state."""
    parts = urlsplit(value)
    if parts.scheme and parts.netloc:
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return value


def _clean(value: object, known: tuple[str, ...]) -> object:
    """A settings.json value with secret-named keys removed and every string scrubbed."""
    if isinstance(value, dict):
        return {
            str(k): REMOVED if _SECRET_NAME.search(str(k)) and not isinstance(v, bool) else _clean(v, known)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_clean(v, known) for v in value]
    if isinstance(value, str):
        return scrub(_without_query(value), known)
    return value


def _client_id(value: str) -> str:
    return f"{value[:4]}\u2026 ({len(value)} characters)" if value else "not set"


def known_secrets(context: AppContext) -> tuple[str, ...]:
    """The client secrets this qbdesk holds (environment or vault), to be replaced wherever they appear."""
    found = []
    for destination in Destination:
        try:
            secret = context.settings.client_secret(destination)
        except VaultUnavailable:
            secret = None
        if secret and len(secret) >= 4:
            found.append(secret)
    return tuple(found)


def last_lines(path: Path, count: int = LOG_LINES) -> list[str]:
    """The file's last `count` lines (an empty list when it does not exist)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            return [line.rstrip("\n") for line in deque(file, maxlen=count)]
    except FileNotFoundError:
        return []


def _keychain(context: AppContext) -> list[str]:
    vault = context.vault.current
    lines = [f"Secrets kept in: {vault.description} ({type(vault).__name__})"]
    if type(vault).__name__ == "KeychainVault":
        try:
            import keyring

            backend = keyring.get_keyring()
            lines.append(f"Keychain backend: {type(backend).__module__}.{type(backend).__name__}")
        except Exception as exc:  # a broken keyring installation is itself worth reporting
            lines.append(f"Keychain backend: unavailable ({type(exc).__name__})")
    reason = getattr(vault, "reason", None)
    if reason:
        lines.append(f"Why: {reason}")
    return lines


def _managed_line(context: AppContext) -> str:
    """Whether the administrator's managed file is in force, and what it fixes (its values are shown above)."""
    managed = context.settings.managed
    if managed is None or managed.path is None:
        return "Managed setup file: none (demo mode)" if context.demo else "Managed setup file: none"
    if managed.problem:
        return f"Managed setup file: {managed.path} NOT USED: {scrub(managed.problem)}"
    if not managed.in_force:
        return f"Managed setup file: {managed.path} (not present)"
    settings = context.settings
    parts = []
    for destination in Destination:
        locked = [name for name in (*FIELDS, "client_secret") if settings.locked(destination, name)]
        state = "hidden" if settings.hidden(destination) else "locked: " + (", ".join(locked) or "nothing")
        parts.append(f"{destination.label} {state}")
    warning = f"; {managed.warning}" if managed.warning else ""
    return f"Managed setup file: {managed.path} in force ({'; '.join(parts)}){warning}"


def _settings(context: AppContext, environ: Mapping[str, str], known: tuple[str, ...]) -> list[str]:
    path = context.data_dir / SETTINGS_FILENAME
    try:
        stored = _clean(json.loads(path.read_text(encoding="utf-8")), known)
        text = json.dumps(stored, indent=2, sort_keys=True)
    except FileNotFoundError:
        text = "(no settings file)"
    except (OSError, ValueError) as exc:
        text = f"(unreadable: {type(exc).__name__})"
    lines = [f"{SETTINGS_FILENAME}:", text]
    for destination in Destination:
        app = context.settings.app(destination)
        has_secret = context.settings.has_client_secret(destination)
        lines.append(
            f"{destination.label}: client id {_client_id(app.client_id)}, client secret "
            f"{'set' if has_secret else 'not set'}, redirect URI {scrub(_without_query(app.redirect_uri), known) or 'not set'}"
        )
    lines.append(_managed_line(context))
    overridden = sorted(name for name in environ if name.startswith("QBDESK_"))
    lines.append("Set in the environment: " + (", ".join(overridden) or "nothing"))
    return lines


def diagnostic_report(
    context: AppContext, toolkit: Mapping[str, str], environ: Mapping[str, str], log_path: Path | None = None
) -> str:
    """The whole report as plain text. `toolkit` names the GUI libraries and their versions (Qt, PySide6)."""
    known = known_secrets(context)
    log_path = log_path or context.data_dir / LOG_FILENAME
    states = Counter(state_of(c).value for c in context.credentials.list())
    lines = [
        f"qbdesk {__version__}{' (demo mode)' if context.demo else ''}"
        f"{' (standalone app)' if getattr(sys, 'frozen', False) else ''}",
        f"Operating system: {platform.platform()}",
        f"Python: {platform.python_version()} ({platform.python_implementation()})",
        *(f"{name}: {version}" for name, version in toolkit.items()),
        f"Data folder: {context.data_dir}",
        f"Log file: {log_path}",
        *_keychain(context),
        "Credentials: " + (", ".join(f"{n} {s}" for s, n in sorted(states.items())) or "none"),
        "",
        "== Settings (secrets removed) ==",
        *_settings(context, environ, known),
        "",
        f"== Last {LOG_LINES} log lines (secrets removed) ==",
        *(scrub(line, known) for line in last_lines(log_path)),
    ]
    return "\n".join(redact(line) for line in lines) + "\n"
