"""The Alembic migrations build exactly the schema the code maps, on SQLite and PostgreSQL."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from queue_server.adapters.orm import metadata


def test_migrations_match_the_mapped_tables(db_url):
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert diff == [], "a model change without its migration: run alembic revision --autogenerate"
