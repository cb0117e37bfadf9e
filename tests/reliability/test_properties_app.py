"""Hostile command lines against build_parser (qbdesk/app.py; parsing only, no command runs): parsed, or refused
with a printable usage error."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from qbdesk.app import build_parser

from hostile_input import ANY_CHARACTER, HOSTILE, MARK, WILD

pytestmark = pytest.mark.reliability


ARGUMENT_POOL = [
    "list", "status", "token", "create", "test", "delete", "--name", "--name=", "--nam", "--sandbox", "--paste",
    "--no-browser", "--yes", "--json", "--data-dir", "--data-dir=", "--dat", "--demo", "--verbose", "--version", "-h",
    "--help", "--", "-", "-x", "--=x", "---", "-n", "Acme", "Acme Ltd", "%(prog)s", "%s", "@file", "\x1b[2J",
    "--name=\x1b]0;t\x07", "\udcff", "", " ", "-\u2013name", WILD, WILD, WILD,
    "export", "import", "exec", "--to", "--move", "--passphrase-file", "--on-conflict", "rename",
]
ARGUMENT_MARKS = "".join(chr(MARK + index) for index in range(len(ARGUMENT_POOL)))
NAMED_COMMANDS = {"status", "token", "test", "delete", "create", "exec"}
PARSER = build_parser()  # parse_args keeps no state between calls


def make_argv(sequence: str, wild: str) -> list[str]:
    parts = [wild[: len(wild) // 2], wild[len(wild) // 2 :], wild]
    argv = []
    for index, ch in enumerate(sequence):
        argument = ARGUMENT_POOL[ord(ch) - MARK]
        argv.append(parts[index % 3] if argument is WILD else argument)
    return argv


@HOSTILE
@given(st.builds(make_argv, st.text(ARGUMENT_MARKS, max_size=8), st.text(ANY_CHARACTER, max_size=20)))
@example(["status", "\x1b]0;owned\x07", "extra\x1b[2J"])
@example(["create", "--name=\udcff"])
@example(["--version"])
@example(["create", "--name", "--"])
def test_command_line(argv):
    """10,000 command lines: parsed, or refused with exit status 2 and a printable usage error (never a traceback)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            args = PARSER.parse_args(argv)
    except SystemExit as stop:
        if stop.code == 0:  # --help or --version
            assert stdout.getvalue().strip() and not stderr.getvalue()
            return
        assert stop.code == 2
        message = stderr.getvalue()
        assert "error:" in message
        for line in message.splitlines():
            assert line.isprintable() and "Traceback" not in line, ascii(line)
        return
    assert not stderr.getvalue() and not stdout.getvalue()
    assert args.command in (None, "list", "export", "import", *NAMED_COMMANDS)
    assert args.data_dir is None or isinstance(args.data_dir, Path)
    if args.command == "test":  # a name, or --all (the command says which is missing)
        assert isinstance(args.name, str) or args.name is None
    elif args.command in NAMED_COMMANDS:
        assert isinstance(args.name, str)
