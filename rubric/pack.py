"""The evidence pack for the assessment committee: `evidence.json` (the body of `GET
/api/v1/evidence`), `tickets.csv` (one row per ticket of the period, no personal data: every
figure of the JSON can be derived again from it) and `evidence.xlsx` (the figures, the
criteria table and the tickets, for people who work in a spreadsheet) and `report.pdf` (the
report for the committee, A4, Thai with English headings, with charts: rubric/report.py).

json and csv from the standard library; the workbook by rustpy-xlsxwriter (Rust's
rust_xlsxwriter underneath: a year's quarter of a million ticket rows in about 2 s, where
openpyxl and XlsxWriter, pure Python, took 12-30 s); WeasyPrint and matplotlib for the PDF.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from .visits import Visits

TICKET_COLUMNS = (
    "number", "day", "service_code", "final_service_code", "channel", "priority", "status",
    "issued_at", "called_at", "finished_at", "wait_minutes", "service_minutes", "counter",
    "rating", "eta_minutes", "ahead", "transferred", "no_shows", "triaged", "out_of_order")


def _iso(instants: np.ndarray) -> list[str]:
    """UTC ISO 8601 with microseconds and Z; empty where there is no time."""
    text = np.datetime_as_string(instants.view("datetime64[us]"), unit="us")
    return [t + "Z" if t != "NaT" else "" for t in text.tolist()]


def _minutes(values: np.ndarray) -> list[str]:
    return ["" if m != m else f"{m:.2f}" for m in values.tolist()]  # m != m: NaN


def ticket_columns(visits: Visits, service_codes: dict[int, str], counters: dict[int, str],
                   ratings: dict[int, int]) -> dict[str, list]:
    """tickets.csv's columns (TICKET_COLUMNS), one entry per ticket: times in UTC ISO 8601,
    minutes with 2 decimals, "" where there is none. `called_at` is the first call, so
    wait_minutes = called_at - issued_at. eta_minutes and ahead (the estimate and the people
    ahead shown at issue) stay empty until tickets record them."""
    ids = visits.id.tolist()
    empty = [""] * len(ids)
    return {
        "number": list(visits.number), "day": np.datetime_as_string(visits.day).tolist(),
        "service_code": [service_codes.get(i, "") for i in visits.service_id.tolist()],
        "final_service_code": [service_codes.get(i, "") for i in visits.final_service_id.tolist()],
        "channel": visits.channel.tolist(), "priority": visits.priority.tolist(),
        "status": visits.status.tolist(), "issued_at": _iso(visits.issued),
        "called_at": _iso(visits.first_called), "finished_at": _iso(visits.finished),
        "wait_minutes": _minutes(visits.wait_minutes),
        "service_minutes": _minutes(visits.service_minutes),
        "counter": [counters.get(i, "") if i else "" for i in visits.counter_id.tolist()],
        "rating": [ratings.get(i, "") for i in ids], "eta_minutes": empty, "ahead": empty,
        "transferred": visits.transferred.astype(int).tolist(),
        "no_shows": visits.no_shows.tolist(), "triaged": visits.triaged.astype(int).tolist(),
        "out_of_order": [";".join(visits.out_of_order.get(i, ())) for i in ids],
    }


def write_pack(out: Path, report: dict, columns: dict[str, list],
               complaints: list[dict] | None = None, pdf_beside: bool = True) -> list[Path]:
    """Write the pack's files into `out` (made if missing); the paths written. `complaints`:
    complaints.csv's rows (rubric/complaints.py complaint_rows). With `pdf_beside`, the PDF
    is drawn by a process of its own from evidence.json while this one writes the CSVs and
    the workbook (the two longest parts, side by side on two cores); without, after them."""
    out.mkdir(parents=True, exist_ok=True)
    from .complaints import COMPLAINT_COLUMNS
    with open(out / "complaints.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COMPLAINT_COLUMNS)
        writer.writeheader()
        writer.writerows(complaints or [])
    written = [out / "evidence.json", out / "tickets.csv", out / "evidence.xlsx",
               out / "report.pdf"]
    written[0].write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    if not pdf_beside:
        _write_tables(written, report, columns)
        from .report import write_report
        write_report(written[3], report)
        return written + [out / "complaints.csv"]
    pdf = subprocess.Popen([sys.executable, "-m", "rubric.report", str(written[0]),
                            str(written[3])], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _write_tables(written, report, columns)
    finally:
        _, errors = pdf.communicate()
    if pdf.returncode != 0:
        raise RuntimeError("report.pdf could not be drawn: "
                           + errors.decode("utf-8", "replace")[-2000:])
    return written + [out / "complaints.csv"]


def _write_tables(written: list[Path], report: dict, columns: dict[str, list]) -> None:
    """tickets.csv and evidence.xlsx."""
    with open(written[1], "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(TICKET_COLUMNS)
        writer.writerows(zip(*(columns[c] for c in TICKET_COLUMNS)))
    write_workbook(written[2], report, columns)


def write_workbook(path: Path, report: dict, columns: dict[str, list]) -> None:
    """The figures, the services, the criteria and every ticket (the rows of tickets.csv,
    minutes and counts as numbers), one sheet each, header rows in bold."""
    from rustpy_xlsxwriter import FastExcel

    definitions = report["definitions"]
    period = report["period"]
    figures = [
        ("ช่วงเวลา / Period", f"{period['from']} – {period['to']}", ""),
        ("บัตรคิวที่ออก / Tickets issued", report["tickets"]["issued"], definitions["issued"]),
        ("ให้บริการแล้ว / Served", report["tickets"]["served"], definitions["served"]),
        ("รอเฉลี่ย (นาที) / Mean wait (min)", report["wait"]["mean_minutes"], definitions["wait"]),
        ("รอมัธยฐาน / Median wait", report["wait"]["median_minutes"], definitions["wait"]),
        ("รอ P90 / 90th percentile wait", report["wait"]["p90_minutes"], definitions["p90_minutes"]),
        ("สัดส่วนรอไม่เกินเป้า / Within target", report["wait"]["within_target_share"],
         definitions["within_target_share"]),
        ("ใช้เวลาบริการไม่เกินมาตรฐาน / Within the standard time",
         report["service_time"]["within_standard_share"], definitions["within_standard_share"]),
        ("ให้บริการนอกเวลาราชการ / Served outside office hours",
         report["hours"]["served_outside_office_hours"], definitions["served_outside_office_hours"]),
        ("ความพึงพอใจ (พอใจ-พอใจมาก) / Satisfied share",
         report["satisfaction"]["satisfied_share"], definitions["satisfied_share"]),
        ("อัตราการตอบแบบประเมิน / Response ratio",
         report["satisfaction"]["response_ratio"], definitions["response_ratio"]),
        ("สัดส่วนออนไลน์ / Online share", report["channels"]["online_share"],
         definitions["online_share"]),
        ("เรื่องร้องเรียนที่รับ / Complaints received", report["complaints"]["received"],
         report["complaints"].get("definitions", {}).get("received", "")),
        ("สัดส่วนเรื่องร้องเรียนที่แก้ไขแล้ว / Complaints resolved share",
         report["complaints"]["resolved_share"],
         report["complaints"].get("definitions", {}).get("resolved_share", "")),
        ("คะแนนประเมินตนเอง / Estimated score", report["score"]["estimated"], report["score"]["note"]),
    ]
    # minutes and counts as numbers (a spreadsheet sums them), empty cells where none
    numeric = {"wait_minutes", "service_minutes", "rating", "eta_minutes", "ahead",
               "transferred", "no_shows", "triaged"}
    cells = [[None if v == "" else float(v) for v in columns[c]] if c in numeric else columns[c]
             for c in TICKET_COLUMNS]

    def ticket_records():
        for row in zip(*cells):
            yield dict(zip(TICKET_COLUMNS, row))

    (FastExcel(str(path)).format(bold_headers=True).freeze(row=1)
     .sheet("สรุป Summary", [{"ตัวชี้วัด / Figure": name, "ค่า / Value": value,
                             "นิยาม / Definition": definition}
                            for name, value, definition in figures])
     .sheet("บริการ Services", [{
         "code": s["code"], "name_th": s["name_th"], "issued": s["issued"],
         "served": s["served"], "mean wait": s["wait"]["mean_minutes"],
         "within target": s["wait"]["within_target_share"],
         "mean service": s["service_minutes"]["mean"], "standard minutes": s["standard_minutes"],
     } for s in report["services"]])
     .sheet("เกณฑ์ Criteria", [{
         "id": i["id"], "points": i["points"], "measured": i["measured"],
         "value": _cell(i["value"]),
         "met": "" if i["met"] is None else ("met" if i["met"] else "not met"),
         "name_th": i["name_th"], "name_en": i["name_en"],
     } for i in report["items"]])
     .sheet("บัตรคิว Tickets", ticket_records())
     .save())


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value
