"""Shared pieces of the benchmarks: data folders with many credentials, a stand-in vault, Qt helpers."""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(1, str(ROOT))

WORDS = (
    "Acme", "Northwind", "Contoso", "Fabrikam", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Tyrell",
    "Cyberdyne", "Soylent", "Hooli", "Vandelay", "Wonka", "Gringotts", "Oceanic", "Monarch", "Aperture", "Pied Piper",
)
KINDS = ("Books", "Payroll", "Sales", "Billing", "Reports", "Sync", "Ledger", "Export")


def credential_rows(count: int, seed: int = 7) -> list[dict]:
    """`count` credentials as rows of the credentials table: connected, healthy mostly, none pending.

    Refresh tokens have 40 to 100 days left, so neither keep-alive nor the 14-day warning has work to do.
    """
    from qbdesk.core.names import name_key

    rng = random.Random(seed)
    now = datetime.now(UTC)
    rows = []
    for i in range(count):
        name = f"{rng.choice(WORDS)} {rng.choice(KINDS)} {i:05d}"
        created = now - timedelta(days=rng.uniform(1, 700))
        roll = rng.random()
        health = "needs_reconnect" if roll < 0.02 else "offline" if roll < 0.03 else "ok"
        rows.append({
            "id": uuid.UUID(int=rng.getrandbits(128)).hex,
            "name": name,
            "name_key": name_key(name),
            "destination": "production" if rng.random() < 0.7 else "sandbox",
            "status": "connected",
            "realm_id": str(9130_0000_0000_0000 + rng.randrange(10**12)),
            "created_at": created,
            "pending_expires_at": None,
            "connected_at": created + timedelta(minutes=2),
            "access_token_expires_at": now + timedelta(minutes=rng.uniform(0, 60)),
            "refresh_token_expires_at": now + timedelta(days=rng.uniform(40, 100)),
            "company_name": f"{rng.choice(WORDS)} {rng.choice(('LLC', 'Inc.', 'Ltd', 'GmbH'))}",
            "health": health,
            "health_detail": None if health == "ok" else "Intuit said no on the last refresh.",
            "hard_expires_at": created + timedelta(days=5 * 365),
            "last_refreshed_at": now - timedelta(days=rng.uniform(0, 30)),
            "last_used_at": None,
        })
    return rows


def make_data_dir(data_dir: Path, count: int) -> Path:
    """A fresh, migrated data folder whose database holds `count` credentials (written in one transaction)."""
    from qbdesk.store.database import open_database
    from qbdesk.store.models import CredentialRow

    engine = open_database(data_dir)
    try:
        if count:
            with engine.begin() as connection:
                connection.execute(CredentialRow.__table__.insert(), credential_rows(count))
    finally:
        engine.dispose()
    return data_dir


class TokenVault:
    """A keychain stand-in that holds tokens for every credential and anything set on it; lookups are free."""

    description = "the system keychain"
    less_safe = False

    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        if key in self._secrets:
            return self._secrets[key]
        if key.startswith("tokens/"):
            return json.dumps({"access_token": "bench-access", "refresh_token": "bench-refresh"})
        return None

    def set(self, key: str, value: str) -> None:
        self._secrets[key] = value

    def delete(self, key: str) -> None:
        self._secrets.pop(key, None)


class KeepAliveWatch:
    """Counts finished keep-alive runs; qbdesk starts one in the background whenever its window opens."""

    def __init__(self, context) -> None:
        self.finished = 0
        keep_alive = context.tokens.keep_alive

        def counted():
            try:
                return keep_alive()
            finally:
                self.finished += 1

        context.tokens.keep_alive = counted

    def wait(self, runs: int = 1, timeout: float = 60.0) -> bool:
        """Run the event loop until `runs` keep-alive runs have finished, then half a second more for their report."""
        done = process_events_until(lambda: self.finished >= runs, timeout)
        ends = time.monotonic() + 0.5
        process_events_until(lambda: time.monotonic() > ends)
        return done


def ms(seconds: float) -> float:
    return seconds * 1000.0


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def emit(result: dict) -> None:
    """Hand a result to the runner: one JSON line on stdout."""
    sys.stdout.write("BENCH " + json.dumps(result) + "\n")
    sys.stdout.flush()


def peak_rss_mib() -> float:
    """This process's peak resident set (VmHWM), in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def process_events_until(condition, timeout: float = 10.0) -> bool:
    """Run the Qt event loop in small steps until condition() holds; False on timeout."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    return True


def offscreen() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
