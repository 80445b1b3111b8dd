"""The manager's pages besides today's (/manager): any period in charts, the month on one
screen, the self-assessment, and the evidence packs; with the packs' API. Each route parses,
calls the manager's read models (service_layer/manager.py, packs.py) and renders."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from functools import wraps
from zoneinfo import ZoneInfo

import flask
from flask_login import current_user, login_required

from ..domain.periods import PRESETS, BadPeriod, ChosenPeriod, month_bounds
from . import api_models as m, schemas
from .api import api, gecc
from .auth import MANAGER_ROLES, require, staff_member
from .manager_charts import period_charts
from .openapi import operation as op
from .pages import pages

ANCHORS = {  # an evidence figure's first key -> the chart on the period page that shows it
    "wait": "within-target", "services": "within-target", "by_hour": "waits-by-hour",
    "service_time": "service-time", "demand": "demand", "satisfaction": "satisfaction-trend",
    "channels": "channels", "fairness": "out-of-order", "staffing": "staffing",
    "no_shows": "no-shows", "hours": "waits-by-hour", "first_reception": "channels",
    "alerts": "alerts", "complaints": "complaints",
}
# Effort of reaching an item not met, for "points per effort": ticking a manual item is a
# document or a photo (1); a partial item needs the records to hold as well (2); a measured
# item met only by serving differently (3); the two special items of 6 points are projects (3).
EFFORT = {"manual": 1, "partial": 2, "system": 3}


def manager_page(view):
    """A manager's page: log in first, and only managers and admins (403 for other staff).
    Times are shown in the office's zone."""
    @login_required
    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user.member.role not in MANAGER_ROLES:
            return flask.render_template("manager_forbidden.html"), 403
        flask.g.zone = ZoneInfo(gecc().queries.office(_office_id())["timezone"])
        return view(*args, **kwargs)
    return wrapped


# --- how the pages write times and alerts -------------------------------------------------------

THAI_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.",
               "พ.ย.", "ธ.ค.")
ALERT_KINDS = {"low_rating": "คะแนนความพึงพอใจต่ำ / Low rating",
               "long_wait": "รอนานเกินเป้าหมาย / Wait past target",
               "printer_trouble": "เครื่องพิมพ์มีปัญหา / Printer trouble",
               "counter_closed": "ปิดช่องขณะคิวเพิ่ม / Counter closed, queue growing",
               "overdue_complaint": "เรื่องร้องเรียนเกินกำหนด / Overdue complaint"}


@pages.app_template_filter("thai_date")
def thai_date(day: date) -> str:
    """2026-11-23 as "23 พ.ย. 2569" (the Buddhist year, as Thai offices write it)."""
    return f"{day.day} {THAI_MONTHS[day.month - 1]} {day.year + 543}"


@pages.app_template_filter("local_time")
def local_time(stamp: str | None) -> str:
    if not stamp:
        return "—"
    when = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(
        flask.g.get("zone") or ZoneInfo("Asia/Bangkok"))
    return f"{thai_date(when.date())} {when:%H:%M} น."


@pages.app_template_filter("alert_kind")
def alert_kind(kind: str) -> str:
    return ALERT_KINDS.get(kind, kind)


@pages.app_template_filter("alert_details")
def alert_details(alert: dict, names: dict | None = None) -> str:
    """One line on what the alert is about, whatever its kind."""
    names = names or {}
    d = alert.get("data") or {}
    service = (names.get("services") or {}).get(alert.get("service_id")) or d.get("code") or ""
    kind = alert["kind"]
    if kind == "low_rating":
        text = (f"คะแนน {d.get('score')}/5 คิว {d.get('number')} {service} "
                f"{(names.get('counters') or {}).get(alert.get('counter_id')) or ''} "
                f"{alert.get('clerk_name') or ''}")
        return text + (f": “{alert['comment']}”" if alert.get("comment") else "")
    if kind == "long_wait":
        return (f"คิว {d.get('number')} ({service}) รอ {d.get('waited_minutes')} นาที เกินเป้า "
                f"{d.get('target_minutes'):g} นาที; รออยู่ {d.get('waiting')} คน / waited "
                f"{d.get('waited_minutes')} min, target {d.get('target_minutes'):g}")
    if kind == "printer_trouble":
        return (f"เครื่องพิมพ์ {d.get('kiosk_id') or 'เครื่องแม่ข่าย / server'}: "
                f"{'ออฟไลน์ / offline' if not d.get('online') else ''} กระดาษ / paper "
                f"{d.get('paper')} {d.get('detail') or ''}").strip()
    if kind == "counter_closed":
        return (f"{d.get('counter_name')} ปิด ขณะคิว {d.get('code')} เพิ่มจาก "
                f"{d.get('waiting_at_close')} เป็น {d.get('waiting')} คน / closed while the "
                f"queue grew from {d.get('waiting_at_close')} to {d.get('waiting')}")
    return "; ".join(f"{k}: {v}" for k, v in d.items() if not isinstance(v, (dict, list)))


def _office_id() -> int:
    return current_user.member.office_id


def _chosen() -> tuple[ChosenPeriod | None, str | None]:
    args = flask.request.args
    try:
        return gecc().manager.choose(_office_id(), args.get("period"), args.get("from"),
                                     args.get("to")), None
    except BadPeriod as exc:
        return None, exc.message


# --- any period in charts ------------------------------------------------------------------

@pages.get("/manager/period")
@manager_page
def manager_period():
    chosen, error = _chosen()
    if chosen is None:
        return flask.render_template("manager_period.html", error=error, presets=PRESETS,
                                     chosen=None, args=flask.request.args), 400
    started = time.perf_counter()
    data = gecc().manager.period(_office_id(), chosen.first, chosen.last)
    charts = period_charts(data)
    html = flask.render_template("manager_period.html", chosen=chosen, presets=PRESETS,
                                 ev=data["evidence"], charts=charts, alerts=data["alerts"],
                                 error=None, args=flask.request.args,
                                 names=_names(data["evidence"]))
    response = flask.make_response(html)
    total = time.perf_counter() - started
    # How long the server took, by part (the benchmark reads it; a browser shows it in its
    # network panel).
    response.headers["Server-Timing"] = ", ".join(
        [f"{k};dur={v * 1000:.0f}" for k, v in data["timings"].items()]
        + [f"total;dur={total * 1000:.0f}"])
    return response


def _names(ev: dict) -> dict:
    return {"services": {s["service_id"]: f"{s['code']} {s['name_th']}" for s in ev["services"]},
            "counters": {r["counter"]: r.get("name") for r in ev["satisfaction"]["by_counter"]},
            "clerks": {r["clerk"]: r.get("name") for r in ev["satisfaction"]["by_clerk"]}}


# --- the month on one screen -------------------------------------------------------------

@pages.get("/manager/month")
@manager_page
def manager_month():
    today = gecc().manager.today(_office_id())
    raw = flask.request.args.get("month") or today.isoformat()[:7]
    try:
        first, last = month_bounds(date.fromisoformat(raw[:7] + "-01"))
    except ValueError:
        return flask.render_template("manager_month.html", error=(
            f"เดือนต้องเป็น YYYY-MM / The month is YYYY-MM, not {raw[:20]!r}"), ev=None), 400
    last = min(last, today) if first <= today else last
    data = gecc().manager.period(_office_id(), first, last)
    charts = {c.id: c for c in period_charts(data)}
    previous = (first - timedelta(days=1)).isoformat()[:7]
    following = (last + timedelta(days=1)).isoformat()[:7] if last < today else None
    return flask.render_template("manager_month.html", ev=data["evidence"], charts=charts,
                                 month=first.isoformat()[:7], first=first, last=last,
                                 previous=previous, following=following, error=None,
                                 alerts=data["alerts"])


# --- the self-assessment -----------------------------------------------------------------

@pages.get("/manager/assessment")
@manager_page
def manager_assessment():
    args = flask.request.args
    chosen, error = _chosen() if args.get("period") or args.get("from") else (
        _last_twelve_months(), None)
    if chosen is None:
        return flask.render_template("manager_assessment.html", error=error, presets=PRESETS,
                                     chosen=None, args=args), 400
    office_id = _office_id()
    report = gecc().evidence.report(office_id, chosen.first, chosen.last)
    answers = {i["id"]: i for i in gecc().assessment.answers(office_id, chosen.last)["items"]}
    items = report["items"]
    for item in items:
        item["answer"] = answers.get(item["id"], {}).get("answer")
        keys = [t.split(" ")[0] for t in item.get("threshold") or []]
        item["anchor"] = next((ANCHORS[k.split(".")[0]] for k in keys
                               if k.split(".")[0] in ANCHORS), None)
        item["effort"] = 3 if item["points"] >= 6 else EFFORT[item["measured"]]
    missing = sorted((i for i in items if i["met"] is not True and i["points"]),
                     key=lambda i: (-i["points"] / i["effort"], -i["points"], i["id"]))
    parts = [(part, [i for i in items if i["part"] == part or
                     (i["part"] == "quality" and i["level"] == part)])
             for part in ("physical", "basic", "advanced", "outcome")]
    answer_to = max(chosen.last, gecc().manager.today(office_id)) + timedelta(days=365)
    return flask.render_template("manager_assessment.html", chosen=chosen, presets=PRESETS,
                                 args=args, score=report["score"], parts=parts,
                                 missing=missing, error=None, answer_from=chosen.first,
                                 answer_to=answer_to, ev=report)


def _last_twelve_months() -> ChosenPeriod:
    today = gecc().manager.today(_office_id())
    return ChosenPeriod("range", today - timedelta(days=364), today)


# --- the evidence packs --------------------------------------------------------------------

@pages.get("/manager/packs")
@manager_page
def manager_packs():
    today = gecc().manager.today(_office_id())
    first, last = month_bounds(today.replace(day=1) - timedelta(days=1))
    return flask.render_template("manager_packs.html", first=first, last=last, today=today,
                                 packs=gecc().packs.list(_office_id()))


@api.post("/evidence/packs")
@op("Start making the evidence pack of a period (a background job): its state", m.PackView,
    status=202, body=schemas.PackRequest, errors=[400, 409])
@require(MANAGER_ROLES)
def start_pack():
    body = schemas.parse(schemas.PackRequest)
    member = staff_member()
    return flask.jsonify(gecc().packs.start(member.office_id, body.from_, body.to,
                                            member.display_name)), 202


@api.get("/evidence/packs")
@op("The office's evidence packs, newest first, with their progress", m.PackList)
@require(MANAGER_ROLES)
def list_packs():
    return flask.jsonify({"packs": gecc().packs.list(staff_member().office_id)})


@api.get("/evidence/packs/<pack>")
@op("One evidence pack's state and progress", m.PackView, errors=[404])
@require(MANAGER_ROLES)
def pack_state(pack: str):
    return flask.jsonify(gecc().packs.get(staff_member().office_id, pack))


@api.get("/evidence/packs/<pack>/download")
@op("The evidence pack as a zip (evidence.json, tickets.csv, evidence.xlsx, report.pdf)", None,
    errors=[404, 409])
@require(MANAGER_ROLES)
def pack_download(pack: str):
    path, meta = gecc().packs.zip_path(staff_member().office_id, pack)
    # The bytes, not a file stream: the API's response validation reads the body.
    response = flask.Response(path.read_bytes(), mimetype="application/zip")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=gecc-evidence-{meta['from']}-{meta['to']}.zip")
    response.headers["Cache-Control"] = "private, no-store"
    return response
