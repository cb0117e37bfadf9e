"""Check packaging/macos/Info.plist against qbdesk: bundle id, version, executable, icon, Retina support.

    python packaging/macos/check_plist.py      exits 1 and names each problem
"""

from __future__ import annotations

import plistlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent


def plist_problems(plist_path: Path, app_id: str, version: str) -> list[str]:
    """What is wrong with the Info.plist for this app id and version; empty when nothing is."""
    try:
        info = plistlib.loads(plist_path.read_bytes())
    except (OSError, plistlib.InvalidFileException, ValueError) as error:
        return [f"{plist_path} cannot be read as a property list: {error}"]
    expected = {
        "CFBundleIdentifier": app_id,
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "CFBundleExecutable": "qbdesk",
        "CFBundlePackageType": "APPL",
        "NSHighResolutionCapable": True,
    }
    problems = [
        f"{key} is {info.get(key)!r}, expected {value!r}" for key, value in expected.items() if info.get(key) != value
    ]
    icon = info.get("CFBundleIconFile", "")
    if not icon or not (plist_path.parent / icon).is_file():
        problems.append(f"CFBundleIconFile {icon!r} is not a file next to {plist_path.name}")
    return problems


def main() -> int:
    sys.path.insert(0, str(REPO))
    from qbdesk import APP_ID, __version__

    problems = plist_problems(HERE / "Info.plist", APP_ID, __version__)
    for problem in problems:
        print(f"Info.plist: {problem}", file=sys.stderr)
    if not problems:
        print(f"Info.plist: {APP_ID} {__version__}, high resolution, executable and icon as expected")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
