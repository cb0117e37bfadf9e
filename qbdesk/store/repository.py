"""Reading and writing credential metadata; each call is one short transaction."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qbdesk.core.credential import Credential, Health, Status
from qbdesk.core.destinations import Destination
from qbdesk.core.names import name_key
from qbdesk.store.models import CredentialRow, ListVersion
from qbdesk.store.schema import SELECT_CREDENTIAL, SELECT_CREDENTIALS, credential_from_row, credentials_from_rows


class NameTaken(Exception):
    """Another credential already uses this name (ignoring case)."""


class CredentialNotFound(Exception):
    """The credential is gone (deleted, or expired while incomplete)."""


class PendingExpired(Exception):
    """The credential's sign-in ran past its stored expiry, so it can no longer be connected."""


def _read(connection: Connection, credential_id: str) -> Credential | None:
    """One credential as stored, through the same plain-row mapping as the list."""
    row = connection.exec_driver_sql(SELECT_CREDENTIAL, (credential_id,)).first()
    return None if row is None else credential_from_row(row)


def _take_token_times(
    row: CredentialRow, access_expires: datetime, refresh_expires: datetime, hard_expires: datetime | None
) -> None:
    """Fresh tokens from Intuit (a sign-in or a refresh): their times, and the credential is healthy again.
    Intuit names the hard limit only when asked; without it the one already known stays."""
    row.access_token_expires_at = access_expires
    row.refresh_token_expires_at = refresh_expires
    row.hard_expires_at = hard_expires or row.hard_expires_at
    row.health, row.health_detail = Health.OK.value, None


class CredentialRepository:
    """Credential metadata in SQLite. Writes go one at a time."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._write_lock = threading.Lock()
        self._own_versions: set[int] = set()  # list versions this process wrote
        self._seen_version: int | None = None

    def _bump(self, session: Session) -> None:
        """Count this write in the shared list version, remembering it as our own (same transaction)."""
        session.execute(update(ListVersion).values(version=ListVersion.version + 1))
        self._own_versions.add(session.scalar(select(ListVersion.version)))

    def changed_elsewhere(self) -> bool:
        """True when another process wrote to the list since the last call (or at the first call)."""
        with Session(self._engine) as session:
            current = session.scalar(select(ListVersion.version)) or 0
        seen, self._seen_version = self._seen_version, current
        if seen is None:
            return True
        outside = set(range(seen + 1, current + 1)) - self._own_versions
        self._own_versions = {v for v in self._own_versions if v > current}
        return bool(outside)

    def all(self) -> list[Credential]:
        """Every credential, oldest first (plain rows: the ORM costs ten times as much for a long list)."""
        with self._engine.connect() as connection:
            return credentials_from_rows(connection.exec_driver_sql(SELECT_CREDENTIALS))

    def get(self, credential_id: str) -> Credential | None:
        with self._engine.connect() as connection:
            return _read(connection, credential_id)

    def name_in_use(self, name: str, ignore_id: str | None = None) -> bool:
        """True when another credential has this name, ignoring case (one indexed lookup)."""
        query = select(CredentialRow.id).where(CredentialRow.name_key == name_key(name))
        if ignore_id is not None:
            query = query.where(CredentialRow.id != ignore_id)
        with Session(self._engine) as session:
            return session.scalar(query.limit(1)) is not None

    def next_pending_expiry(self) -> datetime | None:
        """The earliest expiry among pending credentials, or None when none is pending."""
        with Session(self._engine) as session:
            return session.scalar(select(func.min(CredentialRow.pending_expires_at)))

    def add_pending(self, name: str, destination: Destination, now: datetime, expires_at: datetime) -> Credential:
        row = CredentialRow(
            id=uuid.uuid4().hex,
            name=name,
            name_key=name_key(name),
            destination=destination.value,
            status=Status.PENDING.value,
            created_at=now,
            pending_expires_at=expires_at,
        )
        return self._write(row.id, lambda session: session.add(row))

    def add_connected(self, credential: Credential) -> Credential:
        """Insert a connected credential as given (one brought from another computer); raises NameTaken."""
        row = CredentialRow(
            id=credential.id,
            name=credential.name,
            name_key=name_key(credential.name),
            destination=credential.destination.value,
            status=Status.CONNECTED.value,
            realm_id=credential.realm_id,
            company_name=credential.company_name,
            created_at=credential.created_at,
            connected_at=credential.connected_at,
            access_token_expires_at=credential.access_token_expires_at,
            refresh_token_expires_at=credential.refresh_token_expires_at,
            hard_expires_at=credential.hard_expires_at,
            last_refreshed_at=credential.last_refreshed_at,
            health=Health.OK.value,
        )
        return self._write(row.id, lambda session: session.add(row))

    def revise_pending(
        self, credential_id: str, name: str, destination: Destination, expires_at: datetime | None = None
    ) -> Credential:
        """Change a pending credential's name, destination and (optionally) expiry."""

        def change(row: CredentialRow) -> None:
            if row.status != Status.PENDING.value:
                raise ValueError("Only an incomplete credential can be changed this way.")
            row.name, row.name_key, row.destination = name, name_key(name), destination.value
            if expires_at is not None:
                row.pending_expires_at = expires_at

        return self._update(credential_id, change)

    def mark_connected(
        self,
        credential_id: str,
        realm_id: str,
        now: datetime,
        access_token_expires_at: datetime,
        refresh_token_expires_at: datetime,
        hard_expires_at: datetime | None = None,
    ) -> Credential:
        """Keep a finished sign-in; a pending credential whose stored expiry has passed raises PendingExpired."""

        def change(row: CredentialRow) -> None:
            expires = row.pending_expires_at
            if row.status == Status.PENDING.value and expires is not None and expires <= now:
                raise PendingExpired(credential_id)
            row.status = Status.CONNECTED.value
            row.realm_id = realm_id
            row.connected_at = now
            row.pending_expires_at = None
            _take_token_times(row, access_token_expires_at, refresh_token_expires_at, hard_expires_at)

        return self._update(credential_id, change)

    def record_refresh(
        self,
        credential_id: str,
        now: datetime,
        access_token_expires_at: datetime,
        refresh_token_expires_at: datetime,
        hard_expires_at: datetime | None,
    ) -> Credential:
        """New token times after a refresh; the credential is healthy again."""

        def change(row: CredentialRow) -> None:
            row.last_refreshed_at = now
            _take_token_times(row, access_token_expires_at, refresh_token_expires_at, hard_expires_at)

        return self._update(credential_id, change)

    def set_health(self, credential_id: str, health: Health, detail: str | None) -> Credential:
        def change(row: CredentialRow) -> None:
            row.health, row.health_detail = health.value, (detail or None) and detail[:500]

        return self._update(credential_id, change)

    def record_use(self, credential_id: str, now: datetime, company_name: str | None = None) -> Credential:
        """The credential was used (a token handed out or a test call); keep the company name it reported."""

        def change(row: CredentialRow) -> None:
            row.last_used_at = now
            if company_name:
                row.company_name = company_name[:200]

        return self._update(credential_id, change)

    def set_company_name(self, credential_id: str, company_name: str) -> Credential:
        """Keep the company name QuickBooks reported for the credential's realm."""

        def change(row: CredentialRow) -> None:
            row.company_name = company_name[:200]

        return self._update(credential_id, change)

    def rename(self, credential_id: str, name: str) -> Credential:
        def change(row: CredentialRow) -> None:
            row.name, row.name_key = name, name_key(name)

        return self._update(credential_id, change)

    def delete(self, credential_id: str) -> bool:
        with self._write_lock, Session(self._engine) as session, session.begin():
            result = session.execute(delete(CredentialRow).where(CredentialRow.id == credential_id))
            if result.rowcount:
                self._bump(session)
            return result.rowcount > 0

    def delete_expired(self, now: datetime) -> list[Credential]:
        """Remove pending credentials whose expiry has passed; returns what was removed."""
        with self._write_lock, Session(self._engine) as session, session.begin():
            expired = session.scalars(
                select(CredentialRow.id).where(
                    CredentialRow.status == Status.PENDING.value, CredentialRow.pending_expires_at <= now
                )
            ).all()
            removed = [_read(session.connection(), credential_id) for credential_id in expired]
            if expired:
                session.execute(delete(CredentialRow).where(CredentialRow.id.in_(expired)))
                self._bump(session)
            return removed

    def _update(self, credential_id: str, change) -> Credential:
        def apply(session: Session) -> None:
            row = session.get(CredentialRow, credential_id)
            if row is None:
                raise CredentialNotFound(credential_id)
            change(row)

        return self._write(credential_id, apply)

    def _write(self, credential_id: str, work) -> Credential:
        """Apply work in one transaction and return the credential as it stands then."""
        try:
            with self._write_lock, Session(self._engine) as session, session.begin():
                work(session)
                session.flush()
                self._bump(session)
                return _read(session.connection(), credential_id)
        except IntegrityError:
            raise NameTaken(credential_id) from None
