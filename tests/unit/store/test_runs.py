"""Run markers: a run counts as interrupted only when its process is gone and its marker is left."""

import os
import subprocess
import sys

from qbdesk.store.runs import RUNS_FOLDER, begin_run, end_run


def test_only_a_run_that_ended_without_closing_counts_as_interrupted(tmp_path):
    assert begin_run(tmp_path) is False
    end_run(tmp_path)
    assert begin_run(tmp_path) is False  # the earlier run closed cleanly
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (tmp_path / RUNS_FOLDER / f"{dead.stdout.strip()}.pid").touch()  # a process that is gone, its marker left
    assert begin_run(tmp_path) is True
    assert not (tmp_path / RUNS_FOLDER / f"{dead.stdout.strip()}.pid").exists()
    assert (tmp_path / RUNS_FOLDER / f"{os.getpid()}.pid").exists()
