"""`qbdesk test --all`: check every credential with Intuit, a line each as it finishes, then a summary by state."""

from __future__ import annotations

import argparse
import sys
import threading

from qbdesk.cli import KIND_CODES, ExitCode
from qbdesk.cli.report import STATE_WORDS, print_json, say
from qbdesk.cli.wording import sentence
from qbdesk.core.health import State
from qbdesk.services.checkup import CheckAll, CheckResult, CheckSummary
from qbdesk.services.context import AppContext

# From least to most in need of attention: the exit code of the worst credential is the command's.
SEVERITY = (ExitCode.OK, ExitCode.UNREACHABLE, ExitCode.ERROR, ExitCode.RECONNECT, ExitCode.SETUP)
STATE_CODES = {State.CONNECTED: ExitCode.OK, State.OFFLINE: ExitCode.UNREACHABLE,
               State.NEEDS_RECONNECT: ExitCode.RECONNECT, State.INCOMPLETE: ExitCode.RECONNECT}
WAIT_SECONDS = 0.2  # how often the main thread looks up from waiting, so Ctrl+C is heard


def exit_code(result: CheckResult) -> ExitCode:
    """What one credential's check says, as an exit code: its problem's kind, else its state."""
    by_state = STATE_CODES[result.state]
    by_problem = KIND_CODES[result.kind] if result.kind is not None else ExitCode.OK
    return max(by_state, by_problem, key=SEVERITY.index)


def worst(summary: CheckSummary) -> ExitCode:
    codes = [exit_code(result) for result in summary.results]
    return max(codes, key=SEVERITY.index) if codes else ExitCode.OK


def line(result: CheckResult, done: int, total: int) -> str:
    """One credential's outcome for the terminal."""
    width = len(str(total))
    text = f"[{done:>{width}}/{total}] {result.name}: {result.state.value}"
    if result.cause:
        return f"{text}. {sentence(result.cause, result.next_step)}"
    if result.state is State.INCOMPLETE:
        return f"{text} (its sign-in never finished; not checked)"
    return f"{text} ({result.company_name})" if result.company_name else text


def summary_line(summary: CheckSummary) -> str:
    counts = ", ".join(f"{count} {state.value}" for state, count in summary.by_state().items() if count)
    checked = len(summary.results)
    head = (f"Cancelled after {checked} of {summary.total} credentials" if summary.cancelled
            else f"Checked {checked} credential{'' if checked == 1 else 's'}")
    problems = len(summary.failed)
    tail = f"; {problems} need{'s' if problems == 1 else ''} attention" if problems else ""
    times = "once" if summary.throttled_calls == 1 else f"{summary.throttled_calls} times"
    throttled = f" (Intuit asked qbdesk to slow down {times})" if summary.throttled_calls else ""
    return f"{head}: {counts or 'none'}{tail}.{throttled}"


def as_json(summary: CheckSummary) -> dict[str, object]:
    return {
        "results": [
            {
                "id": result.credential_id,
                "name": result.name,
                "state": STATE_WORDS[result.state],
                "company_name": result.company_name,
                "passed": result.passed,
                "problem": sentence(result.cause, result.next_step) if result.cause else None,
                "exit_code": int(exit_code(result)),
            }
            for result in summary.results
        ],
        "summary": {STATE_WORDS[state]: count for state, count in summary.by_state().items()},
        "total": summary.total,
        "cancelled": summary.cancelled,
    }


def test_all_command(context: AppContext, args: argparse.Namespace) -> ExitCode:
    """Check every credential; a line each (stdout, or stderr with --json), a summary, the worst state's code."""
    cancel = threading.Event()
    lock = threading.Lock()

    def report(result: CheckResult, done: int, total: int) -> None:
        with lock:
            print(line(result, done, total), file=sys.stderr if args.json else sys.stdout, flush=True)

    outcome: list[CheckSummary | Exception] = []
    checker = CheckAll(context.tokens, context.credentials, context.clock)

    def check() -> None:
        try:
            outcome.append(checker.run(report, cancel))
        except Exception as exc:  # raised again below, where the command's errors are worded
            outcome.append(exc)

    running = threading.Thread(target=check, name="qbdesk-test-all")
    running.start()
    try:
        while running.is_alive():
            running.join(WAIT_SECONDS)
    except KeyboardInterrupt:
        say("qbdesk: Stopping after the checks under way\u2026")
        cancel.set()
        running.join()
    summary = outcome[0]
    if isinstance(summary, Exception):
        raise summary
    if args.json:
        print_json(as_json(summary))
        say(summary_line(summary))
    else:
        print(summary_line(summary))
    if summary.cancelled:
        return ExitCode.CANCELLED
    return worst(summary)
