"""Where the time and memory go, for the figures that miss their targets.

    python bench/hotspots.py startup|window|signin|all [--runs N]

startup: qbdesk's start-up in phases (wall ms and resident MiB after each, median of fresh processes) and
         the heaviest imports by package (-X importtime, self time summed per top-level package);
window:  at 10,000 credentials, the Python calls Qt makes into the credential model while the window is
         built, the QuickBooks page opens and the search box narrows and widens, with their time;
signin:  the GUI thread's heaviest qbdesk functions during a sign-in (cProfile), at 1,000 and 10,000.
Numbers under a profiler are inflated; compare them with each other, not with the table.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from benchlib import KeepAliveWatch, TokenVault, make_data_dir, median, offscreen, process_events_until

BENCH = Path(__file__).resolve().parent


def env() -> dict[str, str]:
    values = {k: v for k, v in os.environ.items() if not k.startswith("QBDESK_")}
    values["QT_QPA_PLATFORM"] = "offscreen"
    return values


# --- start-up -----------------------------------------------------------------------------------------


def phases(data_dir: str) -> None:
    """Child process: open qbdesk step by step as run_window does; print (phase, ms, MiB) as JSON."""
    started = time.perf_counter()
    marks: list[tuple[str, float, float]] = []

    def rss() -> float:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter() - started, rss()))

    mark("interpreter")
    from PySide6.QtWidgets import QApplication

    mark("import PySide6.QtWidgets")
    import qbdesk.ui.application as application

    mark("import qbdesk.ui.application (light: Qt and the standard library)")
    app = QApplication(["qbdesk"])
    from qbdesk.ui.style import apply_style

    apply_style(app)
    mark("QApplication + style sheet")
    snapshot = application.read_snapshot(Path(data_dir))
    mark("read the list from the file (sqlite3)")
    window = application.MainWindow(snapshot, application.SystemClock().now)
    mark("MainWindow(list)")
    painted = []
    from PySide6.QtCore import QEvent, QObject

    class Watch(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                painted.append(1)
            return False

    watch = Watch()
    window.installEventFilter(watch)  # the window alone: an application-wide filter slows start-up itself
    window.show()
    process_events_until(lambda: bool(painted))
    app.processEvents()
    mark("show and first paint")
    from qbdesk.log import configure_logging

    configure_logging(Path(data_dir))
    window.build_list_page()
    mark("after the first paint: logging and the QuickBooks page (GUI thread)")
    # What Startup then does on its worker thread, here one step at a time on this one:
    import sqlalchemy.orm  # noqa: F401

    mark("then on the worker thread: import sqlalchemy (+orm)")
    import requests  # noqa: F401

    mark("after: import requests")
    from qbdesk.ui.window_services import OpenedServices

    mark("after: import the rest of the window's service parts")
    from qbdesk.store.vault import keychain_problem

    keychain_problem()
    mark("after: keychain detection (keyring)")
    from qbdesk.services.context import AppContext

    context = AppContext.open(Path(data_dir), {})
    mark("after: AppContext.open")
    opened = OpenedServices.read(context)
    mark("after: read the list through the store")
    window.attach(opened)
    app.processEvents()
    mark("after: attach() on the GUI thread")
    print("PHASES " + json.dumps(marks))
    context.close()  # records a clean exit: otherwise the next process repairs as after a crash
    os._exit(0)


def profile_startup(runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="qbdesk-profile-") as folder:
        for count in (0, 1000, 10_000):
            data_dir = make_data_dir(Path(folder) / f"d{count}", count)
            samples: dict[str, list[tuple[float, float]]] = defaultdict(list)
            order: list[str] = []
            for _ in range(runs):
                out = subprocess.run([sys.executable, __file__, "phases", str(data_dir)], capture_output=True,
                                     text=True, env=env(), check=True).stdout
                marks = json.loads(next(line[7:] for line in out.splitlines() if line.startswith("PHASES ")))
                previous = (0.0, 0.0)
                for name, seconds, mib in marks:
                    if name not in order:
                        order.append(name)
                    samples[name].append((seconds - previous[0], mib - previous[1]))
                    previous = (seconds, mib)
            print(f"\nstart-up phases with {count:,} credentials (median of {runs} processes; ms, MiB added)")
            total = 0.0
            for name in order:
                step = median([s[0] for s in samples[name]]) * 1000
                total += step
                print(f"  {name:68s} {step:7.0f} ms  {median([s[1] for s in samples[name]]):+7.1f} MiB")
            print(f"  {'sum':68s} {total:7.0f} ms")
        importtime(Path(folder) / "d0")


def importtime(data_dir: Path) -> None:
    """The heaviest top-level packages in qbdesk's start-up, by summed self import time."""
    done = subprocess.run([sys.executable, "-X", "importtime", str(BENCH / "startup.py"), "app", "--data-dir",
                           str(data_dir)], capture_output=True, text=True, env=env())
    by_package: Counter[str] = Counter()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "self [us]" not in line:
            own, _, name = line[len("import time:"):].split("|")
            by_package[name.strip().split(".")[0]] += int(own)
    print("\nimports by top-level package (self time summed, -X importtime, inflated by the measuring)")
    for name, micros in by_package.most_common(12):
        print(f"  {name:30s} {micros / 1000:7.0f} ms")


# --- the window ---------------------------------------------------------------------------------------


def profile_window(count: int) -> None:
    from PySide6.QtWidgets import QApplication

    from qbdesk.services.context import AppContext
    from qbdesk.ui import credential_model
    from qbdesk.ui.main_window import MainWindow

    app = QApplication(["profile"])
    roles = {int(v): k for k, v in vars(credential_model).items() if k.endswith("_ROLE")}
    roles.update({0: "Display", 1: "Decoration", 3: "ToolTip", 6: "Font", 7: "TextAlignment", 8: "Background",
                  9: "Foreground", 10: "CheckState"})
    calls: Counter[str] = Counter()
    original = credential_model.CredentialTableModel.data

    def counted(self, index, role=0):
        calls[roles.get(int(role), str(int(role)))] += 1
        return original(self, index, role)

    credential_model.CredentialTableModel.data = counted
    with tempfile.TemporaryDirectory(prefix="qbdesk-profile-") as folder:
        context = AppContext.open(make_data_dir(Path(folder) / "d", count), {}, vault=TokenVault())

        def step(name: str, action) -> None:
            calls.clear()
            started = time.perf_counter()
            action()
            app.processEvents()
            took = (time.perf_counter() - started) * 1000
            print(f"  {name:34s} {took:7.0f} ms   model.data() calls: {dict(calls.most_common(3))}")

        print(f"\nthe window at {count:,} credentials")
        holder = {}
        keep_alive = KeepAliveWatch(context)
        step("list() from the database", context.credentials.list)
        step("MainWindow()", lambda: holder.setdefault("window", MainWindow.opened(context)))
        window = holder["window"]
        window.show()
        keep_alive.wait()
        step("show_quickbooks()", window.show_quickbooks)
        search = window.quickbooks_page.search
        for text in ("A", "Ac", "Acm", "Acme", "Acm", "Ac", "A", ""):
            step(f"keystroke -> {text!r} ({'narrows' if len(text) > len(search.text()) else 'widens'})",
                 lambda t=text: search.setText(t))
        step("resync() (after any database write)", window.resync)
        window.close()
        context.close()


# --- sign-in ------------------------------------------------------------------------------------------


def profile_signin() -> None:
    for count in (1000, 10_000):
        with tempfile.NamedTemporaryFile(suffix=".prof") as dump:
            subprocess.run([sys.executable, str(BENCH / "signin.py"), "--count", str(count), "--repeats", "1",
                            "--profile", dump.name], capture_output=True, env=env(), check=True)
            stats = pstats.Stats(dump.name)
        print(f"\nGUI thread during one sign-in at {count:,} credentials (cProfile, cumulative)")
        rows = [(cum, calls, func) for func, (_, calls, _, cum, _) in stats.stats.items()
                if "qbdesk" in func[0] and "/bench/" not in func[0]]
        for cum, calls, (path, line, name) in sorted(rows, reverse=True)[:10]:
            where = path.split("qbdesk/", 1)[-1]
            print(f"  {cum * 1000:7.0f} ms  {calls:6d} calls  {where}:{line} {name}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["phases"]:
        phases(argv[1])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("startup", "window", "signin", "all"))
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per start-up phase table")
    args = parser.parse_args(argv)
    offscreen()
    if args.what in ("startup", "all"):
        profile_startup(args.runs)
    if args.what in ("window", "all"):
        profile_window(10_000)
    if args.what in ("signin", "all"):
        profile_signin()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
