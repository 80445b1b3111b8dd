"""Bookings through the HTTP API on a real database (SQLite and PostgreSQL): staff book, the
citizen checks in at the kiosk and gets a real ticket; refusals are clear and change nothing."""

import pytest
import sqlalchemy as sa

from queue_server.adapters.orm import booking_events, bookings, print_jobs, ticket_events, tickets

# The FakeClock starts at Monday 2026-11-23 09:00 in Bangkok (02:00 UTC).


def counts(app) -> tuple[int, ...]:
    with app.extensions["gecc"].engine.connect() as conn:
        return tuple(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                     for t in (tickets, ticket_events, bookings, booking_events, print_jobs))


def book(api, slot: str = "2026-11-23T09:30:00", service_id: int = 1, as_: str = "reception",
         **body) -> dict:
    response = api.post("/bookings", {"service_id": service_id, "slot_at": slot, **body}, as_=as_)
    assert response.status_code == 201, response.json
    return response.json


def check_in(api, code: str, **body):
    return api.post("/bookings/check-in", {"code": code, **body})


def test_staff_book_and_the_citizen_checks_in_for_a_ticket(api, app):
    booking = book(api, name="สมชาย ใจดี")
    assert len(booking["code"]) == 6 and booking["status"] == "booked"
    assert (booking["slot_at"], booking["slot_local"], booking["day"]) == (
        "2026-11-23T02:30:00Z", "09:30", "2026-11-23")
    assert (booking["check_in_from"], booking["check_in_until"]) == (
        "2026-11-23T01:30:00Z", "2026-11-23T02:45:00Z")

    answer = check_in(api, booking["code"].lower(), kiosk_id="kiosk-1")
    assert answer.status_code == 201, answer.json
    ticket = answer.json
    # The same body as POST /tickets answers at a kiosk, and the booking it came from.
    walk_in = api.issue(2, kiosk_id="kiosk-1")
    assert set(walk_in) <= set(ticket)
    assert (ticket["number"], ticket["channel"], ticket["status"]) == ("A001", "online", "waiting")
    assert ticket["print_job"]["status"] == "pending" and "usable" in ticket["printer"]
    assert ticket["booking"] == {"code": booking["code"], "slot_at": "2026-11-23T02:30:00Z"}
    assert ticket["repeated"] is False and "name" not in ticket
    assert api.get(f"/tickets/{ticket['token']}").json["number"] == "A001"

    with app.extensions["gecc"].engine.connect() as conn:
        row = conn.execute(sa.select(tickets).where(tickets.c.id == ticket["id"])).one()
        assert row.appointment_at.isoformat() == "2026-11-23T02:30:00+00:00"
        assert row.kiosk_id == "kiosk-1"
        issued = conn.execute(sa.select(ticket_events).where(
            ticket_events.c.ticket_id == ticket["id"])).one()
        assert issued.kind.value == "issued" and issued.actor_kind == "kiosk"
        assert issued.data["channel"] == "online"
        assert issued.data["appointment_at"] == "2026-11-23T02:30:00Z"
        recorded = conn.execute(sa.select(booking_events).order_by(booking_events.c.id)).all()
        assert [(e.kind.value, e.actor_kind, e.ticket_id) for e in recorded] == [
            ("booked", "user", None), ("checked_in", "kiosk", ticket["id"])]

    listed = api.get("/bookings", as_="reception").json
    assert listed["date"] == "2026-11-23"
    assert [(b["code"], b["status"], b["ticket_number"], b["name"]) for b in listed["bookings"]] == [
        (booking["code"], "checked_in", "A001", "สมชาย ใจดี")]


def test_a_second_scan_shows_the_same_ticket_and_issues_nothing(api, app, clock):
    code = book(api)["code"]
    first = check_in(api, code).json
    before = counts(app)
    clock.advance(minutes=50)  # past the grace: still the same ticket, not an error
    again = check_in(api, f"https://gecc.test/b/{code}")
    assert again.status_code == 200, again.json
    assert (again.json["id"], again.json["number"], again.json["repeated"]) == (
        first["id"], first["number"], True)
    assert "print_job" not in again.json
    assert counts(app) == before


def test_a_booked_ticket_goes_ahead_of_a_short_wait_by_its_head_start(api, clock):
    walk_in = api.issue(1)
    clock.advance(minutes=10)
    booked = check_in(api, book(api, "2026-11-23T09:15:00")["code"]).json
    assert booked["ahead"] == 0   # 30 minutes' head start from 09:15 against a 10-minute wait
    called = api.call_next(1).json
    assert called["id"] == booked["id"]
    assert api.call_next(1).json["id"] == walk_in["id"]


def test_checking_in_long_before_the_slot_gives_no_head_start_yet(api, clock):
    walk_in = api.issue(1)                      # 09:00
    clock.advance(minutes=10)
    booked = check_in(api, book(api, "2026-11-23T10:00:00")["code"]).json  # 50 minutes early
    assert booked["ahead"] == 1                 # behind the 09:00 walk-in, as any 09:10 arrival
    assert api.call_next(1).json["id"] == walk_in["id"]
    assert api.call_next(1).json["id"] == booked["id"]


def test_the_check_in_window(api, app, clock):
    early = book(api, "2026-11-23T10:30:00")     # check-in opens 09:30; it is 09:00
    refused = check_in(api, early["code"])
    assert refused.status_code == 409
    error = refused.json["error"]
    assert error["code"] == "booking_too_early" and "09:30" in error["message"]
    assert (error["opens_at"], error["opens_local"], error["slot_local"]) == (
        "2026-11-23T02:30:00Z", "09:30", "10:30")

    late = book(api, "2026-11-23T09:00:00")
    clock.advance(minutes=16)
    before = counts(app)
    refused = check_in(api, late["code"])
    assert refused.status_code == 409 and refused.json["error"]["code"] == "booking_too_late"
    assert "normal ticket" in refused.json["error"]["message"]
    assert counts(app) == before
    listed = {b["code"]: b["status"] for b in api.get("/bookings", as_="manager").json["bookings"]}
    assert listed == {early["code"]: "booked", late["code"]: "expired"}

    clock.advance(minutes=30)   # 09:46: the 10:30 booking opened at 09:30
    assert check_in(api, early["code"]).status_code == 201


def test_other_day_and_cancelled_bookings_are_refused(api, app):
    tomorrow = book(api, "2026-11-24T09:30:00+07:00")
    refused = check_in(api, tomorrow["code"])
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "booking_not_today"
    assert refused.json["error"]["booking_day"] == "2026-11-24"
    assert refused.json["error"]["past"] is False
    assert [b["code"] for b in api.get("/bookings?date=2026-11-24", as_="reception").json["bookings"]] == [
        tomorrow["code"]]
    assert api.get("/bookings?date=2026-11-25", as_="reception").json["bookings"] == []

    booking = book(api)
    cancelled = api.post(f"/bookings/{booking['id']}/cancel", as_="reception")
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    before = counts(app)
    refused = check_in(api, booking["code"])
    assert refused.status_code == 409 and refused.json["error"]["code"] == "booking_cancelled"
    assert counts(app) == before
    again = api.post(f"/bookings/{booking['id']}/cancel", as_="reception")
    assert again.status_code == 409 and again.json["error"]["code"] == "invalid_transition"
    assert api.post("/bookings/999/cancel", as_="reception").status_code == 404


def test_a_check_in_when_the_service_is_closed_changes_nothing(api, app):
    code = book(api)["code"]
    with app.extensions["gecc"].context.uow() as uow:
        uow.offices.service(1).active = False
        uow.commit()
    app.extensions["gecc"].context.catalog.forget_reference()
    before = counts(app)
    refused = check_in(api, code)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "service_closed"
    assert counts(app) == before
    listed = api.get("/bookings", as_="reception").json["bookings"]
    assert listed[0]["status"] == "booked"


BAD_CHECK_INS = [
    ({}, 400, "invalid_input"),
    ({"code": 123456}, 400, "invalid_input"),
    ({"code": ""}, 400, "invalid_input"),
    ({"code": None}, 400, "invalid_input"),
    ({"code": "x" * 501}, 400, "invalid_input"),
    ({"code": "ABC234", "kiosk_id": "no spaces"}, 400, "invalid_input"),
    ({"code": "ABC234", "print": "yes"}, 400, "invalid_input"),
    ({"code": "ABC234"}, 404, "booking_not_found"),
    ({"code": "ABC10O"}, 404, "booking_not_found"),
    ({"code": "https://gecc.test/"}, 404, "booking_not_found"),
    ({"code": "'; DROP TABLE bookings; --"}, 404, "booking_not_found"),
    ([1], 400, "invalid_input"),
    ("ABC234", 400, "invalid_input"),
]


@pytest.mark.parametrize("body,status,code", BAD_CHECK_INS)
def test_bad_check_ins_are_refused_and_change_nothing(api, app, body, status, code):
    book(api)
    before = counts(app)
    response = api.post("/bookings/check-in", json=body)
    assert response.status_code == status, response.json
    assert response.json["error"]["code"] == code and response.json["error"]["message"]
    assert counts(app) == before


BAD_BOOKINGS = [
    ({"service_id": 1}, 400, "invalid_input"),
    ({"slot_at": "2026-11-23T10:00:00"}, 400, "invalid_input"),
    ({"service_id": 1, "slot_at": "tomorrow"}, 400, "invalid_input"),
    ({"service_id": 1, "slot_at": "9999-12-31T23:59:59-12:00"}, 400, "invalid_input"),
    ({"service_id": 1, "slot_at": "0001-01-01T00:00:00+14:00"}, 400, "invalid_input"),
    ({"service_id": "1", "slot_at": "2026-11-23T10:00:00"}, 400, "invalid_input"),
    ({"service_id": 1, "slot_at": "2026-11-23T10:00:00", "name": "n" * 201}, 400, "invalid_input"),
    ({"service_id": 999, "slot_at": "2026-11-23T10:00:00"}, 404, "not_found"),
    ({"service_id": 1, "slot_at": "2026-11-23T08:00:00"}, 400, "invalid_slot"),   # passed
    ({"service_id": 1, "slot_at": "2028-11-23T10:00:00"}, 400, "invalid_slot"),   # too far
    (None, 400, "invalid_input"),
]


@pytest.mark.parametrize("body,status,code", BAD_BOOKINGS)
def test_bad_bookings_are_refused_and_change_nothing(api, app, body, status, code):
    before = counts(app)
    response = api.post("/bookings", json=body, as_="reception")
    assert response.status_code == status, response.json
    assert response.json["error"]["code"] == code
    assert counts(app) == before


def test_who_may_book_and_list(api, app):
    body = {"service_id": 1, "slot_at": "2026-11-23T10:00:00"}
    assert api.post("/bookings", body).status_code == 401
    assert api.post("/bookings", body, as_="staff1").status_code == 403
    for user in ("reception", "manager", "admin"):
        assert api.post("/bookings", body, as_=user).status_code == 201, user
    assert api.get("/bookings").status_code == 401
    assert api.get("/bookings", as_="staff1").status_code == 403
    for user in ("reception", "manager", "admin"):
        assert len(api.get("/bookings", as_=user).json["bookings"]) == 3
    first = api.get("/bookings", as_="manager").json["bookings"][0]["id"]
    assert api.post(f"/bookings/{first}/cancel").status_code == 401
    assert api.post(f"/bookings/{first}/cancel", as_="staff1").status_code == 403
    for raw in ("2026-13-01", "yesterday", "9999-12-31", "0001-01-01"):
        bad = api.get(f"/bookings?date={raw}", as_="reception")
        assert bad.status_code == 400 and bad.json["error"]["code"] == "invalid_input", raw


def test_codes_are_unique_and_use_the_kiosk_alphabet(api):
    codes = {book(api, f"2026-11-23T{10 + i // 6:02d}:{i % 6 * 10:02d}:00")["code"]
             for i in range(30)}
    assert len(codes) == 30
    assert all(len(c) == 6 and not set(c) & set("01OI") for c in codes)


def test_the_booking_record_cannot_be_rewritten(api, app):
    check_in(api, book(api)["code"])
    engine = app.extensions["gecc"].engine
    for statement in ("UPDATE booking_events SET actor_kind = 'forged'", "DELETE FROM booking_events"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            with engine.begin() as conn:
                conn.execute(sa.text(statement))


def test_the_openapi_document_lists_the_booking_calls(api):
    paths = api.get("/openapi.json").json["paths"]
    assert set(paths["/bookings"]) == {"get", "post"}
    assert "201" in paths["/bookings/check-in"]["post"]["responses"]
    assert "200" in paths["/bookings/check-in"]["post"]["responses"]
    assert "/bookings/{booking_id}/cancel" in paths


def test_a_staff_member_checking_a_citizen_in_is_the_recorded_actor(api, app):
    code = book(api)["code"]
    answer = api.post("/bookings/check-in", {"code": code, "print": False}, as_="reception")
    assert answer.status_code == 201 and "print_job" not in answer.json
    with app.extensions["gecc"].engine.connect() as conn:
        kinds = conn.execute(sa.select(booking_events.c.kind, booking_events.c.actor_kind)
                             .order_by(booking_events.c.id)).all()
    assert [(k.value, a) for k, a in kinds] == [("booked", "user"), ("checked_in", "user")]


def test_days_are_local_days(api, clock):
    clock.advance(hours=14)   # 23:00 in Bangkok, still the 23rd
    late = book(api, "2026-11-23T23:30:00")
    assert late["day"] == "2026-11-23" and late["slot_at"] == "2026-11-23T16:30:00Z"
    assert [b["code"] for b in api.get("/bookings", as_="reception").json["bookings"]] == [late["code"]]
