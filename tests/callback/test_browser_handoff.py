"""The one-time loopback address the browser is given instead of the sign-in address."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import requests

from qbdesk.callback.handoff import BrowserHandoff

TARGET = "https://appcenter.example.invalid/connect/oauth2?client_id=c&state=s3cr3t&code_challenge=x"
OTHER_UID = 54321


@pytest.fixture
def handoff():
    made = BrowserHandoff(TARGET)
    yield made
    made.close()


def test_the_browser_is_sent_on_to_the_sign_in_address_once(handoff):
    address = handoff.start()
    assert "state" not in address and "s3cr3t" not in address

    first = requests.get(address, allow_redirects=False, timeout=10)
    assert first.status_code == 303 and first.headers["Location"] == TARGET
    assert handoff.used.wait(5)
    with pytest.raises(requests.ConnectionError):
        requests.get(address, allow_redirects=False, timeout=10)


def test_another_path_on_the_port_learns_nothing(handoff):
    address = handoff.start()
    port_root = address.rsplit("/", 1)[0]

    wrong = requests.get(port_root + "/guess", allow_redirects=False, timeout=10)
    assert wrong.status_code == 404 and TARGET not in wrong.text and "Location" not in wrong.headers
    assert requests.get(address, allow_redirects=False, timeout=10).headers["Location"] == TARGET


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0 or not Path("/usr/bin/python3").exists(),
                    reason="running code as another user needs root and a system Python")
def test_another_user_of_the_computer_gets_no_answer(handoff):
    address = handoff.start()
    fetch = (
        "import sys, urllib.request\n"
        "class NoFollow(urllib.request.HTTPRedirectHandler):\n"
        "    def redirect_request(self, *a, **k): return None\n"
        "try:\n"
        f"    answer = urllib.request.build_opener(NoFollow).open({address!r}, timeout=10)\n"
        "    print(answer.status, answer.headers.get('Location'))\n"
        "except urllib.error.HTTPError as error:\n"
        "    print(error.code, error.headers.get('Location'))\n"
        "except Exception as error:\n"
        "    print('no answer', type(error).__name__)\n"
    )
    other = subprocess.run(
        ["setpriv", f"--reuid={OTHER_UID}", f"--regid={OTHER_UID}", "--clear-groups", "/usr/bin/python3", "-c", fetch],
        capture_output=True, text=True, timeout=30, env={"PATH": "/usr/bin:/bin"},
    )
    assert other.stdout.startswith("no answer"), other.stdout + other.stderr
    assert "s3cr3t" not in other.stdout
    assert requests.get(address, allow_redirects=False, timeout=10).headers["Location"] == TARGET


def test_only_web_addresses_are_handed_over():
    with pytest.raises(ValueError):
        BrowserHandoff("file:///etc/passwd")
