"""Recording what happens to credentials, in one call the services share."""

from __future__ import annotations

from qbdesk.core.clock import Clock
from qbdesk.core.credential import Credential
from qbdesk.store.audit import AuditEvent, AuditLog, events_as_csv


class AuditTrail:
    """Appends events stamped with the clock's time; lists and exports them."""

    def __init__(self, log: AuditLog, clock: Clock) -> None:
        self._log = log
        self._clock = clock

    def record(self, credential: Credential, event: str, detail: str = "") -> None:
        self._log.record(AuditEvent(self._clock.now(), credential.id, credential.name, event, detail))

    def events(self, limit: int = 10_000) -> list[AuditEvent]:
        return self._log.events(limit)

    def csv(self) -> str:
        return events_as_csv(self._log.events())
