"""qbdesk's licence and the third-party notices: what About shows and what a bundle must carry."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib.metadata import distribution
from pathlib import Path

import pytest

from qbdesk import licences
from qbdesk.distributions import licence_entry, runtime_closure
from qbdesk.licences import (
    QBDESK_LICENCE,
    NoticesIncomplete,
    build_notices,
    licence_text,
    third_party_notices,
)

REPO = Path(__file__).resolve().parents[2]


def fake_distribution(site: Path, name: str, requires: list[str] = (), licence_file: str | None = None) -> None:
    """A real .dist-info folder on a path entry, as pip would leave it."""
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    lines = ["Metadata-Version: 2.4", f"Name: {name}", "Version: 1.0"]
    lines += [f"Requires-Dist: {spec}" for spec in requires]
    if licence_file:
        lines += ["License-Expression: MIT", f"License-File: {licence_file}"]
        (info / "licenses").mkdir()
        (info / "licenses" / licence_file).write_text(f"the licence of {name}\n", encoding="utf-8")
    (info / "METADATA").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_qbdesk_is_mit_in_the_licence_file_the_project_and_the_installed_metadata():
    text = licence_text()
    assert text.startswith("MIT License")
    assert "Copyright (c) 2026 the qbdesk authors" in text
    assert text == (REPO / "LICENSE").read_text(encoding="utf-8")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == QBDESK_LICENCE == "MIT"
    assert distribution("qbdesk").metadata["License-Expression"] == QBDESK_LICENCE


def test_every_bundled_distribution_has_its_licence_in_the_notices():
    notices = build_notices(strict=True)
    closure = runtime_closure("qbdesk")
    names = {d.metadata["Name"].lower() for d in closure}
    assert {"pyside6", "requests", "sqlalchemy", "alembic", "keyring", "platformdirs", "oauthlib"} <= names
    for dist in closure:
        entry = licence_entry(dist)
        heading = f"{entry.name} {entry.version} - {entry.licence}"
        assert heading in notices, f"{entry.name} has no entry"
        if entry.is_qt:
            continue
        assert entry.texts, f"{entry.name} has no licence text"
        section = notices[notices.index(heading):]
        first_line = next(line for line in entry.texts[0][1].splitlines() if line.strip())
        assert first_line.rstrip() in section, f"{entry.name}'s licence text is missing"


def test_the_notices_carry_python_qt_under_the_lgpl_and_chromium():
    notices = build_notices(platform="linux")
    assert "Python 3." in notices and "PSF-2.0" in notices
    assert "PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2" in notices
    assert "Qt and PySide6" in notices and "LGPL-3.0-only" in notices
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in notices and "GNU GENERAL PUBLIC LICENSE" in notices
    assert "_internal/PySide6/Qt/lib" in notices, "says where the replaceable libraries are"
    assert "You may replace them" in notices
    assert "https://download.qt.io/official_releases/qt/" in notices, "says where the source is"
    assert "Chromium" in notices and licences.QTWEBENGINE_LICENSING in notices
    windows = build_notices(platform="win32")
    assert "_internal/PySide6 (the Qt DLLs" in windows


def test_a_distribution_without_licence_text_stops_the_build(tmp_path, monkeypatch):
    site = tmp_path / "site"
    fake_distribution(site, "fakeapp", ["withlicence>=1", "nolicence"])
    fake_distribution(site, "withlicence", licence_file="LICENSE")
    fake_distribution(site, "nolicence")
    monkeypatch.syspath_prepend(str(site))
    with pytest.raises(NoticesIncomplete, match="nolicence"):
        build_notices(strict=True, root="fakeapp")
    lenient = build_notices(root="fakeapp")
    assert "the licence of withlicence" in lenient
    assert "No licence text was found for: nolicence" in lenient


def test_requirements_of_extras_and_other_platforms_are_not_bundled(tmp_path, monkeypatch):
    site = tmp_path / "site"
    other = "win32" if sys.platform != "win32" else "linux"
    fake_distribution(site, "fakeapp", ["withlicence", 'testonly; extra == "test"', f'elsewhere; sys_platform == "{other}"'])
    fake_distribution(site, "withlicence", licence_file="COPYING")
    fake_distribution(site, "testonly")
    fake_distribution(site, "elsewhere")
    monkeypatch.syspath_prepend(str(site))
    assert [d.metadata["Name"] for d in runtime_closure("fakeapp")] == ["withlicence"]
    assert "the licence of withlicence" in build_notices(strict=True, root="fakeapp")


def test_the_notices_script_writes_the_file_for_the_bundle(tmp_path):
    out = tmp_path / "build" / "THIRD-PARTY-NOTICES"
    done = subprocess.run(
        [sys.executable, str(REPO / "packaging" / "notices.py"), "--out", str(out)],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith(f"qbdesk {licences.__version__} is licensed under the MIT licence")
    assert "requests-oauthlib" in text and "GNU LESSER GENERAL PUBLIC LICENSE" in text


def test_a_frozen_app_reads_both_from_the_bundle(tmp_path, monkeypatch):
    bundle = tmp_path / "qbdesk" / "_internal"
    bundle.mkdir(parents=True)
    (bundle / "LICENSE").write_text("MIT License (as bundled)\n", encoding="utf-8")
    (bundle / "THIRD-PARTY-NOTICES").write_text("notices as built with the bundle\n", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "qbdesk" / "qbdesk"))
    assert licence_text() == "MIT License (as bundled)\n"
    assert third_party_notices() == "notices as built with the bundle\n"


def test_from_a_virtual_environment_the_notices_are_built_from_metadata():
    notices = third_party_notices()
    assert "Contents:" in notices and "SQLAlchemy" in notices and "LGPL-3.0-only" in notices


def test_a_bundle_built_without_its_files_says_so_instead_of_failing(tmp_path, monkeypatch):
    bundle = tmp_path / "qbdesk" / "_internal"
    bundle.mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "qbdesk" / "qbdesk"))
    # Like a frozen app, whose import path holds no installed distribution's metadata.
    monkeypatch.setattr(sys, "path", [str(bundle)])
    assert "missing from this installation" in third_party_notices()
    assert "MIT" in licence_text()
