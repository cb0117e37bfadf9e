"""The SQLite tables, as SQLAlchemy typed models. Only metadata: secrets live in the vault."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Index, Integer, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite itself keeps no time zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("Refusing to store a naive datetime; use an aware UTC one.")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class CredentialRow(Base):
    """One credential's metadata."""

    __tablename__ = "credentials"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(400), unique=True)
    destination: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    realm_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    pending_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    connected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    access_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refresh_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    company_name: Mapped[str | None] = mapped_column(String(200))
    health: Mapped[str] = mapped_column(String(24), default="ok", server_default="ok")
    health_detail: Mapped[str | None] = mapped_column(String(500))
    hard_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_credentials_pending_expires_at", "pending_expires_at"),)


class AuditRow(Base):
    """One thing that happened to a credential. Never holds a secret."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    credential_id: Mapped[str | None] = mapped_column(String(32))
    credential_name: Mapped[str] = mapped_column(String(100))
    event: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(String(500), default="", server_default="")

    __table_args__ = (Index("ix_audit_events_at", "at"),)


class ListVersion(Base):
    """One row counting writes to the credential list (by any process)."""

    __tablename__ = "list_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
