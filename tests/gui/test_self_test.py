"""`qbdesk --self-test`: the window opens, gets its services, shows the sign-in window once, and exits with the verdict."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from qbdesk.app import main

pytestmark = pytest.mark.gui


def self_test_process(*arguments: str, home) -> subprocess.CompletedProcess:
    """qbdesk --self-test as its own process (QtWebEngine runs once per process), offscreen."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QBDESK_")}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", QTWEBENGINE_DISABLE_SANDBOX="1")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # never the keychain of whoever runs the tests
    return subprocess.run(
        [sys.executable, "-m", "qbdesk", *arguments, "--self-test"],
        env=env, capture_output=True, text=True, timeout=150,
    )


@pytest.mark.webengine
def test_in_demo_mode_the_sign_in_window_shows_the_demo_consent_page(tmp_path):
    result = self_test_process("--demo", "--data-dir", str(tmp_path / "data"), home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "self-test passed" in result.stdout and "Intuit" in result.stdout  # the consent page's title
    assert "Traceback" not in result.stderr
    assert (tmp_path / "data" / "demo" / "qbdesk.sqlite3").exists()


@pytest.mark.webengine
def test_without_intuit_keys_the_sign_in_window_shows_qbdesks_own_page(tmp_path):
    result = self_test_process("--data-dir", str(tmp_path / "data"), home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "qbdesk self-test" in result.stdout


def test_a_data_folder_that_cannot_open_fails_with_the_reason_and_no_dialog(qapp, tmp_path, capsys, answered_dialogs):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be")
    assert main(["--data-dir", str(blocked), "--self-test"]) == 1
    stderr = capsys.readouterr().err
    assert "qbdesk self-test failed:" in stderr and str(blocked) in stderr
    assert answered_dialogs.errors == []


def test_self_test_with_a_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--self-test", "list"])
    assert stopped.value.code == 2
    assert "without a command" in capsys.readouterr().err
