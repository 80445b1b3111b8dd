"""The OpenAPI 3.1 document of /api/v1, built from the same pydantic models that validate input."""

from __future__ import annotations

from functools import lru_cache

from . import schemas

# (method, path, summary, who may call it, request body model)
OPERATIONS = [
    ("get", "/office", "The office: name, time zone, opening hours", None, None),
    ("post", "/office/notice", "Set the lobby display's notice strip", "manager", schemas.Notice),
    ("get", "/services", "Services with waiting count, estimated wait and open state", None, None),
    ("post", "/tickets", "Issue a ticket (kiosk, online; reception channel needs staff)", None,
     schemas.IssueTicket),
    ("get", "/tickets/{token}", "A ticket's status for its holder: ahead, eta, counter", None, None),
    ("get", "/counters", "Counters with their services and current ticket", "staff", None),
    ("get", "/counters/{counter_id}", "One counter", "staff", None),
    ("get", "/counters/{counter_id}/waiting",
     "Waiting tickets of the counter's services, and the counter's figures today", "staff", None),
    ("post", "/services/{service_id}/settings",
     "Open or close a service for new tickets (manager); who waits is still called", "manager",
     schemas.ServiceSettings),
    ("post", "/counters/{counter_id}/settings", "Open or close; set the services served, in order",
     "staff", schemas.CounterSettings),
    ("post", "/counters/{counter_id}/call-next",
     "Call the next ticket (finishes the counter's current one); 404 queue_empty", "staff",
     schemas.CallNext),
    ("post", "/counters/{counter_id}/call", "Call one particular waiting or held ticket", "staff",
     schemas.CallTicket),
    ("post", "/tickets/{ticket_id}/recall", "Announce again", "staff", None),
    ("post", "/tickets/{ticket_id}/hold",
     "Set aside at its counter (call it back with /counters/{id}/call)", "staff", None),
    ("post", "/tickets/{ticket_id}/start", "Service starts", "staff", None),
    ("post", "/tickets/{ticket_id}/finish", "Service done (from called or serving)", "staff", None),
    ("post", "/tickets/{ticket_id}/no-show", "Not present: re-queued once, then dropped", "staff",
     None),
    ("post", "/tickets/{ticket_id}/transfer", "Join another service's queue, keeping the issue time",
     "staff", schemas.Transfer),
    ("post", "/tickets/{ticket_id}/reprint", "Print the ticket again at a kiosk's printer",
     "staff", schemas.Reprint),
    ("get", "/printers", "Each print agent's last report on its printer", "staff", None),
    ("get", "/kiosks/{kiosk_id}/printer", "A kiosk's printer state ('local': the server's own)",
     None, None),
    ("get", "/summary", "One day's counts, waits, service times, channels (?day=YYYY-MM-DD)",
     "manager", None),
    ("post", "/tickets/{ticket_id}/cancel", "Withdraw: staff, or the citizen with the token",
     None, schemas.CancelTicket),
    ("post", "/bookings", "Book a service at a slot (reception, manager); 201 with the code",
     "reception", schemas.CreateBooking),
    ("get", "/bookings", "The bookings of one day (?date=YYYY-MM-DD, today by default)",
     "reception", None),
    ("post", "/bookings/{booking_id}/cancel", "Cancel a booking not yet checked in", "reception",
     None),
    ("post", "/bookings/check-in",
     "Check in with a booking code at the kiosk: 201 with the ticket (as POST /tickets, channel "
     "online), or 200 with the same ticket and repeated: true if already checked in; 404 "
     "booking_not_found, 409 booking_too_early / booking_too_late / booking_not_today / "
     "booking_cancelled with the slot's times", None, schemas.CheckIn),
]

# Operations whose success is 201 Created.
CREATED = {("post", "/tickets"), ("post", "/bookings"), ("post", "/bookings/check-in")}

ERROR = {"type": "object", "properties": {"error": {"type": "object", "properties": {
    "code": {"type": "string"}, "message": {"type": "string"}}, "required": ["code", "message"]}}}


@lru_cache(maxsize=1)
def openapi_document() -> dict:
    components: dict = {"Error": ERROR}
    paths: dict = {}
    for method, path, summary, who, model in OPERATIONS:
        op: dict = {"summary": summary, "responses": {
            "201" if (method, path) in CREATED else "200": {"description": "OK"},
            "4XX": {"description": "Refused; nothing changed",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        }}
        if (method, path) == ("post", "/bookings/check-in"):
            op["responses"]["200"] = {"description": "Already checked in: the same ticket"}
        if who:
            op["security"] = [{"bearer": []}, {"session": []}]
        if model is not None:
            schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(schema.pop("$defs", {}))
            components[model.__name__] = schema
            op["requestBody"] = {"required": model is not schemas.CancelTicket, "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}}
        params = [p.strip("{}") for p in path.split("/") if p.startswith("{")]
        if params:
            op["parameters"] = [{"name": p, "in": "path", "required": True,
                                 "schema": ({"type": "string"} if p in ("token", "kiosk_id") else
                                            {"type": "integer", "minimum": 1,
                                             "maximum": schemas.MAX_ID})}
                                for p in params]
        paths.setdefault(path, {})[method] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "GECC Queue API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "session": {"type": "apiKey", "in": "cookie", "name": "session"}}},
    }
