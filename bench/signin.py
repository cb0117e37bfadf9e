"""Sign-in figures against the bundled emulator, whose token endpoint answers after 3 s.

    python bench/signin.py [--count N] [--repeats N] [--token-delay S]

For each sign-in, driven through the Create page with a stand-in browser answering Intuit's consent page:
- the longest gap between ticks of a 5 ms QTimer from "Go to QuickBooks" until one second after the row
  shows Connected (and the longest gap while the token call itself runs);
- the time from the listener handing over the redirect (SignInService.complete called) until the table
  model has the row as Connected, less the token call (qbdesk's own work on the way).
Baselines, measured here too: the same ticker over an idle window, and the token call itself.
Prints one `BENCH {json}` line.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchlib import KeepAliveWatch, TokenVault, emit, make_data_dir, median, ms, offscreen, process_events_until

offscreen()

import requests  # noqa: E402
from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

sys.path.insert(1, str(Path(__file__).resolve().parents[1] / "tests"))
from consent import consent_redirect  # noqa: E402  (the same person at the consent page as in the tests)

TICK_MS = 5
AFTER_SECONDS = 1.0


# --- the person at the consent page -------------------------------------------------------------------


def approve(url: str, stamps: dict) -> None:
    """Press Connect on the consent page, then load the redirect as a browser would."""
    redirect = consent_redirect(url)
    stamps["redirect_sent"] = time.monotonic()
    requests.get(redirect, timeout=60)


class Browser:
    """Stands in for the system browser (qbdesk.user_apps.open_in_user_app): each opened address is approved on
    a thread."""

    def __init__(self) -> None:
        self.stamps: dict = {}
        self.threads: list[threading.Thread] = []

    def open(self, address: str) -> bool:
        thread = threading.Thread(target=approve, args=(address, self.stamps), daemon=True)
        self.threads.append(thread)
        thread.start()
        return True


# --- timing hooks -------------------------------------------------------------------------------------


class Ticker(QObject):
    """A 5 ms precise timer noting every tick; gaps between ticks are event-loop stalls."""

    def __init__(self) -> None:
        super().__init__()
        self.ticks: list[float] = []
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(lambda: self.ticks.append(time.monotonic()))

    def start(self) -> None:
        self.ticks = [time.monotonic()]
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.ticks.append(time.monotonic())

    def gaps(self, top: int = 5) -> list[tuple[float, float]]:
        """The `top` longest gaps as (length, the moment it ended)."""
        pairs = zip(self.ticks, self.ticks[1:], strict=False)
        return sorted(((after - before, after) for before, after in pairs), reverse=True)[:top]

    def longest_gap(self, start: float = float("-inf"), end: float = float("inf")) -> tuple[float, float]:
        """(longest gap, the moment it ended) among ticks whose gap overlaps [start, end]."""
        best = (0.0, 0.0)
        for before, after in zip(self.ticks, self.ticks[1:], strict=False):
            if after >= start and before <= end and after - before > best[0]:
                best = (after - before, after)
        return best


def wait(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def hook_services(context, stamps: dict) -> None:
    """Note when the listener hands over a redirect and how long each token call takes."""
    import qbdesk.services.signin_exchange as signin_module

    exchange_code = signin_module.exchange_code
    if not getattr(exchange_code, "bench_timed", False):
        def timed_exchange(*args, **kwargs):
            stamps["token_started"] = time.monotonic()
            try:
                return exchange_code(*args, **kwargs)
            finally:
                stamps["token_finished"] = time.monotonic()

        timed_exchange.bench_timed = True
        signin_module.exchange_code = timed_exchange

    complete = context.signin.complete

    def timed_complete(query):
        stamps["callback"] = time.monotonic()
        return complete(query)

    context.signin.complete = timed_complete  # the listener is built with this bound attribute


def slow_next_token(emulator, seconds: float) -> None:
    """Make the emulator's next token answer come `seconds` late (its SLOW fault)."""
    from qbdesk.emulator import Fault

    emulator.inject_fault("token", Fault.SLOW, delay=seconds)


def wrap_token_handler(emulator, seconds: float) -> None:
    """For an emulator without fault injection: delay every token answer (call before start())."""
    from qbdesk.emulator.oauth_routes import TOKEN_PATH

    app = emulator._app
    handle = app.handle

    def slow(request):
        if request.path == TOKEN_PATH:
            time.sleep(seconds)
        return handle(request)

    app.handle = slow


# --- one sign-in --------------------------------------------------------------------------------------


def connected_row(window, credential_id: str) -> bool:
    from qbdesk.core.health import State, state_of
    from qbdesk.ui.credential_model import CREDENTIAL_ROLE

    index = window.model.index_of(credential_id)
    return index.isValid() and state_of(index.data(CREDENTIAL_ROLE), window.services.context.clock.now()) is State.CONNECTED


def sign_in_once(window, browser: Browser, stamps: dict, name: str, ticker: Ticker) -> dict:
    page = window.services.create_page
    window.show_create()
    page.name_field.setText(name)
    page.sandbox_choice.setChecked(True)
    page.go_next()
    wait(0.2)
    stamps.clear()
    browser.stamps = stamps
    seen: dict = {}
    credential_id: list[str] = []

    def check(*_args) -> None:
        if "listed" not in seen and credential_id and connected_row(window, credential_id[0]):
            seen["listed"] = time.monotonic()

    window.model.dataChanged.connect(check)
    ticker.start()
    pressed = time.monotonic()
    page.sign_in.go_to_quickbooks()
    credential_id.append(page.sign_in.credential.id)
    process_events_until(lambda: "listed" in seen, timeout=30)
    listed = seen.get("listed")
    if listed is None:
        raise RuntimeError(f"the sign-in did not finish: {page.sign_in.status_text()!r}")
    wait(AFTER_SECONDS)
    ticker.stop()
    window.model.dataChanged.disconnect(check)
    token = stamps["token_finished"] - stamps["token_started"]
    gap, gap_at = ticker.longest_gap()
    token_gap, _ = ticker.longest_gap(stamps["token_started"], stamps["token_finished"])
    page.create()
    wait(0.3)
    return {
        "longest_gap_ms": ms(gap),
        "longest_gap_at_ms": ms(gap_at - pressed),
        "longest_gap_during_token_ms": ms(token_gap),
        "token_started_at_ms": ms(stamps["token_started"] - pressed),
        "token_ms": ms(token),
        "callback_to_listed_ms": ms(listed - stamps["callback"]),
        "overhead_ms": ms(listed - stamps["callback"] - token),
        "redirect_sent_to_callback_ms": ms(stamps["callback"] - stamps["redirect_sent"]),
        "listed_at_ms": ms(listed - pressed),
        "top_gaps": [(round(ms(length)), round(ms(end - pressed))) for length, end in ticker.gaps()],
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="credentials already in the database")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--token-delay", type=float, default=3.0)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the GUI thread during the sign-ins here")
    args = parser.parse_args(argv)

    from qbdesk import user_apps
    from qbdesk.demo import register_apps
    from qbdesk.emulator import Emulator
    from qbdesk.services.context import AppContext
    from qbdesk.ui.main_window import MainWindow
    from qbdesk.ui.style import apply_style

    app = QApplication(["bench"])
    apply_style(app)
    emulator = Emulator()
    faults = hasattr(emulator, "inject_fault")
    how = "emulator fault SLOW" if faults else "bench wrapper"
    if not faults:
        wrap_token_handler(emulator, args.token_delay)
    emulator.start()
    browser = Browser()
    user_apps.open_in_user_app = browser.open  # this process only: no real browser opens
    with tempfile.TemporaryDirectory(prefix="qbdesk-bench-") as folder:
        data_dir = make_data_dir(Path(folder) / "data", args.count)
        context = AppContext.open(data_dir, register_apps(emulator, "bench"), vault=TokenVault())
        stamps: dict = {}
        hook_services(context, stamps)
        keep_alive = KeepAliveWatch(context)
        window = MainWindow.opened(context)
        window.show()
        keep_alive.wait()
        ticker = Ticker()
        ticker.start()
        wait(args.token_delay)
        ticker.stop()
        idle_gap, _ = ticker.longest_gap()
        runs = []
        profile = None
        if args.profile:
            import cProfile

            profile = cProfile.Profile()
            profile.enable()
        try:
            for repeat in range(args.repeats):
                if faults:
                    slow_next_token(emulator, args.token_delay)
                runs.append(sign_in_once(window, browser, stamps, f"Bench sign-in {repeat}", ticker))
        finally:
            if profile is not None:
                profile.disable()
                profile.dump_stats(str(args.profile))
            window.close()
            context.close()
            emulator.stop()
    emit({
        "count": args.count,
        "slow_token": how,
        "idle_longest_gap_ms": ms(idle_gap),
        "runs": runs,
        "median": {key: median([run[key] for run in runs]) for key in runs[0] if key != "top_gaps"},
    })
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
