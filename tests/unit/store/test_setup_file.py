"""A shared setup: exported without secrets, read back by the same checker as the managed file."""

from __future__ import annotations

import json

import pytest

from qbdesk.core.destinations import Destination
from qbdesk.store.setup_file import (
    SetupFileProblem,
    SetupKind,
    parse_setup,
    read_setup,
    shared_setup_text,
    write_shared_setup,
)


def test_export_round_trips_and_holds_no_secret_field():
    text = shared_setup_text({
        Destination.PRODUCTION: {"client_id": "ProdID", "redirect_uri": "https://org.example/cb"},
        Destination.SANDBOX: {"client_id": "SandID", "redirect_uri": "http://localhost:8765/callback",
                              "client_secret": "NeverWritten"},
    })
    assert "secret" not in text.lower()
    document = parse_setup(text, SetupKind.SHARED)
    assert document.get(Destination.SANDBOX).values == {
        "client_id": "SandID", "redirect_uri": "http://localhost:8765/callback"}
    assert document.get(Destination.PRODUCTION).values["redirect_uri"] == "https://org.example/cb"
    assert not document.ignored_secret


def test_a_secret_in_a_shared_file_is_not_read_but_reported():
    text = json.dumps({"qbdesk_setup": 1, "destinations": {"sandbox": {"client_id": "A", "client_secret": "Leaked1"}}})
    document = parse_setup(text, SetupKind.SHARED)
    assert document.ignored_secret
    assert document.get(Destination.SANDBOX).client_secret == ""
    assert "Leaked1" not in repr(document)


@pytest.mark.parametrize("entry", [{"locked": True}, {"hidden": True}])
def test_a_shared_file_cannot_lock_or_hide(entry):
    text = json.dumps({"qbdesk_setup": 1, "destinations": {"sandbox": {"client_id": "A", **entry}}})
    with pytest.raises(SetupFileProblem, match="is not a setup setting"):
        parse_setup(text, SetupKind.SHARED)


def test_every_problem_is_listed_and_hostile_keys_are_shown_safely():
    text = json.dumps({"qbdesk_setup": 1, "destinations": {
        "sandbox": {"client_id": "A B", "redirect_uri": "javascript:alert(1)", "\x1b[31mred" + "x" * 80: "y"}}})
    with pytest.raises(SetupFileProblem) as raised:
        parse_setup(text, SetupKind.SHARED)
    problems = raised.value.problems
    assert len(problems) == 3
    assert all(p.isprintable() for p in problems)
    assert any("?[31mred" in p and "\u2026" in p for p in problems)


def test_reading_a_missing_file_or_a_folder_is_a_plain_problem(tmp_path):
    with pytest.raises(SetupFileProblem, match="could not be read"):
        read_setup(tmp_path / "absent.json", SetupKind.SHARED)
    with pytest.raises(SetupFileProblem, match="It is not a file"):
        read_setup(tmp_path, SetupKind.SHARED)


def test_an_exported_file_reads_back_from_disk(tmp_path):
    path = tmp_path / "setup.json"
    write_shared_setup(path, {Destination.PRODUCTION: {"client_id": "P1", "redirect_uri": "https://a.example/cb"}})
    assert read_setup(path, SetupKind.SHARED).get(Destination.PRODUCTION).values["client_id"] == "P1"
