"""Alembic's entry for qbdesk: always runs on the connection start-up hands it."""

from alembic import context

from qbdesk.store.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
