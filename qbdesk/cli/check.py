"""`qbdesk check`: ask Intuit whether a destination's Client ID and Client Secret are right, before any sign-in."""

from __future__ import annotations

import argparse
import json

from qbdesk.cli.wording import sentence
from qbdesk.core.destinations import Destination
from qbdesk.core.exit_codes import ExitCode
from qbdesk.services.context import AppContext
from qbdesk.services.key_check import KeyVerdict, check_keys

VERDICT_CODES = {
    KeyVerdict.ACCEPTED: ExitCode.OK,
    KeyVerdict.WRONG_KEYS: ExitCode.SETUP,
    KeyVerdict.BAD_DISCOVERY: ExitCode.SETUP,
    KeyVerdict.UNEXPECTED: ExitCode.SETUP,
    KeyVerdict.UNREACHABLE: ExitCode.UNREACHABLE,
}


def check_command(context: AppContext, args: argparse.Namespace) -> ExitCode:
    """Check the keys in the settings (or QBDESK_* variables); the verdict goes to stdout."""
    destination = Destination.SANDBOX if args.sandbox else Destination.PRODUCTION
    app = context.settings.app(destination)
    result = check_keys(app, context.settings.client_secret(destination) or "")
    code = VERDICT_CODES[result.verdict]
    if args.json:
        print(json.dumps({
            "destination": destination.value,
            "client_id": app.client_id,
            "discovery_url": app.effective_discovery_url,
            "verdict": result.verdict.value,
            "message": result.cause,
            "exit_code": int(code),
        }, indent=2))
    else:
        print(f"{destination.label}: {sentence(result.cause, result.next_step)}")
    return code
