"""The diagnostic report says whether the administrator's managed file is in force, and never its secret."""

from __future__ import annotations

import json

from qbdesk.services.context import AppContext
from qbdesk.services.diagnostics import diagnostic_report

TOOLKIT = {"Qt": "6.11.3", "PySide6": "6.11.3"}
SECRET = "OrgSecretZx8Cv3Bn7Mq1Wq3Rt7Yu1"


def report_with(tmp_path, text: str | None, mode: int = 0o640) -> str:
    path = tmp_path / "managed.json"
    if text is not None:
        path.write_text(text)
        path.chmod(mode)
    env = {"QBDESK_MANAGED_CONFIG": str(path)}
    context = AppContext.open(tmp_path / "data", env)
    try:
        return diagnostic_report(context, TOOLKIT, env)
    finally:
        context.close()


def test_a_managed_file_in_force_is_named_with_its_locks_and_without_its_secret(tmp_path):
    managed = {"qbdesk_setup": 1, "destinations": {
        "sandbox": {"hidden": True},
        "production": {"client_id": "ORGID", "redirect_uri": "https://org.example/cb", "client_secret": SECRET,
                       "locked": ["client_id", "redirect_uri", "client_secret"]}}}
    report = report_with(tmp_path, json.dumps(managed))
    line = next(line for line in report.splitlines() if line.startswith("Managed setup file:"))
    assert str(tmp_path / "managed.json") in line and "in force" in line
    assert "QuickBooks locked: client_id, redirect_uri, client_secret" in line
    assert "QuickBooks (Sandbox Mode) hidden" in line
    assert "QuickBooks: client id ORGI\u2026 (5 characters), client secret set" in report
    assert SECRET not in report


def test_a_broken_or_missing_managed_file_is_said_so(tmp_path):
    assert f"Managed setup file: {tmp_path / 'managed.json'} (not present)" in report_with(tmp_path, None)
    broken = report_with(tmp_path, "{oops")
    assert f"Managed setup file: {tmp_path / 'managed.json'} NOT USED: It is not valid JSON (line 1)." in broken
