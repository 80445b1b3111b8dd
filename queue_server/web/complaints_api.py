"""The complaint register's API: filing (public, or staff on the citizen's behalf), tracking
by code (public), the staff's register and its steps. Parse, call one use case, shape the
answer (routes on the /api/v1 blueprint)."""

from __future__ import annotations

from urllib.parse import quote

import flask

from ..domain.complaint import ComplaintChannel
from ..service_layer.complaints import Upload
from . import api_models as m, schemas
from .api import api, gecc
from .auth import (COUNTER_ROLES, RECEPTION_ROLES, STAFF_ROLES, Forbidden, Unauthorized, actor,
                   require, staff_member)
from .limits import public
from .offices import request_office_id
from .openapi import operation as op

# Who may take a complaint down for a citizen, and print its receipt.
INTAKE_ROLES = COUNTER_ROLES | RECEPTION_ROLES


def complaints():
    return gecc().complaints


@api.get("/complaint-form")
@op("What the public complaint form needs: categories, limits, the PDPA consent line",
    m.ComplaintFormView)
@public
def complaint_form():
    return flask.jsonify(complaints().form(request_office_id()))


@api.post("/complaints")
@op("File a complaint (JSON, or multipart/form-data with files); 201 with the tracking code",
    m.ComplaintReceipt, status=201, body=schemas.FileComplaint,
    errors=[401, 403, 404, 413, 415], public_or_staff=True)
@public
def file_complaint():
    """Anyone files on the public page (channel online). Logged-in staff file on a citizen's
    behalf (walk_in or phone) and may print the receipt. Files: up to 3 photos (JPEG, PNG,
    WebP) or PDF documents of 5 MB each, in the multipart field `files`; a refused file stores
    nothing."""
    uploads = []
    if flask.request.mimetype == "multipart/form-data":
        policy = complaints().attachments
        # The whole form at most: every file at its limit, and the text fields.
        flask.request.max_content_length = policy.max_per_owner * policy.max_bytes + 256 * 1024
        body = _parse_form(schemas.FileComplaint)
        uploads = [Upload(f.filename or "", f.read()) for f in flask.request.files.getlist("files")
                   if f.filename]
    else:
        body = schemas.parse(schemas.FileComplaint)
    member = staff_member()
    channel = body.channel or (ComplaintChannel.WALK_IN if member else ComplaintChannel.ONLINE)
    if member is None and (channel != ComplaintChannel.ONLINE or body.print):
        raise Unauthorized("Complaints taken at the counter or by phone, and printed receipts, "
                           "are for logged-in staff.")
    if member is not None and member.role not in INTAKE_ROLES and (
            channel != ComplaintChannel.ONLINE or body.print):
        raise Forbidden(f"A {member.role.value} may not take complaints down for citizens.")
    receipt = complaints().file(
        body.text, actor() if member else _citizen(), category=body.category,
        contact=body.contact, ticket_token=body.ticket_token, channel=channel, uploads=uploads,
        office_id=request_office_id(),
        via=body.via or ("ticket" if body.ticket_token else None), print_receipt=body.print,
        kiosk_id=body.kiosk_id, consent=body.consent)
    return flask.jsonify(receipt), 201


@api.get("/complaints/<code>")
@op("A complaint's status and dated public steps, for whoever holds its code",
    m.ComplaintPublic, errors=[404])
@public
def track_complaint(code: str):
    """No staff names, no contact details, no internal notes."""
    return flask.jsonify(complaints().track(code))


@api.get("/complaints")
@op("The complaint register: filter by status, category, overdue, assignee; search",
    m.ComplaintRegister, query=schemas.ComplaintQuery)
@require(STAFF_ROLES)
def complaint_register():
    args = flask.request.args
    overdue = args.get("overdue")
    if overdue not in (None, "", "true", "false"):
        raise schemas.InvalidInput("overdue is true or false.")
    return flask.jsonify(complaints().register(
        staff_member().office_id, status=args.get("status") or None,
        category=(args.get("category") or "")[:32] or None,
        overdue=None if not overdue else overdue == "true",
        assignee=args.get("assignee") or None, search=args.get("q"),
        limit=_int_arg("limit", 200, 1, 500), offset=_int_arg("offset", 0, 0, 10**6)))


@api.get("/complaints/<id:complaint_id>/record")
@op("One complaint for staff: text, contact, files, every step with who and the notes",
    m.ComplaintRecord, errors=[404])
@require(STAFF_ROLES)
def complaint_record(complaint_id: int):
    return flask.jsonify(complaints().record(staff_member().office_id, complaint_id))


@api.post("/complaints/<id:complaint_id>/status")
@op("The next step (forward only; back or unknown: 409), with a public and an internal note",
    m.ComplaintRecord, body=schemas.ComplaintStep, errors=[404, 409])
@require(STAFF_ROLES)
def complaint_status(complaint_id: int):
    body = schemas.parse(schemas.ComplaintStep)
    return flask.jsonify(complaints().move(staff_member().office_id, complaint_id, body.status,
                                           actor(), body.note, body.internal_note))


@api.post("/complaints/<id:complaint_id>/assign")
@op("Assign to a member of staff (received becomes assigned)", m.ComplaintRecord,
    body=schemas.AssignComplaint, errors=[404, 409])
@require(STAFF_ROLES)
def assign_complaint(complaint_id: int):
    body = schemas.parse(schemas.AssignComplaint)
    return flask.jsonify(complaints().assign(staff_member().office_id, complaint_id,
                                             body.user_id, actor(), body.note, body.internal_note))


@api.post("/complaints/<id:complaint_id>/forward")
@op("Forward to another agency (its name recorded and shown on the tracking page)",
    m.ComplaintRecord, body=schemas.ForwardComplaint, errors=[404, 409])
@require(STAFF_ROLES)
def forward_complaint(complaint_id: int):
    body = schemas.parse(schemas.ForwardComplaint)
    return flask.jsonify(complaints().forward(staff_member().office_id, complaint_id,
                                              body.agency, actor(), body.note, body.internal_note))


@api.post("/complaints/<id:complaint_id>/reopen")
@op("Reopen a resolved or closed complaint, with the reason (back to in_progress)",
    m.ComplaintRecord, body=schemas.ReopenComplaint, errors=[404, 409])
@require(STAFF_ROLES)
def reopen_complaint(complaint_id: int):
    body = schemas.parse(schemas.ReopenComplaint)
    return flask.jsonify(complaints().reopen(staff_member().office_id, complaint_id,
                                             body.reason, actor(), body.note))


@api.post("/complaints/<id:complaint_id>/due")
@op("Move a complaint's due date (the reason recorded)", m.ComplaintRecord,
    body=schemas.ComplaintDue, errors=[404, 409])
@require(STAFF_ROLES)
def complaint_due(complaint_id: int):
    body = schemas.parse(schemas.ComplaintDue)
    return flask.jsonify(complaints().set_due(staff_member().office_id, complaint_id,
                                              body.due_on, actor(), body.reason))


@api.post("/complaints/<id:complaint_id>/files")
@op("Attach a document to a complaint (PDF, JPEG, PNG, WebP; 5 MB at most)",
    m.AttachedFile, status=201, errors=[404, 413, 415])
@require(STAFF_ROLES)
def attach_to_complaint(complaint_id: int):
    """multipart/form-data with the file in the field `file`."""
    flask.request.max_content_length = complaints().attachments.max_bytes + 64 * 1024
    upload = flask.request.files.get("file")
    if upload is None:
        raise schemas.InvalidInput("Send the file as multipart/form-data in the field 'file'.")
    return flask.jsonify(complaints().attach(staff_member().office_id, complaint_id,
                                             Upload(upload.filename or "", upload.read()),
                                             actor())), 201


@api.get("/complaints/<id:complaint_id>/files/<id:attachment_id>")
@op("A complaint's file (staff only; always a download)", None, errors=[404])
@require(STAFF_ROLES)
def complaint_file(complaint_id: int, attachment_id: int):
    meta, content = complaints().file_content(staff_member().office_id, complaint_id,
                                              attachment_id)
    response = flask.Response(content, mimetype=meta["content_type"])
    # Never shown inline: a citizen's upload is only as safe as the reader it opens in.
    response.headers["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(meta['filename'], safe='')}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@api.post("/complaints/<id:complaint_id>/print")
@op("Print the complaint's receipt again", m.ReprintJob, status=201,
    body=schemas.PrintComplaint, errors=[404])
@require(INTAKE_ROLES)
def print_complaint(complaint_id: int):
    body = schemas.parse(schemas.PrintComplaint)
    return flask.jsonify(complaints().reprint(staff_member().office_id, complaint_id,
                                              body.kiosk_id)), 201


def _citizen():
    from ..domain.model import Actor
    return Actor("citizen")


def _parse_form(model):
    """A multipart form's fields as `model` (the same checks as its JSON body)."""
    from pydantic import ValidationError

    form = flask.request.form
    data = {key: form.get(key) for key in model.model_fields if form.get(key) not in (None, "")}
    for key in ("print", "consent"):
        if key in data:
            data[key] = data[key].lower() in ("1", "true", "on", "yes")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = [{"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
                   for e in exc.errors()]
        summary = "; ".join(f"{d['field']}: {d['message']}" for d in details)
        raise schemas.InvalidInput(f"Invalid input: {summary}", details) from None


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = flask.request.args.get(name)
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise schemas.InvalidInput(f"{name} is a whole number from {low} to {high}.")
    return int(raw)
