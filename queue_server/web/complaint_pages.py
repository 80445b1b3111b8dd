"""The complaint register's pages: the public form (a phone, from the QR poster, the kiosk or
a ticket's status page), the tracking page behind a code, the hall's QR poster, and the
staff's register. Each page's script is a static file of its own (the CSP forbids inline)."""

from __future__ import annotations

import io

import flask
from flask_login import current_user, login_required

from ..domain.complaint import normalise_code
from .limits import public

complaint_pages = flask.Blueprint("complaint_pages", __name__)

VIA = ("poster", "kiosk", "ticket", "web")


def _svg_qr(url: str) -> flask.Response:
    import qrcode
    import qrcode.image.svg

    out = io.BytesIO()
    qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2).save(out)
    response = flask.Response(out.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


def _form_url(via: str) -> str:
    base = flask.current_app.config["PUBLIC_URL"].rstrip("/")
    return f"{base}/complain?via={via}"


@complaint_pages.get("/complain")
def complaint_form():
    """The public form. ?t=<ticket token> links the complaint to that visit (the status page's
    link); ?via= says where the citizen came from (poster, kiosk)."""
    token = (flask.request.args.get("t") or "")[:64]
    via = flask.request.args.get("via")
    via = via if via in VIA else ("ticket" if token else "web")
    return flask.render_template("complaint_form.html", ticket_token=token, via=via)


@complaint_pages.get("/complain/qr.svg")
def complaint_form_qr():
    """The QR code of the public form (the hall's poster, the kiosk's screen)."""
    via = flask.request.args.get("via")
    return _svg_qr(_form_url(via if via in VIA else "poster"))


@complaint_pages.get("/complain/poster")
def complaint_poster():
    """An A4 poster for the hall: scan to file or follow a complaint."""
    return flask.render_template("complaint_poster.html", form_url=_form_url("poster"))


@complaint_pages.get("/c/<code>")
def complaint_status(code: str):
    """The tracking page of a code (its state comes from the API and the live room)."""
    return flask.render_template("complaint_status.html",
                                 code=normalise_code(code) or code[:32])


@complaint_pages.get("/c/<code>/qr.svg")
@public
def complaint_qr(code: str):
    """The QR code of a complaint's tracking page (the receipt on screen)."""
    view = flask.current_app.extensions["gecc"].complaints.track(code)
    base = flask.current_app.config["PUBLIC_URL"].rstrip("/")
    return _svg_qr(f"{base}/c/{view['code']}")


@complaint_pages.get("/complaints")
@login_required
def register():
    """The staff's register: list, filter, search, take a complaint down, work it."""
    return flask.render_template("complaints.html", user=current_user.member)
