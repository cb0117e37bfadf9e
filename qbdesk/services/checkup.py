"""Test all: every credential checked with Intuit, a few calls at a time, backing off when Intuit throttles."""

from __future__ import annotations

import logging
import queue
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from qbdesk.core.clock import Clock
from qbdesk.core.credential import Credential, Status
from qbdesk.core.health import State, state_of
from qbdesk.core.problems import Kind, NextStep
from qbdesk.services.credentials import CredentialService
from qbdesk.services.tokens import CredentialUnusable, TokenService

log = logging.getLogger("qbdesk.checkup")

CONCURRENT_CALLS = 4  # Intuit allows 10 concurrent calls per company and app; four keeps well inside that
MAX_ATTEMPTS = 6  # a throttled call is tried this many times in all before its credential is reported
FIRST_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 30.0


@dataclass(frozen=True)
class CheckResult:
    """One credential after its check: its state now, and what went wrong if it did."""

    credential_id: str
    name: str
    state: State
    company_name: str | None = None
    cause: str | None = None  # what went wrong, in the services' words; None when the check passed
    kind: Kind | None = None
    next_step: NextStep = NextStep.NONE
    attempts: int = 0  # calls made (more than one when Intuit throttled)

    @property
    def passed(self) -> bool:
        return self.cause is None and self.state is State.CONNECTED


@dataclass
class CheckSummary:
    """The whole run: each result in the order it finished, and whether it was cancelled before the end."""

    total: int
    results: list[CheckResult] = field(default_factory=list)
    cancelled: bool = False
    throttled_calls: int = 0  # 429 answers that were backed off and retried

    def by_state(self) -> dict[State, int]:
        """How many credentials are in each state, every state listed."""
        counts = Counter(result.state for result in self.results)
        return {state: counts.get(state, 0) for state in State}

    @property
    def failed(self) -> list[CheckResult]:
        return [result for result in self.results if not result.passed]


class Throttle:
    """One pause shared by every worker: after a 429 nobody calls Intuit again until the pause is over."""

    def __init__(self, cancel: threading.Event) -> None:
        self._cancel = cancel
        self._lock = threading.Lock()
        self._resume_at = 0.0

    def pause(self, seconds: float) -> None:
        with self._lock:
            self._resume_at = max(self._resume_at, time.monotonic() + seconds)

    def wait(self) -> bool:
        """Wait out any pause; False when the run was cancelled meanwhile."""
        while not self._cancel.is_set():
            with self._lock:
                remaining = self._resume_at - time.monotonic()
            if remaining <= 0:
                return True
            self._cancel.wait(remaining)
        return False


def backoff_seconds(attempt: int, retry_after: float | None) -> float:
    """Intuit's Retry-After when it sent one, else doubling from one second with a little jitter."""
    if retry_after is not None:
        return retry_after
    return min(MAX_BACKOFF_SECONDS, FIRST_BACKOFF_SECONDS * 2 ** (attempt - 1)) * random.uniform(1.0, 1.25)


class CheckAll:
    """Tests every credential's connection with at most `concurrency` calls to Intuit at once."""

    def __init__(self, tokens: TokenService, credentials: CredentialService, clock: Clock,
                 concurrency: int = CONCURRENT_CALLS, max_attempts: int = MAX_ATTEMPTS) -> None:
        self._tokens = tokens
        self._credentials = credentials
        self._clock = clock
        self._concurrency = max(1, concurrency)
        self._max_attempts = max(1, max_attempts)
        self._count_lock = threading.Lock()

    def run(
        self,
        on_result: Callable[[CheckResult, int, int], None] = lambda result, done, total: None,
        cancel: threading.Event | None = None,
        on_start: Callable[[int], None] = lambda total: None,
    ) -> CheckSummary:
        """Check every credential; on_start(total) once the list is read, then on_result(result, done, total) as each
        check ends (both on worker threads).

        Credentials whose sign-in never finished are reported as Incomplete without a call. Setting cancel
        lets the calls under way finish and starts no more.
        """
        cancel = cancel or threading.Event()
        everything = self._credentials.list()
        summary = CheckSummary(total=len(everything))
        on_start(summary.total)
        waiting: queue.SimpleQueue[Credential] = queue.SimpleQueue()
        for credential in everything:
            waiting.put(credential)
        throttle = Throttle(cancel)
        done_lock = threading.Lock()

        def report(result: CheckResult) -> None:
            with done_lock:
                summary.results.append(result)
                done = len(summary.results)
            on_result(result, done, summary.total)

        def work() -> None:
            while not cancel.is_set():
                try:
                    credential = waiting.get_nowait()
                except queue.Empty:
                    return
                result = self._check(credential, throttle, summary)
                if result is not None:
                    report(result)

        with ThreadPoolExecutor(self._concurrency, thread_name_prefix="qbdesk-check") as pool:
            for running in [pool.submit(work) for _ in range(self._concurrency)]:
                running.result()
        summary.cancelled = cancel.is_set() and len(summary.results) < summary.total
        return summary

    def _check(self, credential: Credential, throttle: Throttle, summary: CheckSummary) -> CheckResult | None:
        """Test one credential, backing off and retrying while Intuit throttles; None when cancelled meanwhile."""
        if credential.status is not Status.CONNECTED:
            return CheckResult(credential.id, credential.name, State.INCOMPLETE)
        attempts = 0
        while True:
            if not throttle.wait():
                return None
            attempts += 1
            try:
                tested = self._tokens.test_connection(credential.id)
            except CredentialUnusable as exc:
                if exc.throttled and attempts < self._max_attempts:
                    with self._count_lock:
                        summary.throttled_calls += 1
                    pause = backoff_seconds(attempts, exc.retry_after)
                    log.info("Intuit throttled a check; pausing every call for %.1f s", pause)
                    throttle.pause(pause)
                    continue
                return self._failed(credential, exc, attempts)
            except Exception:  # one credential's surprise must not end everyone's check
                log.exception("Checking %s failed unexpectedly", credential.id)
                unexpected = CredentialUnusable("Something unexpected went wrong.", Kind.OTHER, NextStep.SEE_LOG)
                return self._failed(credential, unexpected, attempts)
            return CheckResult(tested.id, tested.name, state_of(tested, self._clock.now()), tested.company_name,
                               attempts=attempts)

    def _failed(self, credential: Credential, problem: CredentialUnusable, attempts: int) -> CheckResult:
        now = self._credentials.get(credential.id) or credential
        return CheckResult(credential.id, now.name, state_of(now, self._clock.now()), now.company_name, problem.cause,
                           problem.kind, problem.next_step, attempts)
