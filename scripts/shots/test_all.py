"""The Test all scene in the demo: eight credentials, one disconnected at Intuit, while it runs and when done."""

from __future__ import annotations

from pathlib import Path

import requests
from PySide6.QtWidgets import QApplication

from qbdesk.emulator import Fault
from qbdesk.store.vault import load_tokens
from shots.common import wait, wait_until
from shots.demo import connect_all, demo_window

NAMES = ("Acme Ltd \u2013 Accounting", "Northwind Traders", "Globex Payroll", "Initech Sales", "Umbrella Books",
         "Wayne Billing", "Stark Reports", "Hooli Sync")


def _revoke_at_intuit(context, overrides: dict[str, str], credential_id: str) -> None:
    """What disconnecting the app in QuickBooks does: Intuit stops accepting the credential's tokens."""
    _, refresh = load_tokens(context.vault, credential_id)
    endpoints = context.discovery.endpoints(overrides["QBDESK_PRODUCTION_DISCOVERY_URL"])
    client = (overrides["QBDESK_PRODUCTION_CLIENT_ID"], overrides["QBDESK_PRODUCTION_CLIENT_SECRET"])
    requests.post(endpoints.revocation, json={"token": refresh}, auth=client, timeout=10).raise_for_status()


def test_all(app: QApplication, out: Path) -> None:
    """Test all with one answer slowed by a 429 and one credential that needs a reconnect."""
    with demo_window(app, (1100, 680)) as (window, launched):
        ids = connect_all(launched.context, NAMES)
        window.show_quickbooks()
        wait(app, 400)
        _revoke_at_intuit(launched.context, launched.demo_setup.overrides, ids[2])
        emulator = launched.demo_setup.emulator
        emulator.inject_fault("companyinfo", Fault.HTTP_429, times=1, delay=1)  # served first: faults queue in order
        emulator.inject_fault("companyinfo", Fault.SLOW, times=len(NAMES), delay=1.5)
        panel = window.services.check_all
        panel.start()
        wait_until(app, lambda: panel.progress.value() >= 2)
        window.grab().save(str(out / "test-all-running.png"))
        wait_until(app, lambda: panel.last_summary is not None, tries=400)
        wait(app, 300)
        window.grab().save(str(out / "test-all-finished.png"))
        panel.hide()
