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
