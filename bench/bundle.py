"""Bundle rows of the benchmark table: the frozen qbdesk's size, and its start-up against the virtual environment's.

Both start-ups are timed the same way: from spawning the process to the moment the window's first frame is
on screen, which qbdesk prints and then quits when QBDESK_QUIT_AFTER_FIRST_FRAME=1 (offscreen, empty data
folder, launches interleaved). The sizes are what scripts/check-bundle enforces.
"""

from __future__ import annotations

import platform
import subprocess
import sys
import time
from pathlib import Path

from benchlib import ROOT, median, ms

sys.path.insert(0, str(ROOT / "scripts"))
from check_bundle import MIB, SIZE_TARGETS_MIB, disk_usage, version_in_checkout  # noqa: E402

EXECUTABLE = ROOT / "dist" / "qbdesk" / "qbdesk"
STARTUP_RATIO_TARGET = 1.2


def first_frame_seconds(command: list[str], data_dir: Path, env: dict[str, str]) -> float:
    """Seconds from spawning `command` to its first frame on screen."""
    env = dict(env, QBDESK_QUIT_AFTER_FIRST_FRAME="1")
    spawned = time.monotonic()
    done = subprocess.run([*command, "--data-dir", str(data_dir)], env=env, capture_output=True, text=True, timeout=120)
    stamps = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("first-frame ")]
    if done.returncode != 0 or not stamps:
        raise RuntimeError(f"{command[0]} printed no first frame ({done.returncode}):\n{done.stderr}")
    return float(stamps[0]) - spawned


def bundle_rows(row_type, data_dir: Path, env: dict[str, str], launches: int) -> tuple[list, dict]:
    """Rows 9 to 11, or none when dist/qbdesk has not been built (scripts/package)."""
    if not EXECUTABLE.is_file():
        print("  no bundle in dist/qbdesk: build it with scripts/package for rows 9 to 11", file=sys.stderr)
        return [], {}
    tarball = ROOT / "dist" / f"qbdesk-{version_in_checkout()}-linux-{platform.machine()}.tar.gz"
    on_disk = disk_usage(EXECUTABLE.parent) / MIB
    frozen_command, venv_command = [str(EXECUTABLE)], [sys.executable, "-m", "qbdesk"]
    for command in (frozen_command, venv_command):  # warm-up: the disk cache, compiled bytecode
        first_frame_seconds(command, data_dir, env)
    frozen, venv = [], []
    for _ in range(launches):
        frozen.append(first_frame_seconds(frozen_command, data_dir, env))
        venv.append(first_frame_seconds(venv_command, data_dir, env))
    rows = [row_type("9", "bundle size on disk (dist/qbdesk)", on_disk, None, "MiB",
                     f"\u2264 {SIZE_TARGETS_MIB['on disk']} MiB", on_disk <= SIZE_TARGETS_MIB["on disk"])]
    if tarball.is_file():
        compressed = tarball.stat().st_size / MIB
        rows.append(row_type("10", f"bundle as {tarball.name}", compressed, None, "MiB",
                             f"\u2264 {SIZE_TARGETS_MIB['tar.gz']} MiB", compressed <= SIZE_TARGETS_MIB["tar.gz"]))
    ratio = median(frozen) / median(venv)
    rows.append(row_type("11", "frozen start-up to first painted window", ms(median(frozen)), ms(median(venv)), "ms",
                         f"\u2264 {STARTUP_RATIO_TARGET}\u00d7 venv", ratio <= STARTUP_RATIO_TARGET,
                         note="baseline: the same window from the virtual environment (python -m qbdesk)"))
    return rows, {"on_disk_mib": on_disk, "frozen_first_frame_s": frozen, "venv_first_frame_s": venv}
