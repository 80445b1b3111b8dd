"""Devices that act on their own: kiosks (print agents) and rating tablets. A device is a
user with the `device` role and a bearer token; a tablet gets its token by a one-time pairing
code that a clerk or manager makes, so nobody types a password on a tablet in the hall."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from .errors import DomainError

PAIRING_MINUTES = 10
PAIRING_DIGITS = 6


class PairingRefused(DomainError, code="pairing_refused", status=403):
    """The pairing code is unknown, used or expired."""


def tablet_username(counter_id: int) -> str:
    """The identity of the rating tablet of one counter."""
    return f"tablet:{counter_id}"


def tablet_counter(username: str) -> int | None:
    """The counter a rating tablet serves, or None when `username` is no tablet."""
    kind, _, key = username.partition(":")
    return int(key) if kind == "tablet" and key.isdigit() else None


def new_pairing_code() -> str:
    """Six digits, typed on the tablet's keypad. Unguessable enough for its ten minutes and
    one use, behind the public endpoints' rate limit."""
    return f"{secrets.randbelow(10 ** PAIRING_DIGITS):0{PAIRING_DIGITS}d}"


class DevicePairing:
    def __init__(self, office_id: int, device: str, code_hash: str, created_at: datetime,
                 minutes: float = PAIRING_MINUTES):
        self.office_id = office_id
        self.device = device
        self.code_hash = code_hash
        self.created_at = created_at
        self.expires_at = created_at + timedelta(minutes=minutes)
        self.used_at: datetime | None = None

    def use(self, now: datetime) -> None:
        if self.used_at is not None or now > self.expires_at:
            raise PairingRefused("That pairing code has expired or was used; make a new one.")
        self.used_at = now


# --- devices an office registers on its admin page ------------------------------------------

DEVICE_KINDS = ("kiosk", "display", "tablet")
PAPER_WIDTHS = ("80mm", "58mm")
REQUEST_MINUTES = 15


def display_username(display_id: str) -> str:
    """The identity of a lobby display."""
    return f"display:{display_id}"


class Device:
    """A kiosk (with its printer and paper), a lobby display or a rating tablet of an office.
    Its identity is a user account with the `device` role (`username`); its bearer tokens come
    from a pairing and stop working when the device is revoked."""

    def __init__(self, office_id: int, kind: str, name: str, username: str,
                 created_at: datetime, counter_id: int | None = None, printer: str = "",
                 paper: str = "80mm"):
        self.office_id = office_id
        self.kind = kind
        self.name = name
        self.username = username
        self.created_at = created_at
        self.counter_id = counter_id
        self.printer = printer
        self.paper = paper
        self.revoked_at: datetime | None = None

    @property
    def key(self) -> str:
        """The id in the device's identity: a kiosk's id, a display's, a tablet's counter."""
        return self.username.partition(":")[2]

    def revoke(self, now: datetime) -> None:
        if self.revoked_at is None:
            self.revoked_at = now


class DeviceRequest:
    """A device that asks to be paired: it shows `code` on its screen and waits; an
    administrator types the code on the admin page, which makes it a Device of the office;
    the device then collects its token once, with the secret only it holds."""

    def __init__(self, code_hash: str, secret_hash: str, created_at: datetime,
                 minutes: float = REQUEST_MINUTES):
        self.code_hash = code_hash
        self.secret_hash = secret_hash
        self.created_at = created_at
        self.expires_at = created_at + timedelta(minutes=minutes)
        self.device_id: int | None = None
        self.token: str | None = None  # kept only until the device collects it
        self.collected_at: datetime | None = None

    def open_at(self, now: datetime) -> bool:
        return self.device_id is None and now <= self.expires_at

    def approve(self, device_id: int, token: str, now: datetime) -> None:
        if not self.open_at(now):
            raise PairingRefused("That code has expired or was used; the device shows a new "
                                 "one when its page is opened again.")
        self.device_id = device_id
        self.token = token

    def collect(self, now: datetime) -> str | None:
        """The token, once; None while not approved."""
        if self.token is None:
            return None
        token, self.token, self.collected_at = self.token, None, now
        return token
