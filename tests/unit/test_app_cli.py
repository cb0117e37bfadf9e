"""The command line: --version and --help work without opening a window or importing Qt."""

import subprocess
import sys

from qbdesk import __version__


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
