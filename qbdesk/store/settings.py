"""The user's settings: each destination's Intuit app, and where secrets may be kept.

Non-secret values live in settings.json in the data folder; the client secret goes to the vault.
Environment variables (QBDESK_SANDBOX_CLIENT_ID and friends) override the file for automation.
Precedence, field by field, decided here only: the environment, then a field the administrator's managed file
locks, then the user's own value, then a value the managed file gives unlocked (a starting value the user may
change), then Intuit's default (store/managed.py reads that file).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from qbdesk.core.addresses import DEFAULT_API_BASE_URLS, DEFAULT_DISCOVERY_URLS, endpoint_problem
from qbdesk.core.destinations import Destination
from qbdesk.store.vault import Vault, VaultUnavailable, client_secret_key

if TYPE_CHECKING:
    from qbdesk.store.managed import ManagedSetup
    from qbdesk.store.setup_file import DestinationSetup

log = logging.getLogger("qbdesk.settings")

SETTINGS_FILENAME = "settings.json"
FIELDS = ("client_id", "redirect_uri", "discovery_url", "api_base_url")
ENV_NAMES = {"client_id": "CLIENT_ID", "client_secret": "CLIENT_SECRET", "redirect_uri": "REDIRECT_URI",
             "discovery_url": "DISCOVERY_URL", "api_base_url": "API_BASE_URL"}


@dataclass(frozen=True)
class IntuitApp:
    """One destination's Intuit app keys and addresses (the secret itself stays in the vault)."""

    destination: Destination
    client_id: str = ""
    redirect_uri: str = ""
    discovery_url: str = ""
    api_base_url: str = ""

    @property
    def effective_discovery_url(self) -> str:
        return self.discovery_url or DEFAULT_DISCOVERY_URLS[self.destination]

    @property
    def effective_api_base_url(self) -> str:
        return self.api_base_url or DEFAULT_API_BASE_URLS[self.destination]


def client_id_problem(value: str) -> str | None:
    if not value:
        return "Enter the Client ID from your app's Keys & credentials page at Intuit."
    # Visible ASCII only: the ID travels in an HTTP Basic header, which requests encodes as Latin-1.
    if len(value) > 200 or not all("!" <= ch <= "~" for ch in value):
        return "A Client ID has no spaces or special characters; copy it again from Intuit."
    return None


def client_secret_problem(value: str) -> str | None:
    """A typed Client Secret; empty means keep the saved one."""
    if value and (len(value) > 200 or not all("!" <= ch <= "~" for ch in value)):
        return "A Client Secret has no spaces or special characters; copy it again from Intuit."
    return None


def redirect_uri_problem(value: str) -> str | None:
    if not value:
        return "Enter the Redirect URI registered for your app at Intuit."
    return endpoint_problem(value, "Redirect URI")


def discovery_url_problem(value: str) -> str | None:
    """Optional service addresses (discovery document, API): empty means Intuit's default."""
    return None if not value else endpoint_problem(value, "address")


def env_name(destination: Destination, field_name: str) -> str:
    return destination.env_prefix + ENV_NAMES[field_name]


class SettingsStore:
    """Loads and saves settings; environment overrides win and are never written back."""

    def __init__(
        self, data_dir: Path, vault: Vault, overrides: Mapping[str, str], managed: ManagedSetup | None = None
    ) -> None:
        self._path = data_dir / SETTINGS_FILENAME
        self._vault = vault
        self._overrides = {k: v for k, v in overrides.items() if k.startswith("QBDESK_")}
        self.managed = managed  # the administrator's file as read at start, or None
        self._data = self._load()

    def _load(self) -> dict:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("Ignoring unreadable settings file %s (%s)", self._path, type(exc).__name__)
            return {}
        return data if isinstance(data, dict) else {}

    def overridden(self, destination: Destination, field_name: str) -> str | None:
        """The environment variable that fixes this field, if one does."""
        name = env_name(destination, field_name)
        return name if self._overrides.get(name, "").strip() else None

    def _managed(self, destination: Destination) -> DestinationSetup | None:
        document = self.managed.document if self.managed is not None else None
        return document.destinations.get(destination) if document is not None else None

    def locked(self, destination: Destination, field_name: str) -> bool:
        """The managed file fixes this field ("Set by your organisation"); a secret only when it gives one."""
        managed = self._managed(destination)
        if managed is None or field_name not in managed.locked:
            return False
        return bool(managed.client_secret) if field_name == "client_secret" else True

    def hidden(self, destination: Destination) -> bool:
        """The managed file hides this destination: no new credentials for it."""
        managed = self._managed(destination)
        return managed is not None and managed.hidden

    @property
    def shown_destinations(self) -> tuple[Destination, ...]:
        return tuple(d for d in Destination if not self.hidden(d))

    def _stored(self, destination: Destination) -> dict:
        destinations = self._data.get("destinations")
        stored = destinations.get(destination.value) if isinstance(destinations, dict) else None
        return stored if isinstance(stored, dict) else {}

    def app(self, destination: Destination) -> IntuitApp:
        stored = self._stored(destination)
        managed = self._managed(destination)
        given = managed.values if managed is not None else {}
        values = {}
        for field_name in FIELDS:
            override = self.overridden(destination, field_name)
            if override:
                value = self._overrides[override]
            elif self.locked(destination, field_name):
                value = given.get(field_name, "")
            else:
                value = stored.get(field_name, "")
                value = value if isinstance(value, str) and value.strip() else given.get(field_name, "")
            values[field_name] = value.strip() if isinstance(value, str) else ""
        return IntuitApp(destination, **values)

    def client_secret(self, destination: Destination) -> str | None:
        """The client secret from the environment, else from the vault; None when not set."""
        override = self.overridden(destination, "client_secret")
        if override:
            return self._overrides[override].strip()
        if self.locked(destination, "client_secret"):
            managed = self._managed(destination)
            return managed.client_secret if managed is not None else None
        return self._vault.get(client_secret_key(destination.value))

    def has_client_secret(self, destination: Destination) -> bool:
        try:
            return bool(self.client_secret(destination))
        except VaultUnavailable:
            return False

    @property
    def secrets_in_file(self) -> bool:
        """The user allowed secrets in a file when no keychain exists."""
        return self._data.get("secrets_in_file") is True

    @property
    def prefer_system_browser(self) -> bool:
        """The user signs in with their own browser instead of qbdesk's sign-in window."""
        return self._data.get("prefer_system_browser") is True

    def fixed(self, destination: Destination, field_name: str) -> bool:
        """The environment or the managed file decides this field; the user's value is not used."""
        return bool(self.overridden(destination, field_name)) or self.locked(destination, field_name)

    def save_app(self, app: IntuitApp, client_secret: str | None = None) -> None:
        """Store one destination's values; fields fixed by the environment or locked keep their saved value."""
        destination = app.destination
        if client_secret and not self.fixed(destination, "client_secret"):
            self._vault.set(client_secret_key(destination.value), client_secret)
        stored = self._stored(destination)
        values = {
            f: stored.get(f, "") if self.fixed(destination, f) else getattr(app, f) for f in FIELDS
        }
        if not isinstance(self._data.get("destinations"), dict):
            self._data["destinations"] = {}
        self._data["destinations"][destination.value] = values
        self._write()

    def save_secrets_in_file(self, allowed: bool) -> None:
        self._data["secrets_in_file"] = allowed
        self._write()

    def save_prefer_system_browser(self, preferred: bool) -> None:
        self._data["prefer_system_browser"] = preferred
        self._write()

    def _write(self) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = self._path.with_name(self._path.name + ".tmp")
        temporary.write_text(json.dumps(self._data, indent=2), encoding="utf-8")
        os.replace(temporary, self._path)
