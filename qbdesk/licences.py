"""qbdesk's own licence and the notices of the software it runs on, for the About box and the bundle.

A frozen bundle carries both as files written at build time (LICENSE and THIRD-PARTY-NOTICES, made by
packaging/notices.py); from a virtual environment they are read from the installed distributions.
"""

from __future__ import annotations

import sys
import sysconfig
import textwrap
from importlib.metadata import PackageNotFoundError, distribution
from importlib.resources import files
from importlib.util import find_spec
from pathlib import Path

from qbdesk import __version__
from qbdesk.distributions import LicenceEntry, licence_entry, runtime_closure, without_licence

QBDESK_LICENCE = "MIT"
LICENCE_FILE = "LICENSE"
NOTICES_FILE = "THIRD-PARTY-NOTICES"
WIDTH = 100
RULE = "=" * WIDTH
QT_SOURCE = "https://download.qt.io/official_releases/qt/"
PYSIDE_SOURCE = "https://download.qt.io/official_releases/QtForPython/"
QTWEBENGINE_LICENSING = "https://doc.qt.io/qt-6/qtwebengine-licensing.html"
# Where PyInstaller's one-folder layout keeps the Qt libraries, by the platform the bundle is built on.
QT_LIBRARY_FOLDERS = {
    "linux": "_internal/PySide6/Qt/lib (the Qt libraries) and _internal/PySide6 (PySide6's modules)",
    "win32": "_internal/PySide6 (the Qt DLLs and PySide6's modules)",
    "darwin": "qbdesk.app/Contents/Frameworks/PySide6/Qt/lib (the Qt frameworks) and "
    "qbdesk.app/Contents/Frameworks/PySide6 (PySide6's modules)",
}


class NoticesIncomplete(RuntimeError):
    """Some bundled distribution has no licence text in its metadata."""


def bundle_folders() -> list[Path]:
    """Where a frozen qbdesk keeps its data files: PyInstaller's folder and the executable's own."""
    if not getattr(sys, "frozen", False):
        return []
    folders = [Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)), Path(sys.executable).parent]
    return list(dict.fromkeys(folders))


def _bundled_file(name: str) -> str | None:
    for folder in bundle_folders():
        path = folder / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def licence_text() -> str:
    """The text of qbdesk's own licence (MIT)."""
    text = _bundled_file(LICENCE_FILE)
    if text is None:
        try:
            dist = distribution("qbdesk")
            text = dist.read_text(f"licenses/{LICENCE_FILE}") or dist.read_text(LICENCE_FILE)
        except PackageNotFoundError:
            text = None
    if text is None:  # run from a checkout that was never installed
        checkout = Path(__file__).resolve().parent.parent / LICENCE_FILE
        text = checkout.read_text(encoding="utf-8") if checkout.is_file() else None
    if text is None:
        return f"qbdesk is licensed under the {QBDESK_LICENCE} licence; its text is missing from this installation."
    return text


def third_party_notices() -> str:
    """The notices of everything qbdesk is built on: Python, Qt, PySide6, Chromium and each library."""
    text = _bundled_file(NOTICES_FILE)
    if text is not None:
        return text
    try:
        return build_notices(platform=sys.platform)
    except PackageNotFoundError:  # a bundle built without its notices file or qbdesk's metadata
        return (
            f"The file {NOTICES_FILE} is missing from this installation of qbdesk. Reinstall qbdesk from its "
            "download to get it back.\n"
        )


def _paragraphs(*paragraphs: str) -> str:
    """Paragraphs wrapped for a plain-text file; a paragraph starting "- " is a list item."""
    wrapped = [
        textwrap.fill(p, WIDTH, subsequent_indent="  " if p.startswith("- ") else "", break_long_words=False)
        for p in paragraphs
    ]
    return "\n\n".join(wrapped) + "\n"


def _heading(title: str) -> str:
    return f"{RULE}\n{title}\n{RULE}\n"


def _resource_text(name: str) -> str:
    return (files("qbdesk.resources") / "licences" / name).read_text(encoding="utf-8")


def python_licence_text() -> str | None:
    """The licence file of the Python that runs this, as its installers put it."""
    candidates = [Path(sysconfig.get_path("stdlib")) / "LICENSE.txt", Path(sys.base_prefix) / "LICENSE.txt"]
    for path in candidates:
        if path.is_file():
            return path.read_text(encoding="utf-8", errors="replace")
    return None


def python_section() -> str:
    version = ".".join(str(part) for part in sys.version_info[:3])
    text = python_licence_text() or (
        "The Python Software Foundation License Version 2 applies; its full text is at "
        "https://docs.python.org/3/license.html\n"
    )
    return _heading(f"Python {version} - PSF-2.0 (Python Software Foundation License)") + "\n" + text


def qt_section(qt_entries: list[LicenceEntry], platform: str) -> str:
    """Qt and PySide6 under the LGPL, with what the LGPL asks of an application that bundles them."""
    version = next((e.version for e in qt_entries if e.name.lower() == "pyside6"), qt_entries[0].version)
    names = ", ".join(f"{e.name} {e.version}" for e in qt_entries)
    where = QT_LIBRARY_FOLDERS.get(platform, QT_LIBRARY_FOLDERS["linux"])
    series = version.rsplit(".", 1)[0]
    statement = _paragraphs(
        f"This copy of qbdesk uses Qt {version} (The Qt Company Ltd. and other contributors) through {names}. "
        f"They are offered under {qt_entries[0].licence}; qbdesk uses them under the GNU Lesser General Public "
        "License version 3 (LGPL-3.0-only). Its text and the GNU General Public License version 3 it builds on "
        "follow below.",
        "What this means for you:",
        "- Qt and PySide6 are unmodified and kept as separate shared libraries, not built into qbdesk's own "
        f"code. In the installed folder they are in {where}.",
        f"- You may replace them with other builds of Qt and PySide6 {version}, including builds you made from "
        "modified sources, and qbdesk loads yours from the same place. You may reverse-engineer qbdesk as far "
        "as you need to debug such changes.",
        f"- The complete source code of this Qt version is at {QT_SOURCE}{series}/{version}/ and that of "
        f"PySide6 and shiboken6 at {PYSIDE_SOURCE} (also at https://code.qt.io/, tag v{version}).",
        "Qt WebEngine, the embedded browser of qbdesk's sign-in window, contains Chromium (The Chromium "
        "Authors, BSD-3-Clause) and the third-party code Chromium includes, each under its own licence. The Qt "
        f"Company lists them, with their licences, for each Qt version at {QTWEBENGINE_LICENSING}",
    )
    parts = [_heading(f"Qt and PySide6 {version} - LGPL-3.0-only"), "\n", statement]
    parts += [chromium_notices(), "\n", _heading("GNU Lesser General Public License version 3"), "\n"]
    parts += [_resource_text("LGPL-3.0.txt"), "\n", _heading("GNU General Public License version 3"), "\n"]
    parts.append(_resource_text("GPL-3.0.txt"))
    return "".join(parts)


def chromium_notice_files() -> list[Path]:
    """Files of Chromium's or Qt WebEngine's notices that the PySide6 wheels carry, if any."""
    spec = find_spec("PySide6")  # finds the package without importing Qt
    if spec is None or not spec.submodule_search_locations:
        return []
    qt_root = Path(list(spec.submodule_search_locations)[0]) / "Qt"
    words = ("credits", "notice", "licen", "copying", "third_party", "thirdparty")
    return sorted(p for p in qt_root.rglob("*") if p.is_file() and any(w in p.name.lower() for w in words))


def chromium_notices() -> str:
    found = chromium_notice_files()
    if not found:
        return (
            "\nThe PySide6 wheels this copy was built from carry no separate file of Chromium's notices; "
            "see the address above.\n"
        )
    return "".join(
        f"\n{RULE}\n{path.name} (from PySide6/Qt)\n{RULE}\n\n{path.read_text(encoding='utf-8', errors='replace')}\n"
        for path in found
    )


def entry_section(entry: LicenceEntry) -> str:
    heading = _heading(f"{entry.name} {entry.version} - {entry.licence}")
    if entry.is_qt:
        return heading + "\nSee \"Qt and PySide6\" above for its terms and its source.\n\n"
    return heading + "".join(f"\n--- {name} ---\n\n{text.rstrip()}\n" for name, text in entry.texts) + "\n"


def build_notices(platform: str = sys.platform, strict: bool = False, root: str = "qbdesk") -> str:
    """THIRD-PARTY-NOTICES for the distributions root (qbdesk) needs at run time, read from their metadata.

    With strict, a distribution without licence text raises NoticesIncomplete instead of being listed as
    missing: a bundle must not ship without it.
    """
    entries = [licence_entry(dist) for dist in runtime_closure(root)]
    missing = without_licence(entries)
    if missing and strict:
        raise NoticesIncomplete(f"no licence text in the metadata of: {', '.join(missing)}")
    qt_entries = [e for e in entries if e.is_qt]
    intro = (
        f"qbdesk {__version__} is licensed under the {QBDESK_LICENCE} licence (see LICENSE).\n"
        "It is built on the following software, each under its own licence, reproduced here.\n\n"
        "Contents:\n" + "".join(f"  {e.name} {e.version} - {e.licence}\n" for e in entries) + "\n"
    )
    parts = [intro, python_section(), "\n"]
    if qt_entries:
        parts += [qt_section(qt_entries, platform), "\n"]
    parts += [entry_section(e) for e in entries]
    if missing:
        parts.append(_heading("Missing") + f"\nNo licence text was found for: {', '.join(missing)}\n")
    return "".join(parts)
