"""A complete qbdesk world for tests: the emulator on loopback, a real data folder, wired services."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qbdesk.core.clock import Clock
from qbdesk.core.destinations import Destination
from qbdesk.core.ttl import TTL_ENV
from qbdesk.demo import register_apps
from qbdesk.emulator import Emulator
from qbdesk.services.context import AppContext
from qbdesk.store.settings import env_name


@dataclass
class World:
    emulator: Emulator
    data_dir: Path
    overrides: dict[str, str]

    def open(self, clock: Clock | None = None) -> AppContext:
        return AppContext.open(self.data_dir, self.overrides, clock=clock)

    def redirect_uri(self, destination: Destination) -> str:
        return self.overrides[env_name(destination, "redirect_uri")]


def make_world(emulator: Emulator, data_dir: Path, ttl_seconds: int | None = None) -> World:
    """Register one app per destination with a loopback redirect and point qbdesk at the emulator."""
    overrides = register_apps(emulator, "test")
    if ttl_seconds is not None:
        overrides[TTL_ENV] = str(ttl_seconds)
    return World(emulator, data_dir, overrides)
