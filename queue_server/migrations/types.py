"""Column types of the migrations, frozen: a migration describes the schema as it was when it was
written, so it must not follow later changes of the live mapping (queue_server/adapters/orm.py).

A copy of the ORM's UTCDateTime as of migration 0001 (same DDL: a plain DateTime column). Never
edit this class; should the ORM need another type, add a new one here for the new migration.
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa


class UTCDateTime(sa.TypeDecorator):
    """Stores naive UTC, hands back aware UTC; refuses naive input so no local time sneaks in."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store aware UTC times only")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        return None if value is None else value.replace(tzinfo=timezone.utc)
