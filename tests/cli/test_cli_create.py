"""`qbdesk create`: sign in at Intuit from a terminal, with the consent page answered over real HTTP."""

from __future__ import annotations

import json
import threading

import pytest

from qbdesk.cli import ExitCode

from consent import approve_in_browser, consent_redirect

pytestmark = pytest.mark.cli


def answer_consent(url: str, decision: str = "connect") -> tuple[threading.Thread, list]:
    """The person at the browser, on a thread of their own; the list receives qbdesk's callback page."""
    pages: list = []
    thread = threading.Thread(target=lambda: pages.append(approve_in_browser(url, decision)), daemon=True)
    thread.start()
    return thread, pages


def listed(qb) -> list[dict]:
    return json.loads(qb.run("list", "--json").stdout)


def test_create_waits_for_the_browser_and_exits_0_when_connected(qb, intuit):
    running = qb.start("create", "--name", "Acme", "--sandbox", "--no-browser")
    url = running.url()
    browser, pages = answer_consent(url)
    result = running.finish()
    browser.join(timeout=10)
    assert result.returncode == 0, result.stderr
    assert pages and pages[0].status_code == 200 and "Connected to QuickBooks" in pages[0].text
    assert result.stdout.startswith("Created \u201cAcme\u201d: connected to QuickBooks (Sandbox Mode) company ")
    assert "Ctrl+C" in result.stderr and "Opening your browser" not in result.stderr
    [credential] = listed(qb)
    assert credential["name"] == "Acme" and credential["state"] == "connected"
    company = next(c for c in intuit.companies if c.realm_id == credential["realm_id"])
    assert result.stdout.rstrip().endswith(f"company {company.name} ({company.realm_id}).")
    assert qb.tokens(credential["id"]) is not None
    for secret in qb.secrets():
        assert secret not in result.stdout and secret not in result.stderr


def test_cancel_at_the_consent_page_exits_7_and_keeps_nothing(qb):
    running = qb.start("create", "--name", "Acme", "--sandbox", "--no-browser")
    browser, pages = answer_consent(running.url(), "cancel")
    result = running.finish()
    browser.join(timeout=10)
    assert result.returncode == ExitCode.CANCELLED
    assert result.stdout == ""
    last = result.stderr.splitlines()[-1]
    assert last.startswith("qbdesk: Access was not granted at Intuit") and "Run \u201cqbdesk create\u201d again." in last
    assert "Go to QuickBooks" not in result.stderr
    assert listed(qb) == []
    assert pages and pages[0].status_code == 400


def test_a_sign_in_that_runs_out_of_time_exits_7(qb):
    running = qb.start("create", "--name", "Acme", "--sandbox", "--no-browser",
                       env=qb.env(QBDESK_PENDING_TTL_SECONDS="2"))
    running.url()
    result = running.finish(timeout=20)
    assert result.returncode == ExitCode.CANCELLED
    assert "did not finish in time" in result.stderr.splitlines()[-1]
    assert listed(qb) == []


def test_ctrl_c_removes_the_unfinished_credential(qb):
    import signal

    running = qb.start("create", "--name", "Acme", "--sandbox", "--no-browser")
    running.url()
    running.process.send_signal(signal.SIGINT)
    result = running.finish()
    assert result.returncode == ExitCode.CANCELLED and result.stderr.endswith("qbdesk: Cancelled.\n")
    assert listed(qb) == []


def test_an_https_redirect_uri_needs_the_window_or_paste(qb):
    result = qb.run("create", "--name", "Acme", "--no-browser")
    assert result.returncode == ExitCode.USAGE
    assert "https address" in result.stderr and "--paste" in result.stderr
    assert listed(qb) == []


def test_paste_finishes_an_https_sign_in_from_stdin(qb):
    running = qb.start("create", "--name", "Acme", "--no-browser", "--paste")
    address = consent_redirect(running.url())
    assert address.startswith("https://")
    result = running.finish(stdin="not the address\n" + address + "\n")
    assert result.returncode == 0, result.stderr
    assert "Paste the address again." in result.stderr
    assert result.stdout.startswith("Created \u201cAcme\u201d: connected to QuickBooks company ")
    [credential] = listed(qb)
    assert credential["destination"] == "production" and credential["state"] == "connected"


def test_paste_with_nothing_pasted_exits_7(qb):
    running = qb.start("create", "--name", "Acme", "--no-browser", "--paste")
    running.url()
    result = running.finish(stdin="")
    assert result.returncode == ExitCode.CANCELLED and "No address was pasted" in result.stderr
    assert listed(qb) == []


def test_a_taken_name_exits_2_before_anything_starts(qb):
    qb.connect("Acme")
    result = qb.run("create", "--name", "ACME", "--sandbox", "--no-browser")
    assert result.returncode == ExitCode.USAGE
    assert result.stderr == "qbdesk: A credential named \u201cACME\u201d already exists. Choose another name.\n"


def test_missing_app_keys_are_a_setup_problem(qb):
    env = qb.env()
    del env["QBDESK_SANDBOX_CLIENT_ID"]
    result = qb.run("create", "--name", "Acme", "--sandbox", "--no-browser", env=env)
    assert result.returncode == ExitCode.SETUP and "has no Client ID" in result.stderr
    assert listed(qb) == []


def test_intuit_out_of_reach_at_the_start_exits_5(qb_alone):
    qb_alone.emulator.stop()
    result = qb_alone.run("create", "--name", "Acme", "--sandbox", "--no-browser")
    assert result.returncode == ExitCode.UNREACHABLE and "could not reach Intuit" in result.stderr
    assert listed(qb_alone) == []


def test_create_in_demo_mode_uses_the_bundled_emulator(qb, tmp_path):
    base = tmp_path / "demo-base"
    running = qb.start("--demo", "--data-dir", str(base), "create", "--name", "Demo", "--sandbox", "--no-browser")
    browser, _ = answer_consent(running.url())
    result = running.finish()
    browser.join(timeout=10)
    assert result.returncode == 0, result.stderr
    shown = qb.run("--demo", "--data-dir", str(base), "list", "--json")
    assert [c["name"] for c in json.loads(shown.stdout)] == ["Demo"]
    assert (base / "demo" / "qbdesk.sqlite3").exists() and not (base / "qbdesk.sqlite3").exists()


def test_a_demo_credential_keeps_working_in_later_demo_runs(qb, tmp_path):
    """Each --demo command starts its own emulator; the tokens of an earlier run must still be honoured."""
    base = tmp_path / "demo-base"
    running = qb.start("--demo", "--data-dir", str(base), "create", "--name", "Demo", "--no-browser", "--sandbox")
    browser, _ = answer_consent(running.url())
    assert running.finish().returncode == 0
    browser.join(timeout=10)
    tested = qb.run("--demo", "--data-dir", str(base), "test", "Demo")
    assert tested.returncode == 0, tested.stderr
    assert "Harbor Lane Bakery" in tested.stdout  # the first company on the consent page
    token = qb.run("--demo", "--data-dir", str(base), "token", "Demo")
    assert token.returncode == 0, token.stderr
    assert token.stdout.strip() and token.stdout.strip() not in (base / "demo" / "qbdesk.sqlite3").read_text("latin-1")
    state = base / "demo" / "demo-intuit.json"
    assert state.stat().st_mode & 0o077 == 0
