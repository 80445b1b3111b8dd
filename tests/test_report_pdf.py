"""report.pdf of the evidence pack: the hand-made day of test_evidence.py exported, the PDF
read back with poppler's pdftotext and pdfinfo (Debian poppler-utils, .ci/run installs it).

pdftotext reads the marks above Thai letters back loosely: a tone mark over an upper vowel
comes out on a line of its own or after the next letter (ที่ระบบ reads as ทรี่ ะบบ), and the
nikhahit of sara am is lost (ำ reads as า). The PDF itself is right (look at
docs/evidence/report-page-*.png); the Thai comparison below is of the letters on the line:
whitespace and the marks above (upper vowels, tone marks, nikhahit) out on both sides.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date

import pytest

from test_evidence import day  # noqa: F401  (the fixture: the hand-made Monday)

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdfinfo"),
                                reason="poppler-utils (pdftotext, pdfinfo) not installed")


def loose(text: str) -> str:
    """Whitespace and the marks above the line out (mai han-akat, sara i-uee, mai taikhu,
    tone marks, thanthakhat, nikhahit); sara am as sara aa."""
    return re.sub(r"[\s\u0e31\u0e34-\u0e37\u0e47-\u0e4e]", "",
                  text.replace("\u0e33", "\u0e32"))


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the PDF is the engine's own
def test_the_pack_has_the_pdf_report_of_the_period(app, api, day, tmp_path):  # noqa: F811
    assert api.post("/ratings", {"token": day["t3"]["token"], "score": 4}).status_code == 201
    written = app.extensions["gecc"].evidence.export(
        None, date(2026, 11, 23), date(2026, 11, 23), tmp_path)
    assert tmp_path / "report.pdf" in written
    report = json.loads((tmp_path / "evidence.json").read_text(encoding="utf-8"))

    info = subprocess.run(["pdfinfo", str(tmp_path / "report.pdf")], capture_output=True,
                          text=True, check=True, timeout=30).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"],
                          capture_output=True, text=True, check=True, timeout=30).stdout
    flat = loose(text)

    for heading in ("รายงานหลักฐานศูนย์ราชการสะดวก", "GECC evidence report",
                    "สรุปตัวชี้วัดหลัก", "Key figures", "รายบริการ", "เวลารอ",
                    "ความต้องการ", "ความพึงพอใจ", "เกณฑ์ที่ระบบวัดได้", "Measured criteria",
                    "คะแนนประเมินตนเอง", "Estimated score", "ตารางประเมินตนเอง",
                    "Self-assessment"):
        assert loose(heading) in flat, heading
    office = report["office"]
    assert loose(office["name"]) in flat and office["name_en"] in text
    assert "2026-11-23 – 2026-11-23" in text

    # The figures of evidence.json (test_evidence.py has their right answers).
    assert report["wait"]["mean_minutes"] == 15.0 and "15.00" in text
    assert report["wait"]["median_minutes"] == 12.5 and "12.50" in text
    assert report["wait"]["p90_minutes"] == 27.0 and "27.00" in text
    assert report["wait"]["within_target_share"] == 0.75 and "75.0%" in text
    assert report["service_time"]["within_standard_share"] == 0.75
    assert re.search(r"Tickets issued\s+5\n", text) and re.search(r"Served\s+4\n", text)
    assert report["satisfaction"]["mean_score"] == 4 and re.search(
        r"Mean satisfaction score\s+4\.00\n", text)
    # No alert was raised: no data prints "—", never 0.
    assert report["alerts"]["handled_share"] is None
    assert re.search(r"Alerts handled\s+—\n", text), text

    # The complaint register's section, empty for this day: said, not left out.
    assert report["complaints"]["received"] == 0
    assert "Complaints" in text and re.search(r"Complaints received\s+0\n", text), text

    # Every measured item is listed with its verdict; the self-assessment lists every item.
    for item in report["items"]:
        assert item["id"] in text, item["id"]
    assert "met" in text and "not met" in text and "unknown" in text
    score = report["score"]
    assert re.search(rf"Estimated score\s+{score['estimated']}\s*/\s*100", text), text
    assert re.search(rf"Points to the next level\s+{score['points_to_next_level']}\n", text)
    # The staffing plan: the hours with tickets or counters open, counters needed and open.
    assert "Staffing against demand" in text
    assert re.search(r"09:00\s+3\s+2\s+5\b", text), text


def test_the_staffing_section_appears_with_the_plan():
    """With report["staffing"] (hours with counters needed and open), the section and its
    chart appear; the rest of the report is unchanged."""
    from rubric.report import render_html

    report = _minimal_report()
    assert "Staffing against demand" not in render_html(report)
    report["staffing"] = [{"hour": 9, "arrivals": 40.0, "counters_needed": 5, "counters_open": 4,
                           "service_level": 0.62},
                          {"hour": 12, "arrivals": 20.0, "counters_needed": 3,
                           "counters_open": 1, "service_level": None}]
    html = render_html(report)
    assert "Staffing against demand" in html and "09:00" in html and "12:00" in html
    assert "data:image/svg+xml;base64," in html


def test_no_data_prints_a_dash_never_zero():
    from rubric.report import minutes, number, percent, render_html

    assert minutes(None) == percent(None) == number(None) == "—"
    assert minutes(0) == "0.00" and percent(0.0) == "0.0%" and number(0) == "0"
    html = render_html(_minimal_report())
    assert "ไม่มีข้อมูล / no data" in html  # every chart of an empty period
    assert "src=\"http" not in html and "url(\"http" not in html  # nothing from the network


def _minimal_report() -> dict:
    """An empty period as rubric/evidence.py reports it."""
    from rubric.evidence import EvidenceInput, Period, ServiceInfo, evidence
    from rubric.score import assess

    report = {"office": {"id": 1, "name": "สำนักงานทดสอบ", "name_en": "Test office"},
              **evidence(EvidenceInput(Period(date(2026, 11, 23), date(2026, 11, 24)),
                                       "Asia/Bangkok", [], [ServiceInfo(1, "A", "บัตรประชาชน",
                                                                        "ID card", 10, 20)]))}
    report["items"], report["score"] = assess(report)
    return report
