"""An emulator with a state file (demo mode): tokens outlive it and are shared with other emulators on the file."""

from __future__ import annotations

import contextlib

from emulator_flow import PROD_ID, PROD_REDIRECT, PROD_SECRET, Driver

from qbdesk.emulator import INTUIT_ROTATION, STRICT_ROTATION, Emulator


@contextlib.contextmanager
def saved_emulator(path, clock, rotation=INTUIT_ROTATION):
    with Emulator(clock=clock, state_file=path, rotation=rotation) as emulator:
        emulator.register_client(PROD_ID, PROD_SECRET, [PROD_REDIRECT], "production")
        driver = Driver(emulator)
        try:
            yield driver
        finally:
            driver.close()


def test_tokens_from_an_earlier_emulator_still_work(tmp_path, clock):
    state = tmp_path / "demo" / "intuit.json"
    with saved_emulator(state, clock) as first:
        tokens, query = first.tokens()
    with saved_emulator(state, clock) as second:
        assert second.company_info(tokens["access_token"], query["realmId"]).status_code == 200
        assert second.refresh(tokens["refresh_token"]).status_code == 200
    assert state.stat().st_mode & 0o077 == 0


def test_a_rotation_or_revocation_in_one_emulator_holds_in_another_running_beside_it(tmp_path, clock):
    state = tmp_path / "intuit.json"
    with (
        saved_emulator(state, clock, STRICT_ROTATION) as window,
        saved_emulator(state, clock, STRICT_ROTATION) as command,
    ):
        tokens, query = window.tokens()
        rotated = command.refresh(tokens["refresh_token"])
        assert rotated.status_code == 200
        assert window.refresh(tokens["refresh_token"]).status_code == 400  # rotated away elsewhere
        newest = rotated.json()
        assert window.revoke(newest["refresh_token"]).status_code == 200
        assert command.company_info(newest["access_token"], query["realmId"]).status_code == 401


def test_a_refresh_token_rotated_in_one_emulator_leads_the_other_to_the_newest(tmp_path, clock):
    state = tmp_path / "intuit.json"
    with saved_emulator(state, clock) as window, saved_emulator(state, clock) as command:
        tokens, _ = window.tokens()
        clock.advance(INTUIT_ROTATION.reuse_for)
        newest = command.refresh(tokens["refresh_token"]).json()["refresh_token"]
        assert newest != tokens["refresh_token"]
        # The previous token, in its grace period, brings the newest back rather than a third one.
        assert window.refresh(tokens["refresh_token"]).json()["refresh_token"] == newest
        clock.advance(INTUIT_ROTATION.grace)
        assert window.refresh(tokens["refresh_token"]).status_code == 400


def test_an_emulator_without_a_state_file_forgets_its_tokens(tmp_path, clock):
    with Emulator(clock=clock) as first:
        first.register_client(PROD_ID, PROD_SECRET, [PROD_REDIRECT], "production")
        tokens, query = Driver(first).tokens()
    with saved_emulator(tmp_path / "intuit.json", clock) as second:
        assert second.company_info(tokens["access_token"], query["realmId"]).status_code == 401


def test_an_unreadable_state_file_starts_afresh(tmp_path, clock):
    state = tmp_path / "intuit.json"
    state.write_text("{not json", "utf-8")
    with saved_emulator(state, clock) as emulator:
        tokens, query = emulator.tokens()
        assert emulator.company_info(tokens["access_token"], query["realmId"]).status_code == 200


def test_expired_codes_and_tokens_leave_the_file(tmp_path, clock):
    state = tmp_path / "intuit.json"
    with saved_emulator(state, clock) as emulator:
        old, _ = emulator.tokens()
        clock.advance(8726400 + 1)  # past the refresh token's lifetime
        emulator.tokens()
    text = state.read_text("utf-8")
    assert old["access_token"] not in text and old["refresh_token"] not in text
