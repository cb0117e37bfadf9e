"""Run every qbdesk benchmark, each against a baseline measured in the same run, and print a table.

    python bench/run.py [--quick] [--json FILE]

Every measurement runs in a fresh process on the offscreen platform. Start-up and memory figures are the
median of repeated launches (interleaved with their baseline, after one discarded warm-up round).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from benchlib import make_data_dir, median, ms
from bundle import bundle_rows

BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable


def child_env() -> dict[str, str]:
    """The caller's environment, offscreen, without qbdesk settings that would point elsewhere."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QBDESK_")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # keep bytecode between launches, as an installed qbdesk does
    return env


def run_script(script: str, *args: str, timeout: float = 600) -> tuple[dict, float, float]:
    """Run bench/SCRIPT in a new process; returns its BENCH result, its spawn moment and its exit moment."""
    spawned = time.monotonic()
    done = subprocess.run(
        [PYTHON, str(BENCH / script), *args], capture_output=True, text=True, env=child_env(), timeout=timeout
    )
    exited = time.monotonic()
    lines = [line[6:] for line in done.stdout.splitlines() if line.startswith("BENCH ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{script} {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return json.loads(lines[-1]), spawned, exited


@dataclass
class Row:
    number: str
    what: str
    figure: float
    baseline: float | None
    unit: str
    target: str
    met: bool
    ratio: float | None = None
    note: str = ""

    def cells(self) -> list[str]:
        def fmt(value: float | None) -> str:
            if value is None:
                return "\u2014"
            return f"{value:.0f} {self.unit}" if abs(value) >= 10 or value == 0 else f"{value:.1f} {self.unit}"

        ratio = self.ratio
        if ratio is None and self.baseline:
            ratio = self.figure / self.baseline
        return [
            self.number,
            self.what,
            fmt(self.figure),
            fmt(self.baseline),
            "\u2014" if ratio is None else f"{ratio:.2f}\u00d7",
            self.target,
            "yes" if self.met else "NO",
        ]


def print_table(rows: list[Row]) -> None:
    header = ["row", "what", "figure", "baseline", "ratio", "target", "met?"]
    cells = [header] + [row.cells() for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(header))]
    for index, line in enumerate(cells):
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
        if index == 0:
            print("  ".join("-" * width for width in widths))
    notes = [row for row in rows if row.note]
    if notes:
        print()
        for row in notes:
            print(f"  {row.number}: {row.note}")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the measurements ---------------------------------------------------------------------------------


def startup_rows(folders: dict[str, Path], repeats: int) -> tuple[list[Row], dict]:
    """Rows 1, 2 and 8: launches to first paint, to data on screen, and peak memory at 10,000."""
    launches = {"bare": [], "empty": [], "data": []}
    rss = {"bare": [], "big": []}
    big_startup, early_open = [], []
    for round_number in range(repeats + 1):
        runs = {
            "bare": ("bare",),
            "empty": ("app", "--data-dir", str(folders["empty"])),
            "data": ("app", "--data-dir", str(folders["1k"]), "--expect", "1000 credentials"),
        }
        for name, args in runs.items():
            result, spawned, _ = run_script("startup.py", *args)
            if round_number:  # round 0 warms the disk cache and bytecode
                launches[name].append(result["painted"] - spawned)
                if name == "bare":
                    rss["bare"].append(result["peak_rss_mib"])
    for _ in range(max(2, repeats // 2)):
        result, spawned, _ = run_script("startup.py", "app", "--data-dir", str(folders["10k"]), "--quickbooks")
        rss["big"].append(result["peak_rss_mib"])
        big_startup.append(result["painted"] - spawned)
        early_open.append(result["quickbooks_painted"] - result["painted"])
    bare_tables = [run_script("startup.py", "bare", "--quickbooks")[0] for _ in range(max(2, repeats // 2))]
    floors = [run_script("startup.py", "bare", "--libraries")[0] for _ in range(max(2, repeats // 2))]

    bare = median(launches["bare"])
    first, data = median(launches["empty"]), median(launches["data"])
    bare_rss, big_rss = median(rss["bare"]), median(rss["big"])
    table_rss = median([table["peak_rss_mib"] for table in bare_tables])
    floor_rss = median([floor["peak_rss_mib"] for floor in floors])
    rows = [
        Row("1", "start-up to first painted window (empty list)", ms(first), ms(bare), "ms", "\u2264 1.3\u00d7",
            first / bare <= 1.3),
        Row("2", "start-up to data on screen (1,000 credentials)", ms(data), ms(bare), "ms", "\u2264 2\u00d7",
            data / bare <= 2.0),
        Row("8", "peak RSS, QuickBooks page at 10,000", big_rss, table_rss, "MiB", "\u2264 1.3\u00d7",
            big_rss / table_rss <= 1.3,
            note=f"baseline: a bare QMainWindow holding the same 10,000 rows in a QStandardItemModel table; the "
                 f"empty bare window peaks at {bare_rss:.0f} MiB, and {floor_rss:.0f} MiB ({floor_rss / table_rss:.2f}\u00d7 "
                 f"the baseline) once it has loaded SQLAlchemy, requests, requests-oauthlib and detected the keychain "
                 f"as qbdesk must, before holding any row; qbdesk's start-up at 10,000 took "
                 f"{ms(median(big_startup)):.0f} ms"),
    ]
    raw = {"launch_s": launches, "peak_rss_mib": rss, "startup_10k_s": big_startup, "bare_tables": bare_tables, "library_floors": floors,
           "open_right_after_startup_s": early_open}
    return rows, raw


def window_rows(folders: dict[str, Path], repeats: int) -> tuple[list[Row], dict]:
    """Rows 3 and 4: one window per process, qbdesk and baseline interleaved."""
    runs: dict[str, list[dict]] = {"qbdesk": [], "baseline": []}
    for _ in range(repeats):
        for which in runs:
            runs[which].append(run_script("window_rows.py", which, "--data-dir", str(folders["10k"]))[0])

    def pick(which: str, key: str) -> list[float]:
        return [run[key] for run in runs[which]]

    def strokes(which: str) -> list[float]:
        return [value for run in runs[which] for value in run["keystrokes"]]

    opening, base_opening = median(pick("qbdesk", "open")), median(pick("baseline", "open"))
    typing, base_typing = median(strokes("qbdesk")), median(strokes("baseline"))
    rows = [
        Row("3", "open the QuickBooks page at 10,000", opening, base_opening, "ms", "\u2264 150 ms", opening <= 150,
            note=f"again after going back: {median(pick('qbdesk', 'open_again')):.0f} ms; building MainWindow "
                 f"(before the window shows): {median(pick('qbdesk', 'build')):.0f} ms"),
        Row("4", "one search keystroke at 10,000", typing, base_typing, "ms", "\u2264 16 ms", typing <= 16,
            note=f"slowest of {len(strokes('qbdesk'))} keystrokes: {max(strokes('qbdesk')):.0f} ms "
                 f"(baseline {max(strokes('baseline')):.0f} ms)"),
    ]
    return rows, runs


def idle_row(folders: dict[str, Path], seconds: float) -> tuple[list[Row], dict]:
    """Row 5: qbdesk and the bare window idle side by side."""
    with ThreadPoolExecutor(2) as pool:
        app = pool.submit(run_script, "idle.py", "app", "--data-dir", str(folders["1k"]), "--seconds", str(seconds))
        bare = pool.submit(run_script, "idle.py", "bare", "--seconds", str(seconds))
        app_result, bare_result = app.result()[0], bare.result()[0]
    figure, baseline = app_result["timer_events_per_min"], bare_result["timer_events_per_min"]
    timers = ", ".join(f"{name} \u00d7{count}" for name, count in app_result["timers"].items()) or "none"
    rows = [
        Row("5", "idle timer wake-ups per minute (no pending)", figure, baseline, "/min", "0", figure == 0,
            ratio=None if not baseline else figure / baseline,
            note=f"timers seen: {timers}; event-dispatcher wake-ups {app_result['dispatcher_wakeups_per_min']:.0f}/min "
                 f"(bare {bare_result['dispatcher_wakeups_per_min']:.0f}); process context switches "
                 f"{app_result['context_switches_per_min']:.0f}/min (bare {bare_result['context_switches_per_min']:.0f})"),
    ]
    return rows, {"app": app_result, "bare": bare_result}


def signin_rows(repeats: int) -> tuple[list[Row], dict]:
    """Rows 6 and 7 at 1,000 credentials, and row 6 again at 10,000."""
    small, _, _ = run_script("signin.py", "--count", "1000", "--repeats", str(repeats))
    big, _, _ = run_script("signin.py", "--count", "10000", "--repeats", str(repeats))
    rows = []
    for number, result in (("6", small), ("6b", big)):
        gap = result["median"]["longest_gap_ms"]
        during = result["median"]["longest_gap_during_token_ms"]
        rows.append(Row(
            number, f"longest GUI stall, 3 s token call ({result['count']:,})", gap, result["idle_longest_gap_ms"],
            "ms", "\u2264 50 ms", gap <= 50,
            note=f"during the token call alone: {during:.0f} ms; longest gaps (ms, at ms after Go): "
                 f"{result['runs'][0]['top_gaps'][:4]}",
        ))
    overhead, token = small["median"]["overhead_ms"], small["median"]["token_ms"]
    rows.append(Row(
        "7", "callback to listed Connected, less token call", overhead, token, "ms", "\u2264 50 ms + token", overhead <= 50,
        ratio=(overhead + token) / token,
        note=f"callback to listed {small['median']['callback_to_listed_ms']:.0f} ms, of which the token call "
             f"{token:.0f} ms (slow token endpoint by {small['slow_token']}); at 10,000: "
             f"{big['median']['overhead_ms']:.0f} ms",
    ))
    return rows, {"1000": small, "10000": big}


def check_all_rows() -> tuple[list[Row], dict]:
    """Rows 16 and 17: Test all over 1,000 credentials through the window, 3 calls answered 429."""
    result, _, _ = run_script("check_all.py", "--count", "1000", "--throttled", "3")
    gap, idle = result["longest_gap_ms"], result["idle_longest_gap_ms"]
    run_s, serial = result["run_s"], result["baseline_serial_calls_s"]
    rows = [
        Row("16", "longest GUI stall during Test all (1,000)", gap, idle, "ms", "\u2264 50 ms", gap <= 50,
            note=f"longest gaps (ms, at ms after start): {result['top_gaps'][:4]}; {result['summary']}"),
        Row("17", "Test all run time (1,000, 3 answered 429)", run_s, serial, "s", "< 60 s", run_s < 60,
            note=f"baseline: the same 1,000 CompanyInfo calls one after another with plain requests; "
                 f"{result['passed']} passed, {result['throttled_calls']} calls backed off"),
    ]
    return rows, result


def cli_rows(repeats: int) -> tuple[list[Row], dict]:
    """Rows 12 to 15: whole command-line processes, each against `python -c pass` run beside it."""
    result, _, _ = run_script("cli.py", "--repeats", str(repeats))
    quick, full, refresh = result["quick_ms"], result["full_ms"], result["refresh_ms"]
    cpu = result["cpu_ms"]

    def paired_row(number: str, what: str, name: str, limit: float) -> Row:
        ratio = quick[name] / quick["pass"]
        used = cpu["quick"]
        return Row(number, what, quick[name], quick["pass"], "ms", f"\u2264 {limit:g}\u00d7 python -c pass",
                   ratio <= limit, note=f"CPU time {used[name]:.0f} ms vs {used['pass']:.0f} ms, "
                                        f"{used[name] / used['pass']:.1f}\u00d7; full path (QBDESK_FULL_PATH=1): "
                                        f"{full[name]:.0f} ms, {full[name] / full['pass']:.1f}\u00d7, CPU "
                                        f"{cpu['full'][name] / cpu['full']['pass']:.1f}\u00d7")

    beyond, call = refresh["beyond_token_call"], refresh["token_call"]
    token_row = paired_row("12", "`qbdesk token` with a fresh access token", "token", 4)
    token_row.note += (f"; floor, python importing keyring and detecting the keychain: {quick['keyring_floor']:.0f} ms, "
                       f"{quick['keyring_floor'] / quick['pass']:.1f}\u00d7 (CPU "
                       f"{cpu['quick']['keyring_floor'] / cpu['quick']['pass']:.1f}\u00d7)")
    rows = [
        token_row,
        paired_row("13", "`qbdesk list --json` at 1,000", "list_json", 6),
        paired_row("14", "`qbdesk status NAME`", "status", 4),
        Row("15", "`qbdesk token` that refreshes, less the token call", beyond, call, "ms",
            "\u2264 100 ms + token call", beyond <= 100, ratio=(beyond + call) / call,
            note=f"the whole process {refresh['token']:.0f} ms (CPU {cpu['refresh']['token']:.0f} ms); python -c pass "
                 f"beside it {refresh['pass']:.0f} ms (CPU {cpu['refresh']['pass']:.0f} ms)"),
    ]
    return rows, result


# --- the run ------------------------------------------------------------------------------------------


def machine() -> dict:
    import PySide6

    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "pyside6": PySide6.__version__,
        "platform": platform.platform(),
        "load": os.getloadavg(),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and a shorter idle period")
    parser.add_argument("--json", type=Path, help="also write every figure measured to this file")
    args = parser.parse_args(argv)
    launches, repeats, idle_seconds = (3, 2, 10.0) if args.quick else (7, 3, 15.0)

    info = machine()
    print(f"qbdesk benchmarks, {info['date']}: {info['cpus']} CPUs, {info['memory']}, Python {info['python']}, "
          f"PySide6 {info['pyside6']}, load average {info['load'][0]:.2f}")
    started = time.monotonic()
    rows: list[Row] = []
    raw: dict = {"machine": info}
    with tempfile.TemporaryDirectory(prefix="qbdesk-bench-") as folder:
        root = Path(folder)
        log("creating data folders (0, 1,000 and 10,000 credentials)")
        folders = {name: make_data_dir(root / name, count) for name, count in (("empty", 0), ("1k", 1000), ("10k", 10_000))}
        steps = (
            ("start-up and memory (rows 1, 2, 8)", "startup", lambda: startup_rows(folders, launches)),
            ("QuickBooks page and search (rows 3, 4)", "window", lambda: window_rows(folders, repeats)),
            (f"idle for {idle_seconds:.0f} s (row 5)", "idle", lambda: idle_row(folders, idle_seconds)),
            ("sign-in with a 3 s token call (rows 6, 7)", "signin", lambda: signin_rows(repeats)),
            ("Test all at 1,000 credentials (rows 16, 17)", "check_all", check_all_rows),
            ("command-line processes (rows 12 to 15)", "cli", lambda: cli_rows(launches)),
            ("the standalone bundle (rows 9 to 11)", "bundle",
             lambda: bundle_rows(Row, folders["empty"], child_env(), launches)),
        )
        for title, key, step in steps:
            log(title)
            step_rows, raw[key] = step()
            rows.extend(step_rows)
    rows.sort(key=lambda row: (int(row.number.rstrip("b")), row.number))
    early = ms(median(raw["startup"]["open_right_after_startup_s"]))
    for row in rows:
        if row.number == "3":
            row.note += f"; opened right after the first paint (start-up checks still running): {early:.0f} ms"
    info["load_after"] = os.getloadavg()
    print()
    print_table(rows)
    print(f"\n{sum(row.met for row in rows)} of {len(rows)} targets met in {time.monotonic() - started:.0f} s; "
          f"load average {info['load'][0]:.2f} before, {info['load_after'][0]:.2f} after.")
    if args.json:
        args.json.write_text(json.dumps({"rows": [row.__dict__ for row in rows], "raw": raw}, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
