"""Pages, folders and files open in the user's applications with the environment the user started qbdesk with.

A stand-in `xdg-open` on PATH records the environment and arguments it was started with; the frozen app's
changes (LD_LIBRARY_PATH into the bundle with the user's value in LD_LIBRARY_PATH_ORIG, bootloader
variables, Qt paths into the bundle) are set up as PyInstaller's bootloader and runtime hooks leave them.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from qbdesk import user_apps
from qbdesk.user_apps import CannotOpen, open_in_user_app, user_environment

from desktop_stand_in import DesktopStandIn

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="xdg-open stand-in is a POSIX shell script")

@pytest.fixture
def desktop(tmp_path, monkeypatch):
    """A stand-in xdg-open first on PATH; .opened() returns what it recorded."""
    return DesktopStandIn(tmp_path).install(monkeypatch)


@pytest.fixture
def frozen(tmp_path, monkeypatch):
    """This process looks like the frozen app: a bundle folder and what the bootloader and Qt's hooks set."""
    bundle = tmp_path / "dist" / "qbdesk" / "_internal"
    bundle.mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.setenv("LD_LIBRARY_PATH", f"{bundle}{os.pathsep}/opt/finance/lib")
    monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", "/opt/finance/lib")
    monkeypatch.setenv("_PYI_APPLICATION_HOME_DIR", str(bundle))
    monkeypatch.setenv("_PYI_PARENT_PROCESS_LEVEL", "1")
    monkeypatch.setenv("QT_PLUGIN_PATH", str(bundle / "PySide6" / "Qt" / "plugins"))
    monkeypatch.setenv("QTWEBENGINEPROCESS_PATH", str(bundle / "PySide6" / "Qt" / "libexec" / "QtWebEngineProcess"))
    monkeypatch.setenv("XDG_DATA_DIRS", f"{bundle / 'share'}{os.pathsep}/usr/share")
    monkeypatch.setenv("QBDESK_USER_SETTING", "kept")
    return bundle


def test_the_browser_starts_with_the_users_library_path_not_the_bundles(desktop, frozen):
    url = "https://appcenter.intuit.com/connect/oauth2?client_id=abc&scope=com.intuit.quickbooks.accounting"
    assert open_in_user_app(url)
    seen = desktop.opened()
    assert seen["args"] == [url]
    env = seen["env"]
    assert env["LD_LIBRARY_PATH"] == "/opt/finance/lib"
    assert "LD_LIBRARY_PATH_ORIG" not in env
    assert not [name for name in env if name.startswith("_PYI_")]
    assert "QT_PLUGIN_PATH" not in env and "QTWEBENGINEPROCESS_PATH" not in env
    assert env["XDG_DATA_DIRS"] == "/usr/share"
    assert env["QBDESK_USER_SETTING"] == "kept"
    assert not [value for value in env.values() if str(frozen) in value]


def test_qbdesks_own_environment_is_left_for_its_helper_processes(desktop, frozen):
    before = dict(os.environ)
    open_in_user_app("https://developer.intuit.com/")
    desktop.opened()
    assert dict(os.environ) == before  # QtWebEngineProcess still finds the bundle's libraries


def test_a_user_without_a_library_path_gets_none(desktop, frozen, monkeypatch):
    monkeypatch.setenv("LD_LIBRARY_PATH", str(frozen))  # the bootloader's own entry only, no _ORIG saved
    monkeypatch.delenv("LD_LIBRARY_PATH_ORIG")
    open_in_user_app("https://developer.intuit.com/")
    assert "LD_LIBRARY_PATH" not in desktop.opened()["env"]


def test_outside_a_bundle_the_environment_passes_unchanged(desktop, monkeypatch):
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/finance/lib")
    open_in_user_app("https://developer.intuit.com/")
    assert desktop.opened()["env"]["LD_LIBRARY_PATH"] == "/opt/finance/lib"
    assert user_environment({"A": "1"}) == {"A": "1"}


def test_a_folder_opens_by_its_absolute_path(desktop, tmp_path, monkeypatch):
    folder = tmp_path / "-data folder"
    folder.mkdir()
    monkeypatch.chdir(tmp_path)
    assert open_in_user_app(Path("-data folder"))
    assert desktop.opened()["args"] == [str(folder)]  # never read as an option, spaces kept in one argument


@pytest.mark.parametrize("target", [
    "javascript:alert(1)", "file:///etc/passwd", "https://", "https://example.com/a b", "https://e.com/\x1b[2J",
    "no-such-file-here",
])
def test_anything_but_a_web_address_or_an_existing_path_is_refused(desktop, target, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CannotOpen):
        open_in_user_app(target)


def test_without_a_launcher_it_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert not open_in_user_app("https://developer.intuit.com/")


def test_the_address_never_reaches_the_log(desktop, caplog, tmp_path, monkeypatch):
    script = desktop.bin_dir / "xdg-open"
    script.write_text("#!/bin/sh\nexit 4\n")
    caplog.set_level("DEBUG", logger="qbdesk")
    open_in_user_app("https://appcenter.intuit.com/connect/oauth2?state=SECRETSTATE123")
    deadline = time.monotonic() + 20
    while not caplog.records and time.monotonic() < deadline:
        time.sleep(0.02)
    assert "appcenter.intuit.com" in caplog.text
    assert "SECRETSTATE123" not in caplog.text
    assert user_apps.log.name == "qbdesk.user_apps"
