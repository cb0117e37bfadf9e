"""A stand-in for the desktop's `xdg-open`, first on PATH: records the arguments and environment it starts with."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

RECORDER = """#!/bin/sh
"{python}" -c 'import json, os, sys; json.dump({{"args": sys.argv[2:], "env": dict(os.environ)}}, open(sys.argv[1], "w"))' \\
    "{record}.tmp" "$@" && mv "{record}.tmp" "{record}"
"""


class DesktopStandIn:
    """Put on PATH by install(); opened() waits for the launch and returns what it recorded."""

    def __init__(self, folder: Path) -> None:
        self.bin_dir = folder / "bin"
        self.record = folder / "opened.json"

    def install(self, monkeypatch) -> DesktopStandIn:
        self.bin_dir.mkdir(parents=True, exist_ok=True)
        script = self.bin_dir / "xdg-open"
        script.write_text(RECORDER.format(python=sys.executable, record=self.record))
        script.chmod(0o755)
        monkeypatch.setenv("PATH", f"{self.bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin")
        return self

    def opened(self, timeout: float = 20) -> dict:
        deadline = time.monotonic() + timeout
        while not self.record.exists():
            assert time.monotonic() < deadline, "xdg-open was never started"
            time.sleep(0.02)
        seen = json.loads(self.record.read_text())
        self.record.unlink()
        return seen
