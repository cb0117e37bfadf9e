"""Export and import in one process: what a file may hold, and that a refused import changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from qbdesk.core.destinations import Destination
from qbdesk.services.transfer import NameChoice, TransferProblem, TransferService, read_transfer_file
from qbdesk.services.transfer_contents import UnreadableContents, bundle_from

from consent import approve_in_browser

PASSPHRASE = "correct horse battery staple"
NOW = "2026-12-01T10:00:00+00:00"


def connect(context, name: str) -> str:
    credential = context.credentials.create_pending(name, Destination.SANDBOX)
    assert approve_in_browser(context.signin.begin(credential.id).url).status_code == 200
    return credential.id


def contents(**changes) -> dict:
    item = {"name": "Acme", "destination": "sandbox", "realm_id": "9130354786429856", "company_name": "Acme Ltd",
            "access_token": "eyJ.access", "refresh_token": "AB11refresh", "created_at": NOW,
            "connected_at": NOW, "access_token_expires_at": NOW, "refresh_token_expires_at": NOW,
            "hard_expires_at": None, "last_refreshed_at": None}
    item.update(changes)
    return {"kind": "qbdesk-credentials", "exported_at": NOW, "client_ids": {"sandbox": "id"}, "credentials": [item]}


def test_a_well_formed_file_reads_back_as_connected_credentials():
    [carried] = bundle_from(contents()).carried
    assert carried.credential.name == "Acme" and carried.credential.realm_id == "9130354786429856"
    assert carried.credential.created_at == datetime(2026, 12, 1, 10, tzinfo=UTC)
    assert carried.refresh_token == "AB11refresh"


@pytest.mark.parametrize("changes", [
    {"name": "Acme\x1b[2J"}, {"name": ""}, {"name": "x" * 101}, {"realm_id": "12; rm"}, {"destination": "mars"},
    {"refresh_token": ""}, {"access_token": "a\nb"}, {"created_at": "yesterday"}, {"connected_at": "2026-12-01T10:00"},
    {"company_name": 5},
])
def test_a_file_out_of_shape_is_refused(changes):
    with pytest.raises(UnreadableContents):
        bundle_from(contents(**changes))


def test_an_import_with_an_undecided_name_changes_nothing(context, tmp_path):
    service = TransferService(context)
    acme = connect(context, "Acme")
    path = tmp_path / "f.qbdesk"
    service.export([acme], path, PASSPHRASE, move=False)
    bundle = read_transfer_file(path, PASSPHRASE)
    before = context.credentials.list()
    with pytest.raises(TransferProblem, match="skip, rename or replace: Acme"):
        service.import_bundle(bundle, path, {})
    assert context.credentials.list() == before


def test_a_renamed_import_keeps_within_the_name_length(context, tmp_path):
    service = TransferService(context)
    long_name = "L" * 100
    first = connect(context, long_name)
    path = tmp_path / "f.qbdesk"
    service.export([first], path, PASSPHRASE, move=False)
    outcome = service.import_bundle(read_transfer_file(path, PASSPHRASE), path, {long_name: NameChoice.RENAME})
    assert [c.name for c in outcome.added] == ["L" * 96 + " (2)"]


def test_an_unfinished_sign_in_is_not_exported_and_no_file_is_written(context, tmp_path):
    pending = context.credentials.create_pending("Gamma", Destination.SANDBOX)
    with pytest.raises(TransferProblem, match="has not finished signing in"):
        TransferService(context).export([pending.id], tmp_path / "f.qbdesk", PASSPHRASE, move=True)
    assert not (tmp_path / "f.qbdesk").exists() and context.credentials.get(pending.id) is not None


def test_a_short_passphrase_is_refused(context, tmp_path):
    acme = connect(context, "Acme")
    with pytest.raises(TransferProblem, match="at least 10 characters"):
        TransferService(context).export([acme], tmp_path / "f.qbdesk", "short", move=True)
    assert context.credentials.get(acme) is not None
