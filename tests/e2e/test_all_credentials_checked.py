"""Test all against the emulator: a bounded number of calls at once, 429s backed off and retried, cancelling."""

from __future__ import annotations

import threading

import pytest

from qbdesk.core.destinations import Destination
from qbdesk.core.health import State
from qbdesk.emulator import Fault
from qbdesk.intuit.errors import MAX_RETRY_AFTER_SECONDS, throttled
from qbdesk.services.checkup import MAX_BACKOFF_SECONDS, CheckAll, backoff_seconds

from consent import approve_in_browser

pytestmark = pytest.mark.e2e


def connect(context, count: int) -> list[str]:
    ids = []
    for number in range(count):
        credential = context.credentials.create_pending(f"Company {number}", Destination.SANDBOX)
        assert approve_in_browser(context.signin.begin(credential.id).url).status_code == 200
        ids.append(credential.id)
    return ids


def checker(context, **options) -> CheckAll:
    return CheckAll(context.tokens, context.credentials, context.clock, **options)


def test_no_more_than_the_bound_of_calls_run_at_once(context, world, monkeypatch):
    connect(context, 8)
    world.emulator.inject_fault("companyinfo", Fault.SLOW, times=8, delay=0.3)
    lock, running, peak = threading.Lock(), [0], [0]
    real_test = context.tokens.test_connection

    def counted(credential_id):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        try:
            return real_test(credential_id)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(context.tokens, "test_connection", counted)
    summary = checker(context, concurrency=3).run()
    assert [result.passed for result in summary.results] == [True] * 8
    assert 2 <= peak[0] <= 3


def test_throttled_checks_are_retried_and_counted(context, world):
    ids = connect(context, 3)
    world.emulator.inject_fault("companyinfo", Fault.HTTP_429, times=2, delay=0)
    seen = []
    summary = checker(context).run(lambda result, done, total: seen.append((result.credential_id, done, total)))
    assert summary.throttled_calls == 2 and summary.by_state()[State.CONNECTED] == 3
    assert sum(result.attempts for result in summary.results) == 3 + 2
    assert sorted(credential for credential, _, _ in seen) == sorted(ids)
    assert [(done, total) for _, done, total in seen] == [(1, 3), (2, 3), (3, 3)]


def test_a_check_throttled_every_time_stops_after_its_attempts(context, world):
    connect(context, 1)
    world.emulator.inject_fault("companyinfo", Fault.HTTP_429, times=10, delay=0)
    try:
        (result,) = checker(context, max_attempts=3).run().results
    finally:
        world.emulator.clear_faults()
    assert result.attempts == 3 and not result.passed and "too many requests" in result.cause
    assert result.state is State.CONNECTED  # throttling says nothing about the credential itself


def test_cancelling_starts_no_more_checks(context, world):
    connect(context, 6)
    cancel = threading.Event()
    summary = checker(context, concurrency=1).run(lambda result, done, total: cancel.set(), cancel)
    assert summary.cancelled and len(summary.results) == 1 and summary.total == 6


def test_incomplete_credentials_are_reported_without_a_call(context, world):
    context.credentials.create_pending("Unfinished", Destination.SANDBOX)
    calls = world.emulator.token_calls
    (result,) = checker(context).run().results
    assert result.state is State.INCOMPLETE and result.attempts == 0 and world.emulator.token_calls == calls


@pytest.mark.parametrize(
    "header, seconds",
    [("3", 3.0), ("0", 0.0), (" 7 ", 7.0), ("99999", MAX_RETRY_AFTER_SECONDS), ("-1", None), ("1.5", None),
     ("Wed, 21 Oct 2015 07:28:00 GMT", None), ("\u0663", None), ("", None), (None, None)],
)
def test_retry_after_is_whole_seconds_capped_and_anything_else_ignored(header, seconds):
    assert throttled(header).retry_after == seconds


def test_backoff_follows_retry_after_else_doubles_up_to_a_ceiling():
    assert backoff_seconds(1, 4.0) == 4.0
    assert 1.0 <= backoff_seconds(1, None) <= 1.25 and 2.0 <= backoff_seconds(2, None) <= 2.5
    assert MAX_BACKOFF_SECONDS <= backoff_seconds(20, None) <= MAX_BACKOFF_SECONDS * 1.25
