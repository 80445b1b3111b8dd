"""The charts of the manager's period page, each with the table of its numbers (for screen
readers and for copying) and a sentence that says what it shows. Built from the period's
figures (service_layer/manager.py `ManagerPages.period`): the evidence as GET
/api/v1/evidence answers it, plus tickets by day and each clerk's service time.

Every table cell carries its number as `data-value` exactly as the evidence has it, so a test
(or a spreadsheet) compares the table with the API without parsing the shown text."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from markupsafe import Markup

from . import svg

WEEKDAYS_TH = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
REASONS = {"priority": ("ผู้รับบริการกลุ่มพิเศษ", "priority class"),
           "appointment": ("นัดหมายล่วงหน้า", "appointment"),
           "transfer": ("โอนจากบริการอื่น", "transfer"),
           "chosen": ("เจ้าหน้าที่เลือกเรียก", "chosen by the clerk"),
           "concurrent_call": ("เรียกพร้อมกัน", "concurrent call"),
           "": ("ไม่มีเหตุผลบันทึก", "no reason recorded")}


@dataclass
class Cell:
    text: str
    value: object = None      # the number as the figures have it (data-value)

    @property
    def data_value(self) -> str:
        return "" if self.value is None else str(self.value)


@dataclass
class Chart:
    id: str
    title_th: str
    title_en: str
    summary: str                         # the text alternative, also shown under the chart
    svg: Markup | None
    columns: list[tuple[str, str]]       # (Thai, English) headers
    rows: list[list[Cell]]
    source: str = ""                     # which figures of the evidence (or the extras)
    note: str = ""
    wide: bool = False
    empty: bool = False
    extra: dict = field(default_factory=dict)


def count(v) -> Cell:
    return Cell("—" if v is None else f"{v:,}", v)


def minutes(v) -> Cell:
    return Cell("—" if v is None else f"{v:.2f}", v)


def share(v) -> Cell:
    return Cell("—" if v is None else f"{v * 100:.1f} %", v)


def number(v, digits: int = 2) -> Cell:
    return Cell("—" if v is None else f"{v:.{digits}f}", v)


def text(v: str, value=None) -> Cell:
    return Cell(v, value)


def _pct(v) -> str:
    return "ไม่มีข้อมูล / no data" if v is None else f"{v * 100:.1f} %"


def service_label(s: dict) -> str:
    return f"{s['code']} {s['name_th']}"


def period_charts(data: dict) -> list[Chart]:
    """Every chart of the period page, in the order a manager reads them."""
    ev = data["evidence"]
    makers = (waits_by_hour, within_target_by_service, service_time_by_service, demand_heat,
              satisfaction_trend, satisfaction_by_counter, clerks, channels_over_time,
              staffing, out_of_order, no_shows)
    return [make(ev, data) for make in makers]


def waits_by_hour(ev: dict, data: dict) -> Chart:
    rows = ev["by_hour"]
    labels = [f"{r['key']:02d}" for r in rows]
    mean = [r["wait"]["mean_minutes"] for r in rows]
    p90 = [r["wait"]["p90_minutes"] for r in rows]
    worst = max(rows, key=lambda r: r["wait"]["mean_minutes"] or 0, default=None)
    summary = ("ยังไม่มีคิวในช่วงนี้ / No tickets in this period." if not rows else
               f"เวลารอเฉลี่ยตามชั่วโมงที่รับบัตร สูงสุดช่วง {worst['key']:02d}:00 "
               f"({worst['wait']['mean_minutes']} นาที) / Mean wait by hour of issue; the longest "
               f"at {worst['key']:02d}:00 ({worst['wait']['mean_minutes']} min).")
    return Chart(
        "waits-by-hour", "เวลารอตามชั่วโมงของวัน", "Waits by hour of day", summary,
        Markup(svg.bars("c-waits-by-hour", "Waits by hour of day", summary, labels,
                        [("เฉลี่ย / mean", mean), ("P90", p90)], unit="นาที / min")),
        [("ชั่วโมง", "Hour"), ("ออกบัตร", "Issued"), ("เรียกแล้ว", "Called"),
         ("รอเฉลี่ย (นาที)", "Mean wait (min)"), ("มัธยฐาน", "Median"), ("P90", "P90"),
         ("ทันเป้า", "Within target")],
        [[text(f"{r['key']:02d}:00", r["key"]), count(r["issued"]), count(r["wait"]["called"]),
          minutes(r["wait"]["mean_minutes"]), minutes(r["wait"]["median_minutes"]),
          minutes(r["wait"]["p90_minutes"]), share(r["wait"]["within_target_share"])]
         for r in rows], source="by_hour", empty=not rows)


def within_target_by_service(ev: dict, data: dict) -> Chart:
    services = ev["services"]
    summary = ("สัดส่วนผู้ที่รอไม่เกินเป้าหมายของแต่ละบริการ: " + "; ".join(
        f"{s['code']} {_pct(s['wait']['within_target_share'])}" for s in services)
        + f" (รวม {_pct(ev['wait']['within_target_share'])}) / Share of waits within each "
          "service's target.")
    return Chart(
        "within-target", "สัดส่วนที่รอไม่เกินเป้าหมาย ตามบริการ", "Share within target by service",
        summary,
        Markup(svg.hbars("c-within-target", "Share within target by service", summary,
                         [service_label(s) for s in services],
                         [s["wait"]["within_target_share"] for s in services],
                         reference=(0.8, "80%"))),
        [("บริการ", "Service"), ("เรียกแล้ว", "Called"), ("เป้าหมาย (นาที)", "Target (min)"),
         ("ทันเป้า", "Within target"), ("รอเฉลี่ย", "Mean wait"), ("P90", "P90")],
        [[text(service_label(s), s["service_id"]), count(s["wait"]["called"]),
          number(s["target_wait_minutes"], 0), share(s["wait"]["within_target_share"]),
          minutes(s["wait"]["mean_minutes"]), minutes(s["wait"]["p90_minutes"])]
         for s in services], source="services[].wait")


def service_time_by_service(ev: dict, data: dict) -> Chart:
    services = ev["services"]
    summary = ("เวลาให้บริการเฉลี่ยเทียบเวลามาตรฐานตามคู่มือประชาชน: " + "; ".join(
        f"{s['code']} {s['service_minutes']['mean'] if s['service_minutes']['mean'] is not None else '—'}"
        f"/{s['standard_minutes']:g}" for s in services)
        + " นาที / Mean service time against the citizen-manual standard (minutes).")
    return Chart(
        "service-time", "เวลาให้บริการเทียบมาตรฐาน ตามบริการ", "Service time against the standard",
        summary,
        Markup(svg.bars("c-service-time", "Service time against the standard", summary,
                        [s["code"] for s in services],
                        [("เฉลี่ย / mean", [s["service_minutes"]["mean"] for s in services]),
                         ("มัธยฐาน / median", [s["service_minutes"]["median"] for s in services]),
                         ("มาตรฐาน / standard", [s["standard_minutes"] for s in services])],
                        unit="นาที / min")),
        [("บริการ", "Service"), ("ให้บริการแล้ว", "Served"), ("เฉลี่ย (นาที)", "Mean (min)"),
         ("มัธยฐาน", "Median"), ("มาตรฐาน", "Standard"), ("ไม่เกินมาตรฐาน", "Within standard")],
        [[text(service_label(s), s["service_id"]), count(s["service_minutes"]["served"]),
          minutes(s["service_minutes"]["mean"]), minutes(s["service_minutes"]["median"]),
          number(s["standard_minutes"], 0), share(s["service_minutes"]["within_standard_share"])]
         for s in services], source="services[].service_minutes")


def demand_heat(ev: dict, data: dict) -> Chart:
    cells = ev["demand"]["cells"]
    hours = sorted({c["hour"] for c in cells})
    days = sorted({c["weekday"] for c in cells})
    grid = {(c["weekday"], c["hour"]): c["per_day"] for c in cells}
    busiest = max(cells, key=lambda c: c["per_day"], default=None)
    summary = ("ยังไม่มีคิวในช่วงนี้ / No tickets in this period." if not cells else
               f"จำนวนบัตรคิวเฉลี่ยต่อวัน ตามวันในสัปดาห์และชั่วโมง ช่วงที่มากที่สุด: วัน"
               f"{WEEKDAYS_TH[busiest['weekday']]} {busiest['hour']:02d}:00 ({busiest['per_day']:g} "
               f"ใบต่อวัน) / Tickets a day by weekday and hour; the busiest: "
               f"{WEEKDAYS_EN[busiest['weekday']]} {busiest['hour']:02d}:00.")
    return Chart(
        "demand", "ความต้องการตามวันและชั่วโมง (ข้อ 2.1–2.2)", "Demand by weekday and hour (2.1-2.2)",
        summary,
        Markup(svg.heat("c-demand", "Demand by weekday and hour", summary,
                        [f"{WEEKDAYS_TH[d]}" for d in days], [f"{h:02d}" for h in hours],
                        [[grid.get((d, h)) for h in hours] for d in days])) if cells else None,
        [("วัน", "Weekday")] + [(f"{h:02d}", f"{h:02d}:00") for h in hours],
        [[text(f"{WEEKDAYS_TH[d]} / {WEEKDAYS_EN[d]}", d)]
         + [number(grid.get((d, h)), 2) for h in hours] for d in days],
        source="demand.cells[].per_day", note="บัตรคิวเฉลี่ยต่อวันที่เปิดทำการ / mean tickets "
        "issued per such weekday with tickets", wide=True, empty=not cells)


def satisfaction_trend(ev: dict, data: dict) -> Chart:
    days = ev["satisfaction"]["by_day"]
    sat = ev["satisfaction"]
    summary = (f"ความพึงพอใจรายวัน: พอใจ {_pct(sat['satisfied_share'])} คะแนนเฉลี่ย "
               f"{sat['mean_score'] if sat['mean_score'] is not None else '—'} จาก {sat['ratings']:,} "
               f"คำตอบ / Satisfaction by day: satisfied share and mean score.")
    return Chart(
        "satisfaction-trend", "แนวโน้มความพึงพอใจ", "Satisfaction trend", summary,
        Markup(svg.lines("c-satisfaction-trend", "Satisfaction trend", summary,
                         [d["day"][5:] for d in days],
                         [("พอใจ / satisfied", [d["satisfied_share"] for d in days]),
                          ("ตอบ / response", [d["response_ratio"] for d in days])],
                         percent=True, reference=(0.8, "80%"))) if days else None,
        [("วันที่", "Day"), ("ให้บริการ", "Served"), ("คำตอบ", "Ratings"), ("ตอบ", "Response"),
         ("เฉลี่ย (1–5)", "Mean"), ("พอใจ", "Satisfied")],
        [[text(d["day"], d["day"]), count(d["served"]), count(d["ratings"]),
          share(d["response_ratio"]), number(d["mean_score"], 3), share(d["satisfied_share"])]
         for d in days], source="satisfaction.by_day", empty=not days)


def satisfaction_by_counter(ev: dict, data: dict) -> Chart:
    rows = ev["satisfaction"]["by_counter"]
    summary = ("ความพึงพอใจตามช่องบริการ: " + "; ".join(
        f"{r.get('name') or r['counter']} {_pct(r['satisfied_share'])}" for r in rows)
        + " / Satisfied share by counter.")
    return Chart(
        "satisfaction-counter", "ความพึงพอใจตามช่องบริการ", "Satisfaction by counter", summary,
        Markup(svg.hbars("c-satisfaction-counter", "Satisfaction by counter", summary,
                         [str(r.get("name") or r["counter"]) for r in rows],
                         [r["satisfied_share"] for r in rows], reference=(0.8, "80%")))
        if rows else None,
        [("ช่อง", "Counter"), ("ให้บริการ", "Served"), ("คำตอบ", "Ratings"), ("ตอบ", "Response"),
         ("เฉลี่ย (1–5)", "Mean"), ("พอใจ", "Satisfied")],
        [[text(str(r.get("name") or r["counter"]), r["counter"]), count(r["served"]),
          count(r["ratings"]), share(r["response_ratio"]), number(r["mean_score"], 3),
          share(r["satisfied_share"])] for r in rows],
        source="satisfaction.by_counter", empty=not rows)


def clerks(ev: dict, data: dict) -> Chart:
    sat = {r["clerk"]: r for r in ev["satisfaction"]["by_clerk"]}
    service = data["clerks"]
    ids = sorted(set(sat) | set(service), key=lambda c: str(sat.get(c, {}).get("name") or c))

    def name(c):
        return sat.get(c, {}).get("name") or f"ผู้ใช้ #{c}"
    rows = [(c, sat.get(c, {}), service.get(c, {})) for c in ids]
    summary = ("งานของเจ้าหน้าที่แต่ละคน: " + "; ".join(
        f"{name(c)} {sv.get('served', 0):,} ราย" for c, _, sv in rows)
        + " / Each clerk's visits served, service time and ratings.")
    return Chart(
        "clerks", "ผลงานรายเจ้าหน้าที่", "Per clerk: served, service time, ratings", summary,
        Markup(svg.bars("c-clerks", "Visits served by clerk", summary, [name(c) for c in ids],
                        [("ให้บริการ / served", [sv.get("served") for _, _, sv in rows])],
                        unit="ราย / visits")) if rows else None,
        [("เจ้าหน้าที่", "Clerk"), ("ให้บริการ", "Served"), ("เวลาให้บริการเฉลี่ย (นาที)",
         "Mean service (min)"), ("คำตอบ", "Ratings"), ("ตอบ", "Response"),
         ("เฉลี่ย (1–5)", "Mean score"), ("พอใจ", "Satisfied")],
        [[text(name(c), c), count(sv.get("served", s.get("served"))),
          minutes(sv.get("service_mean")), count(s.get("ratings", 0)),
          share(s.get("response_ratio")), number(s.get("mean_score"), 3),
          share(s.get("satisfied_share"))] for c, s, sv in rows],
        source="satisfaction.by_clerk + the clerk's service time (tickets)", empty=not rows)


def buckets(days: list[dict], first: date, last: date) -> tuple[str, list[tuple[str, list[dict]]]]:
    """The period's days grouped for a trend: by day up to two months, by week (from Monday)
    up to half a year, by month beyond."""
    span = (last - first).days + 1
    if span <= 62:
        return "day", [(d["day"], [d]) for d in days]
    groups: dict[str, list[dict]] = {}
    for d in days:
        day = date.fromisoformat(d["day"])
        key = (day - timedelta(days=day.weekday())).isoformat() if span <= 190 else day.isoformat()[:7]
        groups.setdefault(key, []).append(d)
    return ("week" if span <= 190 else "month"), list(groups.items())


def channels_over_time(ev: dict, data: dict) -> Chart:
    period = ev["period"]
    unit, groups = buckets(data["by_day"], date.fromisoformat(period["from"]),
                           date.fromisoformat(period["to"]))
    names = {"day": ("วัน", "Day"), "week": ("สัปดาห์เริ่ม", "Week from"), "month": ("เดือน", "Month")}
    sums = [(key, {c: sum(d[c] for d in ds) for c in ("kiosk", "reception", "online", "issued")})
            for key, ds in groups]
    ch = ev["channels"]
    summary = (f"ช่องทางที่รับบัตรคิว: ตู้ {ch['kiosk']:,} ประชาสัมพันธ์ {ch['reception']:,} "
               f"ออนไลน์ {ch['online']:,} (ออนไลน์ {_pct(ch['online_share'])}) / Channel mix over "
               f"time by {unit}: kiosk, reception, online.")
    rows = [[text(key, key), count(s["kiosk"]), count(s["reception"]), count(s["online"]),
             count(s["issued"]),
             share(round(s["online"] / s["issued"], 4) if s["issued"] else None)]
            for key, s in sums]
    rows.append([text("รวม / Total", "total"), count(ch["kiosk"]), count(ch["reception"]),
                 count(ch["online"]), count(ev["tickets"]["issued"]), share(ch["online_share"])])
    return Chart(
        "channels", "ช่องทางและสัดส่วนออนไลน์ตามเวลา", "Channel mix and online share over time",
        summary,
        Markup(svg.stacked("c-channels", "Channel mix over time", summary,
                           [k[5:] if unit == "day" else k for k, _ in sums],
                           [("ตู้ / kiosk", [s["kiosk"] for _, s in sums]),
                            ("ประชาสัมพันธ์ / reception", [s["reception"] for _, s in sums]),
                            ("ออนไลน์ / online", [s["online"] for _, s in sums])],
                           unit="ใบ / tickets")) if sums else None,
        [names[unit], ("ตู้กดบัตร", "Kiosk"), ("ประชาสัมพันธ์", "Reception"),
         ("ออนไลน์", "Online"), ("รวม", "Issued"), ("สัดส่วนออนไลน์", "Online share")],
        rows, source="channels (total) + tickets by day", empty=not sums,
        extra={"unit": unit})


def staffing(ev: dict, data: dict) -> Chart:
    st = ev["staffing"]
    hours = [h for h in st["hours"] if h["arrivals"] > 0 or h["counters_open"]]
    short = [h["hour"] for h in hours if h["shortfall"] > 0]
    summary = (f"จำนวนช่องที่ต้องการ (Erlang C) เทียบช่องที่เปิดจริงรายชั่วโมง; ชั่วโมงที่ขาด: "
               f"{', '.join(f'{h:02d}:00' for h in short) or 'ไม่มี'}"
               f"{'; ช่วงพักเที่ยงขาดคน' if st.get('lunch_shortfall') else ''} / Counters needed "
               f"per hour against counters open; lunch cover "
               f"{'short' if st.get('lunch_shortfall') else 'enough'}.")
    return Chart(
        "staffing", "อัตรากำลังที่ต้องการเทียบช่องที่เปิด (ข้อ 3.1)",
        "Staffing need per hour against counters open (3.1)", summary,
        Markup(svg.bars("c-staffing", "Staffing need against counters open", summary,
                        [f"{h['hour']:02d}" for h in hours],
                        [("ต้องการ / needed", [h["counters_needed"] for h in hours]),
                         ("เปิดจริง / open", [h["counters_open"] for h in hours])],
                        unit="ช่อง / counters")) if hours else None,
        [("ชั่วโมง", "Hour"), ("บัตรต่อชั่วโมง", "Tickets an hour"),
         ("เวลาให้บริการ (นาที)", "Service (min)"), ("ต้องการ", "Needed"), ("เปิดจริง", "Open"),
         ("ขาด", "Shortfall"), ("พักเที่ยงขาดคน", "Lunch short")],
        [[text(f"{h['hour']:02d}:00", h["hour"]), number(h["arrivals"], 2),
          number(h["mean_service_minutes"], 2), count(h["counters_needed"]),
          number(h["counters_open"], 2), number(h["shortfall"], 2),
          text("ใช่ / yes" if h["lunch_shortfall"] else "—", h["lunch_shortfall"])]
         for h in hours], source="staffing.hours", empty=not hours,
        note=st.get("definition", ""))


def out_of_order(ev: dict, data: dict) -> Chart:
    fair = ev["fairness"]
    reasons = sorted(fair["by_reason"].items(), key=lambda kv: -kv[1])
    summary = (f"เรียกข้ามคิว {fair['out_of_order']:,} ครั้งจาก {fair['called']:,} การเรียก "
               f"ไม่มีเหตุผลบันทึก {fair['out_of_order_without_reason']:,} / Out-of-order calls "
               "by their recorded reason.")
    return Chart(
        "out-of-order", "การเรียกข้ามคิวและเหตุผล (ข้อ 11)", "Out-of-order calls and reasons (11)",
        summary,
        Markup(svg.hbars("c-out-of-order", "Out-of-order calls by reason", summary,
                         [REASONS.get(k, (k, k))[0] for k, _ in reasons],
                         [n for _, n in reasons], percent=False)) if reasons else None,
        [("เหตุผล", "Reason"), ("ครั้ง", "Calls")],
        [[text(f"{REASONS.get(k, (k, k))[0]} / {REASONS.get(k, (k, k))[1]}", k), count(n)]
         for k, n in reasons] + [[text("รวม / Total", "total"), count(fair["out_of_order"])]],
        source="fairness.by_reason", empty=not fair["called"])


def no_shows(ev: dict, data: dict) -> Chart:
    period = ev["period"]
    unit, groups = buckets(data["by_day"], date.fromisoformat(period["from"]),
                           date.fromisoformat(period["to"]))
    sums = [(key, {c: sum(d[c] for d in ds) for c in ("issued", "no_show", "cancelled")})
            for key, ds in groups]
    ns = ev["no_shows"]
    summary = (f"ไม่มาตามเรียก {ns['dropped']:,} ราย ({_pct(ns['dropped_share'])}) ยกเลิก "
               f"{ev['tickets']['cancelled']:,} / No-shows dropped and cancellations over time.")
    rows = [[text(key, key), count(s["issued"]), count(s["no_show"]), count(s["cancelled"]),
             share(round(s["no_show"] / s["issued"], 4) if s["issued"] else None)]
            for key, s in sums]
    rows.append([text("รวม / Total", "total"), count(ev["tickets"]["issued"]),
                 count(ns["dropped"]), count(ev["tickets"]["cancelled"]),
                 share(ns["dropped_share"])])
    return Chart(
        "no-shows", "ผู้ไม่มาตามเรียก", "No-shows", summary,
        Markup(svg.bars("c-no-shows", "No-shows over time", summary,
                        [k[5:] if unit == "day" else k for k, _ in sums],
                        [("ไม่มา / no-show", [s["no_show"] for _, s in sums]),
                         ("ยกเลิก / cancelled", [s["cancelled"] for _, s in sums])],
                        unit="ราย / tickets")) if sums else None,
        [({"day": "วัน", "week": "สัปดาห์เริ่ม", "month": "เดือน"}[unit],
          {"day": "Day", "week": "Week from", "month": "Month"}[unit]),
         ("ออกบัตร", "Issued"), ("ไม่มา", "No-show"), ("ยกเลิก", "Cancelled"),
         ("สัดส่วนไม่มา", "No-show share")],
        rows, source="no_shows (total) + tickets by day", empty=not sums,
        note=f"ผู้ที่ไม่มาแล้วกลับเข้าคิว {ns['tickets_with_a_no_show']:,} ราย / tickets with a "
             "no-show that went back to the queue at least once")
