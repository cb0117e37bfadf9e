"""Command-line figures: whole `qbdesk` processes as scripts run them, each paired with `python -c pass`.

    python bench/cli.py [--repeats N]

One data folder with 1,000 credentials and one more signed in at the bundled emulator ("Bench Token"),
secrets in the file Settings allows (this machine's keychain set-up is left as it is). Every measured
command runs interleaved with `python -c pass` from the same interpreter, after a discarded warm-up:
- `token` while the access token is fresh, `list --json` and `status` (the quick path), and the same three
  with QBDESK_FULL_PATH=1 for comparison; and `python -c "import keyring; keyring.get_keyring()"`, the
  floor a token read from the keychain cannot go below;
- `token` when the access token has under five minutes left, so it refreshes at the emulator: the process's
  wall time less the emulator's time answering the token call it waits for.
Beside each wall time, the CPU time the process used, which other work on the machine hardly changes.
Prints one `BENCH {json}` line.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchlib import emit, make_data_dir, median, ms

sys.path.insert(1, str(Path(__file__).resolve().parents[1] / "tests"))
from consent import approve_in_browser  # noqa: E402  (the same person at the consent page as in the tests)

TOKEN_NAME = "Bench Token"
PYTHON = sys.executable
QBDESK = [str(Path(PYTHON).parent / "qbdesk")] if (Path(PYTHON).parent / "qbdesk").exists() else [PYTHON, "-m", "qbdesk"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds from spawning the command until it exited, CPU seconds it used); it must succeed.

    The CPU time hardly changes when other work shares the machine; the wall time does."""
    cpu, started = _children_cpu(), time.monotonic()
    done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, timeout=120)
    elapsed = time.monotonic() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr}")
    return elapsed, _children_cpu() - cpu


class TokenTimer:
    """Times the emulator's answers to token calls (refreshes), from the request read to the answer made."""

    def __init__(self, emulator) -> None:
        from qbdesk.emulator.oauth_routes import TOKEN_PATH

        self.calls: list[float] = []
        app = emulator._app
        handle = app.handle

        def timed_handle(request):
            if request.path != TOKEN_PATH:
                return handle(request)
            started = time.monotonic()
            try:
                return handle(request)
            finally:
                self.calls.append(time.monotonic() - started)

        app.handle = timed_handle


def signed_in(data_dir: Path, overrides: dict[str, str]) -> str:
    """Sign TOKEN_NAME in at the emulator, secrets in the file; returns its id."""
    from qbdesk.core.credential import Status
    from qbdesk.core.destinations import Destination
    from qbdesk.services.context import AppContext
    from qbdesk.store.settings import SettingsStore
    from qbdesk.store.vault import SECRETS_FILENAME, FileVault

    vault = FileVault(data_dir / SECRETS_FILENAME)
    SettingsStore(data_dir, vault, {}).save_secrets_in_file(True)
    context = AppContext.open(data_dir, overrides, vault=vault)
    try:
        credential = context.credentials.create_pending(TOKEN_NAME, Destination.SANDBOX)
        start = context.signin.begin(credential.id)
        assert approve_in_browser(start.url).status_code == 200
        deadline = time.monotonic() + 30
        while context.credentials.get(credential.id).status is not Status.CONNECTED:
            if time.monotonic() > deadline:
                raise RuntimeError("the bench credential did not connect")
            time.sleep(0.05)
        return credential.id
    finally:
        context.close()


def set_access_expiry(data_dir: Path, credential_id: str, left: timedelta) -> None:
    """Move the stored access token's expiry, as time passing would."""
    moment = (datetime.now(UTC) + left).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    with sqlite3.connect(data_dir / "qbdesk.sqlite3") as connection:
        connection.execute("UPDATE credentials SET access_token_expires_at = ? WHERE id = ?", (moment, credential_id))


def paired(commands: dict[str, list[str]], env: dict[str, str], repeats: int, before=None,
           cpu: dict | None = None) -> dict[str, list[float]]:
    """Each command and `python -c pass` in turn, repeats + 1 rounds, the first discarded; wall seconds
    (and CPU seconds into `cpu`)."""
    runs = {name: [] for name in ("pass", *commands)}
    for round_number in range(repeats + 1):
        for name, command in (("pass", [PYTHON, "-c", "pass"]), *commands.items()):
            if before is not None:
                before(name)
            elapsed, used = timed(command, env)
            if round_number:
                runs[name].append(elapsed)
                if cpu is not None:
                    cpu.setdefault(name, []).append(used)
    return runs


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)

    from qbdesk.demo import register_apps
    from qbdesk.emulator import Emulator

    emulator = Emulator()
    timer = TokenTimer(emulator)  # before start(): the server keeps the handler it starts with
    with tempfile.TemporaryDirectory(prefix="qbdesk-bench-cli-") as folder, emulator:
        data_dir = make_data_dir(Path(folder) / "data", 1000)
        overrides = register_apps(emulator, "bench")
        ident = signed_in(data_dir, overrides)
        env = {k: v for k, v in os.environ.items() if not k.startswith("QBDESK_")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # keep bytecode between runs, as an installed qbdesk does
        env.update(overrides, QBDESK_DATA_DIR=str(data_dir))
        full_env = dict(env, QBDESK_FULL_PATH="1")
        commands = {
            "token": [*QBDESK, "token", TOKEN_NAME],
            "list_json": [*QBDESK, "list", "--json"],
            "status": [*QBDESK, "status", TOKEN_NAME],
        }
        set_access_expiry(data_dir, ident, timedelta(minutes=50))
        # the floor keyring sets for a token: the interpreter, keyring and its detection of the keychain
        floor = {"keyring_floor": [PYTHON, "-c", "import keyring; keyring.get_keyring()"]}
        quick_cpu: dict[str, list[float]] = {}
        full_cpu: dict[str, list[float]] = {}
        quick = paired({**commands, **floor}, env, args.repeats, cpu=quick_cpu)
        full = paired(commands, full_env, max(2, args.repeats // 3), cpu=full_cpu)

        def expire(name: str) -> None:
            if name == "token":
                set_access_expiry(data_dir, ident, timedelta(minutes=1))

        calls_before = len(timer.calls)
        refresh_cpu: dict[str, list[float]] = {}
        refresh = paired({"token": commands["token"]}, env, args.repeats, before=expire, cpu=refresh_cpu)
        token_calls = timer.calls[calls_before:][1:]  # the warm-up round's call is discarded with its run
        if len(token_calls) != len(refresh["token"]):
            raise RuntimeError(f"expected one token call per refresh, saw {len(token_calls)}")
        beyond = [run - call for run, call in zip(refresh["token"], token_calls, strict=True)]
        emit({
            "repeats": args.repeats,
            "quick_ms": {name: ms(median(values)) for name, values in quick.items()},
            "full_ms": {name: ms(median(values)) for name, values in full.items()},
            "refresh_ms": {"pass": ms(median(refresh["pass"])), "token": ms(median(refresh["token"])),
                           "token_call": ms(median(token_calls)), "beyond_token_call": ms(median(beyond))},
            "cpu_ms": {"quick": {name: ms(median(values)) for name, values in quick_cpu.items()},
                       "full": {name: ms(median(values)) for name, values in full_cpu.items()},
                       "refresh": {name: ms(median(values)) for name, values in refresh_cpu.items()}},
            "runs_s": {"quick": quick, "full": full, "refresh": refresh, "token_calls": token_calls},
        })
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
