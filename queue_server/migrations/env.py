"""Alembic environment: runs on the connection queue_server.adapters.migrate gives it.

The migrations import nothing of the running application: the connection (made by the app's
engine factory) and the mapped tables autogenerate compares with (`target_metadata`) come in
through `config.attributes` (see queue_server/adapters/migrate.py).
"""

from alembic import context

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise SystemExit("run migrations through queue_server.adapters.migrate "
                         "(`gecc-queue db upgrade`): it gives them their connection")
    # Batch mode rebuilds tables where SQLite cannot ALTER them in place.
    context.configure(connection=connection,
                      target_metadata=config.attributes.get("target_metadata"),
                      render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; give a database URL")
run_migrations_online()
