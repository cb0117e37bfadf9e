"""install.sh and uninstall.sh from the Linux download, run for real for a user whose home is a temporary folder.

The app folder is a stand-in (a shell script as the executable), so this runs without building the bundle;
scripts/check-bundle repeats the round trip with the real one.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
APP_ID = "org.qbdesk.qbdesk"


@pytest.fixture
def download(tmp_path) -> Path:
    """An unpacked download laid out as scripts/package lays it out."""
    top = tmp_path / "qbdesk-9.9.9"
    (top / "qbdesk" / "_internal").mkdir(parents=True)
    executable = top / "qbdesk" / "qbdesk"
    executable.write_text('#!/bin/sh\necho "stand-in qbdesk $*"\n')
    executable.chmod(0o755)
    (top / "qbdesk" / "_internal" / "old-part").write_text("a file of this version")
    for script in ("install.sh", "uninstall.sh"):
        shutil.copy(REPOSITORY / "packaging" / "linux" / script, top / script)
    (top / "share" / "applications").mkdir(parents=True)
    (top / "share" / "applications" / f"{APP_ID}.desktop").write_text(
        "[Desktop Entry]\nType=Application\nName=qbdesk\nExec=qbdesk\nIcon=org.qbdesk.qbdesk\n"
    )
    for size in ("16x16", "scalable"):
        icon = top / "share" / "icons" / "hicolor" / size / "apps" / f"{APP_ID}.{'svg' if size == 'scalable' else 'png'}"
        icon.parent.mkdir(parents=True)
        icon.write_bytes(b"icon")
    (top / "share" / "metainfo").mkdir()
    (top / "share" / "metainfo" / f"{APP_ID}.metainfo.xml").write_text("<component/>")
    (top / "VERSION").write_text("9.9.9\n")
    return top


@pytest.fixture
def home(tmp_path) -> Path:
    home = tmp_path / "home"
    data = home / ".local" / "share" / "qbdesk"
    data.mkdir(parents=True)
    (data / "qbdesk.sqlite3").write_text("the user's credentials")
    other = home / ".local" / "share" / "applications" / "someone-else.desktop"
    other.parent.mkdir(parents=True)
    other.write_text("[Desktop Entry]\n")
    return home


def run(script: Path, home: Path, *arguments: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home)}
    return subprocess.run(["sh", str(script), *arguments], env=env, capture_output=True, text=True, timeout=60)


def test_install_puts_the_app_command_menu_entry_and_icons_under_local(download, home):
    result = run(download / "install.sh", home)
    assert result.returncode == 0, result.stderr
    local = home / ".local"
    launched = subprocess.run([str(local / "bin" / "qbdesk"), "--version"], capture_output=True, text=True)
    assert launched.stdout == "stand-in qbdesk --version\n"
    entry = (local / "share" / "applications" / f"{APP_ID}.desktop").read_text()
    assert f'Exec="{local}/lib/qbdesk/qbdesk"' in entry  # the menu does not depend on PATH
    assert (local / "share" / "icons" / "hicolor" / "16x16" / "apps" / f"{APP_ID}.png").exists()
    assert (local / "share" / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").exists()
    assert (local / "share" / "metainfo" / f"{APP_ID}.metainfo.xml").exists()
    assert "9.9.9" in result.stdout and "not on your PATH" in result.stdout


def test_installing_again_replaces_the_app_and_keeps_the_data(download, home):
    assert run(download / "install.sh", home).returncode == 0
    (download / "qbdesk" / "_internal" / "old-part").unlink()
    assert run(download / "install.sh", home).returncode == 0
    assert not (home / ".local" / "lib" / "qbdesk" / "_internal" / "old-part").exists()
    assert (home / ".local" / "share" / "qbdesk" / "qbdesk.sqlite3").read_text() == "the user's credentials"


def test_uninstall_removes_what_was_installed_and_nothing_else(download, home):
    assert run(download / "install.sh", home).returncode == 0
    result = run(home / ".local" / "lib" / "qbdesk" / "uninstall.sh", home)
    assert result.returncode == 0, result.stderr
    local = home / ".local"
    assert not (local / "lib" / "qbdesk").exists() and not (local / "bin" / "qbdesk").exists()
    assert not (local / "share" / "applications" / f"{APP_ID}.desktop").exists()
    assert not list((local / "share").rglob(f"{APP_ID}.*"))
    assert (local / "share" / "qbdesk" / "qbdesk.sqlite3").read_text() == "the user's credentials"
    assert (local / "share" / "applications" / "someone-else.desktop").exists()
    assert "kept" in result.stdout


def test_uninstall_follows_no_recorded_path_outside_the_installation_or_into_the_data_folder(download, home, tmp_path):
    assert run(download / "install.sh", home).returncode == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("not qbdesk's")
    manifest = home / ".local" / "lib" / "qbdesk" / ".installed-files"
    manifest.write_text(manifest.read_text() + f"../../victim.txt\n{victim}\nshare/qbdesk/qbdesk.sqlite3\n")
    assert run(home / ".local" / "lib" / "qbdesk" / "uninstall.sh", home).returncode == 0
    assert victim.read_text() == "not qbdesk's"
    assert (home / ".local" / "share" / "qbdesk" / "qbdesk.sqlite3").read_text() == "the user's credentials"


def test_uninstall_leaves_a_folder_that_is_not_a_qbdesk_installation(home):
    app_dir = home / ".local" / "lib" / "qbdesk"
    app_dir.mkdir(parents=True)
    (app_dir / ".installed-files").write_text("share/qbdesk/qbdesk.sqlite3\n")
    (app_dir / "something").write_text("someone's file")
    result = run(REPOSITORY / "packaging" / "linux" / "uninstall.sh", home)
    assert result.returncode == 1 and "nothing was removed" in result.stderr
    assert (app_dir / "something").exists() and (home / ".local" / "share" / "qbdesk" / "qbdesk.sqlite3").exists()


def test_install_refuses_a_download_without_the_app_folder(download, home):
    shutil.rmtree(download / "qbdesk")
    result = run(download / "install.sh", home)
    assert result.returncode == 1 and "unpack the whole download" in result.stderr
    assert not (home / ".local" / "bin" / "qbdesk").exists()
