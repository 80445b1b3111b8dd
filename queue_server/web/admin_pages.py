"""The admin pages (issue 15): an office sets itself up in the browser. Plain HTML forms that
post and come back (no script needed): the office, opening hours and holidays, services,
counters, staff, devices, and for a super-admin the offices of the server. Also the first-run
set-up of an empty server (/setup) and the public screens of one office (/o/<office>/...).

Each form calls one use case of service_layer/admin.py on the logged-in member's own office;
a refusal shows its Thai and English reason above the form, with what was typed kept.
"""

from __future__ import annotations

import hmac
from functools import wraps

import flask
from flask_login import current_user, login_required

from ..domain.errors import DomainError
from ..domain.hours import DAY_NAMES
from ..domain.setup import STAFF_ROLE_NAMES, WINDOW_KINDS
from .auth import ADMIN_ROLES, MANAGER_ROLES, SUPERADMIN_ROLES, actor, csrf

admin = flask.Blueprint("admin", __name__)

DAY_TH = {"mon": "จ.", "tue": "อ.", "wed": "พ.", "thu": "พฤ.", "fri": "ศ.", "sat": "ส.", "sun": "อา."}
KIND_TH = {"regular": "ปกติ / regular", "lunch": "พักกลางวัน / lunch",
           "evening": "นอกเวลา (เย็น) / evening", "weekend": "วันหยุด / weekend"}
ROLE_TH = {"staff": "เจ้าหน้าที่ / staff", "reception": "ประชาสัมพันธ์ / reception",
           "manager": "ผู้จัดการ / manager", "admin": "ผู้ดูแลระบบ / admin",
           "superadmin": "ผู้ดูแลระบบสูงสุด / super-admin"}
DEVICE_TH = {"kiosk": "ตู้กดบัตรคิว / kiosk", "display": "จอในห้องรอ / lobby display",
             "tablet": "แท็บเล็ตประเมิน / rating tablet"}
EXTRA_WINDOWS = 3  # empty rows on the hours page, to add windows


def gecc():
    return flask.current_app.extensions["gecc"]


def member():
    return current_user.member


def page(roles: set, page_th: str, page_en: str, roles_th: str, roles_en: str):
    """A logged-in page for `roles`; other roles get a page that says who may open it."""
    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(*args, **kwargs):
            if member().role not in roles:
                return flask.render_template(
                    "forbidden.html", user=member(), page_th=page_th, page_en=page_en,
                    roles_th=roles_th, roles_en=roles_en), 403
            return view(*args, **kwargs)
        return wrapped
    return decorate


admin_only = page(ADMIN_ROLES, "หน้าตั้งค่าสำนักงาน", "The office's set-up", "ผู้ดูแลระบบ",
                  "administrators")
managers = page(MANAGER_ROLES, "หน้าตั้งค่าสำนักงาน", "The office's set-up",
                "ผู้จัดการและผู้ดูแลระบบ", "managers and administrators")
super_only = page(SUPERADMIN_ROLES, "หน้าสำนักงานทั้งหมด", "The server's offices",
                  "ผู้ดูแลระบบสูงสุด", "super-admins")


def bilingual(exc: DomainError) -> dict:
    extra = getattr(exc, "extra", None) or {}
    return {"th": extra.get("message_th") or "ทำรายการไม่ได้", "en": extra.get("message_en") or exc.message,
            "field": extra.get("field")}


def attempt(action, render, done_th: str, done_en: str, endpoint: str):
    """Run `action` for a posted form: on success back to `endpoint` with a note; refused,
    the page again with the reason and the form as typed."""
    csrf.protect()
    try:
        action()
    except DomainError as exc:
        return render(error=bilingual(exc), form=flask.request.form), exc.status
    flask.flash(f"{done_th} / {done_en}", "success")
    return flask.redirect(flask.url_for(endpoint))


def render(template: str, **context):
    office = gecc().admin.overview(member().office_id)
    return flask.render_template(template, user=member(), data=office, office=office["office"],
                                 day_th=DAY_TH, kind_th=KIND_TH, role_th=ROLE_TH,
                                 device_th=DEVICE_TH, day_names=DAY_NAMES,
                                 window_kinds=WINDOW_KINDS, is_admin=member().role in ADMIN_ROLES,
                                 is_super=member().role in SUPERADMIN_ROLES,
                                 keyed_text=keyed_text, **context)


def keyed_text(items) -> str:
    return "\n".join(f"{i['key']} | {i['name_th']} | {i['name_en']}" for i in items or [])


def form_text(name: str) -> str:
    return flask.request.form.get(name, "")


def form_ids(prefix: str) -> list[int]:
    """Services chosen in order: the selects `prefix1`, `prefix2`... (empty ones skipped)."""
    ids = []
    for i in range(1, 100):
        value = flask.request.form.get(f"{prefix}{i}")
        if value is None:
            break
        if value.isdigit():
            ids.append(int(value))
    return ids


def keyed_lines(raw: str) -> list[dict]:
    """`key | ชื่อไทย | English name` per line, as the rating questions and complaint
    categories are typed."""
    items = []
    for line in raw.splitlines():
        if line.strip():
            parts = [p.strip() for p in line.split("|")]
            items.append({"key": parts[0], "name_th": parts[1] if len(parts) > 1 else "",
                          "name_en": parts[2] if len(parts) > 2 else ""})
    return items


# --- the office ------------------------------------------------------------------------------

@admin.get("/admin")
@managers
def office_page(error=None, form=None):
    return render("admin_office.html", error=error, form=form,
                  history=gecc().admin.history(member().office_id, 30))


@admin.post("/admin/office")
@admin_only
def office_save():
    def action():
        gecc().admin.update_office(member().office_id, actor(), {
            "name": form_text("name"), "name_en": form_text("name_en"),
            "timezone": form_text("timezone"), "address": form_text("address"),
            "help_contact": form_text("help_contact"),
            "complaint_due_days": form_text("complaint_due_days") or 15,
            "rating_dimensions": keyed_lines(form_text("rating_dimensions")),
            "complaint_categories": keyed_lines(form_text("complaint_categories"))})
    return attempt(action, office_page, "บันทึกข้อมูลสำนักงานแล้ว", "Office saved", "admin.office_page")


@admin.post("/admin/logo")
@admin_only
def logo_save():
    upload = flask.request.files.get("logo")

    def action():
        content = None if flask.request.form.get("remove") else (upload.read() if upload else b"")
        gecc().admin.set_logo(member().office_id, actor(), content)
    return attempt(action, office_page, "บันทึกโลโก้แล้ว", "Logo saved", "admin.office_page")


@admin.get("/office/<id:office_id>/logo")
def office_logo(office_id: int):
    """The office's logo (public: tickets, the lobby, the kiosk)."""
    found = gecc().admin.logo(office_id)
    if found is None:
        flask.abort(404)
    response = flask.Response(found[0], mimetype=found[1])
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


# --- opening hours ---------------------------------------------------------------------------

@admin.get("/admin/hours")
@managers
def hours_page(error=None, form=None):
    return render("admin_hours.html", error=error, form=form, extra_windows=EXTRA_WINDOWS)


@admin.post("/admin/hours")
@managers
def hours_save():
    form = flask.request.form
    windows = []
    for i in range(0, 60):
        if f"w{i}_start" not in form:
            break
        days = form.getlist(f"w{i}_days")
        start, end = form.get(f"w{i}_start", "").strip(), form.get(f"w{i}_end", "").strip()
        if not days and not start and not end:
            continue  # an empty row
        windows.append({"days": days, "start": start, "end": end,
                        "kind": form.get(f"w{i}_kind", "regular")})
    holidays = []
    for line in form.get("holidays", "").splitlines():
        if line.strip():
            day, _, name = line.strip().partition(" ")
            holidays.append({"date": day, "name": name.strip()})

    def action():
        gecc().admin.set_hours(member().office_id, actor(), windows, holidays,
                               bool(form.get("enforce_hours")))
    return attempt(action, hours_page, "บันทึกเวลาทำการแล้ว", "Opening hours saved",
                   "admin.hours_page")


# --- services --------------------------------------------------------------------------------

def service_fields() -> dict:
    form = flask.request.form
    fields = {k: form.get(k, "") for k in ("code", "name_th", "name_en", "standard_minutes",
                                           "target_wait_minutes", "sort_order")}
    fields["active"] = bool(form.get("active"))
    return fields


@admin.get("/admin/services")
@managers
def services_page(error=None, form=None):
    return render("admin_services.html", error=error, form=form)


@admin.post("/admin/services")
@managers
def service_add():
    return attempt(lambda: gecc().admin.add_service(member().office_id, actor(), service_fields()),
                   services_page, "เพิ่มบริการแล้ว", "Service added", "admin.services_page")


@admin.post("/admin/services/<id:service_id>")
@managers
def service_save(service_id: int):
    return attempt(lambda: gecc().admin.update_service(member().office_id, service_id, actor(),
                                                       service_fields()),
                   services_page, "บันทึกบริการแล้ว", "Service saved", "admin.services_page")


@admin.post("/admin/services/<id:service_id>/delete")
@admin_only
def service_delete(service_id: int):
    return attempt(lambda: gecc().admin.delete_service(member().office_id, service_id, actor()),
                   services_page, "ลบบริการแล้ว", "Service deleted", "admin.services_page")


# --- counters --------------------------------------------------------------------------------

@admin.get("/admin/counters")
@managers
def counters_page(error=None, form=None):
    return render("admin_counters.html", error=error, form=form)


@admin.post("/admin/counters")
@managers
def counter_add():
    return attempt(lambda: gecc().admin.add_counter(member().office_id, actor(), {
        "number": form_text("number"), "name": form_text("name"),
        "service_ids": form_ids("service")}),
        counters_page, "เพิ่มช่องบริการแล้ว", "Counter added", "admin.counters_page")


@admin.post("/admin/counters/<id:counter_id>")
@managers
def counter_save(counter_id: int):
    return attempt(lambda: gecc().admin.update_counter(member().office_id, counter_id, actor(), {
        "number": form_text("number"), "name": form_text("name"),
        "service_ids": form_ids("service")}),
        counters_page, "บันทึกช่องบริการแล้ว", "Counter saved", "admin.counters_page")


@admin.post("/admin/counters/<id:counter_id>/remove")
@admin_only
def counter_remove(counter_id: int):
    return attempt(lambda: gecc().admin.remove_counter(member().office_id, counter_id, actor()),
                   counters_page, "นำช่องบริการออกแล้ว", "Counter removed", "admin.counters_page")


# --- staff -----------------------------------------------------------------------------------

@admin.get("/admin/staff")
@admin_only
def staff_page(error=None, form=None):
    roles = [r for r in STAFF_ROLE_NAMES if r != "superadmin" or member().role in SUPERADMIN_ROLES]
    return render("admin_staff.html", error=error, form=form, roles=roles)


def may_make_superadmin() -> bool:
    return member().role in SUPERADMIN_ROLES


@admin.post("/admin/staff")
@admin_only
def staff_add():
    return attempt(lambda: gecc().admin.add_user(member().office_id, actor(), {
        "username": form_text("username"), "display_name": form_text("display_name"),
        "role": form_text("role"), "password": form_text("password"),
        "password2": form_text("password2"),
        "default_counter_id": form_text("default_counter_id")}, may_make_superadmin()),
        staff_page, "เพิ่มผู้ใช้แล้ว", "User added", "admin.staff_page")


@admin.post("/admin/staff/<id:user_id>")
@admin_only
def staff_save(user_id: int):
    return attempt(lambda: gecc().admin.update_user(member().office_id, user_id, actor(), {
        "display_name": form_text("display_name"), "role": form_text("role"),
        "default_counter_id": form_text("default_counter_id")}, may_make_superadmin()),
        staff_page, "บันทึกผู้ใช้แล้ว", "User saved", "admin.staff_page")


@admin.post("/admin/staff/<id:user_id>/password")
@admin_only
def staff_password(user_id: int):
    return attempt(lambda: gecc().admin.reset_password(
        member().office_id, user_id, actor(), form_text("password"), form_text("password2")),
        staff_page, "ตั้งรหัสผ่านใหม่แล้ว (ผู้ใช้ต้องเข้าสู่ระบบใหม่)",
        "Password set (the user logs in again)", "admin.staff_page")


@admin.post("/admin/staff/<id:user_id>/active")
@admin_only
def staff_active(user_id: int):
    active = flask.request.form.get("active") == "1"
    return attempt(lambda: gecc().admin.set_user_active(member().office_id, user_id, actor(), active),
                   staff_page, "เปิดใช้บัญชีแล้ว" if active else "ปิดบัญชีแล้ว",
                   "Account enabled" if active else "Account disabled", "admin.staff_page")


# --- devices ---------------------------------------------------------------------------------

@admin.get("/admin/devices")
@admin_only
def devices_page(error=None, form=None):
    return render("admin_devices.html", error=error, form=form)


@admin.post("/admin/devices")
@admin_only
def device_pair():
    return attempt(lambda: gecc().devices.approve(member().office_id, actor(), {
        "code": form_text("code"), "kind": form_text("kind"), "name": form_text("name"),
        "key": form_text("key"), "counter_id": form_text("counter_id"), "printer": form_text("printer"),
        "paper": form_text("paper")}),
        devices_page, "จับคู่อุปกรณ์แล้ว", "Device paired", "admin.devices_page")


@admin.post("/admin/devices/<id:device_id>/revoke")
@admin_only
def device_revoke(device_id: int):
    return attempt(lambda: gecc().devices.revoke(member().office_id, device_id, actor()),
                   devices_page, "ยกเลิกอุปกรณ์แล้ว", "Device revoked", "admin.devices_page")


# --- the server's offices (super-admin) ------------------------------------------------------

@admin.get("/admin/offices")
@super_only
def offices_page(error=None, form=None):
    return render("admin_offices.html", error=error, form=form, offices=gecc().admin.offices())


@admin.post("/admin/offices")
@super_only
def office_add():
    def action():
        created = gecc().admin.create_office({
            "name": form_text("name"), "name_en": form_text("name_en"),
            "timezone": form_text("timezone") or "Asia/Bangkok"}, actor())
        gecc().admin.add_user(created["id"], actor(), {
            "username": form_text("username"), "display_name": form_text("display_name"),
            "role": "admin", "password": form_text("password"),
            "password2": form_text("password2")})
    return attempt(action, offices_page, "เพิ่มสำนักงานแล้ว", "Office added", "admin.offices_page")


# --- the first run -----------------------------------------------------------------------------

def _setup_code_ok(code: str) -> bool:
    expected = flask.current_app.config.get("SETUP_CODE")
    return not expected or hmac.compare_digest(code.strip().encode(), expected.encode())


@admin.route("/setup", methods=["GET", "POST"])
def first_run():
    """The empty server's set-up: the office and its first administrator. The code printed
    by `gecc-queue serve` is asked for, so nobody else on the network sets the office up
    first. Gone (to the log-in page) once an office exists."""
    if not gecc().admin.is_empty():
        return flask.redirect(flask.url_for("pages.login"))
    error = None
    if flask.request.method == "POST":
        csrf.protect()
        form = flask.request.form
        if not _setup_code_ok(form.get("setup_code", "")):
            error = {"th": "รหัสตั้งค่าไม่ถูกต้อง ดูรหัสที่หน้าจอของเครื่องแม่ข่าย (gecc-queue serve)",
                     "en": "Wrong set-up code: it is printed by `gecc-queue serve` on the "
                           "server's console.", "field": "setup_code"}
        else:
            try:
                gecc().admin.first_run(
                    {"name": form.get("name"), "name_en": form.get("name_en"),
                     "timezone": form.get("timezone") or "Asia/Bangkok",
                     "address": form.get("address", ""), "help_contact": form.get("help_contact", "")},
                    {"username": form.get("username"), "display_name": form.get("display_name"),
                     "password": form.get("password"), "password2": form.get("password2")})
            except DomainError as exc:
                error = bilingual(exc)
            else:
                flask.flash("ตั้งค่าสำนักงานแล้ว เข้าสู่ระบบด้วยบัญชีที่สร้าง / The office is set up: "
                            "log in with the account you made", "success")
                return flask.redirect(flask.url_for("pages.login", next="/admin/services"))
    return flask.render_template("setup.html", error=error, form=flask.request.form,
                                 code_needed=bool(flask.current_app.config.get("SETUP_CODE"))), \
        (400 if error else 200)


@admin.before_app_request
def to_first_run():
    """An empty server shows its set-up page instead of pages that need an office."""
    if flask.request.endpoint in ("pages.index", "pages.login", "kiosk.page", "display.lobby") \
            and gecc().admin.is_empty():
        return flask.redirect(flask.url_for("admin.first_run"))
    return None


# --- one office's public screens ---------------------------------------------------------------

@admin.get("/o/<id:office_id>/kiosk")
def office_kiosk(office_id: int):
    """The kiosk of one office of the server (its services, its tickets)."""
    _known_office(office_id)
    kiosk_id = flask.request.args.get("id", "")[:64]
    return flask.render_template("kiosk/kiosk.html", kiosk_id=kiosk_id)


@admin.get("/o/<id:office_id>/display")
def office_display(office_id: int):
    """The lobby display of one office of the server."""
    _known_office(office_id)
    return flask.render_template("display/lobby.html")


def _known_office(office_id: int) -> None:
    flask.g.path_office = office_id
    if not any(o["id"] == office_id for o in gecc().admin.offices()):
        flask.abort(404)


@admin.app_context_processor
def page_office():
    """The office a public page is of (`data-office` on <html>: common.js sends it)."""
    return {"page_office": flask.g.get("path_office")}


@admin.get("/pair")
def pair_page():
    """A device's pairing page: shows a code for the admin page, then opens the device's
    screen."""
    return flask.render_template("pair.html")
