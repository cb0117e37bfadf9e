"""The first schema: the credentials table.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "credentials",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("name_key", sa.String(400), nullable=False, unique=True),
        sa.Column("destination", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("realm_id", sa.String(32)),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("pending_expires_at", sa.DateTime()),
        sa.Column("connected_at", sa.DateTime()),
        sa.Column("access_token_expires_at", sa.DateTime()),
        sa.Column("refresh_token_expires_at", sa.DateTime()),
    )
    op.create_index("ix_credentials_pending_expires_at", "credentials", ["pending_expires_at"])


def downgrade() -> None:
    op.drop_index("ix_credentials_pending_expires_at", "credentials")
    op.drop_table("credentials")
