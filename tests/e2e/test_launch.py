"""Opening a run: the data folder's services, or demo mode's with its own emulator, and closing both."""

from __future__ import annotations

import pytest
import requests

from qbdesk import demo, launch
from qbdesk.store.database import StoreError

pytestmark = pytest.mark.e2e


@pytest.fixture
def started_demos(monkeypatch):
    """The demo set-ups opened during a test, to look at their emulators afterwards."""
    started, start = [], demo.start_demo

    def start_and_keep(*args):
        started.append(start(*args))
        return started[-1]

    monkeypatch.setattr(demo, "start_demo", start_and_keep)
    return started


def answers(url: str) -> bool:
    try:
        requests.get(url, timeout=5)
    except requests.ConnectionError:
        return False
    return True


def test_demo_mode_opens_its_own_folder_and_close_stops_its_emulator(tmp_path, started_demos):
    launched = launch.open_services(tmp_path, {}, demo=True)
    discovery = started_demos[0].emulator.discovery_url("sandbox")
    try:
        assert launched.context.data_dir == tmp_path / launch.DEMO_FOLDER == launch.database_folder(tmp_path, True)
        assert launched.context.demo and answers(discovery)
    finally:
        launched.close()
    assert not answers(discovery)
    assert not (tmp_path / "qbdesk.sqlite3").exists()  # the real folder was not touched


def test_a_demo_whose_folder_cannot_be_opened_stops_its_emulator_again(tmp_path, started_demos):
    (tmp_path / launch.DEMO_FOLDER).write_text("a file where the demo folder should be")
    with pytest.raises(StoreError, match="cannot be used"):
        launch.open_services(tmp_path, {}, demo=True)
    assert not answers(started_demos[0].emulator.discovery_url("sandbox"))
