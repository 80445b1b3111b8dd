"""Bring a database's schema to the newest Alembic revision (the `db upgrade` command).

The migrations (queue_server/migrations) import nothing of the application; this module gives
them a connection from the app's engine factory and the mapped tables (for autogenerate).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config

from .db import make_engine
from .orm import metadata

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


@contextmanager
def alembic_config(url: str) -> Iterator[Config]:
    """An Alembic config on a connection to `url`, with the mapped tables as autogenerate's
    target: `with alembic_config(url) as cfg: command.revision(cfg, "...", autogenerate=True)`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["target_metadata"] = metadata
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                # Batch mode rebuilds a SQLite table by copy, drop and rename; with foreign
                # keys enforced, dropping a table that others point at (counters, under every
                # ticket) fails on any database holding data. Off for the migration, then
                # checked (Alembic's recipe); outside a transaction, where SQLite honours it.
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
            config.attributes["connection"] = connection
            yield config
            if sqlite:
                broken = connection.connection.driver_connection.execute(
                    "PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration left rows pointing nowhere: {broken[:5]}")
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> None:
    with alembic_config(url) as config:
        command.upgrade(config, revision)
