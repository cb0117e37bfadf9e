"""What a command's exit status means: the one list behind the command line, `qbdesk --help` and the README."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """A command's exit status; scripts rely on these numbers, so they never change meaning."""

    OK = 0
    ERROR = 1
    USAGE = 2
    NOT_FOUND = 3
    RECONNECT = 4
    UNREACHABLE = 5
    SETUP = 6
    CANCELLED = 7

    @property
    def meaning(self) -> str:
        """One line for people reading `qbdesk --help` or the README."""
        return _MEANINGS[self]


_MEANINGS = {
    ExitCode.OK: "done",
    ExitCode.ERROR: "unexpected error (details in qbdesk.log in the data folder)",
    ExitCode.USAGE: (
        "usage: a bad command line, a rejected name, create without --paste for an https Redirect URI, "
        "or delete without --yes and no terminal to ask on"
    ),
    ExitCode.NOT_FOUND: "no credential with that name or id",
    ExitCode.RECONNECT: "the credential needs a new sign-in (reconnect it), or its sign-in never finished",
    ExitCode.UNREACHABLE: "Intuit could not be reached, or is having trouble: try again later",
    ExitCode.SETUP: "setup problem: app keys, Redirect URI, keychain, settings or data folder",
    ExitCode.CANCELLED: 'cancelled (Ctrl+C, or "no" to delete\'s question), declined at Intuit, or the sign-in expired',
}


def exit_codes_help() -> str:
    """The exit codes as `qbdesk --help` lists them, one per line."""
    return "\n".join(f"  {code.value}  {code.meaning}" for code in ExitCode)
