"""Screenshots of Test all in the demo: while it runs and when it has finished, in the light and a dark palette.

Run under a display: xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots_test_all.py [DARK_DIR]
The light ones go to docs/screenshots/; the dark ones to DARK_DIR (default: a folder in /tmp), to check by eye.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import requests
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from contrast import fusion_dark_palette  # noqa: E402
from screenshots import OUT, wait  # noqa: E402

from qbdesk.core.destinations import Destination  # noqa: E402
from qbdesk.emulator import Fault  # noqa: E402
from qbdesk.launch import open_services  # noqa: E402
from qbdesk.store.vault import load_tokens  # noqa: E402
from qbdesk.ui.main_window import MainWindow  # noqa: E402
from qbdesk.ui.style import apply_style  # noqa: E402

from consent import consent_redirect  # noqa: E402

NAMES = ("Acme Ltd \u2013 Accounting", "Northwind Traders", "Globex Payroll", "Initech Sales", "Umbrella Books",
         "Wayne Billing", "Stark Reports", "Hooli Sync")


def connect_all(context) -> list[str]:
    ids = []
    for name in NAMES:
        credential = context.credentials.create_pending(name, Destination.PRODUCTION)
        start = context.signin.begin(credential.id)
        context.signin.complete_from_address(credential.id, consent_redirect(start.url))
        ids.append(credential.id)
    return ids


def revoke_at_intuit(context, overrides: dict[str, str], credential_id: str) -> None:
    """What disconnecting the app in QuickBooks does: Intuit stops accepting the credential's tokens."""
    _, refresh = load_tokens(context.vault, credential_id)
    endpoints = context.discovery.endpoints(overrides["QBDESK_PRODUCTION_DISCOVERY_URL"])
    client = (overrides["QBDESK_PRODUCTION_CLIENT_ID"], overrides["QBDESK_PRODUCTION_CLIENT_SECRET"])
    requests.post(endpoints.revocation, json={"token": refresh}, auth=client, timeout=10).raise_for_status()


def run_shots(app: QApplication, window: MainWindow, emulator, out: Path, suffix: str = "") -> None:
    panel = window.services.check_all
    emulator.inject_fault("companyinfo", Fault.HTTP_429, times=1, delay=1)  # served first: faults queue in order
    emulator.inject_fault("companyinfo", Fault.SLOW, times=len(NAMES), delay=1.5)
    panel.start()
    for _ in range(100):
        wait(app, 50)
        if panel.progress.value() >= 2:
            break
    window.grab().save(str(out / f"test-all-running{suffix}.png"))
    for _ in range(400):
        if panel.last_summary is not None:
            break
        wait(app, 50)
    wait(app, 300)
    window.grab().save(str(out / f"test-all-finished{suffix}.png"))
    panel.hide()


def main() -> int:
    dark_out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="qbdesk-dark-"))
    app = QApplication(sys.argv[:1])
    apply_style(app)
    with tempfile.TemporaryDirectory() as folder:
        launched = open_services(Path(folder), {}, demo=True)
        context = launched.context
        emulator = launched.demo_setup.emulator
        ids = connect_all(context)
        window = MainWindow.opened(context)
        window.resize(1100, 680)
        window.show()
        window.show_quickbooks()
        wait(app, 400)
        revoke_at_intuit(context, launched.demo_setup.overrides, ids[2])  # one that needs a reconnect
        run_shots(app, window, emulator, OUT)
        dark_out.mkdir(parents=True, exist_ok=True)
        app.setStyle("Fusion")
        app.setPalette(fusion_dark_palette())
        wait(app, 300)
        run_shots(app, window, emulator, dark_out, "-dark")
        window.close()
        launched.close()
    print(dark_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
