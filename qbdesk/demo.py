"""Demo mode: a bundled Intuit emulator, demo keys and a data folder of its own."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

from qbdesk.core.destinations import Destination
from qbdesk.core.ttl import TTL_ENV
from qbdesk.emulator import Emulator
from qbdesk.store.settings import env_name
from qbdesk.store.vault import FileVault

EMULATOR_STATE_FILENAME = "demo-intuit.json"  # the demo emulator's codes and tokens, kept across runs


def free_loopback_port() -> int:
    """A port nobody listens on right now, for the demo's redirect URI."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class DemoSetup:
    """A running emulator and the settings that point qbdesk at it."""

    emulator: Emulator
    data_dir: Path
    overrides: dict[str, str]
    vault: FileVault

    def stop(self) -> None:
        self.emulator.stop()


def register_apps(emulator: Emulator, prefix: str) -> dict[str, str]:
    """Register one Intuit app per destination with the emulator; returns the settings overrides for them.

    As at Intuit, the production app redirects to https (nothing serves it: qbdesk catches the address) and
    the sandbox app to a loopback listener.
    """
    overrides: dict[str, str] = {}
    for destination in Destination:
        client_id, client_secret = f"{prefix}-{destination.value}-client", f"{prefix}-{destination.value}-secret"
        redirect_uri = (
            f"https://{prefix}.qbdesk.invalid/callback"  # Intuit takes only https for production keys
            if destination is Destination.PRODUCTION
            else f"http://localhost:{free_loopback_port()}/callback"
        )
        emulator.register_client(client_id, client_secret, [redirect_uri], destination.value)
        overrides[env_name(destination, "client_id")] = client_id
        overrides[env_name(destination, "client_secret")] = client_secret
        overrides[env_name(destination, "redirect_uri")] = redirect_uri
        overrides[env_name(destination, "discovery_url")] = emulator.discovery_url(destination.value)
        overrides[env_name(destination, "api_base_url")] = emulator.api_base_url(destination.value)
    return overrides


def start_demo(data_dir: Path, env: dict[str, str]) -> DemoSetup:
    """Start the emulator with one demo Intuit app per destination, for the demo's own data folder.

    The emulator keeps its tokens in that folder, so credentials created in one run still work in the next.
    """
    emulator = Emulator(state_file=data_dir / EMULATOR_STATE_FILENAME).start()
    overrides = {k: v for k, v in env.items() if k == TTL_ENV}
    overrides.update(register_apps(emulator, "demo"))
    vault = FileVault(data_dir / "demo-secrets.json", description="the demo folder (demo secrets only)")
    return DemoSetup(emulator, data_dir, overrides, vault)
