"""The Alembic migrations build exactly the schema the code maps, on SQLite and PostgreSQL."""

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from queue_server.adapters.orm import metadata, office_events, ticket_events


def test_migrations_match_the_mapped_tables(db_url):
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert diff == [], ("a model change without its migration: autogenerate one with "
                        "command.revision(config, msg, autogenerate=True) in "
                        "`with queue_server.adapters.migrate.alembic_config(url) as config`")


def add_office(conn, with_service: bool = True) -> None:
    """Office 1 and its service 1 (A), in plain SQL: the tables of any revision have them."""
    conn.execute(sa.text("INSERT INTO offices (id, name, opening_hours) VALUES (1, 'o', '[]')"))
    if with_service:
        conn.execute(sa.text(
            "INSERT INTO services (id, office_id, code, name_th, name_en, standard_minutes,"
            " target_wait_minutes) VALUES (1, 1, 'A', 'ก', 'a', 5, 10)"))


def add_ticket(conn, ticket_id: int, status: str = "waiting", **columns) -> None:
    """Ticket `ticket_id` of service 1, issued 2026-11-23 09:00 Bangkok, with `columns` over
    the defaults, in plain SQL (a migration's test writes the columns of its revision)."""
    issued = "2026-11-23 02:00:00"
    values = {"id": ticket_id, "office_id": 1, "service_id": 1, "issued_service_id": 1,
              "number": ticket_id, "label": f"A{ticket_id:03d}", "service_day": "2026-11-23",
              "priority": "normal", "channel": "kiosk", "status": status,
              "token": f"tok{ticket_id}", "issued_at": issued, "queued_at": issued,
              "queue_key": issued, "version": 1, **columns}
    conn.execute(sa.text(f"INSERT INTO tickets ({', '.join(values)}) "
                         f"VALUES ({', '.join(':' + name for name in values)})"), values)


def refuses_rewrites(engine, table: sa.Table, column: str = "actor_kind") -> None:
    """UPDATE (of `column`) and DELETE of `table` fail in the database, and its one row stays
    as it was."""
    with engine.connect() as conn:
        before = conn.execute(sa.select(table)).all()
    for statement in (f"UPDATE {table.name} SET {column} = 'forged'", f"DELETE FROM {table.name}"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            with engine.begin() as conn:
                conn.execute(sa.text(statement))
    with engine.connect() as conn:
        assert conn.execute(sa.select(table)).all() == before and len(before) == 1


def test_the_event_record_cannot_be_rewritten(db_url):
    """The audit trail is append-only in the database itself, not only by convention."""
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            add_office(conn)
            add_ticket(conn, 1)
            conn.execute(sa.insert(ticket_events).values(
                ticket_id=1, office_id=1, kind="issued",
                at=datetime(2026, 11, 23, 2, tzinfo=timezone.utc),
                actor_kind="kiosk", service_id=1, data={}))
        refuses_rewrites(engine, ticket_events)
    finally:
        engine.dispose()


def test_the_office_record_cannot_be_rewritten(db_url):
    """Which counters were open when is evidence too (migration 0006)."""
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            add_office(conn, with_service=False)
            conn.execute(sa.insert(office_events).values(
                office_id=1, kind="counter_opened", at=datetime(2026, 12, 1, 2, tzinfo=timezone.utc),
                actor_kind="user", actor_id="7", data={}))
        refuses_rewrites(engine, office_events)
    finally:
        engine.dispose()


def test_the_self_assessment_answers_cannot_be_rewritten(db_url):
    """An answer to a GECC criterion is superseded by a newer one, never edited (0008)."""
    from datetime import date

    from queue_server.adapters.orm import assessment_answers
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            add_office(conn, with_service=False)
            conn.execute(sa.text(
                "INSERT INTO users (id, office_id, username, display_name, role, password_hash, "
                "active) VALUES (1, 1, 'm', 'm', 'manager', '!', true)"))
            conn.execute(sa.insert(assessment_answers).values(
                office_id=1, item_id="physical.10", met=True, period_from=date(2026, 11, 1),
                period_to=date(2026, 12, 31), answered_by=1,
                answered_at=datetime(2026, 12, 1, 2, tzinfo=timezone.utc)))
        refuses_rewrites(engine, assessment_answers, column="note")
    finally:
        engine.dispose()


def test_tickets_called_before_0010_get_their_first_call_from_the_record(db_url):
    """Migration 0010 keeps each ticket's first call on the ticket (the end of the GECC wait);
    a database that already has called tickets gets it from the event record: the earliest
    call, not the latest (here a no-show requeue called it twice)."""
    from alembic import command

    from queue_server.adapters.migrate import alembic_config, upgrade

    with alembic_config(db_url) as config:
        command.downgrade(config, "0009")
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            add_office(conn)
            add_ticket(conn, 1, "finished", called_at="2026-11-23 02:30:00")
            add_ticket(conn, 2)
            for minute in (30, 10):  # the requeue's call is the later one
                conn.execute(sa.insert(ticket_events).values(
                    ticket_id=1, office_id=1, kind="called",
                    at=datetime(2026, 11, 23, 2, minute, tzinfo=timezone.utc),
                    actor_kind="user", actor_id="4", service_id=1, data={}))
    finally:
        engine.dispose()
    upgrade(db_url)
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            from queue_server.adapters.orm import tickets
            first = dict(conn.execute(sa.select(tickets.c.id, tickets.c.first_called_at)).all())
        assert first == {1: datetime(2026, 11, 23, 2, 10, tzinfo=timezone.utc), 2: None}
    finally:
        engine.dispose()


def test_the_complaint_record_cannot_be_rewritten(db_url):
    """Every step of a complaint stays as it was recorded (migration 0011); the complaint row
    itself still changes (its status, and its contact erased after the retention)."""
    from datetime import date

    from queue_server.adapters.orm import complaint_events, complaints
    engine = sa.create_engine(db_url)
    at = datetime(2026, 12, 1, 2, tzinfo=timezone.utc)
    try:
        with engine.begin() as conn:
            add_office(conn, with_service=False)
            conn.execute(sa.insert(complaints).values(
                id=1, office_id=1, code="ABCDE23456", text="t", category="other",
                channel="online", status="received", contact="081", received_at=at,
                due_on=date(2026, 12, 16), version=1))
            conn.execute(sa.insert(complaint_events).values(
                complaint_id=1, office_id=1, kind="received", status="received", at=at,
                actor_kind="citizen", data={}))
        refuses_rewrites(engine, complaint_events)
        with engine.begin() as conn:
            conn.execute(sa.update(complaints).values(contact=None, status="closed"))
    finally:
        engine.dispose()


def test_an_office_with_data_upgrades_to_head(db_url):
    """The migrations that rebuild a SQLite table (batch mode) run on a database holding an
    office, its counter and a ticket served there: nothing refuses, nothing is lost."""
    from alembic import command

    from queue_server.adapters.migrate import alembic_config, upgrade

    with alembic_config(db_url) as config:
        command.downgrade(config, "0012")
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            add_office(conn)
            conn.execute(sa.text(
                "INSERT INTO counters (id, office_id, number, name, is_open) "
                "VALUES (1, 1, 1, 'ช่อง 1', true)"))
            add_ticket(conn, 1, "finished", counter_id=1)
    finally:
        engine.dispose()
    upgrade(db_url)
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT counter_id FROM tickets")).scalar() == 1
            assert conn.execute(sa.text("SELECT name FROM counters")).scalar() == "ช่อง 1"
    finally:
        engine.dispose()
