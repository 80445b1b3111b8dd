"""The evidence pack for the assessment committee: `evidence.json` (the body of `GET
/api/v1/evidence`), `tickets.csv` (one row per ticket of the period, no personal data: every
figure of the JSON can be derived again from it) and `evidence.xlsx` (the figures, the
criteria table and the tickets, for people who work in a spreadsheet) and `report.pdf` (the
report for the committee, A4, Thai with English headings, with charts: rubric/report.py).

Plain Python over the evidence's visits: csv and json from the standard library, openpyxl for
the workbook, WeasyPrint and matplotlib for the PDF.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from .evidence import Visit

TICKET_COLUMNS = (
    "number", "day", "service_code", "final_service_code", "channel", "priority", "status",
    "issued_at", "called_at", "finished_at", "wait_minutes", "service_minutes", "counter",
    "rating", "eta_minutes", "ahead", "transferred", "no_shows", "triaged", "out_of_order")


def _iso(when) -> str:
    return "" if when is None else when.isoformat().replace("+00:00", "Z")


def _minutes(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def ticket_rows(visits: list[Visit], service_codes: dict[int, str], counters: dict[int, str],
                ratings: dict[int, int]) -> list[dict]:
    """tickets.csv's rows: times in UTC ISO 8601, minutes with 2 decimals, empty where there is
    none. `called_at` is the first call, so wait_minutes = called_at - issued_at."""
    return [{
        "number": v.number, "day": v.day.isoformat(),
        "service_code": service_codes.get(v.service_id, ""),
        "final_service_code": service_codes.get(v.final_service_id, ""),
        "channel": v.channel, "priority": v.priority, "status": v.status,
        "issued_at": _iso(v.issued_at), "called_at": _iso(v.first_called_at),
        "finished_at": _iso(v.finished_at), "wait_minutes": _minutes(v.wait_minutes),
        "service_minutes": _minutes(v.service_minutes),
        "counter": counters.get(v.counter_id, "") if v.counter_id else "",
        "rating": ratings.get(v.id, ""),
        "eta_minutes": "" if v.eta_minutes is None else v.eta_minutes,
        "ahead": "" if v.ahead is None else v.ahead,
        "transferred": int(v.transferred), "no_shows": v.no_shows, "triaged": int(v.triaged),
        "out_of_order": ";".join(v.out_of_order),
    } for v in visits]


def write_pack(out: Path, report: dict, rows: list[dict],
               complaints: list[dict] | None = None) -> list[Path]:
    """Write the pack's files into `out` (made if missing); the paths written. `complaints`:
    complaints.csv's rows (rubric/complaints.py complaint_rows)."""
    out.mkdir(parents=True, exist_ok=True)
    from .complaints import COMPLAINT_COLUMNS
    with open(out / "complaints.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COMPLAINT_COLUMNS)
        writer.writeheader()
        writer.writerows(complaints or [])
    written = [out / "evidence.json", out / "tickets.csv", out / "evidence.xlsx",
               out / "report.pdf"]
    written[0].write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    with open(written[1], "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=TICKET_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    write_workbook(written[2], report, rows)
    from .report import write_report
    write_report(written[3], report)
    return written + [out / "complaints.csv"]


def write_workbook(path: Path, report: dict, rows: list[dict]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)

    def sheet(title: str, header: list[str], lines) -> None:
        ws = book.create_sheet(title)
        ws.append([_bold_cell(ws, h, bold) for h in header])
        for line in lines:
            ws.append(list(line))

    period = report["period"]
    figures = [
        ("ช่วงเวลา / Period", f"{period['from']} – {period['to']}", ""),
        ("บัตรคิวที่ออก / Tickets issued", report["tickets"]["issued"], report["definitions"]["issued"]),
        ("ให้บริการแล้ว / Served", report["tickets"]["served"], report["definitions"]["served"]),
        ("รอเฉลี่ย (นาที) / Mean wait (min)", report["wait"]["mean_minutes"], report["definitions"]["wait"]),
        ("รอมัธยฐาน / Median wait", report["wait"]["median_minutes"], report["definitions"]["wait"]),
        ("รอ P90 / 90th percentile wait", report["wait"]["p90_minutes"], report["definitions"]["p90_minutes"]),
        ("สัดส่วนรอไม่เกินเป้า / Within target", report["wait"]["within_target_share"],
         report["definitions"]["within_target_share"]),
        ("ใช้เวลาบริการไม่เกินมาตรฐาน / Within the standard time",
         report["service_time"]["within_standard_share"], report["definitions"]["within_standard_share"]),
        ("ให้บริการนอกเวลาราชการ / Served outside office hours",
         report["hours"]["served_outside_office_hours"], report["definitions"]["served_outside_office_hours"]),
        ("ความพึงพอใจ (พอใจ-พอใจมาก) / Satisfied share",
         report["satisfaction"]["satisfied_share"], report["definitions"]["satisfied_share"]),
        ("อัตราการตอบแบบประเมิน / Response ratio",
         report["satisfaction"]["response_ratio"], report["definitions"]["response_ratio"]),
        ("สัดส่วนออนไลน์ / Online share", report["channels"]["online_share"],
         report["definitions"]["online_share"]),
        ("คะแนนประเมินตนเอง / Estimated score", report["score"]["estimated"], report["score"]["note"]),
    ]
    sheet("สรุป Summary", ["ตัวชี้วัด / Figure", "ค่า / Value", "นิยาม / Definition"],
          ([name, "" if value is None else value, definition] for name, value, definition in figures))
    sheet("บริการ Services", ["code", "name_th", "issued", "served", "mean wait", "within target",
                              "mean service", "standard minutes"],
          ([s["code"], s["name_th"], s["issued"], s["served"], s["wait"]["mean_minutes"],
            s["wait"]["within_target_share"], s["service_minutes"]["mean"], s["standard_minutes"]]
           for s in report["services"]))
    sheet("เกณฑ์ Criteria", ["id", "points", "measured", "value", "met", "name_th", "name_en"],
          ([i["id"], i["points"], i["measured"], _cell(i["value"]),
            "" if i["met"] is None else ("met" if i["met"] else "not met"), i["name_th"], i["name_en"]]
           for i in report["items"]))
    sheet("บัตรคิว Tickets", list(TICKET_COLUMNS), ([r[c] for c in TICKET_COLUMNS] for r in rows))
    book.save(path)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _bold_cell(ws, text, font):
    from openpyxl.cell import WriteOnlyCell
    cell = WriteOnlyCell(ws, value=text)
    cell.font = font
    return cell
