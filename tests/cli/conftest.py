"""CLI fixtures: `python -m qbdesk` as a real process, on a real data folder, against the emulator on loopback.

A subprocess has no keychain here (and must never touch a real one), so each data folder records the
user's choice to keep secrets in a file, as Settings would; the Intuit app settings come from QBDESK_*
environment variables, the way a script would set them.
"""

from __future__ import annotations

import itertools
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import requests

from qbdesk.core.destinations import Destination
from qbdesk.demo import register_apps
from qbdesk.emulator import Emulator
from qbdesk.services.context import AppContext
from qbdesk.store.repository import CredentialRepository
from qbdesk.store.settings import SettingsStore
from qbdesk.store.vault import SECRETS_FILENAME, FileVault, load_tokens

from consent import approve_in_browser

REPOSITORY = Path(__file__).resolve().parents[2]
NO_KEYCHAIN = "keyring.backends.fail.Keyring"
_apps = itertools.count()


class Running:
    """A qbdesk process still at work; its stderr is read as it comes, so the sign-in address can be taken."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process
        self.stderr_lines: list[str] = []
        self._urls: queue.Queue[str] = queue.Queue()
        self._reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._reader.start()

    def _read_stderr(self) -> None:
        for line in self.process.stderr:
            self.stderr_lines.append(line)
            if line.strip().startswith("http"):
                self._urls.put(line.strip())

    def url(self, timeout: float = 20) -> str:
        """The authorization address the process printed."""
        try:
            return self._urls.get(timeout=timeout)
        except queue.Empty:
            self.process.kill()
            raise AssertionError("no sign-in address on stderr: " + "".join(self.stderr_lines)) from None

    def finish(self, stdin: str | None = None, timeout: float = 30) -> subprocess.CompletedProcess:
        """Send stdin (if any), wait for the exit, and return what it printed."""
        if stdin is not None:
            self.process.stdin.write(stdin)
            self.process.stdin.flush()
        self.process.stdin.close()
        try:
            stdout = self.process.stdout.read()
            self.process.wait(timeout=timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
        self._reader.join(timeout=5)
        self.process.stdout.close()
        self.process.stderr.close()
        return subprocess.CompletedProcess(self.process.args, self.process.returncode, stdout, self.stderr)

    @property
    def stderr(self) -> str:
        return "".join(self.stderr_lines)


class Qbdesk:
    """One data folder and the environment a script would run qbdesk in."""

    def __init__(self, emulator: Emulator, data_dir: Path) -> None:
        self.emulator = emulator
        self.data_dir = data_dir
        self.overrides = register_apps(emulator, f"cli{next(_apps)}")
        self.vault = FileVault(data_dir / SECRETS_FILENAME)
        SettingsStore(data_dir, self.vault, {}).save_secrets_in_file(True)

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("QBDESK_")}
        env.update(self.overrides, QBDESK_DATA_DIR=str(self.data_dir), PYTHON_KEYRING_BACKEND=NO_KEYCHAIN)
        env.update(extra)
        return env

    def run(self, *args: str, stdin: str | int | None = None, env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess:
        """Run `python -m qbdesk ARGS` to the end; stdin is text to send, a descriptor (a terminal), or nothing."""
        feed = {"input": stdin} if isinstance(stdin, str) else {"stdin": subprocess.DEVNULL if stdin is None else stdin}
        return subprocess.run(
            [sys.executable, "-m", "qbdesk", *args],
            capture_output=True, text=True, env=env or self.env(), cwd=REPOSITORY, timeout=timeout, **feed,
        )

    def run_python(self, *args: str) -> subprocess.CompletedProcess:
        """Run the interpreter itself with ARGS in qbdesk's environment (for -X importtime and the like)."""
        return subprocess.run([sys.executable, *args], stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              env=self.env(), cwd=REPOSITORY, timeout=60)

    def start(self, *args: str, env: dict[str, str] | None = None) -> Running:
        """Start `python -m qbdesk ARGS` and return at once."""
        process = subprocess.Popen(
            [sys.executable, "-m", "qbdesk", *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=env or self.env(), cwd=REPOSITORY,
        )
        return Running(process)

    @contextmanager
    def services(self) -> Iterator[AppContext]:
        """The same data folder and secrets file, opened in this process."""
        context = AppContext.open(self.data_dir, self.overrides, vault=self.vault)
        try:
            yield context
        finally:
            context.close()

    def connect(self, name: str = "Acme", destination: Destination = Destination.SANDBOX) -> str:
        """A connected credential, signed in at the emulator; returns its id."""
        with self.services() as context:
            credential = context.credentials.create_pending(name, destination)
            start = context.signin.begin(credential.id)
            if destination is Destination.SANDBOX:
                assert approve_in_browser(start.url).status_code == 200
            else:
                from consent import consent_redirect

                context.signin.complete_from_address(credential.id, consent_redirect(start.url))
            return credential.id

    def pending(self, name: str) -> str:
        with self.services() as context:
            return context.credentials.create_pending(name, Destination.SANDBOX).id

    def tokens(self, credential_id: str) -> tuple[str, str] | None:
        return load_tokens(self.vault, credential_id)

    def set_expiries(self, credential_id: str, access_in: timedelta, refresh_in: timedelta | None = None) -> None:
        """Move a credential's token expiries as if time had passed."""
        with self.services() as context:
            credential = context.credentials.get(credential_id)
            now = context.clock.now()
            refresh = now + refresh_in if refresh_in is not None else credential.refresh_token_expires_at
            CredentialRepository(context.engine).record_refresh(
                credential_id, now, now + access_in, refresh, credential.hard_expires_at
            )

    def revoke_at_intuit(self, credential_id: str) -> None:
        """What disconnecting the app in QuickBooks does: Intuit stops accepting the tokens."""
        _, refresh = self.tokens(credential_id)
        destination = Destination.SANDBOX.value
        discovery = requests.get(self.emulator.discovery_url(destination), timeout=10).json()
        client = (self.overrides["QBDESK_SANDBOX_CLIENT_ID"], self.overrides["QBDESK_SANDBOX_CLIENT_SECRET"])
        requests.post(discovery["revocation_endpoint"], json={"token": refresh}, auth=client,
                      timeout=10).raise_for_status()

    def secrets(self) -> set[str]:
        """Every secret that exists in this world: issued codes and tokens, and the client secrets."""
        client_secrets = {v for k, v in self.overrides.items() if k.endswith("CLIENT_SECRET")}
        return self.emulator.issued_secrets() | client_secrets


@pytest.fixture(scope="module")
def intuit():
    """One emulator for a whole test module; each test registers apps of its own."""
    with Emulator() as running:
        yield running


@pytest.fixture
def qb(intuit, tmp_path) -> Qbdesk:
    return Qbdesk(intuit, tmp_path / "data")


@pytest.fixture
def qb_alone(emulator, tmp_path) -> Qbdesk:
    """A data folder with an emulator of its own, for tests that stop it."""
    return Qbdesk(emulator, tmp_path / "data")
