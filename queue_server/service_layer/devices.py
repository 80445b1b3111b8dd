"""The office's devices: kiosks (with their printer and paper), lobby displays and rating
tablets. A device's page (/pair) asks for a pairing and shows a short code; an administrator
types that code on the admin page, choosing what the device is; the device then collects its
bearer token once (with a secret only it holds) and opens its own screen. Revoking a device
stops its tokens at once. Every pairing and revocation is an office event.

The older flow, a code made at the counter console and typed on the rating tablet
(Accounts.start_tablet_pairing), still works: both end in a device account with a token.
"""

from __future__ import annotations

import re
import secrets

from ..domain import setup as rules
from ..domain.devices import (DEVICE_KINDS, PAPER_WIDTHS, Device, DeviceRequest, PairingRefused,
                              display_username, new_pairing_code, tablet_username)
from ..domain.model import Actor, ApiToken, OfficeEvent, OfficeEventKind, Role, User, device_username
from . import messages
from .accounts import token_hash
from .admin import _device_view, _gone
from .context import Context
from .messages import iso
from .unit_of_work import UnitOfWork

KEY = re.compile(r"^[A-Za-z0-9_.-]{1,48}$")


class Devices:
    def __init__(self, context: Context):
        self.context = context

    # --- the device's side (public) ---------------------------------------------------------

    def request_pairing(self) -> dict:
        """A new request: the code the device shows, and the secret it keeps to collect."""
        secret = secrets.token_urlsafe(24)

        def run(uow: UnitOfWork) -> dict:
            for _ in range(8):
                code = new_pairing_code()
                if uow.setup.device_request_by_code(token_hash(code)) is None:
                    break
            request = DeviceRequest(token_hash(code), token_hash(secret), self.context.clock())
            uow.add(request)
            uow.flush()
            uow.commit()
            return {"request_id": request.id, "code": code, "secret": secret,
                    "expires_at": iso(request.expires_at)}
        return self.context.write(run)

    def collect(self, request_id: int, secret: str) -> dict:
        """`waiting` until an administrator pairs the code; then, once, the token and what
        the device is (`paired`); `expired` after its minutes."""
        def run(uow: UnitOfWork) -> dict:
            request = uow.setup.device_request(request_id)
            if request is None or token_hash(secret or "") != request.secret_hash:
                raise PairingRefused("There is no such pairing request.")
            now = self.context.clock()
            if request.device_id is None:
                return {"status": "waiting" if request.open_at(now) else "expired"}
            token = request.collect(now)
            if token is None:
                raise PairingRefused("This pairing was collected already; pair the device again.")
            device = uow.setup.device(request.device_id)
            uow.commit()
            return {"status": "paired", "token": token, "device": _device_view(device),
                    "office_id": device.office_id, "key": device.key,
                    "open": device_url(device)}
        return self.context.write(run)

    # --- the admin page ---------------------------------------------------------------------

    def approve(self, office_id: int, actor: Actor, fields: dict) -> dict:
        """Make the device showing `code` a kiosk, display or tablet of the office."""
        code = str(fields.get("code") or "").strip().replace(" ", "")
        kind = fields.get("kind")
        if kind not in DEVICE_KINDS:
            raise rules.InvalidSetup("เลือกชนิดอุปกรณ์", "Choose what kind of device it is.", "kind")
        name = rules.text(fields.get("name"), "name", "ชื่ออุปกรณ์", "device's name", 100)
        paper = fields.get("paper") or "80mm"
        if paper not in PAPER_WIDTHS:
            raise rules.InvalidSetup("ความกว้างกระดาษคือ 80mm หรือ 58mm",
                                     "The paper is 80mm or 58mm wide.", "paper")
        printer = rules.text(fields.get("printer"), "printer", "เครื่องพิมพ์", "printer", 200,
                             required=False)
        token = secrets.token_urlsafe(32)

        def run(uow: UnitOfWork) -> dict:
            now = self.context.clock()
            request = uow.setup.device_request_by_code(token_hash(code)) if code else None
            if request is None or not request.open_at(now):
                raise rules.SetupConflict(
                    "ไม่พบรหัสนี้หรือหมดเวลาแล้ว เปิดหน้าจับคู่บนอุปกรณ์ใหม่เพื่อรับรหัสใหม่",
                    "That code is not known or has expired: open the pairing page on the "
                    "device again for a new one.", "code")
            counter_id = None
            if kind == "tablet":
                counter = uow.offices.counter(int(fields.get("counter_id") or 0) if str(
                    fields.get("counter_id") or "").isdigit() else 0)
                if counter is None or counter.office_id != office_id or not counter.active:
                    raise rules.InvalidSetup("เลือกช่องบริการของแท็บเล็ต",
                                             "Choose the tablet's counter.", "counter_id")
                counter_id = counter.id
                username = tablet_username(counter.id)
            else:
                key = str(fields.get("key") or "").strip() or \
                    f"o{office_id}-{kind[0]}{len(uow.setup.devices(office_id)) + 1}"
                if not KEY.match(key):
                    raise rules.InvalidSetup("รหัสอุปกรณ์คือตัวอักษรภาษาอังกฤษ ตัวเลข . _ -",
                                             "A device id is Latin letters, digits, '.', '_' "
                                             "or '-'.", "key")
                username = device_username(key) if kind == "kiosk" else display_username(key)
            user = uow.users.user_by_name(username)
            if user is not None and user.office_id != office_id:
                raise rules.SetupConflict("รหัสอุปกรณ์นี้เป็นของสำนักงานอื่น",
                                          "That device id is another office's.", "key")
            if user is None:
                user = User(office_id, username, name, Role.DEVICE, "!")
                uow.add(user)
                uow.flush()
            user.active, user.display_name = True, name
            device = uow.setup.device_by_username(username)
            if device is None:
                device = Device(office_id, kind, name, username, now, counter_id, printer, paper)
                uow.add(device)
            else:
                device.name, device.printer, device.paper = name, printer, paper
                device.revoked_at = None
            uow.flush()
            uow.add(ApiToken(user.id, token_hash(token), "paired", now))
            request.approve(device.id, token, now)
            uow.add(OfficeEvent(office_id, OfficeEventKind.DEVICE_PAIRED, now, actor,
                                counter_id=counter_id,
                                data={"device_id": device.id, "kind": kind, "name": name,
                                      "username": username, "printer": printer, "paper": paper}))
            uow.commit()
            return _device_view(device)
        return self.context.write(run)

    def revoke(self, office_id: int, device_id: int, actor: Actor) -> dict:
        """The device's tokens stop working at once (a lost tablet, a kiosk moved away)."""
        def run(uow: UnitOfWork) -> dict:
            device = uow.setup.device(device_id)
            if device is None or device.office_id != office_id:
                raise _gone("อุปกรณ์", "device", device_id)
            now = self.context.clock()
            device.revoke(now)
            user = uow.users.user_by_name(device.username)
            if user is not None:
                user.active = False
            uow.add(OfficeEvent(office_id, OfficeEventKind.DEVICE_REVOKED, now, actor,
                                counter_id=device.counter_id,
                                data={"device_id": device.id, "username": device.username}))
            for message in messages.office_changed(office_id, "device_revoked"):
                uow.publish(message)
            uow.commit()
            return _device_view(device)
        return self.context.write(run)


def device_url(device: Device) -> str:
    """Where a paired device's browser goes: its own screen, of its office."""
    if device.kind == "tablet":
        return f"/rate/counter/{device.counter_id}"
    if device.kind == "display":
        return f"/o/{device.office_id}/display"
    return f"/o/{device.office_id}/kiosk?id={device.key}"
