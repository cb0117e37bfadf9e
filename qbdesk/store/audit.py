"""The audit log in SQLite: what happened to which credential, when. Never a secret."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from qbdesk.store.models import AuditRow


@dataclass(frozen=True)
class AuditEvent:
    """One recorded event."""

    at: datetime
    credential_id: str | None
    credential_name: str
    event: str
    detail: str = ""


class AuditLog:
    """Appends events and reads them back, newest first."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def record(self, event: AuditEvent) -> None:
        with Session(self._engine) as session, session.begin():
            session.add(
                AuditRow(
                    at=event.at,
                    credential_id=event.credential_id,
                    credential_name=event.credential_name[:100],
                    event=event.event[:32],
                    detail=event.detail[:500],
                )
            )

    def events(self, limit: int = 10_000) -> list[AuditEvent]:
        with Session(self._engine) as session:
            rows = session.scalars(select(AuditRow).order_by(AuditRow.at.desc(), AuditRow.id.desc()).limit(limit))
            return [AuditEvent(r.at, r.credential_id, r.credential_name, r.event, r.detail) for r in rows]


def _cell(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def events_as_csv(events: list[AuditEvent]) -> str:
    """The events as CSV text with a header row, times in UTC ISO 8601."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["time_utc", "credential_id", "credential_name", "event", "detail"])
    for e in events:
        writer.writerow([e.at.isoformat(), e.credential_id or "", _cell(e.credential_name), e.event, _cell(e.detail)])
    return out.getvalue()
