"""One window per data folder: a second launch brings the first forward and writes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.reliability


def launch(data_dir, *args):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen(
        [sys.executable, "-m", "qbdesk", "--data-dir", str(data_dir), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def wait_for(predicate, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_second_launch_brings_the_first_window_forward(tmp_path):
    data = tmp_path / "data"
    first = launch(data)
    try:
        log = data / "qbdesk.log"
        assert wait_for(lambda: log.exists() and "Upgrading the database schema" in log.read_text())
        time.sleep(1.0)  # the window is up once the database is open; give it a moment to listen
        second = subprocess.run(
            [sys.executable, "-m", "qbdesk", "--data-dir", str(data)],
            capture_output=True, text=True, timeout=60, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        )
        assert second.returncode == 0, second.stderr
        assert "already open" in second.stdout
        assert wait_for(lambda: "Another launch asked for this window" in log.read_text(), 10)
        assert first.poll() is None  # the first window is still running
    finally:
        first.terminate()
        first.communicate(timeout=30)


def test_a_launch_after_a_crash_takes_over_the_stale_socket(tmp_path):
    """A window killed outright leaves its socket behind. The next launch must listen there itself: a launch
    after it is then sent to it, where a launch that merely ran on (or hung) would leave that one unanswered."""
    data = tmp_path / "data"
    crashed = launch(data)
    assert wait_for(lambda: has_opened_the_folder(data, crashed))
    crashed.kill()
    crashed.communicate(timeout=30)
    again = launch(data)
    try:
        assert wait_for(lambda: has_opened_the_folder(data, again))
        third = subprocess.run(
            [sys.executable, "-m", "qbdesk", "--data-dir", str(data)],
            capture_output=True, text=True, timeout=30, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        )  # a launch nobody answers opens a window of its own and runs on: the timeout ends it, failing
        assert third.returncode == 0 and "already open" in third.stdout, third.stderr
        assert wait_for(lambda: "Another launch asked for this window" in (data / "qbdesk.log").read_text(), 10)
        assert again.poll() is None  # the relaunched window is the one still running
    finally:
        again.terminate()
        out, _ = again.communicate(timeout=30)
    assert "already open" not in out


def has_opened_the_folder(data_dir, process) -> bool:
    """The window's start-up opened the data folder (it listens for other launches before that)."""
    return (data_dir / "running" / f"{process.pid}.pid").exists()
