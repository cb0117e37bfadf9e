"""The create command: start a sign-in, then wait for the browser to come back or for a pasted address.

The sign-in service reports on its own threads; a pasted address is read on another, so Ctrl+C and the
deadline always reach the waiting command.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from collections.abc import Iterator
from datetime import datetime

from qbdesk import user_apps
from qbdesk.callback.plan import Capture
from qbdesk.cli import KIND_CODES, ExitCode, Failure
from qbdesk.cli.report import say
from qbdesk.cli.wording import CREATE_AGAIN, explain, sentence
from qbdesk.core.credential import Credential
from qbdesk.core.destinations import Destination
from qbdesk.services.context import AppContext
from qbdesk.services.signin import Phase, SignInProblem, SignInStart, SignInUpdate

ANSWER_WAIT_SECONDS = 3.0  # at most this long for the browser to get its answer page before the command exits


class _Outcome:
    """How one sign-in ended, filled in from the sign-in service's updates (on other threads)."""

    def __init__(self, credential_id: str) -> None:
        self.credential_id = credential_id
        self.done = threading.Event()
        self.update: SignInUpdate | None = None
        self.stray: str | None = None  # the last refusal that matched no sign-in (a wrong pasted address)
        self.no_input = False

    def take(self, update: SignInUpdate) -> None:
        if update.credential_id is None and update.phase is Phase.FAILED:
            self.stray = update.cause
        elif update.credential_id != self.credential_id:
            return
        elif update.phase is Phase.EXCHANGING:
            say(update.cause)
        else:
            self.update = update
            self.done.set()


def _stdin_lines() -> Iterator[str]:
    """Lines from stdin, read from the descriptor itself: a thread blocked here never holds a lock that exit needs."""
    pending = b""
    while True:
        chunk = os.read(sys.stdin.fileno(), 4096)
        if not chunk:
            break
        pending += chunk
        *lines, pending = pending.split(b"\n")
        yield from (line.decode("utf-8", "replace") for line in lines)
    if pending:
        yield pending.decode("utf-8", "replace")


def _read_pasted(context: AppContext, outcome: _Outcome, give_up_at_end: bool) -> None:
    """Take addresses from stdin until one finishes the sign-in (runs on its own thread)."""
    for line in _stdin_lines():
        address = line.strip()
        if not address:
            continue
        outcome.stray = None
        try:
            context.signin.complete_from_address(outcome.credential_id, address)
        except SignInProblem as exc:
            say(f"{explain(exc)} Paste the address again.")
            continue
        if outcome.done.is_set():
            return
        say(f"{outcome.stray or 'That address did not finish the sign-in.'} Paste the address again.")
    if give_up_at_end:
        outcome.no_input = True
        outcome.done.set()


def _open_browser(url: str) -> None:
    """The user's browser, started with the user's environment; it runs on by itself, nothing here waits."""
    try:
        opened = user_apps.open_in_user_app(url)
    except user_apps.CannotOpen:
        opened = False
    if not opened:
        say("qbdesk could not open your browser: open the address above yourself.")


def create_command(context: AppContext, args: argparse.Namespace) -> ExitCode:
    """Create a credential by signing in; nothing is kept unless the sign-in connects."""
    destination = Destination.SANDBOX if args.sandbox else Destination.PRODUCTION
    check = context.credentials.check_name(args.name)
    if not check.ok:
        raise Failure(check.problem or "That name cannot be used.", ExitCode.USAGE)
    problem = context.signin.setup_problem(destination)
    if problem:
        raise Failure(explain(problem), ExitCode.SETUP)
    listening = context.signin.capture_plan(destination).capture is Capture.LISTENER
    if not listening and not args.paste:
        raise Failure(
            f"The Redirect URI for {destination.label} is an https address, so the sign-in cannot come back to "
            "this command by itself. Create the credential in the qbdesk window, or add --paste and paste the "
            "address your browser lands on.",
            ExitCode.USAGE,
        )
    credential = context.credentials.create_pending(check.name, destination)
    outcome = _Outcome(credential.id)
    unsubscribe = context.signin.updated.subscribe(outcome.take)
    connected = False
    try:
        start = context.signin.begin(credential.id)
        deadline = (context.credentials.get(credential.id) or credential).pending_expires_at
        _explain(credential, start, deadline, listening, args)
        if args.paste:
            reader = threading.Thread(
                target=_read_pasted, args=(context, outcome, not listening), name="read-pasted", daemon=True
            )
            reader.start()
        connected = _wait(context, outcome, credential, deadline)
    finally:
        unsubscribe()
        if not connected:
            context.credentials.discard(credential.id, "discarded", "sign-in from the command line did not finish")
        # The listener answers the browser just after announcing the outcome: let that answer arrive first.
        context.signin.wait_answers_delivered(ANSWER_WAIT_SECONDS)
    final = context.credentials.get(credential.id) or credential
    print(f"Created \u201c{final.name}\u201d: connected to {final.destination.label} company {final.company_label}.")
    return ExitCode.OK


def _explain(
    credential: Credential, start: SignInStart, deadline: datetime | None, listening: bool, args: argparse.Namespace
) -> None:
    """Tell the person where to sign in, and how the answer comes back."""
    redirect_uri = start.redirect_uri
    say(f"To sign \u201c{credential.name}\u201d in to {credential.destination.label}, open this address in your "
        "browser and approve access for a company:\n")
    say(f"    {start.url}\n")
    if not args.no_browser:
        say("Opening your browser\u2026")
        _open_browser(start.browser_url or start.url)  # the one-time local address keeps the state off its command line
    until = f" until {deadline.astimezone():%H:%M}" if deadline else ""
    before = f" (before {deadline.astimezone():%H:%M})" if deadline else ""
    if listening:
        say(f"Waiting{until} for the browser to come back to {redirect_uri}. Press Ctrl+C to cancel.")
    if args.paste:
        say(f"After you approve, your browser lands on {redirect_uri}?\u2026 (the page itself may show an error). "
            f"Paste that whole address here and press Enter{before}:")


def _wait(context: AppContext, outcome: _Outcome, credential: Credential, deadline: datetime | None) -> bool:
    """Block until the sign-in connects (True); fail on refusal, expiry or end of input."""
    clock = context.clock
    while not outcome.done.is_set():
        remaining = (deadline - clock.now()).total_seconds() if deadline else 3600.0
        if remaining <= 0:
            break
        outcome.done.wait(min(remaining, 1.0))
    update = outcome.update
    if update is not None and update.phase is Phase.CONNECTED:
        return True
    if update is not None:
        code = KIND_CODES.get(update.kind, ExitCode.ERROR) if update.kind is not None else ExitCode.CANCELLED
        raise Failure(sentence(update.cause, update.next_step), code)
    if outcome.no_input:
        raise Failure(f"No address was pasted, so \u201c{credential.name}\u201d was not created.", ExitCode.CANCELLED)
    context.credentials.purge_expired()
    raise Failure(
        f"The sign-in did not finish in time, so \u201c{credential.name}\u201d was removed. {CREATE_AGAIN}",
        ExitCode.CANCELLED,
    )
