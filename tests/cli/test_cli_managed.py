"""The managed setup file at the terminal: it drives `create`, hides a destination, and a broken one only warns."""

from __future__ import annotations

import json
import threading

import pytest

from qbdesk.cli import ExitCode

from consent import approve_in_browser

pytestmark = pytest.mark.cli


def managed_env(qb, tmp_path, data: object, mode: int = 0o640) -> dict[str, str]:
    """qbdesk's environment with the sandbox keys moved from variables into a managed file."""
    env = qb.env()
    sandbox = {}
    for name in ("CLIENT_ID", "CLIENT_SECRET", "REDIRECT_URI", "DISCOVERY_URL", "API_BASE_URL"):
        sandbox[name.lower()] = env.pop(f"QBDESK_SANDBOX_{name}")
    path = tmp_path / "managed.json"
    text = data if isinstance(data, str) else json.dumps(data(sandbox) if callable(data) else data)
    path.write_text(text)
    path.chmod(mode)
    env["QBDESK_MANAGED_CONFIG"] = str(path)
    return env


def test_a_managed_file_gives_create_its_keys_and_secret(qb, tmp_path):
    env = managed_env(qb, tmp_path, lambda sandbox: {
        "qbdesk_setup": 1, "destinations": {"sandbox": {**sandbox, "locked": True}}})
    running = qb.start("create", "--name", "Acme", "--sandbox", "--no-browser", env=env)
    url = running.url()
    pages: list = []
    browser = threading.Thread(target=lambda: pages.append(approve_in_browser(url)), daemon=True)
    browser.start()
    result = running.finish()
    browser.join(timeout=10)
    assert result.returncode == ExitCode.OK, result.stderr
    assert "warning" not in result.stderr
    listed = json.loads(qb.run("list", "--json", env=env).stdout)
    assert [c["state"] for c in listed] == ["connected"]


def test_a_hidden_destination_cannot_be_created(qb, tmp_path):
    env = managed_env(qb, tmp_path, {"qbdesk_setup": 1, "destinations": {"sandbox": {"hidden": True}}})
    result = qb.run("create", "--name", "Acme", "--sandbox", "--no-browser", env=env)
    assert result.returncode == ExitCode.SETUP
    assert "Your organisation does not offer QuickBooks (Sandbox Mode)" in result.stderr


def test_a_broken_managed_file_warns_on_stderr_and_the_command_still_runs(qb, tmp_path):
    env = managed_env(qb, tmp_path, '{"qbdesk_setup": 1, "destinations": {"sandbox": {"client_id": "A B"}}}')
    for _ in range(2):  # the first run creates the database; the second reads it on the quick path
        result = qb.run("list", "--json", env=env)
        assert result.returncode == ExitCode.OK
        assert json.loads(result.stdout) == []
        [line] = result.stderr.splitlines()
        assert line.startswith(f"qbdesk: warning: the managed setup file {tmp_path / 'managed.json'} is not used: ")
        assert "no spaces" in line


def test_a_secret_in_a_file_everyone_can_read_is_ignored_with_a_warning(qb, tmp_path):
    env = managed_env(qb, tmp_path, lambda sandbox: {
        "qbdesk_setup": 1, "destinations": {"sandbox": {**sandbox, "locked": True}}}, mode=0o644)
    result = qb.run("create", "--name", "Acme", "--sandbox", "--no-browser", env=env)
    assert result.returncode == ExitCode.SETUP
    assert "did not use the client secret" in result.stderr
    assert "has no Client Secret yet" in result.stderr
