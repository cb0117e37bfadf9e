"""The frozen qbdesk's smoke test (run by scripts/check-bundle): every check runs the bundle's executable in a
clean environment (`env -i`, a minimal PATH, a fresh HOME) and reads what it prints."""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tarfile
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the consent-page answerer the CLI tests use

from consent import approve_in_browser  # noqa: E402

MIB = 1024 * 1024
# The size targets (docs/performance.md, rows 9 and 10) and the ceilings this check enforces. QtWebEngine's
# library alone is 195 MiB (82 MiB compressed), so the targets cannot be met while the sign-in window is built in (docs/performance.md); the
# ceilings sit a few per cent above today's bundle and fail the check when it grows.
SIZE_TARGETS_MIB = {"on disk": 300, "tar.gz": 110}
SIZE_CEILINGS_MIB = {"on disk": 390, "tar.gz": 165}
BAD_OUTPUT = [
    (re.compile(r"resources? (?:were )?not found", re.IGNORECASE), "a resource was not found"),
    (re.compile(r"Traceback \(most recent call last\)"), "a Python traceback"),
    (re.compile(r"\b\w*Warning: "), "a Python warning"),
    (re.compile(r"\[PYI-\d+:ERROR\]"), "a bootloader error"),
]
DEMO_COMPANY = "Harbor Lane Bakery"  # the first company on the demo consent page
DEADLINE = 180  # seconds for any one run


class CheckFailed(Exception):
    pass


def version_in_checkout() -> str:
    text = (ROOT / "qbdesk" / "__init__.py").read_text("utf-8")
    return re.search(r'__version__ = "([^"]+)"', text).group(1)


class Bundle:
    """The executable under test, run in an environment with nothing from this shell in it."""

    def __init__(self, executable: Path, home: Path) -> None:
        self.executable = executable
        self.home = home
        self.outputs: list[tuple[str, str]] = []  # (what ran, everything it printed)

    def env(self) -> dict[str, str]:
        env = {"PATH": "/usr/bin:/bin", "HOME": str(self.home), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"}
        if sys.platform == "win32":  # Windows cannot start a program without these
            env.update({k: os.environ[k] for k in ("SYSTEMROOT", "WINDIR", "TEMP", "TMP") if k in os.environ})
            env.update(USERPROFILE=str(self.home), APPDATA=str(self.home / "AppData" / "Roaming"),
                       LOCALAPPDATA=str(self.home / "AppData" / "Local"), PATH=os.environ.get("PATH", ""))
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"  # Chromium refuses its sandbox to root (CI containers)
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # demo mode keeps its secrets in a file
        return env

    def run(self, *arguments: str, expect: int = 0) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [str(self.executable), *arguments], env=self.env(), capture_output=True, text=True, timeout=DEADLINE,
            stdin=subprocess.DEVNULL,
        )
        self._record(arguments, result.stdout + result.stderr)
        if result.returncode != expect:
            raise CheckFailed(f"{' '.join(arguments)} exited {result.returncode}, not {expect}:\n{result.stderr}")
        return result

    def _record(self, arguments, output: str) -> None:
        self.outputs.append((" ".join(arguments), output))

    def sign_in(self, name: str) -> str:
        """`--demo create --sandbox --no-browser`, with the consent page answered as a person would."""
        arguments = ("--demo", "create", "--name", name, "--sandbox", "--no-browser")
        env = dict(self.env(), QBDESK_PENDING_TTL_SECONDS="120")  # an unanswered sign-in gives up in 2 minutes
        process = subprocess.Popen(
            [str(self.executable), *arguments], env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        stderr: list[str] = []
        problems: list[str] = []
        answerer = None

        def answer(url: str) -> None:
            try:
                approve_in_browser(url)
            except Exception as exc:  # reported below
                problems.append(f"{type(exc).__name__}: {exc}")

        for line in process.stderr:  # until the process ends
            stderr.append(line)
            if line.strip().startswith("http") and answerer is None:
                answerer = threading.Thread(target=answer, args=(line.strip(),), daemon=True)
                answerer.start()
        stdout = process.stdout.read()
        process.wait(timeout=DEADLINE)
        self._record(arguments, stdout + "".join(stderr))
        if answerer is None:
            raise CheckFailed(f"create printed no sign-in address:\n{''.join(stderr)}")
        answerer.join(timeout=30)
        if process.returncode != 0 or problems:
            raise CheckFailed(f"create exited {process.returncode} {problems}:\n{''.join(stderr)}")
        return stdout

    def scan_outputs(self) -> None:
        for what, output in self.outputs:
            for pattern, meaning in BAD_OUTPUT:
                found = pattern.search(output)
                if found:
                    raise CheckFailed(f"`{what}` printed {meaning}: {output[max(0, found.start() - 200):found.end() + 300]}")


def disk_usage(folder: Path) -> int:
    """Bytes the folder takes on disk, as du counts them (links once, blocks not bytes)."""
    seen, total = set(), 0
    for path in [folder, *folder.rglob("*")]:
        info = path.lstat()
        if (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        total += getattr(info, "st_blocks", 0) * 512 or info.st_size
    return total


def check_sizes(folder: Path, tarball: Path | None) -> list[str]:
    sizes = {"on disk": disk_usage(folder)}
    if tarball is not None:
        sizes["tar.gz"] = tarball.stat().st_size
    lines = []
    for what, size in sizes.items():
        mib, target, ceiling = size / MIB, SIZE_TARGETS_MIB[what], SIZE_CEILINGS_MIB[what]
        verdict = "met" if mib <= target else "missed"
        lines.append(f"size {what}: {mib:.0f} MiB (target {target} MiB {verdict}; ceiling {ceiling} MiB)")
        if mib > ceiling:
            raise CheckFailed(f"the bundle grew past its ceiling: {what} {mib:.0f} MiB > {ceiling} MiB")
    return lines


def check_install(tarball: Path, work: Path) -> None:
    """Unpack the download, run install.sh and uninstall.sh for a user whose home is `work/home`."""
    with tarfile.open(tarball) as archive:
        archive.extractall(work / "unpacked", filter="data")
    (top,) = (work / "unpacked").iterdir()
    home = work / "home"
    data = home / ".local" / "share" / "qbdesk"
    data.mkdir(parents=True)
    (data / "qbdesk.sqlite3").write_text("the user's credentials list")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}

    def script(path: Path) -> str:
        result = subprocess.run(["sh", str(path)], env=env, capture_output=True, text=True, timeout=DEADLINE)
        if result.returncode != 0:
            raise CheckFailed(f"{path.name} exited {result.returncode}:\n{result.stdout}{result.stderr}")
        return result.stdout

    script(top / "install.sh")
    local = home / ".local"
    launcher = local / "bin" / "qbdesk"
    shown = subprocess.run([str(launcher), "--version"], env=env, capture_output=True, text=True, timeout=DEADLINE)
    if shown.stdout.strip() != f"qbdesk {version_in_checkout()}":
        raise CheckFailed(f"the installed qbdesk command said {shown.stdout!r} {shown.stderr!r}")
    entry = local / "share" / "applications" / "org.qbdesk.qbdesk.desktop"
    exec_line = next((line for line in entry.read_text("utf-8").splitlines() if line.startswith("Exec=")), "")
    if str(local / "lib" / "qbdesk" / "qbdesk") not in exec_line:
        raise CheckFailed(f"the menu entry does not start the installed app: {exec_line}")
    icons = list((local / "share" / "icons" / "hicolor").rglob("org.qbdesk.qbdesk.*")) + list(
        (local / "share" / "icons" / "hicolor").rglob("qbdesk.svg"))
    if not icons:
        raise CheckFailed("install.sh installed no icon")
    script(top / "install.sh")  # again: replaces the app in place
    script(local / "lib" / "qbdesk" / "uninstall.sh")
    left = [p for p in (local / "lib" / "qbdesk", launcher, entry, *icons) if p.exists() or p.is_symlink()]
    if left:
        raise CheckFailed(f"uninstall.sh left {', '.join(map(str, left))}")
    if (data / "qbdesk.sqlite3").read_text() != "the user's credentials list":
        raise CheckFailed("uninstall.sh touched the user's data folder")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("executable", nargs="?", type=Path, default=ROOT / "dist" / "qbdesk" / "qbdesk")
    parser.add_argument("--tarball", type=Path, help="the Linux download (default: dist/qbdesk-VERSION-linux-*.tar.gz)")
    args = parser.parse_args(argv)
    executable = args.executable.resolve()
    if not executable.is_file():
        print(f"check-bundle: {executable} does not exist; build it with scripts/package.", file=sys.stderr)
        return 2
    version = version_in_checkout()
    tarball = args.tarball or ROOT / "dist" / f"qbdesk-{version}-linux-{platform.machine()}.tar.gz"
    tarball = tarball if tarball.is_file() else None
    steps = []
    with tempfile.TemporaryDirectory(prefix="qbdesk-bundle-check-") as temporary:
        work = Path(temporary)
        bundle = Bundle(executable, work / "fresh-home")
        bundle.home.mkdir()
        try:
            shown = bundle.run("--version").stdout.strip()
            if shown != f"qbdesk {version}":
                raise CheckFailed(f"--version said {shown!r}, not 'qbdesk {version}'")
            steps.append(f"--version: {shown}")
            bundle.run("--demo", "list")
            steps.append("--demo list: ok")
            bundle.sign_in("Smoke test")
            steps.append("--demo create: signed in at the demo emulator")
            token = bundle.run("--demo", "token", "Smoke test").stdout.strip()
            if not token or "\n" in token:
                raise CheckFailed(f"token printed {len(token.splitlines())} lines, not one token")
            steps.append("--demo token: one access token")
            tested = bundle.run("--demo", "test", "Smoke test").stdout
            if DEMO_COMPANY not in tested:
                raise CheckFailed(f"test did not name the company: {tested!r}")
            steps.append(f"--demo test: {DEMO_COMPANY}")
            passed = bundle.run("--demo", "--self-test").stdout.strip()
            steps.append(f"--demo --self-test: {passed}")
            bundle.scan_outputs()
            steps.append("outputs: no missing resource, Python warning or traceback")
            app = next((parent for parent in executable.parents if parent.suffix == ".app"), None)  # macOS
            steps += check_sizes(app or executable.parent, tarball)
            if tarball is not None and sys.platform.startswith("linux"):
                check_install(tarball, work)
                steps.append(f"{tarball.name}: install.sh and uninstall.sh in a temporary home, data kept")
        except (CheckFailed, subprocess.TimeoutExpired) as failure:
            for step in steps:
                print(f"  ok  {step}")
            print(f"check-bundle: FAILED: {failure}", file=sys.stderr)
            return 1
    for step in steps:
        print(f"  ok  {step}")
    print(f"check-bundle: {executable} passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
