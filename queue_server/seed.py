"""The demo office: a district office (ที่ว่าการอำเภอ) with its Damrongdhama centre."""

from __future__ import annotations

from .domain.hours import OpeningHours
from .domain.rating import DEFAULT_DIMENSIONS
from .domain.model import (Actor, Counter, CounterService, Office, OfficeEvent, OfficeEventKind,
                           Role, Service, User)

# (code, Thai, English, standard minutes from the citizen manual, target wait minutes)
DEMO_SERVICES = [
    ("A", "บัตรประจำตัวประชาชน", "ID card", 10, 20),
    ("B", "งานทะเบียนราษฎร (แจ้งเกิด ย้ายที่อยู่ แจ้งตาย)", "Civil registration", 15, 30),
    ("C", "ศูนย์ดำรงธรรม รับเรื่องร้องเรียน", "Damrongdhama complaints", 20, 30),
    ("D", "สอบถามข้อมูล ขอคำปรึกษา", "Information and advice", 5, 10),
    ("E", "ทะเบียนทั่วไป (จดทะเบียนสมรส รับรองเอกสาร)", "General registration", 15, 30),
]

# (counter number, name, service codes in order of preference)
DEMO_COUNTERS = [
    (1, "ช่อง 1", ["A"]),
    (2, "ช่อง 2", ["A", "B"]),
    (3, "ช่อง 3", ["B", "E"]),
    (4, "ช่อง 4", ["C", "D"]),
    (5, "ช่อง 5", ["D", "A"]),
]

# (username, password, role, display name)
DEMO_USERS = [
    ("admin", "admin-demo", Role.ADMIN, "ผู้ดูแลระบบ"),
    ("manager", "manager-demo", Role.MANAGER, "นายอำเภอ (ผู้จัดการศูนย์)"),
    ("reception", "reception-demo", Role.RECEPTION, "จุดประชาสัมพันธ์"),
    ("staff1", "staff1-demo", Role.STAFF, "เจ้าหน้าที่ 1"),
    ("staff2", "staff2-demo", Role.STAFF, "เจ้าหน้าที่ 2"),
    ("staff3", "staff3-demo", Role.STAFF, "เจ้าหน้าที่ 3"),
]


def seed_demo_office(services, timezone: str = "Asia/Bangkok") -> bool:
    """Create the demo office when the database has none; False when there was one already."""
    from .service_layer.accounts import hash_password

    with services.context.uow() as uow:
        if uow.offices.office() is not None:
            return False
        office = Office("ที่ว่าการอำเภอบางบัวทอง (ศูนย์ดำรงธรรมอำเภอ)", timezone=timezone,
                        name_en="Bang Bua Thong District Office", enforce_hours=False,
                        opening_hours=OpeningHours.default().to_json(),
                        rating_dimensions=[d.to_json() for d in DEFAULT_DIMENSIONS])
        uow.add(office)
        uow.flush()
        by_code = {}
        for order, (code, th, en, minutes, target) in enumerate(DEMO_SERVICES):
            by_code[code] = Service(office.id, code, th, en, standard_minutes=minutes,
                                    target_wait_minutes=target, sort_order=order)
            uow.add(by_code[code])
        uow.flush()
        opened = services.context.clock()
        for number, name, codes in DEMO_COUNTERS:
            counter = Counter(office.id, number, name, is_open=True)
            counter.service_links = [CounterService(by_code[c].id, rank) for rank, c in enumerate(codes)]
            uow.add(counter)
            uow.flush()
            # The record of open counters starts with the office (staffing evidence).
            uow.add(OfficeEvent(office.id, OfficeEventKind.COUNTER_OPENED, opened,
                                Actor("system"), counter_id=counter.id))
        for username, password, role, display_name in DEMO_USERS:
            uow.add(User(office.id, username, display_name, role, hash_password(password)))
        uow.commit()
    return True


# (minutes from now, service code, citizen's name): the first can be checked in at once, the
# second soon, the third is too early for now (the kiosk says from when).
DEMO_BOOKINGS = [
    (10, "A", "สมชาย ใจดี"),
    (40, "B", "สมศรี มีสุข"),
    (180, "E", None),
]


def demo_booking_lines(bookings: list[dict], today: str) -> list[str]:
    """What the demo prints of its bookings: today's under "bookings today", any other day's
    (a demo started late in the evening books past midnight) under its own date."""
    lines = []
    for day in sorted({b["day"] for b in bookings}, key=lambda d: (d != today, d)):
        heading = "bookings today" if day == today else f"bookings on {day} (not today)"
        lines.append(f"  {heading} (kiosk: มีนัดหมาย / I have a booking, then type the code):")
        lines += [f"    {b['code']}  {b['slot_local']}  {b['service_code']}  {b['status']:<10} "
                  f"{b['name'] or ''}".rstrip() for b in bookings if b["day"] == day]
    return lines


def seed_demo_bookings(services) -> list[dict]:
    """Today's bookings of the demo office, making a few around now when it has none today."""
    from datetime import timedelta

    from .domain.errors import DomainError
    from .domain.model import Actor

    bookings = services.bookings
    today = bookings.day()["bookings"]
    if today:
        return today
    codes = {s["code"]: s["id"] for s in services.queries.services()}
    now = bookings.clock()
    start = now.replace(second=0, microsecond=0) + timedelta(minutes=5 - now.minute % 5)
    made = []
    for minutes, code, name in DEMO_BOOKINGS:
        if code not in codes:
            continue
        try:
            made.append(bookings.create(codes[code], start + timedelta(minutes=minutes),
                                        Actor.system(), name=name))
        except DomainError:
            continue  # e.g. the office enforces its hours and that slot is outside them
    return made
