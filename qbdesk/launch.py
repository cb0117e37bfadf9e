"""Opening one run's services, for the data folder or for demo mode, and closing them again.

The window and the command line both start here. Light to import: the services and the demo's emulator are
imported only when opened, so the window can import this before its first frame.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qbdesk.demo import DemoSetup
    from qbdesk.services.context import AppContext

DEMO_FOLDER = "demo"  # demo mode's data folder, inside the chosen one
DATA_DIR_ENV = "QBDESK_DATA_DIR"


def data_folder(chosen: str | Path | None, environ: Mapping[str, str]) -> Path:
    """The data folder: the one chosen (--data-dir, a script's argument), else $QBDESK_DATA_DIR, else the user's
    data folder."""
    if not chosen:
        chosen = environ.get(DATA_DIR_ENV)
    if not chosen:
        from platformdirs import user_data_dir

        chosen = user_data_dir("qbdesk", appauthor=False)
    return Path(chosen).expanduser().resolve()


def database_folder(data_dir: Path, demo: bool) -> Path:
    """The folder this run's database lives in (demo mode keeps its own)."""
    return data_dir / DEMO_FOLDER if demo else data_dir


class Launched:
    """The services of one run, with the demo's emulator when in demo mode; close() ends both.

    A plain class, not a dataclass: the window imports this module before its first frame, and making a
    dataclass costs a couple of milliseconds there."""

    __slots__ = ("context", "demo_setup")

    def __init__(self, context: AppContext, demo_setup: DemoSetup | None = None) -> None:
        self.context = context
        self.demo_setup = demo_setup

    def close(self) -> None:
        try:
            self.context.close()
        finally:
            if self.demo_setup is not None:
                self.demo_setup.stop()


def open_services(data_dir: Path, env: dict[str, str], demo: bool) -> Launched:
    """Open the data folder's services, or start the demo's emulator and open the demo folder's.

    Raises what opening raises (StoreError, ValueError, OSError, ...), with any emulator stopped again.
    """
    from qbdesk.services.context import AppContext

    if not demo:
        return Launched(AppContext.open(data_dir, env))
    from qbdesk.demo import start_demo

    setup = start_demo(database_folder(data_dir, demo=True), env)
    try:
        context = AppContext.open(setup.data_dir, setup.overrides, vault=setup.vault, demo=True)
    except BaseException:
        setup.stop()
        raise
    return Launched(context, setup)
