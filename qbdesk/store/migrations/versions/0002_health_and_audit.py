"""Credential health, company name and token times; the audit log.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("credentials") as table:
        table.add_column(sa.Column("company_name", sa.String(200)))
        table.add_column(sa.Column("health", sa.String(24), nullable=False, server_default="ok"))
        table.add_column(sa.Column("health_detail", sa.String(500)))
        table.add_column(sa.Column("hard_expires_at", sa.DateTime()))
        table.add_column(sa.Column("last_refreshed_at", sa.DateTime()))
        table.add_column(sa.Column("last_used_at", sa.DateTime()))
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("credential_id", sa.String(32)),
        sa.Column("credential_name", sa.String(100), nullable=False),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("detail", sa.String(500), nullable=False, server_default=""),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_at", "audit_events")
    op.drop_table("audit_events")
    with op.batch_alter_table("credentials") as table:
        for column in ("last_used_at", "last_refreshed_at", "hard_expires_at", "health_detail", "health", "company_name"):
            table.drop_column(column)
