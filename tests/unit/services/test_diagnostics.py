"""The diagnostic report carries what support needs and none of the secrets planted in settings, vault and log."""

from __future__ import annotations

import json
import logging

import pytest

from qbdesk import __version__
from qbdesk.core.destinations import Destination
from qbdesk.log import configure_logging, log_file
from qbdesk.services.context import AppContext
from qbdesk.services.diagnostics import LOG_LINES, diagnostic_report, scrub
from qbdesk.store.settings import SETTINGS_FILENAME, IntuitApp
from qbdesk.store.vault import save_tokens

# Shaped like Intuit's: a JWT-ish access token, "AB11…" refresh token and code, a 40-character client secret.
ACCESS = "eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..Qm9yZWRBbmRUaXJlZDEyMw.Xy7Kp9QmW2vLzR4t"
REFRESH = "AB11790123456Gz7QhL2pXc9VnRt5WbYk3MdFs8JeUa"
CODE = "AB11733300912kYtPq8ZwLr5NcVb2XmHs7JdGf"
STATE = "q7ZkR2pW9xLmN4vB8tYc1sDfGh6JaKe0"
SANDBOX_SECRET = "Wq3Rt7Yu1Io5Pa9Sd2Fg6Hj0Kl4Zx8Cv3Bn7Mq1"
PRODUCTION_SECRET = "prodsecret-Zx8Cv3Bn7Mq1Wq3Rt7Yu1Io5Pa9"
PLANTED = {"access token": ACCESS, "refresh token": REFRESH, "code": CODE, "state": STATE,
           "sandbox client secret": SANDBOX_SECRET, "production client secret": PRODUCTION_SECRET}
TOOLKIT = {"Qt": "6.11.3", "PySide6": "6.11.3"}


@pytest.fixture
def planted(tmp_path):
    """A data folder whose settings, vault and log all hold secrets."""
    data_dir = tmp_path / "data"
    env = {"QBDESK_PRODUCTION_CLIENT_SECRET": PRODUCTION_SECRET, "QBDESK_PRODUCTION_CLIENT_ID": "ABprodclient42"}
    context = AppContext.open(data_dir, env)
    context.settings.save_app(
        IntuitApp(Destination.SANDBOX, "ABsandboxclient7", "http://localhost:8765/callback"), SANDBOX_SECRET
    )
    credential = context.credentials.create_pending("Acme Ltd", Destination.SANDBOX)
    save_tokens(context.vault, credential.id, ACCESS, REFRESH)

    settings_path = data_dir / SETTINGS_FILENAME
    settings = json.loads(settings_path.read_text())
    settings["client_secret"] = SANDBOX_SECRET  # as an older or hand-edited file might hold them
    settings["last_sign_in"] = {"refresh_token": REFRESH, "note": f"state={STATE}", "raw": CODE}
    settings["destinations"]["sandbox"]["redirect_uri"] = f"http://localhost:8765/callback?code={CODE}"
    settings_path.write_text(json.dumps(settings))

    log_path = data_dir / "qbdesk.log"
    lines = [f"2026-12-01 09:00:{i % 60:02d},000 INFO qbdesk.old: early line {i}" for i in range(300)]
    lines += [
        f"2026-12-01 10:00:00,000 DEBUG qbdesk.signin: GET /callback?code={CODE}&state={STATE}&realmId=9130350001",
        f'2026-12-01 10:00:01,000 DEBUG qbdesk.intuit: token response {{"access_token": "{ACCESS}", '
        f'"refresh_token": "{REFRESH}", "expires_in": 3600}}',
        f"2026-12-01 10:00:02,000 DEBUG qbdesk.intuit: Authorization: Bearer {ACCESS}",
        f"2026-12-01 10:00:03,000 WARNING qbdesk.x: a library printed {REFRESH} and {STATE} bare",
        f"2026-12-01 10:00:04,000 WARNING qbdesk.x: client secret was {SANDBOX_SECRET}/{PRODUCTION_SECRET}",
        f"2026-12-01 10:00:05,000 INFO qbdesk.credentials: Connected credential {credential.id}",
    ]
    log_path.write_text("\n".join(lines) + "\n")
    yield context, env, credential
    context.close()


def test_no_planted_secret_appears_in_the_report(planted):
    context, env, _ = planted
    report = diagnostic_report(context, TOOLKIT, env)
    leaked = [name for name, secret in PLANTED.items() if secret in report]
    assert not leaked, f"the report shows the {', '.join(leaked)}"
    for secret in PLANTED.values():  # not even a long piece of one
        assert not any(secret[i:i + 12] in report for i in range(len(secret) - 11))


def test_the_report_has_what_support_needs(planted):
    context, env, credential = planted
    report = diagnostic_report(context, TOOLKIT, env)
    assert f"qbdesk {__version__}" in report
    assert "Operating system:" in report and "Python: 3." in report
    assert "Qt: 6.11.3" in report and "PySide6: 6.11.3" in report
    assert "Secrets kept in: the system keychain" in report
    assert "Keychain backend: memory_keyring.MemoryKeyring" in report
    assert "QuickBooks (Sandbox Mode): client id ABsa\u2026 (16 characters), client secret set" in report
    assert "QBDESK_PRODUCTION_CLIENT_SECRET" in report  # the name of an override, never its value
    assert '"redirect_uri": "http://localhost:8765/callback"' in report  # the query with the code is gone
    assert "Credentials: 1 Incomplete" in report
    assert "realmId=9130350001" in report  # realm ids and credential ids stay readable
    assert f"Connected credential {credential.id}" in report


def test_the_report_holds_the_last_200_log_lines(planted):
    context, env, _ = planted
    report = diagnostic_report(context, TOOLKIT, env)
    log_part = report.split(f"== Last {LOG_LINES} log lines (secrets removed) ==\n", 1)[1]
    shown = log_part.rstrip("\n").split("\n")
    assert len(shown) == LOG_LINES
    assert shown[-1].endswith("Connected credential " + planted[2].id)
    assert "early line 105" not in report and "early line 106" in report


def test_the_log_file_qbdesk_writes_to_is_the_one_reported(tmp_path):
    data_dir = tmp_path / "elsewhere"
    configure_logging(data_dir)
    try:
        logging.getLogger("qbdesk.test").warning("written for the report")
        context = AppContext.open(tmp_path / "data", {})
        try:
            report = diagnostic_report(context, TOOLKIT, {}, log_file())
        finally:
            context.close()
    finally:
        for handler in list(logging.getLogger("qbdesk").handlers):
            if getattr(handler, "qbdesk_handler", False):
                logging.getLogger("qbdesk").removeHandler(handler)
                handler.close()
    assert f"Log file: {data_dir / 'qbdesk.log'}" in report
    assert "written for the report" in report


@pytest.mark.parametrize("kept", [
    "qbdesk.services.signin: Exchanging the code for Acme Ltd",
    "/home/finance/.local/share/qbdesk/qbdesk.sqlite3",
    "credential 3f2b9c1e0d4a4b6c8e7f1a2b3c4d5e6f",
    "realmId=9130350001 company Acme",
])
def test_ordinary_words_paths_and_ids_stay_readable(kept):
    assert scrub(kept) == kept
