"""The application id, desktop entry, AppStream metainfo, icons and macOS Info.plist agree with qbdesk."""

from __future__ import annotations

import configparser
import importlib.util
import plistlib
import struct
import xml.etree.ElementTree as ET
from importlib.resources import files
from pathlib import Path

import pytest

from qbdesk import APP_ID, __version__
from qbdesk.licences import QBDESK_LICENCE

REPO = Path(__file__).resolve().parents[2]
RESOURCES = files("qbdesk.resources")
PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def load_plist_check():
    spec = importlib.util.spec_from_file_location("check_plist", REPO / "packaging" / "macos" / "check_plist.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_application_id_is_reverse_dns():
    assert APP_ID == "org.qbdesk.qbdesk"


def test_the_desktop_entry_is_named_after_the_id_and_names_its_icon_and_window_class():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read_string((RESOURCES / f"{APP_ID}.desktop").read_text(encoding="utf-8"))
    desktop = entry["Desktop Entry"]
    assert desktop["Icon"] == APP_ID
    assert desktop["StartupWMClass"] == APP_ID
    assert desktop["Exec"].split()[0] == "qbdesk"
    assert desktop["Type"] == "Application"


def test_the_metainfo_names_the_id_licence_version_and_real_screenshots():
    root = ET.fromstring((RESOURCES / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8"))
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.findtext("project_license") == QBDESK_LICENCE
    assert root.findtext("metadata_license")
    assert root.find("content_rating") is not None
    assert root.find("releases/release").get("version") == __version__, "add a release entry for the new version"
    images = root.findall("screenshots/screenshot/image")
    assert images
    for image in images:
        shot = REPO / "docs" / "screenshots" / image.text.rsplit("/", 1)[-1]
        assert shot.is_file(), f"{shot.name} is not in docs/screenshots"
        assert png_size(shot.read_bytes()) == (int(image.get("width")), int(image.get("height")))


@pytest.mark.parametrize("size", PNG_SIZES)
def test_the_icon_is_shipped_as_png_at_each_size(size):
    png = RESOURCES / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    assert png_size(png.read_bytes()) == (size, size)


def test_the_icon_is_shipped_as_svg():
    svg = ET.fromstring((RESOURCES / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").read_bytes())
    assert svg.tag.endswith("svg")


def test_the_windows_icon_holds_png_images_up_to_256():
    data = (REPO / "packaging" / "windows" / "qbdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = []
    for index in range(count):
        width, _, _, _, _, _, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * index)
        sizes.append(png_size(data[offset:offset + length])[0])
        assert (width or 256) == sizes[-1]
    assert {16, 32, 48, 256} <= set(sizes)


def test_the_macos_icon_holds_png_images_up_to_1024():
    data = (REPO / "packaging" / "macos" / "qbdesk.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    offset, sizes = 8, {}
    while offset < len(data):
        kind, length = data[offset:offset + 4], struct.unpack(">I", data[offset + 4:offset + 8])[0]
        sizes[kind] = png_size(data[offset + 8:offset + length])[0]
        offset += length
    assert sizes[b"icp4"] == 16 and sizes[b"ic07"] == 128 and sizes[b"ic10"] == 1024


def test_the_info_plist_matches_qbdesk():
    check = load_plist_check()
    assert check.plist_problems(REPO / "packaging" / "macos" / "Info.plist", APP_ID, __version__) == []


def test_the_plist_check_names_a_wrong_version_and_a_missing_retina_flag(tmp_path):
    check = load_plist_check()
    info = plistlib.loads((REPO / "packaging" / "macos" / "Info.plist").read_bytes())
    info["CFBundleShortVersionString"] = "0.0.9"
    del info["NSHighResolutionCapable"]
    plist = tmp_path / "Info.plist"
    plist.write_bytes(plistlib.dumps(info))
    problems = check.plist_problems(plist, APP_ID, __version__)
    assert any("CFBundleShortVersionString" in p for p in problems)
    assert any("NSHighResolutionCapable" in p for p in problems)
    assert any("CFBundleIconFile" in p for p in problems), "the icon is not next to this copy"


@pytest.mark.gui
def test_the_window_icon_offers_every_rendered_size(qapp):
    from PySide6.QtCore import QSize

    from qbdesk.ui.main_window import app_icon

    icon = app_icon()
    assert not icon.isNull()
    for size in PNG_SIZES:
        assert icon.pixmap(QSize(size, size)).width() == size
