"""QBDESK_QUIT_AFTER_FIRST_FRAME (the benchmarks' start-up probe for the bundle): first frame, stamp, quit."""

import time

import pytest

from qbdesk.app import main

pytestmark = pytest.mark.gui


def test_the_window_says_when_its_first_frame_is_up_and_quits_before_opening_anything(qapp, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("QBDESK_QUIT_AFTER_FIRST_FRAME", "1")
    before = time.monotonic()
    assert main(["--data-dir", str(tmp_path / "data")]) == 0
    (line,) = [line for line in capsys.readouterr().out.splitlines() if line.startswith("first-frame ")]
    assert before < float(line.split()[1]) < time.monotonic()
    assert not (tmp_path / "data" / "qbdesk.sqlite3").exists()  # the services never opened
