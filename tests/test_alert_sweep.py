"""The alerts that passing time and the office's devices raise for the manager (GECC 2.16): a
ticket waiting past its service's target, a counter closed while its queue grows, a printer in
trouble; each kept until its action is recorded, never raised twice for the same thing, and in
the period's list with who and when."""

from __future__ import annotations

from queue_server.domain.printing import PrinterState

from test_ratings import manager_socket


def raised(client) -> list[dict]:
    return [e["args"][0] for e in client.get_received() if e["name"] == "alert_raised"]


def test_a_wait_past_its_target_alerts_once_until_handled(app, api, clock):
    managers = manager_socket(app)
    sweep = app.extensions["gecc"].alerts.sweep
    first = api.issue(1)            # ID card: target wait 20 minutes
    api.issue(1)
    clock.advance(minutes=19)
    assert sweep() == [] and raised(managers) == []
    clock.advance(minutes=2)
    [alert] = sweep()
    assert alert["kind"] == "long_wait" and alert["service_id"] == 1
    assert alert["data"]["number"] == first["number"] and alert["data"]["waiting"] == 2
    assert alert["data"]["waited_minutes"] == 21.0 and alert["data"]["target_minutes"] == 20
    assert [a["id"] for a in raised(managers)] == [alert["id"]]   # live to the managers' room
    clock.advance(minutes=5)
    assert sweep() == []            # still open: not raised again
    assert api.post(f"/alerts/{alert['id']}/handle", {"action": "เปิดช่อง 5 เพิ่ม"},
                    as_="manager").status_code == 200
    assert sweep() == []            # the same ticket is not alerted again once handled
    assert api.call_next(1).json["number"] == first["number"]
    clock.advance(minutes=1)
    [second] = sweep()              # the next ticket has waited 27 minutes too
    assert second["data"]["number"] != first["number"]
    day = clock.now.date().isoformat()
    history = api.get(f"/alerts?from={day}&to={day}", as_="manager").json["alerts"]
    assert [(a["kind"], a["action"]) for a in history] == [
        ("long_wait", None), ("long_wait", "เปิดช่อง 5 เพิ่ม")]
    assert history[1]["handled_by_name"] == "นายอำเภอ (ผู้จัดการศูนย์)"


def test_a_closed_counter_alerts_when_its_queue_grows_by_five(app, api, clock):
    sweep = app.extensions["gecc"].alerts.sweep
    main = api.get("/counters/4", as_="staff1").json["service_ids"][0]   # C, then D
    api.issue(main)
    closed = api.post("/counters/4/settings", {"open": False}, as_="staff1")
    assert closed.status_code == 200, closed.json
    for _ in range(4):
        api.issue(main)
    assert sweep() == []
    api.issue(main)
    [alert] = [a for a in sweep() if a["kind"] == "counter_closed"]
    assert alert["counter_id"] == 4 and alert["service_id"] == main
    assert alert["data"]["waiting"] - alert["data"]["waiting_at_close"] == 5
    api.issue(main)
    assert [a for a in sweep() if a["kind"] == "counter_closed"] == []   # once a closing


def test_a_printer_in_trouble_alerts_once_and_a_ready_one_does_not(app, api):
    printing = app.extensions["gecc"].printing
    managers = manager_socket(app)
    printing.report_status(PrinterState("K1", True, "ok", False, "ready", None))
    assert raised(managers) == []
    printing.report_status(PrinterState("K1", True, "out", False, "paper out", None))
    [alert] = raised(managers)
    assert alert["kind"] == "printer_trouble" and alert["data"]["kiosk_id"] == "K1"
    assert alert["data"]["paper"] == "out"
    printing.report_status(PrinterState("K1", False, "unknown", None, "offline", None))
    assert raised(managers) == []            # K1 has an open alert already
    printing.report_status(PrinterState("K2", True, "low", False, "paper low", None))
    assert [a["data"]["kiosk_id"] for a in raised(managers)] == ["K2"]
    kinds = sorted(a["kind"] + ":" + a["data"]["kiosk_id"]
                   for a in api.get("/alerts", as_="manager").json["alerts"])
    assert kinds == ["printer_trouble:K1", "printer_trouble:K2"]
