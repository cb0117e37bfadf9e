"""The managed setup file: found per system, checked like typed values, refused when others could change it,
and the precedence environment > locked managed value > the user's own value > unlocked managed value."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from qbdesk.core.destinations import Destination
from qbdesk.store.managed import load_managed, managed_path
from qbdesk.store.settings import IntuitApp, SettingsStore
from qbdesk.store.vault import KeychainVault

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX owners and permissions")


def write_managed(folder: Path, data: object, mode: int = 0o644) -> Path:
    path = folder / "managed.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    path.chmod(mode)
    return path


def managed_file(**destinations: dict) -> dict:
    return {"qbdesk_setup": 1, "destinations": destinations}


def store_with(tmp_path: Path, data: object, env: dict | None = None, mode: int = 0o644) -> SettingsStore:
    managed = load_managed(write_managed(tmp_path, data, mode))
    return SettingsStore(tmp_path / "data", KeychainVault(), env or {}, managed)


def test_each_system_has_its_place_and_the_environment_names_another():
    assert managed_path({}, "linux") == Path("/etc/qbdesk/managed.json")
    assert managed_path({}, "darwin") == Path("/Library/Application Support/qbdesk/managed.json")
    assert managed_path({"ProgramData": "D:\\Data"}, "win32") == Path("D:\\Data") / "qbdesk" / "managed.json"
    assert managed_path({"QBDESK_MANAGED_CONFIG": "/srv/qb.json"}, "linux") == Path("/srv/qb.json")


def test_a_missing_file_is_simply_not_in_force(tmp_path):
    managed = load_managed(tmp_path / "absent.json")
    assert not managed.in_force and managed.problem is None


def test_precedence_environment_then_locked_then_the_user_then_unlocked(tmp_path, memory_keyring):
    data = managed_file(production={
        "client_id": "ORG-ID", "redirect_uri": "https://org.example/cb",
        "discovery_url": "https://org.example/discovery", "locked": ["client_id", "redirect_uri"],
    })
    env = {"QBDESK_PRODUCTION_REDIRECT_URI": "https://env.example/cb"}
    store = store_with(tmp_path, data, env)
    store.save_app(IntuitApp(Destination.PRODUCTION, "MINE", "https://mine.example/cb", "", "https://api.mine.example"))
    app = store.app(Destination.PRODUCTION)
    assert app.redirect_uri == "https://env.example/cb"  # the environment beats a lock
    assert app.client_id == "ORG-ID"  # a lock beats what the user saved
    assert app.discovery_url == "https://org.example/discovery"  # unlocked: a starting value while the user has none
    assert app.api_base_url == "https://api.mine.example"
    saved = json.loads((tmp_path / "data" / "settings.json").read_text())["destinations"]["production"]
    assert saved["client_id"] == ""  # a locked field never takes the user's value
    store.save_app(IntuitApp(Destination.PRODUCTION, "MINE", "", "https://mine.example/discovery"))
    assert store.app(Destination.PRODUCTION).discovery_url == "https://mine.example/discovery"
    assert store.locked(Destination.PRODUCTION, "client_id")
    assert not store.locked(Destination.PRODUCTION, "discovery_url")
    assert not store.locked(Destination.SANDBOX, "client_id")


def test_a_hidden_destination_is_left_out(tmp_path):
    store = store_with(tmp_path, managed_file(sandbox={"hidden": True}, production={"client_id": "ORG"}))
    assert store.hidden(Destination.SANDBOX) and not store.hidden(Destination.PRODUCTION)
    assert store.shown_destinations == (Destination.PRODUCTION,)


@posix_only
def test_a_secret_is_used_only_from_a_file_others_cannot_read(tmp_path, memory_keyring):
    data = managed_file(sandbox={"client_id": "ORG", "client_secret": "OrgSecret123", "locked": True})
    private = store_with(tmp_path, data, mode=0o640)
    assert private.client_secret(Destination.SANDBOX) == "OrgSecret123"
    assert private.locked(Destination.SANDBOX, "client_secret") and private.managed.warning is None
    private.save_app(IntuitApp(Destination.SANDBOX, "x", "http://localhost:1/cb"), client_secret="typed")
    assert memory_keyring.secrets == {}  # a managed secret is never replaced by a typed one

    readable = store_with(tmp_path, data, mode=0o644)
    assert readable.managed.in_force
    assert readable.client_secret(Destination.SANDBOX) is None
    assert not readable.locked(Destination.SANDBOX, "client_secret")  # so the user can type it
    assert "can read this file" in readable.managed.warning


def test_windows_never_takes_a_secret_from_the_file(tmp_path):
    path = write_managed(tmp_path, managed_file(sandbox={"client_id": "ORG", "client_secret": "OrgSecret123"}), 0o600)
    managed = load_managed(path, system="win32")
    assert managed.document.get(Destination.SANDBOX).client_secret == ""
    assert "Windows" in managed.warning


@posix_only
@pytest.mark.parametrize("mode", [0o666, 0o664])
def test_a_file_others_can_change_is_refused(tmp_path, mode):
    store = store_with(tmp_path, managed_file(sandbox={"client_id": "ORG", "locked": True}), mode=mode)
    assert not store.managed.in_force
    assert "can change it" in store.managed.problem
    assert store.app(Destination.SANDBOX).client_id == ""


@posix_only
def test_a_file_in_a_folder_anyone_can_write_is_refused(tmp_path):
    folder = tmp_path / "open"
    folder.mkdir()
    folder.chmod(0o777)
    managed = load_managed(write_managed(folder, managed_file(sandbox={"client_id": "ORG"})))
    assert not managed.in_force and "replace it" in managed.problem


@posix_only
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file away")
def test_a_file_of_another_user_is_refused(tmp_path):
    path = write_managed(tmp_path, managed_file(sandbox={"client_id": "ORG"}))
    os.chown(path, 4242, 4242)
    managed = load_managed(path)
    assert not managed.in_force and "another user" in managed.problem


@pytest.mark.parametrize(("content", "expected"), [
    ("{not json", "not valid JSON (line 1)"),
    ("[]", "one JSON object"),
    ('{"destinations": {"sandbox": {"client_id": "A"}}}', '"qbdesk_setup": 1'),
    (managed_file(sandbox={"client_id": 5}), "must be text"),
    (managed_file(sandbox={"client_id": "has space"}), "no spaces"),
    (managed_file(production={"redirect_uri": "http://evil.example/cb"}), "https://"),
    (managed_file(production={"discovery_url": "https://user:pw@evil.example/d"}), "user name or password"),
    (managed_file(production={"redirect_uri": "https://ok.example/\u202ecb"}), "invisible characters"),
    (managed_file(sandbox={"locked": "yes"}), '"locked" must be'),
    (managed_file(sandbox={"hidden": 1}), '"hidden" must be true or false'),
    (managed_file(sandbox={"hidden": True}, production={"hidden": True}), "hides every destination"),
    (managed_file(staging={"client_id": "A"}), "is not a destination"),
    (managed_file(sandbox={"token_url": "https://evil.example"}), "is not a setup setting"),
    (managed_file(sandbox={"client_id": "A", "client_secret": 7}), "not a valid Client Secret"),
    ('{"qbdesk_setup": 1, "destinations": {}}', '"destinations" must be'),
    ("\ufeff" * 70000, "larger than"),
])
def test_a_broken_file_is_ignored_whole_with_the_reason(tmp_path, content, expected):
    store = store_with(tmp_path, content)
    assert not store.managed.in_force
    assert expected in store.managed.problem
    assert store.app(Destination.SANDBOX) == IntuitApp(Destination.SANDBOX)
    assert store.shown_destinations == tuple(Destination)


def test_bytes_that_are_not_text_are_named(tmp_path):
    path = tmp_path / "managed.json"
    path.write_bytes(b'{"qbdesk_setup": 1, \xff}')
    assert load_managed(path).problem == "It is not UTF-8 text."


@posix_only
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_named_not_fatal(tmp_path):
    path = write_managed(tmp_path, managed_file(sandbox={"client_id": "ORG"}), mode=0o000)
    assert load_managed(path).problem == "qbdesk is not allowed to read it."


def test_a_folder_in_the_files_place_is_named(tmp_path):
    (tmp_path / "managed.json").mkdir()
    managed = load_managed(tmp_path / "managed.json")
    assert not managed.in_force and managed.problem in ("It is not a file.", "qbdesk is not allowed to read it.")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_pipe_in_the_files_place_is_refused_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "managed.json")
    assert load_managed(tmp_path / "managed.json").problem == "It is not a file."
