"""The command line: --version and --help work without opening a window or importing Qt."""

import re
import subprocess
import sys
from pathlib import Path

from qbdesk import __version__
from qbdesk.core.exit_codes import ExitCode


def run_qbdesk(*args):
    return subprocess.run([sys.executable, "-m", "qbdesk", *args], capture_output=True, text=True, timeout=60)


def test_version_prints_the_version():
    result = run_qbdesk("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"qbdesk {__version__}"


def test_help_lists_the_options_and_environment():
    result = run_qbdesk("--help")
    assert result.returncode == 0
    for words in ("--data-dir", "--demo", "QBDESK_DATA_DIR", "QBDESK_PENDING_TTL_SECONDS"):
        assert words in result.stdout


def test_parsing_the_command_line_does_not_import_qt():
    code = "import sys; from qbdesk.app import build_parser; build_parser(); print('PySide6' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False"


def test_an_unknown_option_fails_with_usage():
    result = run_qbdesk("--no-such-option")
    assert result.returncode == 2 and "usage: qbdesk" in result.stderr


def test_the_readme_lists_the_exit_codes_that_help_prints():
    """Scripts read the README's table; it must say what `qbdesk --help` says, code for code."""
    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| (\d) \| (.+) \|$", readme, re.MULTILINE))
    listed = dict(re.findall(r"^  (\d)  (.+)$", run_qbdesk("--help").stdout, re.MULTILINE))
    assert table == listed and sorted(table) == [str(code.value) for code in ExitCode]
