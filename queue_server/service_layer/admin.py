"""An office sets itself up (issue 15): the office's name, address and time zone, its opening
hours and holidays, its services, counters, staff and devices; the first-run set-up of an empty
server; and the office's whole configuration as one document (export and import).

Every change is a write use case that records an office event (who, when, the values before
and after) and tells the office's kiosks, lobby displays and counter screens to read the
office afresh (`office_changed`, after the commit). Every refusal says why in Thai and English
(domain/setup.py). A caller acts on its own office only: an id of another office's service,
counter or user is not found, as if it did not exist.
"""

from __future__ import annotations

from typing import Callable

from ..domain import setup as rules
from ..domain.errors import NotFound
from ..domain.hours import OpeningHours
from ..domain.model import (Actor, Counter, CounterService, Office, OfficeEvent, OfficeEventKind,
                            Role, Service, User)
from ..domain.rating import DEFAULT_DIMENSIONS
from . import messages
from .context import Context
from .messages import iso
from .office_settings import OfficeSettings
from .unit_of_work import UnitOfWork

K = OfficeEventKind
CONFIG_FORMAT = "gecc-queue office 1"
OFFICE_FIELDS = ("name", "name_en", "timezone", "address", "help_contact", "enforce_hours",
                 "complaint_due_days", "rating_dimensions", "complaint_categories")
SERVICE_FIELDS = ("code", "name_th", "name_en", "standard_minutes", "target_wait_minutes",
                  "active", "sort_order")
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
LOGO_MAX_BYTES = 512 * 1024


class SetupDone(rules.SetupConflict, code="setup_done"):
    """The server has an office already: the first-run set-up is over."""


def _gone(what_th: str, what_en: str, key) -> NotFound:
    error = NotFound(f"There is no {what_en} {key}.")
    error.extra = {"message_th": f"ไม่พบ{what_th} {key}", "message_en": f"There is no {what_en} {key}."}
    return error


def office_profile(office: Office) -> dict:
    return {"id": office.id, "name": office.name, "name_en": office.name_en,
            "timezone": office.timezone, "address": office.address,
            "help_contact": office.help_contact, "enforce_hours": office.enforce_hours,
            "opening_hours": office.opening_hours, "holidays": office.holidays,
            "rating_dimensions": office.rating_dimensions,
            "complaint_categories": office.complaint_categories,
            "complaint_due_days": office.complaint_due_days, "notice": office.notice,
            "has_logo": office.logo is not None}


def service_setup(service: Service) -> dict:
    return {"id": service.id, "code": service.code, "name_th": service.name_th,
            "name_en": service.name_en, "standard_minutes": service.standard_minutes,
            "target_wait_minutes": service.target_wait_minutes, "active": service.active,
            "sort_order": service.sort_order}


def user_setup(user: User) -> dict:
    return {"id": user.id, "username": user.username, "display_name": user.display_name,
            "role": user.role.value, "active": user.active,
            "default_counter_id": user.default_counter_id}


class OfficeAdmin:
    def __init__(self, context: Context, hash_password: Callable[[str], str]):
        self.context = context
        self.hash_password = hash_password  # scrypt, off the server's loop (app.py)

    # --- reading ---------------------------------------------------------------------------

    def overview(self, office_id: int) -> dict:
        """Everything the admin pages show of the office, ids included."""
        with self.context.read_uow() as uow:
            office = self._office(uow, office_id)
            services = uow.offices.services(office.id)
            counters = uow.offices.counters(office.id)
            users = [u for u in uow.users.users_of_office(office.id) if u.role != Role.DEVICE]
            return {"office": office_profile(office),
                    "services": [service_setup(s) for s in services],
                    "counters": [{"id": c.id, "number": c.number, "name": c.name,
                                  "is_open": c.is_open,
                                  "service_ids": [link.service_id for link in c.service_links]}
                                 for c in counters],
                    "staff": [user_setup(u) for u in users],
                    "devices": [_device_view(d) for d in uow.setup.devices(office.id)]}

    def history(self, office_id: int, limit: int = 50) -> list[dict]:
        """The office's latest recorded changes with who made them."""
        with self.context.read_uow() as uow:
            events = uow.setup.office_events(office_id, limit)
            names = {u.id: u.display_name for u in uow.users.users_of_office(office_id)}
            return [{"kind": e.kind.value, "at": iso(e.at), "actor_kind": e.actor_kind,
                     "actor": names.get(int(e.actor_id)) if e.actor_kind == "user" and
                     e.actor_id and e.actor_id.isdigit() else e.actor_id,
                     "data": e.data} for e in events]

    def offices(self) -> list[dict]:
        with self.context.read_uow() as uow:
            return [{"id": o.id, "name": o.name, "name_en": o.name_en}
                    for o in uow.offices.offices()]

    def logo(self, office_id: int) -> tuple[bytes, str] | None:
        with self.context.read_uow() as uow:
            office = uow.offices.office(office_id)
            if office is None or office.logo is None:
                return None
            return bytes(office.logo), office.logo_type

    def default_counter(self, user_id: int) -> int | None:
        """The counter a clerk's console opens on (set on the staff page)."""
        with self.context.read_uow() as uow:
            user = uow.users.user(user_id)
            return user.default_counter_id if user is not None else None

    def is_empty(self) -> bool:
        """No office yet: the server is waiting for its first-run set-up."""
        with self.context.read_uow() as uow:
            return uow.offices.office() is None

    # --- the office ------------------------------------------------------------------------

    def first_run(self, office: dict, admin: dict) -> dict:
        """The empty server's set-up: its first office and that office's administrator (a
        super-admin, who may add offices later). Refused once the server has an office."""
        profile = self._profile(office, new=True)
        name = rules.username(admin.get("username"))
        password = rules.password(admin.get("password"), admin.get("password2"))
        display = rules.text(admin.get("display_name") or name, "display_name", "ชื่อที่แสดง",
                             "display name", 200)
        hashed = self.hash_password(password)

        def run(uow: UnitOfWork) -> dict:
            if uow.offices.office() is not None:
                raise SetupDone("ตั้งค่าครั้งแรกไปแล้ว เข้าสู่ระบบด้วยบัญชีผู้ดูแลระบบ",
                                "This server is set up already; log in as its administrator.")
            created = self._new_office(uow, profile, Actor.system())
            user = User(created.id, name, display, Role.SUPERADMIN, hashed)
            uow.add(user)
            uow.flush()
            uow.add(OfficeEvent(created.id, K.USER_ADDED, self.context.clock(), Actor.system(),
                                data={"username": name, "role": Role.SUPERADMIN.value}))
            uow.commit()
            return {"office_id": created.id, "user_id": user.id}
        result = self.context.write(run)
        self.context.catalog.forget_reference()
        return result

    def create_office(self, office: dict, actor: Actor) -> dict:
        """A super-admin adds an office to the server (its own admin is added next)."""
        profile = self._profile(office, new=True)

        def run(uow: UnitOfWork) -> dict:
            created = self._new_office(uow, profile, actor)
            uow.commit()
            return office_profile(created)
        result = self.context.write(run)
        self.context.catalog.forget_reference()
        return result

    def update_office(self, office_id: int, actor: Actor, changes: dict) -> dict:
        profile = self._profile(changes, new=False)

        def change(uow, office):
            before = {k: getattr(office, k) for k in profile}
            for key, value in profile.items():
                setattr(office, key, value)
            after = {k: v for k, v in profile.items() if before[k] != v}
            return office_profile(office), K.OFFICE_UPDATED, {
                "changed": sorted(after), "before": {k: before[k] for k in after}, "after": after}
        return self._change(office_id, actor, change)

    def set_logo(self, office_id: int, actor: Actor, content: bytes | None) -> dict:
        """A PNG or JPEG of at most 512 kB for tickets and the lobby; None removes it."""
        kind = None
        if content is not None:
            if len(content) > LOGO_MAX_BYTES:
                raise rules.InvalidSetup("โลโก้ต้องไม่เกิน 512 KB", "The logo is at most 512 kB.",
                                         "logo")
            kind = next((t for magic, t in LOGO_TYPES.items() if content.startswith(magic)), None)
            if kind is None:
                raise rules.InvalidSetup("โลโก้ต้องเป็นไฟล์ PNG หรือ JPEG",
                                         "The logo must be a PNG or JPEG file.", "logo")

        def change(uow, office):
            office.logo, office.logo_type = content, kind
            return office_profile(office), K.OFFICE_UPDATED, {
                "changed": ["logo"], "after": {"logo": kind}}
        return self._change(office_id, actor, change)

    def set_hours(self, office_id: int, actor: Actor, windows: list, holidays: list,
                  enforce_hours: bool) -> dict:
        cleaned = rules.opening_hours(windows)
        days_off = rules.holidays(holidays)

        def change(uow, office):
            before = {"opening_hours": office.opening_hours, "holidays": office.holidays,
                      "enforce_hours": office.enforce_hours}
            office.opening_hours, office.holidays = cleaned, days_off
            office.enforce_hours = bool(enforce_hours)
            return office_profile(office), K.HOURS_SET, {
                "before": before, "after": {"opening_hours": cleaned, "holidays": days_off,
                                            "enforce_hours": bool(enforce_hours)}}
        return self._change(office_id, actor, change, queues=True)

    # --- services --------------------------------------------------------------------------

    def add_service(self, office_id: int, actor: Actor, fields: dict) -> dict:
        values = self._service_fields(fields, new=True)

        def change(uow, office):
            self._letter_free(uow, office.id, values["code"])
            if "sort_order" not in fields or fields.get("sort_order") in (None, ""):
                values["sort_order"] = max((s.sort_order for s in uow.offices.services(office.id)),
                                           default=-1) + 1
            service = Service(office.id, **values)
            uow.add(service)
            uow.flush()
            uow.changes.queue(service)
            return service_setup(service), K.SERVICE_ADDED, {"service_id": service.id, **values}
        return self._change(office_id, actor, change)

    def update_service(self, office_id: int, service_id: int, actor: Actor, fields: dict) -> dict:
        values = self._service_fields(fields, new=False)

        def change(uow, office):
            service = self._service(uow, office, service_id)
            if "code" in values and values["code"] != service.code:
                today, _ = uow.setup.service_use(service.id, office.service_day(self.context.clock()))
                if today:
                    raise rules.SetupConflict(
                        f"บริการ {service.code} มีบัตรคิววันนี้แล้ว เปลี่ยนอักษรได้ตั้งแต่พรุ่งนี้",
                        f"Service {service.code} has tickets today; its letter can change from "
                        "tomorrow.", "code")
                self._letter_free(uow, office.id, values["code"])
            before = {k: getattr(service, k) for k in values}
            for key, value in values.items():
                setattr(service, key, value)
            changed = {k: v for k, v in values.items() if before[k] != v}
            uow.changes.queue(service)
            return service_setup(service), K.SERVICE_UPDATED, {
                "service_id": service.id, "before": {k: before[k] for k in changed},
                "after": changed}
        return self._change(office_id, actor, change)

    def delete_service(self, office_id: int, service_id: int, actor: Actor) -> dict:
        """Only a service never used: one with tickets, bookings or a history is disabled
        instead (its history stays in the evidence)."""
        def change(uow, office):
            service = self._service(uow, office, service_id)
            today, ever = uow.setup.service_use(service.id, office.service_day(self.context.clock()))
            if today or ever:
                raise rules.SetupConflict(
                    f"บริการ {service.code} มีบัตรคิว{'วันนี้' if today else ''}หรือประวัติแล้ว "
                    "ลบไม่ได้ ให้ปิดบริการแทน (ประวัติยังอยู่ในหลักฐาน)",
                    f"Service {service.code} has tickets{' today' if today else ''} or a "
                    "history; it cannot be deleted. Disable it instead (its history stays in "
                    "the evidence).", "service")
            for counter in uow.offices.counters(office.id, removed=True):
                ranks = counter.service_ranks()
                if service.id in ranks:
                    rest = [s for s in sorted(ranks, key=ranks.get) if s != service.id]
                    counter.service_links.clear()
                    uow.flush()
                    counter.service_links.extend(CounterService(s, r) for r, s in enumerate(rest))
                    uow.changes.counters.add(counter.id)
            body = service_setup(service)
            uow.offices.delete_service(service)
            uow.flush()
            return body, K.SERVICE_DELETED, {"code": body["code"], "name_th": body["name_th"]}
        return self._change(office_id, actor, change)

    # --- counters --------------------------------------------------------------------------

    def add_counter(self, office_id: int, actor: Actor, fields: dict) -> dict:
        name = rules.text(fields.get("name"), "name", "ชื่อช่องบริการ", "counter's name", 100,
                          required=False)
        service_ids = self._ids(fields.get("service_ids"))

        def change(uow, office):
            existing = {c.number: c for c in uow.offices.counters(office.id, removed=True)}
            number = fields.get("number")
            number = (rules.number(number, "number", "หมายเลขช่อง", "counter number", 1, 999,
                                   integer=True) if number not in (None, "")
                      else max(existing, default=0) + 1)
            counter = existing.get(number)
            if counter is not None and counter.active:
                raise rules.SetupConflict(f"มีช่องบริการหมายเลข {number} อยู่แล้ว",
                                          f"Counter {number} exists already.", "number")
            if counter is None:  # a removed counter of that number comes back instead
                counter = Counter(office.id, number, name or f"ช่อง {number}")
                counter.service_links = []
                uow.add(counter)
                uow.flush()
            counter.active, counter.name = True, name or f"ช่อง {number}"
            self._counter_services(uow, office, counter, service_ids)
            uow.flush()
            uow.changes.counters.add(counter.id)
            return _counter_setup(counter), K.COUNTER_ADDED, {
                "counter_id": counter.id, "number": number, "name": counter.name,
                "service_ids": service_ids}
        return self._change(office_id, actor, change, counter_event=True)

    def update_counter(self, office_id: int, counter_id: int, actor: Actor, fields: dict) -> dict:
        def change(uow, office):
            counter = self._counter(uow, office, counter_id)
            before = _counter_setup(counter)
            if fields.get("name") is not None:
                counter.name = rules.text(fields["name"], "name", "ชื่อช่องบริการ",
                                          "counter's name", 100)
            if fields.get("number") not in (None, ""):
                number = rules.number(fields["number"], "number", "หมายเลขช่อง", "counter number",
                                      1, 999, integer=True)
                if number != counter.number:
                    if any(c.number == number for c in uow.offices.counters(office.id, removed=True)):
                        raise rules.SetupConflict(f"มีช่องบริการหมายเลข {number} อยู่แล้ว",
                                                  f"Counter {number} exists already.", "number")
                    counter.number = number
            if fields.get("service_ids") is not None:
                self._counter_services(uow, office, counter, self._ids(fields["service_ids"]))
            uow.flush()
            uow.changes.counters.add(counter.id)
            after = _counter_setup(counter)
            return after, K.COUNTER_UPDATED, {"counter_id": counter.id, "before": before,
                                              "after": after}
        return self._change(office_id, actor, change, counter_event=True)

    def remove_counter(self, office_id: int, counter_id: int, actor: Actor) -> dict:
        """Taken away: closed, serving nothing, shown nowhere; its history stays."""
        def change(uow, office):
            counter = self._counter(uow, office, counter_id)
            if uow.tickets.ticket_at_counter(counter.id) is not None or \
                    uow.tickets.held_at_counter(counter.id):
                raise rules.SetupConflict(
                    f"{counter.name} ยังมีบัตรคิวที่กำลังให้บริการหรือพักไว้ ให้เสร็จก่อน",
                    f"{counter.name} still has a ticket called, in service or held; finish "
                    "it first.", "counter")
            before = _counter_setup(counter)
            counter.is_open, counter.active = False, False
            counter.service_links.clear()
            uow.flush()
            for user in uow.users.users_of_office(office.id):
                if user.default_counter_id == counter.id:
                    user.default_counter_id = None
            return before, K.COUNTER_REMOVED, {"counter_id": counter.id, "before": before}
        return self._change(office_id, actor, change, counter_event=True)

    # --- staff -----------------------------------------------------------------------------

    def add_user(self, office_id: int, actor: Actor, fields: dict,
                 may_make_superadmin: bool = False) -> dict:
        name = rules.username(fields.get("username"))
        role = Role(rules.role(fields.get("role"), may_make_superadmin))
        display = rules.text(fields.get("display_name") or name, "display_name", "ชื่อที่แสดง",
                             "display name", 200)
        password = fields.get("password")
        hashed = (self.hash_password(rules.password(password, fields.get("password2")))
                  if password is not None else "!")  # none: no log-in until one is set

        def change(uow, office):
            if uow.users.user_by_name(name) is not None:
                raise rules.SetupConflict(f"มีผู้ใช้ชื่อ {name} อยู่แล้ว",
                                          f"The user name {name} is taken.", "username")
            user = User(office.id, name, display, role, hashed)
            user.default_counter_id = self._default_counter(uow, office, fields)
            uow.add(user)
            uow.flush()
            return user_setup(user), K.USER_ADDED, {"user_id": user.id, "username": name,
                                                    "role": role.value}
        return self._change(office_id, actor, change, live=False)

    def update_user(self, office_id: int, user_id: int, actor: Actor, fields: dict,
                    may_make_superadmin: bool = False) -> dict:
        def change(uow, office):
            user = self._user(uow, office, user_id)
            before = user_setup(user)
            if fields.get("display_name") is not None:
                user.display_name = rules.text(fields["display_name"], "display_name",
                                               "ชื่อที่แสดง", "display name", 200)
            if fields.get("role") is not None:
                role = Role(rules.role(fields["role"], may_make_superadmin))
                if user.role == Role.SUPERADMIN and role != Role.SUPERADMIN and \
                        not may_make_superadmin:
                    raise rules.SetupConflict("เปลี่ยนบทบาทของผู้ดูแลระบบสูงสุดไม่ได้",
                                              "Only a super-admin changes a super-admin's role.",
                                              "role")
                if role != user.role:
                    user.role = role
                    user.end_sessions()  # a session carries the role it was given
            if "default_counter_id" in fields:
                user.default_counter_id = self._default_counter(uow, office, fields)
            after = user_setup(user)
            return after, K.USER_UPDATED, {"user_id": user.id, "username": user.username,
                                           "before": before, "after": after}
        return self._change(office_id, actor, change, live=False)

    def reset_password(self, office_id: int | None, user_id: int | str, actor: Actor,
                       password: str, again: str | None = None) -> dict:
        """A new password; every session the user had ends (a copied cookie too)."""
        hashed = self.hash_password(rules.password(password, again))

        def change(uow, office):
            user = self._user(uow, office, user_id)
            user.password_hash = hashed
            user.end_sessions()
            return user_setup(user), K.PASSWORD_RESET, {"user_id": user.id,
                                                        "username": user.username}
        return self._change(office_id, actor, change, live=False, user_id=user_id)

    def set_user_active(self, office_id: int | None, user_id: int | str, actor: Actor,
                        active: bool) -> dict:
        """Disable (its sessions and tokens stop at once) or enable an account."""
        def change(uow, office):
            user = self._user(uow, office, user_id)
            if not active and actor.kind == "user" and actor.id == str(user.id):
                raise rules.SetupConflict("ปิดบัญชีของตัวเองไม่ได้",
                                          "You cannot disable your own account.", "user")
            user.active = bool(active)
            if not active:
                user.end_sessions()
            return user_setup(user), K.USER_ENABLED if active else K.USER_DISABLED, {
                "user_id": user.id, "username": user.username}
        return self._change(office_id, actor, change, live=False, user_id=user_id)

    # --- the whole configuration -----------------------------------------------------------

    def export(self, office_id: int | None = None) -> dict:
        """The office's whole set-up as one document (no passwords, no tokens): services by
        letter, counters by number with their services' letters, staff by user name."""
        with self.context.read_uow() as uow:
            office = self._office(uow, office_id)
            services = uow.offices.services(office.id)
            codes = {s.id: s.code for s in services}
            counters = uow.offices.counters(office.id)
            numbers = {c.id: c.number for c in counters}
            profile = office_profile(office)
            profile.pop("has_logo")
            return {"format": CONFIG_FORMAT, **profile,
                    "services": [{k: v for k, v in service_setup(s).items() if k != "id"}
                                 for s in services],
                    "counters": [{"number": c.number, "name": c.name,
                                  "services": [codes[link.service_id] for link in c.service_links]}
                                 for c in counters],
                    "staff": [{"username": u.username, "display_name": u.display_name,
                               "role": u.role.value, "active": u.active,
                               "default_counter": numbers.get(u.default_counter_id)}
                              for u in uow.users.users_of_office(office.id)
                              if u.role != Role.DEVICE],
                    "devices": [{k: v for k, v in _device_view(d).items() if k != "id"}
                                for d in uow.setup.devices(office.id)]}

    def import_config(self, data: dict, actor: Actor) -> int:
        """Apply a document of `export`: to the office of its `id`, or a new office when it
        has none. Services are matched by letter, counters by number, staff by user name;
        services missing from the document are disabled, counters missing are removed; new
        staff have no password until one is set (`gecc-queue user passwd`). Devices are
        paired on the devices page, never imported. Returns the office's id."""
        if not isinstance(data, dict):
            raise rules.InvalidSetup("ไฟล์ตั้งค่าไม่ถูกต้อง", "The configuration is not an object.")
        services = data.get("services") or []
        counters = data.get("counters") or []
        staff = data.get("staff") or []
        if not all(isinstance(x, list) for x in (services, counters, staff)):
            raise rules.InvalidSetup("ไฟล์ตั้งค่าไม่ถูกต้อง", "services, counters and staff are lists.")
        profile = self._profile(data, new=data.get("id") is None)
        hours = rules.opening_hours(data["opening_hours"]) if "opening_hours" in data else None
        days_off = rules.holidays(data["holidays"]) if "holidays" in data else None
        wanted = [self._service_fields(s, new=True) for s in services]
        letters = [s["code"] for s in wanted]
        if len(set(letters)) != len(letters):
            raise rules.InvalidSetup("อักษรของบริการซ้ำกันในไฟล์", "A service letter is listed twice.")

        def run(uow: UnitOfWork) -> int:
            if data.get("id") is None:
                office = self._new_office(uow, profile, actor)
            else:
                office = self._office(uow, data.get("id"), lock=True)
                for key, value in profile.items():
                    setattr(office, key, value)
            if hours is not None:
                office.opening_hours = hours
            if days_off is not None:
                office.holidays = days_off
            by_code = {s.code: s for s in uow.offices.services(office.id)}
            for values in wanted:
                service = by_code.get(values["code"])
                if service is None:
                    service = Service(office.id, **values)
                    uow.add(service)
                    by_code[values["code"]] = service
                else:
                    for key, value in values.items():
                        setattr(service, key, value)
            for code, service in by_code.items():
                if code not in letters:
                    service.active = False
            uow.flush()
            existing = {c.number: c for c in uow.offices.counters(office.id, removed=True)}
            numbers = set()
            for item in counters:
                number = rules.number((item or {}).get("number"), "number", "หมายเลขช่อง",
                                      "counter number", 1, 999, integer=True)
                numbers.add(number)
                counter = existing.get(number)
                if counter is None:
                    counter = Counter(office.id, number, "")
                    counter.service_links = []
                    uow.add(counter)
                    uow.flush()
                    existing[number] = counter
                counter.active = True
                counter.name = rules.text(item.get("name") or f"ช่อง {number}", "name",
                                          "ชื่อช่องบริการ", "counter's name", 100)
                ids = []
                for code in item.get("services") or []:
                    if code not in by_code:
                        raise rules.InvalidSetup(f"ช่อง {number}: ไม่มีบริการ {code}",
                                                 f"Counter {number}: there is no service {code}.")
                    ids.append(by_code[code].id)
                self._counter_services(uow, office, counter, ids)
            for number, counter in existing.items():
                if number not in numbers and counter.active:
                    if uow.tickets.ticket_at_counter(counter.id) is not None:
                        raise rules.SetupConflict(
                            f"{counter.name} ยังมีบัตรคิวอยู่ ลบไม่ได้",
                            f"{counter.name} still has a ticket; it cannot be removed.")
                    counter.is_open, counter.active = False, False
                    counter.service_links.clear()
            uow.flush()
            for item in staff:
                name = rules.username((item or {}).get("username"))
                role = Role(rules.role(item.get("role") or "staff", may_make_superadmin=True))
                user = uow.users.user_by_name(name)
                if user is not None and user.office_id != office.id:
                    raise rules.SetupConflict(f"ผู้ใช้ {name} เป็นของสำนักงานอื่น",
                                              f"The user {name} belongs to another office.")
                display = rules.text(item.get("display_name") or name, "display_name",
                                     "ชื่อที่แสดง", "display name", 200)
                if user is None:
                    user = User(office.id, name, display, role, "!")
                    uow.add(user)
                else:
                    if user.role != role:
                        user.end_sessions()
                    user.display_name, user.role = display, role
                if item.get("active") is False and user.active:
                    user.active = False
                    user.end_sessions()
                default = item.get("default_counter")
                counter = existing.get(default) if default is not None else None
                user.default_counter_id = counter.id if counter is not None and counter.active else None
            uow.flush()
            uow.add(OfficeEvent(office.id, K.CONFIG_IMPORTED, self.context.clock(), actor,
                                data={"services": letters, "counters": sorted(numbers),
                                      "staff": [s.get("username") for s in staff]}))
            counter_ids = [c.id for c in uow.offices.counters(office.id)]
            for message in messages.office_changed(office.id, "config", counter_ids):
                uow.publish(message)
            uow.commit()
            return office.id
        office_id = self.context.write(run)
        self.context.catalog.forget_reference()
        return office_id

    # --- internals -------------------------------------------------------------------------

    def _change(self, office_id: int | None, actor: Actor, change, live: bool = True,
                queues: bool = False, counter_event: bool = False,
                user_id=None):
        """Run `change(uow, office)` -> (answer, event kind, event data) in one unit of work:
        record the event, tell the office's screens, commit."""
        catalog = self.context.catalog

        def run(uow: UnitOfWork):
            if office_id is None:  # the command line names a user, not an office
                user = (uow.users.user_by_name(user_id) if isinstance(user_id, str)
                        else uow.users.user(user_id))
                if user is None:
                    raise _gone("ผู้ใช้", "user", user_id)
                office = self._office(uow, user.office_id, lock=True)
            else:
                office = self._office(uow, office_id, lock=True)
            answer, kind, data = change(uow, office)
            # A service's id stays in the data only: a service never used can still be
            # deleted (the record is append-only, and its column a foreign key).
            uow.add(OfficeEvent(office.id, kind, self.context.clock(), actor,
                                counter_id=data.get("counter_id") if counter_event else None,
                                data=_plain(data)))
            uow.flush()
            catalog.forget_reference()
            if queues:
                uow.changes.queue(*uow.offices.services(office.id))
            views = self.context.views(uow, office.id)
            if live:
                counter_ids = [c.id for c in uow.offices.counters(office.id)]
                for message in messages.office_changed(office.id, kind.value, counter_ids):
                    uow.publish(message)
            self.context.commit(uow, views)
            return answer
        try:
            return self.context.write(run)
        finally:
            catalog.forget_reference()  # again: another request may have cached the old state

    def _profile(self, fields: dict, new: bool) -> dict:
        """The office's own fields among `fields`, checked (all of the required on a new one)."""
        out = {}
        if new or "name" in fields:
            out["name"] = rules.text(fields.get("name"), "name", "ชื่อสำนักงาน (ภาษาไทย)",
                                     "office's Thai name")
        if new or "name_en" in fields:
            out["name_en"] = rules.text(fields.get("name_en"), "name_en",
                                        "ชื่อสำนักงาน (ภาษาอังกฤษ)", "office's English name")
        if new or "timezone" in fields:
            out["timezone"] = rules.timezone(fields.get("timezone") or "Asia/Bangkok")
        for key, th, en, limit in (("address", "ที่อยู่", "address", 1000),
                                   ("help_contact", "ช่องทางติดต่อ", "help contact", 200)):
            if key in fields or new:
                out[key] = rules.text(fields.get(key), key, th, en, limit, required=False)
        if "enforce_hours" in fields:
            out["enforce_hours"] = bool(fields["enforce_hours"])
        if "complaint_due_days" in fields:
            out["complaint_due_days"] = rules.number(
                fields["complaint_due_days"], "complaint_due_days", "จำนวนวันที่ต้องตอบเรื่องร้องเรียน",
                "days to resolve a complaint", 1, 365, integer=True)
        if "rating_dimensions" in fields:
            out["rating_dimensions"] = rules.keyed_names(
                fields["rating_dimensions"], "rating_dimensions", "หัวข้อประเมิน",
                "rating questions")
        if "complaint_categories" in fields:
            out["complaint_categories"] = rules.keyed_names(
                fields["complaint_categories"], "complaint_categories", "ประเภทเรื่องร้องเรียน",
                "complaint categories")
        return out

    def _new_office(self, uow: UnitOfWork, profile: dict, actor: Actor) -> Office:
        office = Office(profile["name"], timezone=profile["timezone"], name_en=profile["name_en"],
                        opening_hours=OpeningHours.default().to_json(),
                        enforce_hours=profile.get("enforce_hours", False),
                        rating_dimensions=profile.get("rating_dimensions") or
                        [d.to_json() for d in DEFAULT_DIMENSIONS],
                        complaint_categories=profile.get("complaint_categories") or [],
                        complaint_due_days=profile.get("complaint_due_days", 15),
                        address=profile.get("address", ""),
                        help_contact=profile.get("help_contact", ""))
        uow.add(office)
        uow.flush()
        uow.add(OfficeEvent(office.id, K.OFFICE_CREATED, self.context.clock(), actor,
                            data={"name": office.name, "name_en": office.name_en}))
        return office

    @staticmethod
    def _service_fields(fields: dict, new: bool) -> dict:
        out = {}
        if new or "code" in fields:
            out["code"] = rules.service_code(fields.get("code"))
        if new or "name_th" in fields:
            out["name_th"] = rules.text(fields.get("name_th"), "name_th", "ชื่อบริการภาษาไทย",
                                        "service's Thai name")
        if new or "name_en" in fields:
            out["name_en"] = rules.text(fields.get("name_en"), "name_en", "ชื่อบริการภาษาอังกฤษ",
                                        "service's English name")
        if new or "standard_minutes" in fields:
            out["standard_minutes"] = float(rules.number(
                fields.get("standard_minutes", 10), "standard_minutes",
                "เวลามาตรฐาน (นาที, ตามคู่มือประชาชน)", "standard minutes", 0.5, 480))
        if new or "target_wait_minutes" in fields:
            out["target_wait_minutes"] = float(rules.number(
                fields.get("target_wait_minutes", 20), "target_wait_minutes",
                "เป้าหมายเวลารอ (นาที)", "target wait", 1, 600))
        if "active" in fields:
            out["active"] = bool(fields["active"])
        elif new:
            out["active"] = True
        if fields.get("sort_order") not in (None, ""):
            out["sort_order"] = rules.number(fields["sort_order"], "sort_order", "ลำดับบนตู้กดบัตร",
                                             "order on the kiosk", 0, 999, integer=True)
        return out

    @staticmethod
    def _letter_free(uow: UnitOfWork, office_id: int, code: str) -> None:
        if any(s.code == code for s in uow.offices.services(office_id)):
            raise rules.SetupConflict(f"อักษร {code} ใช้กับบริการอื่นแล้ว",
                                      f"The letter {code} is another service's.", "code")

    @staticmethod
    def _counter_services(uow: UnitOfWork, office: Office, counter: Counter,
                          service_ids: list[int]) -> None:
        """The counter's services in order, each once, of the office."""
        if not service_ids:
            raise rules.InvalidSetup("เลือกบริการของช่องอย่างน้อยหนึ่งบริการ",
                                     "Choose at least one service for the counter.", "service_ids")
        if len(set(service_ids)) != len(service_ids):
            raise rules.InvalidSetup("เลือกบริการเดียวกันซ้ำ", "A service is chosen twice.",
                                     "service_ids")
        for sid in service_ids:
            service = uow.offices.service(sid)
            if service is None or service.office_id != office.id:
                raise _gone("บริการ", "service", sid)
        OfficeSettings._set_counter_services(uow, counter, service_ids)

    @staticmethod
    def _ids(value) -> list[int]:
        if not isinstance(value, list) or not all(
                isinstance(v, int) and not isinstance(v, bool) for v in value):
            raise rules.InvalidSetup("เลือกบริการของช่องอย่างน้อยหนึ่งบริการ",
                                     "Choose at least one service for the counter.", "service_ids")
        return value

    @staticmethod
    def _office(uow: UnitOfWork, office_id: int | None, lock: bool = False) -> Office:
        office = uow.offices.office(office_id)
        if office is None:
            raise _gone("สำนักงาน", "office", office_id or "")
        return office

    @staticmethod
    def _service(uow: UnitOfWork, office: Office, service_id: int) -> Service:
        service = uow.offices.service(service_id)
        if service is None or service.office_id != office.id:
            raise _gone("บริการ", "service", service_id)
        return service

    @staticmethod
    def _counter(uow: UnitOfWork, office: Office, counter_id: int) -> Counter:
        counter = uow.offices.counter(counter_id)
        if counter is None or not counter.active or counter.office_id != office.id:
            raise _gone("ช่องบริการ", "counter", counter_id)
        return counter

    @staticmethod
    def _user(uow: UnitOfWork, office: Office, user_id: int | str) -> User:
        user = uow.users.user_by_name(user_id) if isinstance(user_id, str) else uow.users.user(user_id)
        if user is None or user.office_id != office.id or user.role == Role.DEVICE:
            raise _gone("ผู้ใช้", "user", user_id)
        return user

    def _default_counter(self, uow: UnitOfWork, office: Office, fields: dict) -> int | None:
        value = fields.get("default_counter_id")
        if value in (None, ""):
            return None
        counter = self._counter(uow, office, int(rules.number(
            value, "default_counter_id", "ช่องประจำ", "default counter", 1, 2**31 - 1,
            integer=True)))
        return counter.id


def _counter_setup(counter: Counter) -> dict:
    return {"id": counter.id, "number": counter.number, "name": counter.name,
            "service_ids": [link.service_id for link in counter.service_links]}


def _device_view(device) -> dict:
    return {"id": device.id, "kind": device.kind, "name": device.name,
            "username": device.username, "counter_id": device.counter_id,
            "printer": device.printer, "paper": device.paper,
            "created_at": iso(device.created_at), "revoked_at": iso(device.revoked_at)}


def _plain(data):
    """Event data as JSON holds it (floats, lists, no tuples)."""
    if isinstance(data, dict):
        return {str(k): _plain(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_plain(v) for v in data]
    return data
