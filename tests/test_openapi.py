"""The OpenAPI document is generated from the routes (web/openapi.py): it is valid, it lists
every route under /api/v1 with its methods, and real answers match what it says."""

from __future__ import annotations

import re

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

PREFIX = "/api/v1"


@pytest.fixture
def doc(api) -> dict:
    return api.get("/openapi.json").json


def operations(doc: dict):
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            yield path, method, op


def test_the_document_is_valid_openapi(doc):
    validate(doc)
    assert doc["openapi"] == "3.1.0" and doc["servers"] == [{"url": PREFIX}]


def test_every_api_route_is_in_the_document_with_its_methods(app, doc):
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PREFIX + "/"):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix(PREFIX))
            routes.setdefault(path, set()).update(
                m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
    assert len(routes) > 20
    assert {path: set(methods) for path, methods in doc["paths"].items()} == routes


def test_reprint_answers_201_and_check_in_201_or_200(doc):
    assert set(doc["paths"]["/tickets/{ticket_id}/reprint"]["post"]["responses"]) >= {"201"}
    assert "200" not in doc["paths"]["/tickets/{ticket_id}/reprint"]["post"]["responses"]
    assert {"200", "201"} <= set(doc["paths"]["/bookings/check-in"]["post"]["responses"])
    assert "201" in doc["paths"]["/tickets"]["post"]["responses"]


def test_ids_are_strict_integers_from_1_to_2_to_the_31_minus_1(doc):
    id_params = [p for _, _, op in operations(doc) for p in op.get("parameters", [])
                 if p["in"] == "path" and p["name"].endswith("_id") and p["name"] != "kiosk_id"]
    assert len(id_params) >= 15
    for p in id_params:
        assert p["schema"]["type"] == "integer", p
        assert (p["schema"]["minimum"], p["schema"]["maximum"]) == (1, 2**31 - 1), p
    body = doc["components"]["schemas"]["IssueTicket"]
    assert body["required"] == ["service_id"]
    assert body["properties"]["service_id"]["type"] == "integer"
    assert body["properties"]["service_id"]["maximum"] == 2**31 - 1


def test_every_operation_has_a_success_model_and_the_error_shape(doc):
    error = {"$ref": "#/components/schemas/Error"}
    for path, method, op in operations(doc):
        codes = op["responses"]
        ok = [c for c in codes if c.startswith("2")]
        assert ok and all("content" in codes[c] for c in ok), (method, path)
        assert "400" in codes, (method, path)
        for code, answer in codes.items():
            if code.startswith("4"):
                assert answer["content"]["application/json"]["schema"] == error, (method, path)
    assert doc["components"]["schemas"]["ErrorBody"]["required"] == ["code", "message"]


def test_routes_behind_a_role_say_so_with_401_403_and_both_schemes(doc):
    assert set(doc["components"]["securitySchemes"]) == {"bearer", "session"}
    staff_only = [{"bearer": []}, {"session": []}]
    for path, method in [("/counters", "get"), ("/tickets/{ticket_id}/reprint", "post"),
                         ("/summary", "get"), ("/bookings", "post"), ("/office/notice", "post")]:
        op = doc["paths"][path][method]
        assert op["security"] == staff_only and {"401", "403"} <= set(op["responses"]), path
    assert "security" not in doc["paths"]["/services"]["get"]
    assert "401" not in doc["paths"]["/services"]["get"]["responses"]
    assert {} in doc["paths"]["/tickets"]["post"]["security"]  # anyone; staff for reception
    assert doc["paths"]["/summary"]["get"]["parameters"][0]["name"] == "day"
    assert doc["paths"]["/bookings"]["get"]["parameters"][0]["name"] == "date"


def test_real_answers_match_the_document(api, doc):
    """A working day through the API; each answer is checked against the document."""

    def check(response, path: str, method: str = "get"):
        op = doc["paths"][path][method]
        assert str(response.status_code) in op["responses"], (method, path, response.status_code)
        schema = op["responses"][str(response.status_code)]["content"]["application/json"]
        OAS31Validator({**schema["schema"], "components": doc["components"]}).validate(
            response.json)
        return response.json

    check(api.get("/office"), "/office")
    check(api.get("/services"), "/services")
    ticket = check(api.post("/tickets", {"service_id": 1}), "/tickets", "post")
    check(api.get(f"/tickets/{ticket['token']}"), "/tickets/{token}")
    check(api.get("/counters", as_="staff1"), "/counters")
    check(api.get("/counters/1/waiting", as_="staff1"), "/counters/{counter_id}/waiting")
    check(api.call_next(1), "/counters/{counter_id}/call-next", "post")
    check(api.get("/counters/1", as_="staff1"), "/counters/{counter_id}")
    check(api.post(f"/tickets/{ticket['id']}/reprint", {}, as_="staff1"),
          "/tickets/{ticket_id}/reprint", "post")
    check(api.post(f"/tickets/{ticket['id']}/start", as_="staff1"),
          "/tickets/{ticket_id}/start", "post")
    check(api.post(f"/tickets/{ticket['id']}/finish", as_="staff1"),
          "/tickets/{ticket_id}/finish", "post")
    check(api.get("/summary", as_="manager"), "/summary")
    check(api.get("/printers", as_="staff1"), "/printers")
    check(api.get("/kiosks/local/printer"), "/kiosks/{kiosk_id}/printer")
    booking = check(api.post("/bookings", {"service_id": 1, "slot_at": "2026-11-23T09:30:00"},
                             as_="reception"), "/bookings", "post")
    check(api.get("/bookings", as_="reception"), "/bookings")
    check(api.post("/bookings/check-in", {"code": booking["code"], "print": False}),
          "/bookings/check-in", "post")
    check(api.post("/bookings/check-in", {"code": booking["code"], "print": False}),
          "/bookings/check-in", "post")  # 200 repeated
    # refusals: the one error shape
    check(api.post("/tickets", {"service_id": "1"}), "/tickets", "post")  # 400 strict int
    check(api.get("/counters"), "/counters")  # 401
    check(api.get("/summary", as_="staff1"), "/summary")  # 403
    check(api.post("/tickets/999/recall", as_="staff1"), "/tickets/{ticket_id}/recall", "post")
    check(api.post(f"/tickets/{ticket['id']}/hold", as_="staff1"),
          "/tickets/{ticket_id}/hold", "post")  # 409: finished
