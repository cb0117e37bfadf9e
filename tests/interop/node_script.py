"""A Node.js script from tests/interop run as a child process that talks one JSON object per line."""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
LINE_SECONDS = 30


class NodeScript:
    """Start `node SCRIPT`, send it JSON lines on stdin, read its JSON lines from stdout; stop() ends it."""

    def __init__(self, script: str, *args: str, needs: str) -> None:
        node = shutil.which("node")
        if node is None:
            pytest.fail("Node.js is not installed: install Node.js 20 + npm, then run scripts/setup")
        if not (HERE / "node_modules" / needs).is_dir():
            pytest.fail(f"tests/interop/node_modules/{needs} is missing: run scripts/setup")
        self._stderr = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            [node, str(HERE / script), *args],
            cwd=HERE,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
        )
        self._lines: queue.Queue[str] = queue.Queue()
        self._reader = threading.Thread(target=self._read_all, daemon=True)
        self._reader.start()

    def _read_all(self) -> None:
        for line in self._process.stdout:
            self._lines.put(line)
        self._lines.put("")  # end of output

    def send(self, message: dict[str, object]) -> None:
        self._process.stdin.write(json.dumps(message) + "\n")
        self._process.stdin.flush()

    def receive(self, seconds: float = LINE_SECONDS) -> dict[str, object]:
        """The script's next line as JSON; fails the test with its stderr if it ends or says nothing."""
        try:
            line = self._lines.get(timeout=seconds)
        except queue.Empty:
            line = ""
        if not line:
            self._stderr.seek(0)
            detail = self._stderr.read().decode(errors="replace").strip()
            pytest.fail(f"node did not answer (exit code {self._process.poll()}):\n{detail}")
        return json.loads(line)

    def stop(self) -> None:
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._reader.join(timeout=5)
        self._process.stdin.close()
        self._process.stdout.close()
        self._stderr.close()
