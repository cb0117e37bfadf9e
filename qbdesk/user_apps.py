"""Opening web pages, folders and files in the user's own applications, with the user's own environment.

A frozen qbdesk (PyInstaller) points the library search path at its bundle: LD_LIBRARY_PATH on Linux (the
bootloader keeps the user's value in LD_LIBRARY_PATH_ORIG), the DLL directory on Windows, and runtime hooks
may point other variables into the bundle. qbdesk's own helpers (QtWebEngineProcess) need that; the
user's browser, file manager and xdg-open must not see it, or they load qbdesk's libraries instead of
their own. Every child process qbdesk starts for the user goes through open_in_user_app().
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

log = logging.getLogger("qbdesk.user_apps")

# Variables the PyInstaller bootloader sets for its own use; they mean nothing to another program.
_BOOTLOADER_PREFIXES = ("_PYI_", "_MEIPASS")
# Search paths the bootloader prepends, each with the user's original saved under NAME_ORIG (when there was one).
_SEARCH_PATHS = ("LD_LIBRARY_PATH", "LIBPATH", "DYLD_LIBRARY_PATH", "DYLD_FRAMEWORK_PATH")
WEB_SCHEMES = ("http", "https")
_DLL_DIRECTORY_LOCK = threading.Lock()


class CannotOpen(Exception):
    """The target is not something qbdesk hands to another application (a bad scheme, a missing file)."""


def running_bundle() -> Path | None:
    """The folder of the frozen app qbdesk runs from, or None when it runs from a Python environment."""
    if not getattr(sys, "frozen", False):
        return None
    return Path(getattr(sys, "_MEIPASS", None) or Path(sys.executable).parent)


def _inside(entry: str, bundle: Path) -> bool:
    if not entry or not os.path.isabs(entry):
        return False
    try:
        return Path(os.path.normpath(entry)).is_relative_to(bundle)
    except ValueError:
        return False


def user_environment(environ: Mapping[str, str] | None = None, bundle: Path | None = None) -> dict[str, str]:
    """The environment the user started qbdesk with: what the frozen app changed is put back.

    Outside a bundle the environment is returned unchanged (a copy).
    """
    env = dict(os.environ if environ is None else environ)
    if bundle is None:
        bundle = running_bundle()
    if bundle is None:
        return env
    bundle = Path(os.path.normpath(bundle))
    for name in _SEARCH_PATHS:
        original = env.pop(name + "_ORIG", None)
        if original is not None:
            env[name] = original
        elif name in env:
            env[name] = os.pathsep.join(e for e in env[name].split(os.pathsep) if not _inside(e, bundle))
        if name in env and not env[name]:
            del env[name]  # the user had none
    for name in list(env):
        if name.startswith(_BOOTLOADER_PREFIXES):
            del env[name]
            continue
        entries = env[name].split(os.pathsep)
        kept = [e for e in entries if not _inside(e, bundle)]
        if len(kept) != len(entries):  # e.g. QT_PLUGIN_PATH or PATH pointing into the bundle
            if any(kept):
                env[name] = os.pathsep.join(kept)
            else:
                del env[name]
    return env


def _checked_target(target: str | Path) -> str:
    """An http(s) address, or an existing local path made absolute; anything else is refused."""
    if isinstance(target, Path) or "://" not in target:
        path = Path(target).expanduser()
        if not path.exists():
            raise CannotOpen(f"{path} does not exist.")
        return str(path.resolve())  # absolute, so it can never be read as an option
    parts = urlsplit(target)
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.netloc:
        raise CannotOpen("Only web addresses (http or https) are opened in the browser.")
    if any(ch.isspace() or not ch.isprintable() for ch in target):
        raise CannotOpen("The address contains spaces or control characters.")
    return target


def _launcher(env: Mapping[str, str]) -> list[str] | None:
    """The desktop's own "open this" command, found on the user's PATH."""
    search = env.get("PATH", os.defpath)
    if sys.platform == "darwin":
        return ["open"] if shutil.which("open", path=search) else None
    for command in (["xdg-open"], ["gio", "open"]):
        found = shutil.which(command[0], path=search)
        if found:
            return [found, *command[1:]]
    return None


def _reap(process: subprocess.Popen, shown: str) -> None:
    """Wait for the launcher in the background (no zombie) and log when it reports a failure."""
    code = process.wait()
    if code:
        log.warning("The desktop could not open %s (exit code %s)", shown, code)


def open_in_user_app(target: str | Path) -> bool:
    """Open a web address in the browser, or a folder or file in its usual application; False when no
    launcher could be started. Never waits for the application; never uses a shell."""
    checked = _checked_target(target)
    shown = checked if "://" not in checked else urlsplit(checked).netloc  # never log a query (state, code)
    if sys.platform == "win32":
        return _open_on_windows(checked, shown)
    env = user_environment()
    command = _launcher(env)
    if command is None:
        log.warning("No program to open %s: neither xdg-open nor gio is installed", shown)
        return False
    try:
        process = subprocess.Popen(
            [*command, checked],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=True,
            start_new_session=True,  # Ctrl+C in qbdesk's terminal does not reach the browser
        )
    except OSError as exc:
        log.warning("Could not start %s to open %s (%s)", command[0], shown, type(exc).__name__)
        return False
    threading.Thread(target=_reap, args=(process, shown), name="user-app", daemon=True).start()
    return True


def _open_on_windows(target: str, shown: str) -> bool:  # pragma: no cover - Windows only
    """ShellExecute with the DLL directory the bootloader set cleared for the call, so the opened program
    does not inherit it (Windows keeps library paths out of the environment; the bootloader leaves PATH alone)."""
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    buffer = ctypes.create_unicode_buffer(32768)
    with _DLL_DIRECTORY_LOCK:
        had = kernel32.GetDllDirectoryW(len(buffer), buffer)
        try:
            if had:
                kernel32.SetDllDirectoryW(None)
            os.startfile(target)  # the system's own "open" for this kind of target
            return True
        except OSError as exc:
            log.warning("Windows could not open %s (%s)", shown, type(exc).__name__)
            return False
        finally:
            if had:
                kernel32.SetDllDirectoryW(buffer.value)
