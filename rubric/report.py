"""report.pdf of the evidence pack: the period's evidence for the assessment committee, A4,
Thai with English headings.

HTML and CSS made here (plain Python, no template engine), laid out by WeasyPrint, which
shapes Thai through Pango and HarfBuzz (tone marks over upper vowels placed right) with the
Sarabun font the project ships (the PyPI package fontpkg-sarabun, embedded through
@font-face from its files; nothing is fetched from the network: the URL fetcher refuses
anything but local files and data: URIs). The charts are drawn on the server by matplotlib
(Agg, no pyplot state) as SVG with the glyphs as paths; matplotlib 3.11 and newer shapes
Thai through libraqm, so the chart labels are Thai with English too.

A figure with no data prints "—", never 0. `report["staffing"]`, when the evidence carries
the staffing plan (not yet: see the README), adds the staffing chart and table: a list of
hours (or {"hours": [...]}) each with `hour`, `counters_needed` and `counters_open`, as
rubric/staffing.py's StaffingHour.to_json() gives them.
"""

from __future__ import annotations

import base64
import functools
import io
from html import escape
from pathlib import Path

NO_DATA = "—"
WEEKDAYS_TH = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MEASURED_TH = {"system": "ระบบวัดได้", "partial": "วัดได้บางส่วน", "manual": "ตอบเอง"}
CHANNELS = (("kiosk", "ตู้กดบัตรคิว", "Kiosk"), ("reception", "จุดคัดกรอง", "Reception"),
            ("online", "จองออนไลน์", "Online"))
COLOURS = {"main": "#1f4e79", "second": "#e07b00", "good": "#2e7d32", "bad": "#c62828",
           "grey": "#9e9e9e"}


# --- the font ---------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def sarabun_files() -> tuple[Path, Path]:
    """(regular, bold) Sarabun TTF files of the fontpkg-sarabun package; failing that the
    Thai fonts printer/fonts.py finds (its error names the fix)."""
    try:
        import fontpkg_sarabun

        files = Path(fontpkg_sarabun.ROOT) / "files"
        regular, bold = files / "Sarabun-Regular.ttf", files / "Sarabun-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    except ImportError:
        pass
    from printer.fonts import find_thai_fonts

    fonts = find_thai_fonts()
    return fonts.regular, fonts.bold


# --- formatting -------------------------------------------------------------------------------

def minutes(value) -> str:
    return NO_DATA if value is None else f"{value:.2f}"


def percent(value) -> str:
    return NO_DATA if value is None else f"{value * 100:.1f}%"


def number(value) -> str:
    if value is None:
        return NO_DATA
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}"


def score_value(value) -> str:
    return NO_DATA if value is None else f"{value:.2f}"


def verdict(met) -> str:
    if met is None:
        return '<span class="unknown">ยังไม่ทราบ / unknown</span>'
    if met:
        return '<span class="met">ผ่าน / met</span>'
    return '<span class="notmet">ไม่ผ่าน / not met</span>'


def item_value(item: dict) -> str:
    """An item's figure: a share as a percentage, minutes with 2 decimals, a count."""
    value = item["value"]
    if value is None:
        return NO_DATA
    if isinstance(value, dict):
        return "<br>".join(f"{escape(k)}: {_figure_text(k, v)}" for k, v in value.items())
    figure = item["threshold"][0].split(" ")[0] if item["threshold"] else ""
    return _figure_text(figure, value)


def _figure_text(key: str, value) -> str:
    if value is None:
        return NO_DATA
    if "share" in key or "ratio" in key:
        return percent(value)
    if "minutes" in key:
        return minutes(value)
    return number(value)


def _e(text) -> str:
    return escape("" if text is None else str(text))


def _short(text: str, limit: int = 90) -> str:
    """Clipped at a space (never inside a Thai cluster) to about `limit` characters."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[:cut if cut > 20 else limit].rstrip() + " …"


# --- the charts -------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _matplotlib():
    import matplotlib
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    regular, bold = sarabun_files()
    for path in (regular, bold):
        font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(regular)).get_name()
    settings = {"font.family": family, "font.size": 9, "svg.fonttype": "path",
                "svg.hashsalt": "gecc-report", "axes.spines.top": False,
                "axes.spines.right": False, "axes.titlesize": 10, "axes.titleweight": "bold",
                "axes.unicode_minus": False}
    return matplotlib, Figure, settings


def _svg(draw, width: float = 7.0, height: float = 2.8) -> str:
    """An <img> of the chart `draw(fig)` makes, as SVG in a data: URI."""
    matplotlib, Figure, settings = _matplotlib()
    with matplotlib.rc_context(settings):
        fig = Figure(figsize=(width, height))
        draw(fig)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", bbox_inches="tight", pad_inches=0.08,
                    metadata={"Date": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img class="chart" src="data:image/svg+xml;base64,{data}">'


def _no_data(title: str) -> str:
    return f'<p class="nodata">{_e(title)}: ไม่มีข้อมูล / no data ({NO_DATA})</p>'


def chart_waits_by_hour(report: dict) -> str:
    rows = [h for h in report.get("by_hour", []) if h["wait"]["mean_minutes"] is not None]
    if not rows:
        return _no_data("เวลารอตามชั่วโมง / Waits by hour")

    def draw(fig):
        ax = fig.subplots()
        hours = [h["key"] for h in rows]
        ax.bar(hours, [h["wait"]["mean_minutes"] for h in rows], color=COLOURS["main"],
               label="เฉลี่ย / mean", width=0.7)
        ax.plot(hours, [h["wait"]["p90_minutes"] for h in rows], "o-", color=COLOURS["second"],
                label="เปอร์เซ็นไทล์ที่ 90 / p90")
        ax.set_xticks(range(min(hours), max(hours) + 1))
        ax.set_xticklabels([f"{h:02d}" for h in range(min(hours), max(hours) + 1)])
        ax.set_xlabel("ชั่วโมงที่ออกบัตร (เวลาสำนักงาน) / hour of issue")
        ax.set_ylabel("นาที / minutes")
        ax.set_title("เวลารอตามชั่วโมง / Waits by hour of day")
        ax.legend(frameon=False)
    return _svg(draw)


def _target_threshold(report: dict) -> float | None:
    for item in report.get("items", []):
        for threshold in item.get("threshold", []):
            parts = threshold.split(" ")
            if parts[0] == "wait.within_target_share" and parts[1] in (">=", ">"):
                return float(parts[2])
    return None


def chart_within_target_by_service(report: dict) -> str:
    rows = [s for s in report.get("services", []) if s["wait"]["within_target_share"] is not None]
    if not rows:
        return _no_data("รอไม่เกินเป้าตามบริการ / Within target by service")
    line = _target_threshold(report)

    def draw(fig):
        ax = fig.subplots()
        labels = [f"{s['code']} {s['name_th']}" for s in rows][::-1]
        shares = [s["wait"]["within_target_share"] * 100 for s in rows][::-1]
        colours = [COLOURS["good"] if line is None or v >= line * 100 else COLOURS["bad"]
                   for v in shares]
        bars = ax.barh(labels, shares, color=colours, height=0.6)
        ax.bar_label(bars, labels=[f"{v:.1f}%" for v in shares], padding=3, fontsize=8)
        if line is not None:
            ax.axvline(line * 100, color=COLOURS["grey"], linestyle="--", linewidth=1,
                       label=f"เกณฑ์ / threshold {line * 100:g}%")
            ax.legend(frameon=False, loc="lower right", fontsize=8)
        ax.set_xlim(0, 112)
        ax.set_xlabel("ร้อยละของผู้รอไม่เกินเวลาเป้าหมาย / % of waits within the target")
        ax.set_title("รอไม่เกินเป้าหมายตามบริการ / Share within target by service")
    return _svg(draw, height=0.6 + 0.42 * len(rows) + 0.8)


def chart_satisfaction_by_day(report: dict) -> str:
    rows = [d for d in report.get("satisfaction", {}).get("by_day", [])
            if d.get("mean_score") is not None]
    if not rows:
        return _no_data("ความพึงพอใจรายวัน / Satisfaction by day")

    def draw(fig):
        ax = fig.subplots()
        days = range(len(rows))
        ax.plot(days, [d["mean_score"] for d in rows], "o-", color=COLOURS["main"],
                label="คะแนนเฉลี่ย (1-5) / mean score")
        ax.set_ylim(1, 5.2)
        ax.set_ylabel("คะแนน / score (1-5)")
        right = ax.twinx()
        right.spines["right"].set_visible(True)
        right.plot(days, [(d["satisfied_share"] or 0) * 100 if d["satisfied_share"] is not None
                          else float("nan") for d in rows], "s--", color=COLOURS["second"],
                   label="พอใจ-พอใจมาก / satisfied share")
        right.set_ylim(0, 105)
        right.set_ylabel("ร้อยละ / %")
        ax.set_title("ความพึงพอใจรายวัน / Satisfaction by day")
        step = max(1, len(rows) // 14)
        ax.set_xticks(list(days)[::step], [d["day"][5:] for d in rows][::step])
        ax.set_xlabel("วัน (เดือน-วัน) / day (month-day)")
        handles = ax.get_legend_handles_labels()
        more = right.get_legend_handles_labels()
        ax.legend(handles[0] + more[0], handles[1] + more[1], frameon=False, loc="lower left",
                  fontsize=8)
    return _svg(draw)


def chart_channels(report: dict) -> str:
    channels = report.get("channels", {})
    counts = [(th, en, channels.get(key) or 0) for key, th, en in CHANNELS]
    total = sum(n for _, _, n in counts)
    if not total:
        return _no_data("ช่องทาง / Channels")

    def draw(fig):
        ax = fig.subplots()
        labels = [f"{th} / {en}" for th, en, _ in counts][::-1]
        values = [n for _, _, n in counts][::-1]
        bars = ax.barh(labels, values, color=COLOURS["main"], height=0.6)
        ax.bar_label(bars, labels=[f"{n:,} ({n / total * 100:.1f}%)" for n in values],
                     padding=3, fontsize=8)
        ax.set_xlim(0, max(values) * 1.35)
        ax.set_xlabel("บัตรคิว / tickets")
        ax.set_title("ช่องทางการรับบัตรคิว / Channel mix")
    return _svg(draw, width=7.0, height=1.9)


def chart_demand(report: dict) -> str:
    cells = report.get("demand", {}).get("cells", [])
    if not cells:
        return _no_data("ความต้องการตามวันและชั่วโมง / Demand by weekday and hour")
    weekdays = sorted({c["weekday"] for c in cells})
    hours = list(range(min(c["hour"] for c in cells), max(c["hour"] for c in cells) + 1))
    grid = [[0.0] * len(hours) for _ in weekdays]
    for c in cells:
        grid[weekdays.index(c["weekday"])][hours.index(c["hour"])] = c["per_day"]

    def draw(fig):
        ax = fig.subplots()
        image = ax.imshow(grid, cmap="YlOrRd", aspect="auto")
        ax.set_xticks(range(len(hours)), [f"{h:02d}" for h in hours])
        ax.set_yticks(range(len(weekdays)),
                      [f"{WEEKDAYS_TH[d]} {WEEKDAYS_EN[d]}" for d in weekdays])
        peak = max(max(row) for row in grid) or 1
        for y, row in enumerate(grid):
            for x, value in enumerate(row):
                if value:
                    ax.text(x, y, f"{value:.0f}" if value >= 10 else f"{value:.1f}",
                            ha="center", va="center", fontsize=7,
                            color="white" if value > peak * 0.6 else "black")
        for side in ("top", "right", "left", "bottom"):
            ax.spines[side].set_visible(False)
        fig.colorbar(image, ax=ax, label="บัตรคิวต่อวัน / tickets per day", shrink=0.9)
        ax.set_xlabel("ชั่วโมง (เวลาสำนักงาน) / hour")
        ax.set_title("ความต้องการตามวันและชั่วโมง (เฉลี่ยต่อวัน) / Demand by weekday and hour")
    return _svg(draw, height=0.9 + 0.32 * len(weekdays) + 0.6)


def staffing_hours(report: dict) -> list[dict] | None:
    staffing = report.get("staffing")
    if isinstance(staffing, dict):
        staffing = staffing.get("hours") or staffing.get("plan")
    return staffing or None


def chart_staffing(hours: list[dict]) -> str:
    def draw(fig):
        ax = fig.subplots()
        x = [h["hour"] for h in hours]
        ax.bar([v - 0.2 for v in x], [h["counters_needed"] for h in hours], width=0.4,
               color=COLOURS["second"], label="ต้องการ / needed")
        ax.bar([v + 0.2 for v in x], [h["counters_open"] for h in hours], width=0.4,
               color=COLOURS["main"], label="เปิดจริง / open")
        ax.set_xticks(x, [f"{v:02d}" for v in x])
        ax.set_xlabel("ชั่วโมง / hour")
        ax.set_ylabel("ช่องบริการ / counters")
        ax.set_title("ช่องบริการที่ต้องการและที่เปิด / Counters needed and open")
        ax.legend(frameon=False)
    return _svg(draw)


# --- the HTML ---------------------------------------------------------------------------------

CSS = """
@font-face { font-family: "Sarabun"; src: url("{regular}"); font-weight: normal; }
@font-face { font-family: "Sarabun"; src: url("{bold}"); font-weight: bold; }
@page {
  size: A4; margin: 16mm 14mm 16mm 14mm;
  @bottom-left { content: "{footer}"; font-family: "Sarabun"; font-size: 8pt; color: #666; }
  @bottom-right { content: "หน้า / page " counter(page) " / " counter(pages);
                  font-family: "Sarabun"; font-size: 8pt; color: #666; }
}
html { font-family: "Sarabun"; font-size: 10pt; line-height: 1.35; color: #1a1a1a; }
h1 { font-size: 17pt; margin: 0 0 2mm 0; color: #1f4e79; line-height: 1.3; }
h2 { font-size: 13pt; margin: 4mm 0 1.5mm 0; color: #1f4e79; border-bottom: 1px solid #1f4e79;
     break-after: avoid; line-height: 1.4; }
h3 { font-size: 11pt; margin: 4mm 0 1mm 0; break-after: avoid; }
.en { color: #555; font-weight: normal; }
.meta { margin: 0 0 3mm 0; }
.meta td { padding: 0.4mm 3mm 0.4mm 0; border: none; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 2mm 0; }
th, td { border: 0.5pt solid #bbb; padding: 0.8mm 1.5mm; vertical-align: top; text-align: left; }
th { background: #e8eef5; font-weight: bold; }
table.services th { white-space: normal; font-size: 7.5pt; }
tr { break-inside: avoid; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.summary { font-size: 9pt; }
table.summary td { padding: 0.4mm 1.5mm; }
table.summary td:first-child { width: 62%; }
table.items { font-size: 8.5pt; table-layout: fixed; }
table.services { font-size: 8.5pt; table-layout: fixed; }
td.wrap { overflow-wrap: anywhere; font-size: 7.5pt; }
td.id { white-space: nowrap; }
td.fig { text-align: right; overflow-wrap: anywhere; }
table.assessment { font-size: 8pt; }
table.assessment td, table.assessment th { padding: 0.4mm 1.2mm; }
.met { color: #2e7d32; font-weight: bold; }
.notmet { color: #c62828; font-weight: bold; }
.unknown { color: #777; }
.chart { max-width: 100%; margin: 1mm 0 3mm 0; break-inside: avoid; }
.nodata { color: #777; border: 0.5pt dashed #bbb; padding: 2mm; }
.note { color: #555; font-size: 8.5pt; }
.score { font-size: 12pt; }
.hook { border: 0.8pt dashed #e07b00; padding: 2mm 3mm; color: #555; }
.pagebreak { break-before: page; }
"""


def _summary_rows(report: dict) -> list[tuple[str, str]]:
    t, w, s = report["tickets"], report["wait"], report["satisfaction"]
    st, ch, hours = report["service_time"], report["channels"], report["hours"]
    alerts, score = report.get("alerts", {}), report.get("score", {})
    return [
        ("บัตรคิวที่ออก / Tickets issued", number(t["issued"])),
        ("ให้บริการแล้ว / Served", number(t["served"])),
        ("ไม่มาตามเรียก / No-show (dropped)", number(t["no_show"])),
        ("ยกเลิก / Cancelled", number(t["cancelled"])),
        ("เวลารอเฉลี่ย (นาที) / Mean wait (min)", minutes(w["mean_minutes"])),
        ("เวลารอมัธยฐาน (นาที) / Median wait (min)", minutes(w["median_minutes"])),
        ("เวลารอ P90 (นาที) / 90th percentile wait (min)", minutes(w["p90_minutes"])),
        ("รอไม่เกินเวลาเป้าหมาย / Waits within target", percent(w["within_target_share"])),
        ("เวลาให้บริการเฉลี่ย (นาที) / Mean service time (min)", minutes(st["mean"])),
        ("บริการไม่เกินเวลามาตรฐาน / Within the standard time",
         percent(st["within_standard_share"])),
        ("ให้บริการนอกเวลาราชการ / Served outside office hours",
         number(hours["served_outside_office_hours"])),
        ("จำนวนผู้ประเมิน / Ratings", number(s["ratings"])),
        ("อัตราการตอบแบบประเมิน / Response ratio", percent(s["response_ratio"])),
        ("คะแนนความพึงพอใจเฉลี่ย (1-5) / Mean satisfaction score", score_value(s["mean_score"])),
        ("พอใจ-พอใจมาก / Satisfied share (4-5)", percent(s["satisfied_share"])),
        ("สัดส่วนบัตรคิวออนไลน์ / Online share", percent(ch["online_share"])),
        ("เรื่องร้องเรียนที่รับ / Complaints received",
         number(report.get("complaints", {}).get("received"))),
        ("เรื่องร้องเรียนที่แก้ไขแล้ว / Complaints resolved",
         percent(report.get("complaints", {}).get("resolved_share"))),
        ("การแจ้งเตือนที่ดำเนินการแล้ว / Alerts handled", percent(alerts.get("handled_share"))),
        ("คะแนนประเมินตนเอง (ประมาณการ) / Estimated score",
         number(score.get("estimated"))),
    ]


def _complaints(report: dict) -> str:
    """The complaint register's figures (GECC quality 2.12, 2.13), overall and by category."""
    c = report.get("complaints") or {}
    if not c.get("received"):
        return ("<h2>เรื่องร้องเรียน <span class='en'>/ Complaints</span></h2>"
                f"<p>ไม่มีเรื่องร้องเรียนในช่วงนี้ / no complaint in the period ({NO_DATA})</p>")
    days = c.get("days_to_resolve") or {}
    rows = "".join(
        f"<tr><td>{_e(k['name_th'])}<br><span class='en'>{_e(k['name_en'])}</span></td>"
        f"<td class='num'>{number(k['received'])}</td><td class='num'>{number(k['resolved'])}</td>"
        f"<td class='num'>{percent(k['resolved_share'])}</td>"
        f"<td class='num'>{number(k['overdue'])}</td></tr>" for k in c.get("by_category", []))
    return f"""<h2>เรื่องร้องเรียน <span class="en">/ Complaints</span></h2>
<p>รับ {number(c['received'])} เรื่อง แก้ไขแล้ว {number(c['resolved'])}
({percent(c['resolved_share'])}) ภายในกำหนด {percent(c.get('resolved_within_due_share'))}
ค่ามัธยฐาน {minutes(days.get('median'))} วัน P90 {minutes(days.get('p90'))} วัน
เกินกำหนด {number(c.get('overdue'))} เรื่อง (ณ {_e(c.get('as_of'))})<br>
<span class="en">{number(c['received'])} received, {number(c['resolved'])} resolved
({percent(c['resolved_share'])}), {percent(c.get('resolved_within_due_share'))} within the due
date; median {minutes(days.get('median'))} days to resolve, p90 {minutes(days.get('p90'))};
{number(c.get('overdue'))} overdue as of {_e(c.get('as_of'))}</span></p>
<table class="summary"><tr><th>หมวด / Category</th><th class="num">รับ / Received</th>
<th class="num">แก้ไขแล้ว / Resolved</th><th class="num">สัดส่วน / Share</th>
<th class="num">เกินกำหนด / Overdue</th></tr>{rows}</table>"""


def _services_table(report: dict) -> str:
    rows = "".join(
        f"<tr><td>{_e(s['code'])}</td><td>{_e(s['name_th'])}<br><span class='en'>"
        f"{_e(s['name_en'])}</span></td><td class='num'>{number(s['issued'])}</td>"
        f"<td class='num'>{number(s['served'])}</td>"
        f"<td class='num'>{minutes(s['wait']['mean_minutes'])}</td>"
        f"<td class='num'>{minutes(s['wait']['p90_minutes'])}</td>"
        f"<td class='num'>{minutes(s.get('target_wait_minutes'))}</td>"
        f"<td class='num'>{percent(s['wait']['within_target_share'])}</td>"
        f"<td class='num'>{minutes(s['service_minutes']['mean'])}</td>"
        f"<td class='num'>{minutes(s['standard_minutes'])}</td>"
        f"<td class='num'>{percent(s['service_minutes'].get('within_standard_share'))}</td></tr>"
        for s in report.get("services", []))
    widths = (6, 24, 7, 7, 7, 7, 7, 8, 8, 9, 10)
    cols = "".join(f"<col style='width: {w}%'>" for w in widths)
    return (f"<table class='services'>{cols}<tr><th>รหัส<br><span class='en'>Code</span></th>"
            "<th>บริการ<br><span class='en'>Service</span></th>"
            "<th class='num'>ออกบัตร<br><span class='en'>Issued</span></th>"
            "<th class='num'>ให้บริการ<br><span class='en'>Served</span></th>"
            "<th class='num'>รอเฉลี่ย<br><span class='en'>Mean wait</span></th>"
            "<th class='num'>รอ P90<br><span class='en'>P90 wait</span></th>"
            "<th class='num'>เป้า (นาที)<br><span class='en'>Target</span></th>"
            "<th class='num'>ไม่เกินเป้า<br><span class='en'>Within</span></th>"
            "<th class='num'>บริการเฉลี่ย<br><span class='en'>Mean service</span></th>"
            "<th class='num'>มาตรฐาน<br><span class='en'>Standard</span></th>"
            "<th class='num'>ไม่เกินมาตรฐาน<br><span class='en'>Within</span></th></tr>"
            f"{rows}</table>")


def _measured_items(report: dict) -> str:
    items = [i for i in report.get("items", []) if i["measured"] in ("system", "partial")]
    rows = "".join(
        f"<tr><td class='id'>{_e(i['id'])}</td>"
        f"<td>{_e(_short(i['name_th'], 120))}<br><span class='en'>{_e(_short(i['name_en'], 120))}"
        f"</span><br><span class='note'>นิยาม / definition: {_e(i['definition'] or NO_DATA)}"
        f"</span></td>"
        f"<td>{_e(MEASURED_TH[i['measured']])}<br><span class='en'>{_e(i['measured'])}</span></td>"
        f"<td class='fig'>{item_value(i)}</td>"
        f"<td class='wrap'>{'<br>'.join(_e(t) for t in i['threshold']) or NO_DATA}</td>"
        f"<td>{verdict(i['met'])}</td></tr>"
        for i in items)
    cols = "".join(f"<col style='width: {w}%'>" for w in (12, 39, 10, 10, 17, 12))
    return (f"<table class='items'>{cols}<tr><th>ข้อ<br><span class='en'>Item</span></th>"
            "<th>เกณฑ์และนิยาม<br><span class='en'>Criterion and definition</span></th>"
            "<th>การวัด<br><span class='en'>Measured</span></th>"
            "<th class='num'>ค่าที่วัดได้<br><span class='en'>Figure</span></th>"
            "<th>เกณฑ์ผ่าน<br><span class='en'>Threshold</span></th>"
            "<th>ผล<br><span class='en'>Result</span></th></tr>"
            f"{rows}</table>")


def _assessment(report: dict) -> str:
    rows = "".join(
        f"<tr><td class='id'>{_e(i['id'])}</td><td>{_e(_short(i['name_th'], 75))}</td>"
        f"<td class='num'>{i['points']}</td><td>{_e(i['measured'])}</td>"
        f"<td>{verdict(i['met'])}</td></tr>" for i in report.get("items", []))
    return ("<table class='assessment'><tr><th>ข้อ / Item</th><th>เกณฑ์ / Criterion</th>"
            "<th class='num'>คะแนน / Points</th><th>การวัด / Measured</th>"
            f"<th>ผล / Met</th></tr>{rows}</table>")


def _score(report: dict) -> str:
    score = report.get("score", {})
    if not score:
        return _no_data("คะแนน / Score")
    level = score.get("level_name_en") or score.get("level")
    gate = {True: "ผ่าน / met", False: "ไม่ผ่าน / not met", None: "ยังไม่ทราบ / unknown"}
    missing = "".join(
        f"<tr><td class='id'>{_e(m['id'])}</td><td class='num'>{m['points']}</td><td>{verdict(m['met'])}</td>"
        f"<td>{_e(_short(m['name_en'], 110))}</td></tr>"
        for m in score.get("missing_for_next_level", []))
    next_level = score.get("next_level")
    return (
        "<table class='summary'>"
        f"<tr><td>คะแนนประมาณการ / Estimated score</td><td class='num score'><b>"
        f"{number(score.get('estimated'))}</b> / 100</td></tr>"
        f"<tr><td>ระดับ / Level</td><td class='num'>{_e(level) if level else NO_DATA}</td></tr>"
        f"<tr><td>เกณฑ์กายภาพครบ (เงื่อนไขผ่าน) / Physical gate</td>"
        f"<td class='num'>{gate[score.get('physical_gate')]}</td></tr>"
        f"<tr><td>เกณฑ์คุณภาพขั้นพื้นฐานครบ / All basic quality items met</td>"
        f"<td class='num'>{gate[score.get('basic_all_met')]}</td></tr>"
        f"<tr><td>คะแนนขั้นสูง / Advanced points (required)</td><td class='num'>"
        f"{number(score.get('advanced_points'))} ({number(score.get('advanced_required'))})</td></tr>"
        f"<tr><td>ข้อที่ยังไม่ทราบผล / Items unknown</td>"
        f"<td class='num'>{number(score.get('unknown_items'))}</td></tr>"
        f"<tr><td>ระดับถัดไป / Next level</td><td class='num'>{_e(next_level or NO_DATA)}</td></tr>"
        f"<tr><td>คะแนนที่ขาด / Points to the next level</td>"
        f"<td class='num'>{number(score.get('points_to_next_level'))}</td></tr>"
        "</table>"
        f"<p class='note'>{_e(score.get('note', ''))}</p>"
        + (f"<h3>สิ่งที่ยังขาดสำหรับระดับถัดไป <span class='en'>/ Missing for the next level"
           f"</span></h3><table class='assessment'><tr><th>ข้อ / Item</th>"
           f"<th class='num'>คะแนน / Points</th><th>ผล / Met</th><th>Criterion</th></tr>"
           f"{missing}</table>" if missing else ""))


def _staffing(report: dict) -> str:
    hours = staffing_hours(report)
    if not hours:
        return ""  # the hook: appears once the evidence carries the staffing plan
    rows = "".join(
        f"<tr><td>{h['hour']:02d}:00</td><td class='num'>{number(h.get('arrivals'))}</td>"
        f"<td class='num'>{number(h['counters_needed'])}</td>"
        f"<td class='num'>{number(h['counters_open'])}</td>"
        f"<td class='num'>{percent(h.get('service_level'))}</td></tr>" for h in hours)
    return (
        "<h2>อัตรากำลังเทียบความต้องการ <span class='en'>/ Staffing against demand</span></h2>"
        + chart_staffing(hours)
        + "<table class='items'><tr><th>ชั่วโมง / Hour</th><th class='num'>ผู้มารับบริการ / "
          "Arrivals</th><th class='num'>ช่องที่ต้องการ / Needed</th><th class='num'>ช่องที่เปิด / "
          "Open</th><th class='num'>ระดับบริการ / Service level</th></tr>" + rows + "</table>")


def render_html(report: dict) -> str:
    """The report's HTML (fonts as file: URLs, charts as data: URIs)."""
    regular, bold = sarabun_files()
    office = report.get("office", {})
    period = report["period"]
    days = period.get("days")
    footer = (f"GECC Queue · {office.get('name_en') or office.get('name') or ''} · "
              f"{period['from']} – {period['to']}").replace('"', "'")
    css = (CSS.replace("{regular}", regular.as_uri()).replace("{bold}", bold.as_uri())
           .replace("{footer}", footer.replace("\\", "")))
    summary = "".join(f"<tr><td>{_e(k)}</td><td class='num'>{v}</td></tr>"
                      for k, v in _summary_rows(report))
    return f"""<!DOCTYPE html>
<html lang="th"><head><meta charset="utf-8"><title>GECC evidence report</title>
<style>{css}</style></head><body>
<h1>รายงานหลักฐานศูนย์ราชการสะดวก (GECC)<br><span class="en">GECC evidence report</span></h1>
<table class="meta">
<tr><td><b>หน่วยงาน / Office</b></td><td>{_e(office.get('name'))}
  {f"<span class='en'>({_e(office.get('name_en'))})</span>" if office.get('name_en') else ""}</td></tr>
<tr><td><b>ช่วงเวลา / Period</b></td><td>{_e(period['from'])} – {_e(period['to'])}
  ({days if days is not None else NO_DATA} วัน / days, {_e(report.get('timezone'))})</td></tr>
</table>

<h2>สรุปตัวชี้วัดหลัก <span class="en">/ Key figures</span></h2>
<table class="summary"><tr><th>ตัวชี้วัด / Figure</th><th class="num">ค่า / Value</th></tr>
{summary}</table>
<p class="note">ไม่มีข้อมูลแสดงเป็น “{NO_DATA}” / a figure with no data prints “{NO_DATA}”, never 0.
เวลารอ: {_e(report['definitions']['wait'])}.</p>

<h2>รายบริการ <span class="en">/ By service</span></h2>
{_services_table(report)}

<h2 class="pagebreak">เวลารอ <span class="en">/ Waiting times</span></h2>
{chart_waits_by_hour(report)}
{chart_within_target_by_service(report)}

<h2>ความต้องการ <span class="en">/ Demand</span></h2>
{chart_demand(report)}
{chart_channels(report)}

<h2>ความพึงพอใจ <span class="en">/ Satisfaction</span></h2>
{chart_satisfaction_by_day(report)}

{_staffing(report)}

{_complaints(report)}

<h2 class="pagebreak">เกณฑ์ที่ระบบวัดได้ <span class="en">/ Measured criteria</span></h2>
{_measured_items(report)}

<h2 class="pagebreak">คะแนนประเมินตนเอง <span class="en">/ Estimated score</span></h2>
{_score(report)}

<h2>ตารางประเมินตนเอง <span class="en">/ Self-assessment</span></h2>
{_assessment(report)}
</body></html>"""


def _local_fetcher():
    """WeasyPrint's URL fetcher, refusing anything but local files and data: URIs."""
    import weasyprint

    if hasattr(weasyprint, "URLFetcher"):  # WeasyPrint 68 and newer
        return weasyprint.URLFetcher(allowed_protocols={"file", "data"})

    def fetch(url: str, *args, **kwargs):  # pragma: no cover - older WeasyPrint
        if not url.startswith(("file:", "data:")):
            raise ValueError(f"the report fetches nothing from the network ({url})")
        return weasyprint.default_url_fetcher(url, *args, **kwargs)
    return fetch


def write_report(path: Path, report: dict) -> Path:
    """report.pdf of the evidence `report` (the body of evidence.json) at `path`."""
    import logging

    # WeasyPrint logs a line per step and page (its own stylesheets too, at import).
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML

    HTML(string=render_html(report), url_fetcher=_local_fetcher(),
         base_url=Path(path).parent.as_uri()).write_pdf(path)
    return Path(path)


def main(argv: list[str] | None = None) -> int:
    """`python -m rubric.report EVIDENCE_JSON REPORT_PDF`: the PDF of a written evidence.json
    (the evidence pack draws it in a process of its own, beside the workbook)."""
    import json
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m rubric.report EVIDENCE_JSON REPORT_PDF", file=sys.stderr)
        return 2
    report = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    write_report(Path(args[1]), report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
