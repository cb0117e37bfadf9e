"""`qbdesk export` and `qbdesk import`: credentials to and from an encrypted file, for a move to another computer.

The passphrase is asked on the terminal (getpass, twice for an export) or read from --passphrase-file; it is
never taken from the command line.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from qbdesk.cli import ExitCode, Failure
from qbdesk.cli.commands import find
from qbdesk.cli.report import say
from qbdesk.cli.wording import explain
from qbdesk.core.problems import Kind
from qbdesk.services.context import AppContext
from qbdesk.services.transfer import (
    NameChoice,
    TransferProblem,
    TransferService,
    passphrase_problem,
    read_transfer_file,
)

CHOICE_KEYS = {"s": NameChoice.SKIP, "r": NameChoice.RENAME, "p": NameChoice.REPLACE}


def _failure(problem: TransferProblem) -> Failure:
    code = {Kind.SETUP: ExitCode.SETUP, Kind.RECONNECT: ExitCode.RECONNECT}.get(problem.kind, ExitCode.USAGE)
    return Failure(explain(problem), code)


def read_passphrase(args: argparse.Namespace, confirm: bool) -> str:
    """The passphrase from --passphrase-file (its first line), else asked at the terminal (twice with confirm)."""
    if args.passphrase_file is not None:
        try:
            text = Path(args.passphrase_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise Failure(f"The passphrase file {args.passphrase_file} cannot be read ({exc}).", ExitCode.USAGE) \
                from None
        lines = text.splitlines()
        if not lines or not lines[0]:
            raise Failure(f"The passphrase file {args.passphrase_file} is empty.", ExitCode.USAGE)
        return lines[0]
    if not sys.stdin.isatty():
        raise Failure("There is no terminal to ask the passphrase on. Give it with --passphrase-file FILE.",
                      ExitCode.USAGE)
    passphrase = getpass.getpass("Passphrase: ", stream=sys.stderr)
    if confirm:
        problem = passphrase_problem(passphrase)
        if problem:
            raise Failure(problem, ExitCode.USAGE)
        if getpass.getpass("The same passphrase again: ", stream=sys.stderr) != passphrase:
            raise Failure("The two passphrases differ. Nothing was exported.", ExitCode.USAGE)
    return passphrase


def export_command(context: AppContext, args: argparse.Namespace) -> ExitCode:
    """Write credentials (all connected ones by default) to an encrypted file; --move removes them here."""
    service = TransferService(context)
    chosen = [find(context, name) for name in args.names] if args.names else service.exportable()
    if not chosen:
        raise Failure("There are no connected credentials to export.", ExitCode.NOT_FOUND)
    target = Path(args.to).expanduser()
    if target.exists():
        raise Failure(f"{target} already exists. Choose another file name.", ExitCode.USAGE)
    passphrase = read_passphrase(args, confirm=True)
    try:
        done = service.export([c.id for c in chosen], target, passphrase, move=args.move)
    except TransferProblem as exc:
        raise _failure(exc) from None
    names = ", ".join(f"\u201c{c.name}\u201d" for c in done)
    if args.move:
        print(f"Moved {len(done)} credential(s) to {target}: {names}. They are no longer on this computer; "
              "import the file on the other one.")
    else:
        print(f"Exported {len(done)} credential(s) to {target}: {names}. They stay on this computer too: use "
              "them on one computer only, or Intuit's token rotation ends them on the other.")
    return ExitCode.OK


def _ask(name: str) -> NameChoice:
    while True:
        print(f"\u201c{name}\u201d already exists here. [s]kip, [r]ename or re[p]lace? ", end="", file=sys.stderr,
              flush=True)
        answer = sys.stdin.readline()
        if not answer:
            raise Failure("Nothing was imported.", ExitCode.CANCELLED)
        choice = CHOICE_KEYS.get(answer.strip().lower()[:1])
        if choice is not None:
            return choice


def import_command(context: AppContext, args: argparse.Namespace) -> ExitCode:
    """Import the credentials of an encrypted file, after showing what it holds."""
    service = TransferService(context)
    source = Path(args.file).expanduser()
    try:
        bundle = read_transfer_file(source, read_passphrase(args, confirm=False))
        problem = service.key_problem(bundle)
    except TransferProblem as exc:
        raise _failure(exc) from None
    say(f"{source.name} holds {len(bundle.carried)} credential(s), exported {bundle.exported_at:%Y-%m-%d %H:%M} UTC:")
    for one in bundle.carried:
        c = one.credential
        say(f"  {c.name}  ({c.destination.label}, {c.company_name or 'company'} {c.realm_id})")
    if problem:
        raise _failure(problem)
    conflicts = service.name_conflicts(bundle)
    choices: dict[str, NameChoice] = {}
    if conflicts:
        if args.on_conflict:
            choices = dict.fromkeys(conflicts, NameChoice(args.on_conflict))
        elif sys.stdin.isatty():
            choices = {name: _ask(name) for name in conflicts}
        else:
            raise Failure(f"{len(conflicts)} name(s) already exist here ({', '.join(conflicts)}), and there is no "
                          "terminal to ask on. Add --on-conflict skip, rename or replace.", ExitCode.USAGE)
    try:
        outcome = service.import_bundle(bundle, source, choices)
    except TransferProblem as exc:
        raise _failure(exc) from None
    print(f"Imported {len(outcome.added)} credential(s): "
          + (", ".join(f"\u201c{c.name}\u201d" for c in outcome.added) or "none") + ".")
    if outcome.replaced:
        print("Replaced: " + ", ".join(f"\u201c{n}\u201d" for n in outcome.replaced) + ".")
    if outcome.skipped:
        print("Skipped (the name exists here): " + ", ".join(f"\u201c{n}\u201d" for n in outcome.skipped) + ".")
    return ExitCode.OK
