"""Staff pages (log-in, counter console, reception desk) and the citizen's status page."""

from __future__ import annotations

import logging

from urllib.parse import urlsplit

import flask
from flask_login import current_user, login_required, login_user, logout_user

from .auth import MANAGER_ROLES, RECEPTION_ROLES, SessionUser, csrf
from .limits import login_throttled, public

log = logging.getLogger(__name__)
pages = flask.Blueprint("pages", __name__)

# Sarabun (from the fontpkg-sarabun package, which also prints the tickets) served to every
# page, so a kiosk or TV with no Thai font installed, and no internet, still shows Thai well.
THAI_FONT_WEIGHTS = ("Regular", "Medium", "SemiBold", "Bold", "ExtraBold")

# Every page's script is a static file of this origin, so no inline script, eval or other
# origin's script runs even if markup were ever injected. Styles stay lenient: templates carry
# <style> blocks and a few style attributes. 'self' covers Socket.IO's same-origin ws:/wss:
# (CSP 3) and the lobby's spoken calls (/display/speech); data:/blob: are for images and
# recordings made in the page. Nothing embeds these pages in a frame.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))


@pages.after_app_request
def content_security_policy(response: flask.Response) -> flask.Response:
    """The policy on every HTML response of the app (kiosk and display pages too), and on
    every response: no type sniffing (an answer is what its Content-Type says)."""
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


@pages.get("/fonts/Sarabun-<weight>.ttf")
def thai_font(weight: str):
    import fontpkg_sarabun

    if weight not in THAI_FONT_WEIGHTS:
        flask.abort(404)
    return flask.send_from_directory(fontpkg_sarabun.ROOT / "files", f"Sarabun-{weight}.ttf",
                                     mimetype="font/ttf", max_age=30 * 24 * 3600)


@pages.get("/")
def index():
    return flask.render_template("index.html")


@pages.route("/login", methods=["GET", "POST"])
@login_throttled
def login():
    error = None
    if flask.request.method == "POST":
        csrf.protect()
        form = flask.request.form
        username = form.get("username", "")[:64]
        member = flask.current_app.extensions["gecc"].accounts.authenticate(
            username, form.get("password", "")[:256])
        if member is None:
            log.warning("failed log-in for user name %r from %s", username,
                        flask.request.remote_addr)
        if member is not None:
            login_user(SessionUser(member))
            target = flask.request.args.get("next", "")
            # Only local paths: never bounce a fresh log-in to another site.
            if not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
                target = flask.url_for("pages.counter_console")
            return flask.redirect(target)
        error = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง / Wrong user name or password"
    return flask.render_template("login.html", error=error), (401 if error else 200)


@pages.post("/logout")
def logout():
    csrf.protect()
    if current_user.is_authenticated:
        flask.current_app.extensions["gecc"].accounts.end_sessions(current_user.member.id)
    logout_user()
    return flask.redirect(flask.url_for("pages.login"))


@pages.get("/counter")
@login_required
def counter_console():
    return flask.render_template("counter.html", user=current_user.member,
                                 default_counter=flask.current_app.extensions["gecc"].admin
                                 .default_counter(current_user.member.id))


def _refused_unless(roles: set, page_th: str, page_en: str, roles_th: str, roles_en: str):
    """A page for other roles answers 403 with a page that says so (its data calls are
    refused too: this is not the only guard)."""
    member = current_user.member
    if member.role in roles:
        return None
    return flask.render_template("forbidden.html", user=member, page_th=page_th,
                                 page_en=page_en, roles_th=roles_th, roles_en=roles_en), 403


@pages.get("/reception")
@login_required
def reception():
    refused = _refused_unless(RECEPTION_ROLES, "หน้าประชาสัมพันธ์", "The reception page",
                              "จุดประชาสัมพันธ์และผู้จัดการ", "the reception desk and managers")
    return refused or flask.render_template("reception.html", user=current_user.member)


@pages.get("/manager")
@login_required
def manager():
    refused = _refused_unless(MANAGER_ROLES, "หน้าผู้จัดการ", "The manager's page",
                              "ผู้จัดการและผู้ดูแลระบบ", "managers and administrators")
    return refused or flask.render_template("manager.html", user=current_user.member)


@pages.get("/t/<token>")
def ticket_status(token: str):
    return flask.render_template("status.html", token=token[:64])


@pages.get("/t/<token>/qr.svg")
@public
def ticket_qr(token: str):
    """The QR code of a ticket's status page, for the kiosk screen when the printer cannot print."""
    import io

    import qrcode
    import qrcode.image.svg

    status = flask.current_app.extensions["gecc"].queries.ticket_status(token[:64])
    out = io.BytesIO()
    qrcode.make(status["status_url"], image_factory=qrcode.image.svg.SvgPathImage,
                border=2).save(out)
    response = flask.Response(out.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
