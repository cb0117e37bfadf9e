"""Take the screenshots in docs/screenshots/: every scene in a real window, light, dark or at 16 pt.

Run under a display:
  QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots.py [options]
  --dark            every scene in the Fusion dark palette, into docs/screenshots/dark/ under the same names
  --large           every page and dialog at 16 pt with the longest names, as large-text-NAME.png
  --only A[,B]      only these scenes (with --large: these screens of tests/gui/screens.py)
  --pseudo DIR      with --large: under the tests' pseudo-translation, into DIR, to judge by eye
Scenes: demo, help, dialogs, setup, managed, test-all, transfer, signin.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")  # the sign-in window's browser, when run as root
ROOT = Path(__file__).resolve().parents[1]
for folder in ("scripts", "tests", "tests/gui"):
    sys.path.insert(0, str(ROOT / folder))

import keyring  # noqa: E402
from contrast import fusion_dark_palette  # noqa: E402
from pseudo_translation import pseudo_translated  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from shots.demo import create_walk, dialog_windows, help_windows  # noqa: E402
from shots.large import large_text  # noqa: E402
from shots.managed import managed_setup  # noqa: E402
from shots.setup import first_start  # noqa: E402
from shots.signin import signin_window  # noqa: E402  (imports the browser before the QApplication, as it must)
from shots.test_all import test_all  # noqa: E402
from shots.transfer import move_and_import  # noqa: E402

from qbdesk.ui.style import apply_style  # noqa: E402

from memory_keyring import MemoryKeyring  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SCENES = {
    "demo": create_walk,
    "help": help_windows,
    "dialogs": dialog_windows,
    "setup": first_start,
    "managed": managed_setup,
    "test-all": test_all,
    "transfer": move_and_import,
    "signin": signin_window,
}


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dark", action="store_true", help="the Fusion dark palette, into docs/screenshots/dark/")
    parser.add_argument("--large", action="store_true", help="every page and dialog at 16 pt")
    parser.add_argument("--only", default="", help="comma-separated scenes (or screens, with --large)")
    parser.add_argument("--pseudo", type=Path, help="with --large: pseudo-translated, into this folder")
    args = parser.parse_args(argv)
    args.only = {name.strip() for name in args.only.split(",") if name.strip()}
    unknown = args.only - set(SCENES) if not args.large else set()
    if unknown:
        parser.error(f"unknown scene {', '.join(sorted(unknown))}; the scenes are {', '.join(SCENES)}")
    return args


def main(argv: list[str]) -> int:
    args = parse(argv)
    out = args.pseudo or (OUT / "dark" if args.dark else OUT)
    out.mkdir(parents=True, exist_ok=True)
    keyring.set_keyring(MemoryKeyring())  # the screenshots never touch the real keychain, and no note covers them
    app = QApplication(sys.argv[:1])
    if args.dark:
        app.setStyle("Fusion")
        app.setPalette(fusion_dark_palette())
    apply_style(app)
    if args.large:
        with pseudo_translated() if args.pseudo else contextlib.nullcontext():
            large_text(app, out, args.only)
        return 0
    for name, scene in SCENES.items():
        if not args.only or name in args.only:
            print("scene", name, "->", out)
            scene(app, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
