"""Real credential work in a loop, in its own process, until someone kills it.

Run as `python crash_driver.py '{"data_dir": ..., "overrides": {...}, "seed": 1}'` with tests/ on PYTHONPATH.
It works against the emulator the overrides point at, keeps its tokens in FileVault(data_dir/secrets.json),
and writes one journal line (a single write to stdout) before and after each operation:

    ready
    pending <id>                       a pending credential was created
    signing <id>      connected <id> <access hash>
    refreshing <id>   refreshed <id> <access hash>
    deleting <id>     deleted <id>
    refused <id>                       a refresh Intuit turned down (the credential is then deleted)

A "<verb>ing" line without its completion line means the operation was cut short.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path

from qbdesk.core.credential import Health, Status
from qbdesk.core.destinations import Destination
from qbdesk.services.context import AppContext
from qbdesk.services.tokens import CredentialUnusable
from qbdesk.store.vault import FileVault, load_tokens

from consent import approve_in_browser, consent_redirect

MAX_CONNECTED = 5  # keep the list short so each check stays cheap
GIVE_UP_AFTER_SECONDS = 60.0  # never outlive a parent that forgot to kill us


def vault_path(data_dir: Path) -> Path:
    return data_dir / "secrets.json"


def access_hash(vault: FileVault, credential_id: str) -> str:
    """A short fingerprint of the stored access token (the token itself is never printed)."""
    tokens = load_tokens(vault, credential_id)
    return hashlib.sha256(tokens[0].encode()).hexdigest()[:16] if tokens else "-"


def say(*words: str) -> None:
    """One journal line in one write: a pipe never shows half of it, even to a reader after a kill."""
    os.write(sys.stdout.fileno(), (" ".join(words) + "\n").encode())


class Driver:
    """One process's worth of work on the data folder."""

    def __init__(self, context: AppContext, vault: FileVault, rng: random.Random) -> None:
        self.context = context
        self.vault = vault
        self.rng = rng

    def create(self) -> str:
        destination = Destination.SANDBOX if self.rng.random() < 0.75 else Destination.PRODUCTION
        credential = self.context.credentials.create_pending(f"Crash {uuid.uuid4().hex[:10]}", destination)
        say("pending", credential.id)
        return credential.id

    def sign_in(self, credential_id: str) -> None:
        say("signing", credential_id)
        credential = self.context.credentials.get(credential_id)
        url = self.context.signin.begin(credential_id).url
        if credential.destination is Destination.SANDBOX:
            page = approve_in_browser(url)  # the loopback listener exchanges the code and stores the tokens
            assert page.status_code == 200, page.text[:300]
        else:  # production redirects to an https address nobody serves: hand the address over directly
            self.context.signin.complete_from_address(credential_id, consent_redirect(url))
        assert self.context.credentials.get(credential_id).status is Status.CONNECTED
        say("connected", credential_id, access_hash(self.vault, credential_id))

    def refresh(self, credential_id: str) -> None:
        say("refreshing", credential_id)
        try:
            self.context.tokens.refresh(credential_id)
        except CredentialUnusable:
            say("refused", credential_id)
            self.delete(credential_id)
            return
        say("refreshed", credential_id, access_hash(self.vault, credential_id))

    def delete(self, credential_id: str) -> None:
        say("deleting", credential_id)
        self.context.tokens.delete(credential_id)
        say("deleted", credential_id)

    def step(self) -> None:
        """One short iteration: clear out broken credentials, then one random operation."""
        credentials = self.context.credentials.list()
        connected = [c for c in credentials if c.status is Status.CONNECTED]
        for credential in connected:
            if credential.health is not Health.OK:
                self.delete(credential.id)
        healthy = [c.id for c in connected if c.health is Health.OK]
        roll = self.rng.random()
        if len(healthy) > MAX_CONNECTED or (healthy and roll < 0.15):
            self.delete(self.rng.choice(healthy))
        elif healthy and roll < 0.6:
            self.refresh(self.rng.choice(healthy))
        elif roll < 0.7:
            self.create()  # left pending: it expires and is purged at a later start-up
        else:
            self.sign_in(self.create())


def main(argv: list[str]) -> None:
    config = json.loads(argv[1])
    data_dir = Path(config["data_dir"])
    vault = FileVault(vault_path(data_dir))
    context = AppContext.open(data_dir, config["overrides"], vault=vault)
    say("ready")
    driver = Driver(context, vault, random.Random(config.get("seed")))
    deadline = time.monotonic() + GIVE_UP_AFTER_SECONDS
    while time.monotonic() < deadline:
        driver.step()
    context.close()


if __name__ == "__main__":
    main(sys.argv)
