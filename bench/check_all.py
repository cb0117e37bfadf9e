"""Test all at scale against the bundled emulator: how long the window stalls, and how long the run takes.

    python bench/check_all.py [--count N] [--throttled N] [--profile FILE]

The emulator runs in a process of its own, as Intuit is elsewhere (in this process its request handling would
compete with the window for the interpreter). One credential is signed in at the emulator for real; the data folder then holds `count` connected
credentials of that company, all using its tokens (the emulator answers CompanyInfo for each). With the
window open on them, Test all runs through the window's own panel while a 5 ms QTimer ticks on the GUI
thread; `throttled` of the calls are answered 429 with Retry-After: 1, as Intuit throttles.
The event loop runs as the window's does, asleep while nothing happens (a loop polling for the end would
compete with the workers for the interpreter). Figures: the longest gap between ticks during the run, the run's
wall time and the GUI thread's CPU time during it. Baselines, measured here
too: the same ticker over the idle window, and the same number of CompanyInfo calls made one after another
with plain requests (what the calls cost without qbdesk). Prints one `BENCH {json}` line.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from signin import Ticker, wait

from benchlib import credential_rows, emit, ms, offscreen

offscreen()

import requests  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

sys.path.insert(1, str(Path(__file__).resolve().parents[1] / "tests"))
from consent import consent_redirect  # noqa: E402


class SharedTokens:
    """A keychain stand-in handing every credential the one real token pair the emulator issued."""

    description = "the system keychain"
    less_safe = False

    def __init__(self, access: str, refresh: str) -> None:
        self._pair = json.dumps({"access_token": access, "refresh_token": refresh})
        self._secrets: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        if key in self._secrets:
            return self._secrets[key]
        return self._pair if key.startswith("tokens/") else None

    def set(self, key: str, value: str) -> None:
        self._secrets[key] = value

    def delete(self, key: str) -> None:
        self._secrets.pop(key, None)

def one_real_sign_in(overrides: dict[str, str], folder: Path) -> tuple[str, str, str]:
    """(realm id, access token, refresh token) of a production sign-in at the emulator."""
    from qbdesk.core.destinations import Destination
    from qbdesk.services.context import AppContext
    from qbdesk.store.vault import load_tokens

    vault = SharedTokens("", "")
    context = AppContext.open(folder, overrides, vault=vault)
    try:
        credential = context.credentials.create_pending("Signed in", Destination.PRODUCTION)
        start = context.signin.begin(credential.id)
        context.signin.complete_from_address(credential.id, consent_redirect(start.url))
        signed = context.credentials.get(credential.id)
        access, refresh = load_tokens(vault, credential.id)
        return signed.realm_id, access, refresh
    finally:
        context.close()

def fill(data_dir: Path, count: int, realm_id: str) -> None:
    """`count` connected, healthy production credentials of one company, access tokens fresh for an hour."""
    from qbdesk.store.database import open_database
    from qbdesk.store.models import CredentialRow

    now = datetime.now(UTC)
    rows = credential_rows(count)
    for row in rows:
        row.update(destination="production", realm_id=realm_id, health="ok", health_detail=None,
                   access_token_expires_at=now + timedelta(minutes=55))
    engine = open_database(data_dir)
    try:
        with engine.begin() as connection:
            connection.execute(CredentialRow.__table__.insert(), rows)
    finally:
        engine.dispose()

def bare_calls(api_base: str, realm_id: str, access: str, count: int) -> float:
    """Seconds for `count` CompanyInfo calls in a row with plain requests."""
    url = f"{api_base}/company/{realm_id}/companyinfo/{realm_id}"
    headers = {"Authorization": f"Bearer {access}", "Accept": "application/json"}
    started = time.monotonic()
    with requests.Session() as http:
        for _ in range(count):
            http.get(url, headers=headers, timeout=30).raise_for_status()
    return time.monotonic() - started

def serve_emulator(throttled: int) -> int:
    """Child mode: run the emulator with the bench's apps, `throttled` 429s queued; print the settings, wait."""
    from qbdesk.demo import register_apps
    from qbdesk.emulator import Emulator, Fault

    with Emulator() as emulator:
        overrides = register_apps(emulator, "bench")
        if throttled:
            emulator.inject_fault("companyinfo", Fault.HTTP_429, times=throttled, delay=1)
        print(json.dumps(overrides), flush=True)
        sys.stdin.read()  # until the parent closes it
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--throttled", type=int, default=3, help="calls answered 429 with Retry-After: 1")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the GUI thread during Test all here")
    parser.add_argument("--serve-emulator", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_emulator:
        return serve_emulator(args.throttled)

    from qbdesk.ui.style import apply_style

    app = QApplication(["bench"])
    apply_style(app)
    child = subprocess.Popen([sys.executable, __file__, "--serve-emulator", "--throttled", str(args.throttled)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        overrides = json.loads(child.stdout.readline())
        with tempfile.TemporaryDirectory(prefix="qbdesk-bench-") as folder:
            result = measure(overrides, Path(folder), args.count, args.profile)
    finally:
        child.stdin.close()
        child.wait(timeout=30)
    result["throttled"] = args.throttled
    emit(result)
    del app
    return 0


def run_until_summary(panel, timeout: float) -> bool:
    """Run the event loop as the window's own does (sleeping while nothing happens) until the summary shows."""
    loop = QEventLoop()
    panel.finished.connect(loop.quit)  # after the panel's own slot: the summary is shown by then
    QTimer.singleShot(int(timeout * 1000), loop.quit)
    loop.exec()
    return panel.last_summary is not None


def measure(overrides: dict[str, str], folder: Path, count: int, profile_to: Path | None = None) -> dict:
    """Open the window on `count` credentials, tick through idle and through Test all; the figures."""
    from qbdesk.services.context import AppContext
    from qbdesk.ui.main_window import MainWindow

    realm_id, access, refresh = one_real_sign_in(overrides, folder / "signin")
    # The 429s are queued for CompanyInfo, so the baseline's plain calls run after Test all has taken them.
    data_dir = folder / "data"
    fill(data_dir, count, realm_id)
    context = AppContext.open(data_dir, overrides, vault=SharedTokens(access, refresh))
    window = MainWindow.opened(context)
    window.show()
    window.show_quickbooks()
    wait(1.0)
    ticker = Ticker()
    ticker.start()
    wait(2.0)
    ticker.stop()
    idle_gap, _ = ticker.longest_gap()
    panel = window.services.check_all
    profile = cProfile.Profile() if profile_to else None
    ticker.start()
    started = time.monotonic()
    if profile is not None:
        profile.enable()  # the GUI thread only: the workers' own time is the run's, not the window's
    gui_cpu = time.thread_time()
    panel.start()
    done = run_until_summary(panel, timeout=300)
    finished = time.monotonic()
    gui_cpu = time.thread_time() - gui_cpu
    if profile is not None:
        profile.disable()
        profile.dump_stats(str(profile_to))
    wait(0.5)
    ticker.stop()
    if not done:
        raise RuntimeError("Test all did not finish in five minutes")
    summary = panel.last_summary
    gap, gap_at = ticker.longest_gap()
    window.close()
    context.close()
    baseline_run = bare_calls(overrides["QBDESK_PRODUCTION_API_BASE_URL"], realm_id, access, count)
    return {
        "count": count,
        "run_s": finished - started,
        "baseline_serial_calls_s": baseline_run,
        "longest_gap_ms": ms(gap),
        "longest_gap_at_ms": ms(gap_at - started),
        "idle_longest_gap_ms": ms(idle_gap),
        "top_gaps": [(round(ms(length)), round(ms(end - started))) for length, end in ticker.gaps()],
        "gui_cpu_s": gui_cpu,
        "passed": sum(1 for r in summary.results if r.passed),
        "throttled_calls": summary.throttled_calls,
        "summary": panel.status.text(),
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
