"""Engines and sessions: SQLite tuned for many writers, PostgreSQL as it is."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from .orm import start_mappers, store_recorded_events


SYNCHRONOUS = ("FULL", "NORMAL")


def make_engine(url: str, sqlite_synchronous: str = "FULL") -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout and write-locking transactions,
    and fsyncs every commit unless told NORMAL (GECC_SQLITE_SYNCHRONOUS)."""
    start_mappers()
    if url.startswith("sqlite"):
        if sqlite_synchronous not in SYNCHRONOUS:
            raise ValueError(f"GECC_SQLITE_SYNCHRONOUS is FULL or NORMAL, not {sqlite_synchronous!r}")
        return _sqlite_engine(url, sqlite_synchronous)
    return sa.create_engine(url, pool_size=20, max_overflow=20, pool_pre_ping=True)


def _sqlite_engine(url: str, synchronous: str) -> Engine:
    db_path = sa.engine.make_url(url).database
    if db_path and db_path != ":memory:":
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, pool_size=20, max_overflow=20,
                              connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: each commit reaches the disk before the answer (a power cut loses nothing
        # answered); NORMAL in WAL mode: the last commits may be lost, never corrupted.
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # Writers take the write lock up front (IMMEDIATE), so two writers queue on the busy
        # timeout instead of one failing with "database is locked" half-way. Readers do not.
        mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def session_factories(engine: Engine) -> tuple[sessionmaker, sessionmaker]:
    """(writer, reader) session factories; on SQLite the reader does not take the write lock."""
    writer = sessionmaker(bind=engine, expire_on_commit=False)
    reader = sessionmaker(bind=engine.execution_options(sqlite_begin="DEFERRED"),
                          expire_on_commit=False)
    for factory in (writer, reader):
        event.listen(factory, "before_flush", store_recorded_events)
    return writer, reader
