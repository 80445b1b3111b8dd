"""Which office a request is about, when several offices share the server.

Staff and devices are of one office: their own, always (an id of another office's counter,
ticket or booking is answered 404, as if it did not exist). The public screens of an office
are served under /o/<office>/ (kiosk, lobby display): their page carries the office's id, and
their calls send it in the `X-Gecc-Office` header (common.js); a `?office=` query does the
same for a link. Without any of these, the server's first office is meant: an install with one
office (the demo) never needs to say.
"""

from __future__ import annotations

import flask

from .auth import staff_member

OFFICE_HEADER = "X-Gecc-Office"


def _office_number(raw: str | None) -> int | None:
    if raw and raw.isdigit() and len(raw) <= 9 and int(raw) > 0:
        return int(raw)
    return None


def asked_office_id() -> int | None:
    """The office the page or link names (header, query, or the /o/<office>/ path)."""
    return (_office_number(flask.request.headers.get(OFFICE_HEADER))
            or _office_number(flask.request.args.get("office"))
            or flask.g.get("path_office"))


def request_office_id() -> int | None:
    """The caller's own office (staff, devices), else the one the page names, else None (the
    server's first)."""
    member = staff_member()
    if member is not None:
        return member.office_id
    return asked_office_id()
