"""PLACEHOLDER for the About box until the licences work lands: qbdesk's licence and the notices it ships with.

Only the interface is real (QBDESK_LICENCE, licence_text(), third_party_notices()); the texts below are
stand-ins. The module from the licences work replaces this file whole.
"""

from __future__ import annotations

from importlib import metadata

QBDESK_LICENCE = "MIT"


def licence_text() -> str:
    """qbdesk's own licence, in full (placeholder wording)."""
    return "qbdesk is offered under the MIT licence. (The full text ships in the LICENSE file.)"


def third_party_notices() -> str:
    """The licence of each installed distribution qbdesk runs on (placeholder: names and licence fields only)."""
    lines = []
    for name in ("PySide6", "requests", "requests-oauthlib", "SQLAlchemy", "alembic", "keyring", "platformdirs"):
        try:
            meta = metadata.metadata(name)
        except metadata.PackageNotFoundError:
            continue
        licence = meta.get("License-Expression") or meta.get("License") or "see the project"
        lines.append(f"{meta['Name']} {meta['Version']}: {licence.splitlines()[0] if licence else ''}")
    return "\n".join(lines)
