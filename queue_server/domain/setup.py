"""The rules of an office's set-up (admin pages, first-run set-up, `gecc-queue office import`):
what a service, a counter, a staff account, opening hours and holidays may be. Every refusal
says why in Thai and in English (`message_th`, `message_en` in the error body), because the
person setting up an office reads the page in Thai first."""

from __future__ import annotations

import re
from datetime import date, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import DomainError
from .hours import DAY_NAMES, OpeningHours

WINDOW_KINDS = ("regular", "lunch", "evening", "weekend")
STAFF_ROLE_NAMES = ("staff", "reception", "manager", "admin", "superadmin")
MIN_PASSWORD = 8
SERVICE_CODE = re.compile(r"^[A-Z]{1,2}$")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
KEY = re.compile(r"^[a-z0-9_]{1,32}$")


class _Bilingual(DomainError):
    """A refusal with its Thai and English wording (both go into the error body)."""

    def __init__(self, message_th: str, message_en: str, field: str | None = None):
        super().__init__(message_en)
        self.extra = {"message_th": message_th, "message_en": message_en}
        if field:
            self.extra["field"] = field


class InvalidSetup(_Bilingual, code="invalid_setup", status=400):
    """A value the set-up cannot take (a letter, a time, a password too short...)."""


class SetupConflict(_Bilingual, code="setup_conflict", status=409):
    """A change the office's present state refuses (a letter taken, tickets today...)."""


def text(value, field: str, th: str, en: str, max_len: int = 200, required: bool = True) -> str:
    """A trimmed text field; required ones may not be empty."""
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise InvalidSetup(f"กรุณากรอก{th}", f"Fill in the {en}.", field)
    if len(value) > max_len:
        raise InvalidSetup(f"{th}ยาวเกิน {max_len} ตัวอักษร",
                           f"The {en} is longer than {max_len} characters.", field)
    if "\x00" in value:
        raise InvalidSetup(f"{th}มีอักขระที่ใช้ไม่ได้", f"The {en} holds a character that "
                           "cannot be used.", field)
    return value


def number(value, field: str, th: str, en: str, low: float, high: float,
           integer: bool = False) -> float | int:
    try:
        n = int(value) if integer else float(value)
    except (TypeError, ValueError):
        raise InvalidSetup(f"{th}ต้องเป็นตัวเลข", f"The {en} must be a number.", field) from None
    if isinstance(value, bool) or not (low <= n <= high) or n != n:
        raise InvalidSetup(f"{th}ต้องอยู่ระหว่าง {low:g} ถึง {high:g}",
                           f"The {en} must be between {low:g} and {high:g}.", field)
    return n


def service_code(value) -> str:
    code = str(value or "").strip().upper()
    if not SERVICE_CODE.match(code):
        raise InvalidSetup("อักษรของบริการคือตัวอักษรภาษาอังกฤษ 1-2 ตัว เช่น A หรือ AB",
                           "A service's letter is one or two Latin letters, like A or AB.",
                           "code")
    return code


def timezone(value) -> str:
    zone = str(value or "").strip()
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidSetup("ไม่รู้จักเขตเวลานี้ (เช่น Asia/Bangkok)",
                           "Unknown time zone (for example Asia/Bangkok).", "timezone") from None
    return zone


def username(value) -> str:
    name = str(value or "").strip()
    if not USERNAME.match(name):
        raise InvalidSetup("ชื่อผู้ใช้คือตัวอักษรภาษาอังกฤษตัวเล็ก ตัวเลข . _ - ยาว 2-64 ตัว",
                           "A user name is 2-64 lower-case Latin letters, digits, '.', '_' "
                           "or '-'.", "username")
    return name


def password(value, again=None) -> str:
    value = "" if value is None else str(value)
    if len(value) < MIN_PASSWORD:
        raise InvalidSetup(f"รหัสผ่านต้องยาวอย่างน้อย {MIN_PASSWORD} ตัวอักษร",
                           f"A password is at least {MIN_PASSWORD} characters long.", "password")
    if len(value) > 256:
        raise InvalidSetup("รหัสผ่านยาวเกิน 256 ตัวอักษร", "A password is at most 256 characters.",
                           "password")
    if again is not None and again != value:
        raise InvalidSetup("รหัสผ่านทั้งสองช่องไม่ตรงกัน", "The two passwords differ.", "password2")
    return value


def role(value, may_make_superadmin: bool = False) -> str:
    name = str(value or "").strip()
    if name not in STAFF_ROLE_NAMES or (name == "superadmin" and not may_make_superadmin):
        raise InvalidSetup("บทบาทคือ เจ้าหน้าที่ ประชาสัมพันธ์ ผู้จัดการ หรือผู้ดูแลระบบ",
                           "A role is staff, reception, manager or admin.", "role")
    return name


def opening_hours(windows) -> list[dict]:
    """Windows as [{days: ["mon", ...], start: "08:30", end: "16:30", kind}], checked."""
    if not isinstance(windows, list) or len(windows) > 50:
        raise InvalidSetup("เวลาทำการไม่ถูกต้อง", "The opening hours are not valid.", "hours")
    cleaned = []
    for i, w in enumerate(windows):
        if not isinstance(w, dict):
            raise InvalidSetup("เวลาทำการไม่ถูกต้อง", "The opening hours are not valid.", "hours")
        days = w.get("days") or []
        if not days or not all(d in DAY_NAMES for d in days):
            raise InvalidSetup(f"ช่วงเวลาที่ {i + 1}: เลือกอย่างน้อยหนึ่งวัน",
                               f"Window {i + 1}: choose at least one day.", "hours")
        try:
            start, end = time.fromisoformat(str(w.get("start"))), time.fromisoformat(str(w.get("end")))
        except ValueError:
            raise InvalidSetup(f"ช่วงเวลาที่ {i + 1}: เวลาเขียนแบบ 08:30",
                               f"Window {i + 1}: times are written like 08:30.", "hours") from None
        if start >= end:
            raise InvalidSetup(f"ช่วงเวลาที่ {i + 1}: เวลาเปิดต้องก่อนเวลาปิด",
                               f"Window {i + 1}: the opening time must come before the closing "
                               "time.", "hours")
        kind = w.get("kind") or "regular"
        if kind not in WINDOW_KINDS:
            raise InvalidSetup(f"ช่วงเวลาที่ {i + 1}: ประเภทไม่ถูกต้อง",
                               f"Window {i + 1}: the kind is regular, lunch, evening or weekend.",
                               "hours")
        cleaned.append({"days": [d for d in DAY_NAMES if d in days],
                        "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M"),
                        "kind": kind})
    OpeningHours.from_json(cleaned)  # the domain reads it back
    return cleaned


def holidays(items) -> list[dict]:
    """[{date: "YYYY-MM-DD", name}] sorted, each day once."""
    if not isinstance(items, list) or len(items) > 400:
        raise InvalidSetup("วันหยุดไม่ถูกต้อง", "The holidays are not valid.", "holidays")
    days = {}
    for item in items:
        try:
            day = date.fromisoformat(str(item.get("date")))
        except (ValueError, AttributeError):
            raise InvalidSetup("วันหยุดเขียนแบบ 2026-12-05", "A holiday is written like "
                               "2026-12-05.", "holidays") from None
        days[day.isoformat()] = text(item.get("name"), "holidays", "ชื่อวันหยุด",
                                     "holiday's name", 100, required=False)
    return [{"date": d, "name": n} for d, n in sorted(days.items())]


def keyed_names(items, field: str, th: str, en: str) -> list[dict]:
    """Rating dimensions or complaint categories: [{key, name_th, name_en}], keys unique."""
    if not isinstance(items, list) or len(items) > 20:
        raise InvalidSetup(f"{th}ไม่ถูกต้อง", f"The {en} are not valid.", field)
    seen, cleaned = set(), []
    for item in items:
        key = str((item or {}).get("key") or "").strip()
        if not KEY.match(key) or key in seen:
            raise InvalidSetup(f"{th}: รหัสต้องเป็น a-z 0-9 _ และไม่ซ้ำกัน",
                               f"{en}: each key is a-z, 0-9 or _, and unique.", field)
        seen.add(key)
        cleaned.append({"key": key,
                        "name_th": text(item.get("name_th"), field, f"ชื่อภาษาไทยของ{th}",
                                        f"Thai name of the {en}", 100),
                        "name_en": text(item.get("name_en"), field, f"ชื่อภาษาอังกฤษของ{th}",
                                        f"English name of the {en}", 100)})
    return cleaned
