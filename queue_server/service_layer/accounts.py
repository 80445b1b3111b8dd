"""Staff accounts: passwords (scrypt, through Werkzeug) and API bearer tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from werkzeug.security import check_password_hash, generate_password_hash

from ..domain.devices import (DevicePairing, PairingRefused, new_pairing_code, tablet_counter,
                              tablet_username)
from ..domain.errors import Conflict, NotFound
from ..domain.model import ApiToken, Role, User, device_username
from .messages import iso
from .unit_of_work import UnitOfWork

# Werkzeug's scrypt: a memory-hard KDF. Tests lower the cost; nothing else should.
PASSWORD_METHOD = "scrypt"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_METHOD)


# A hash to compare against when the user does not exist, so a wrong name takes as long
# as a wrong password and does not reveal which names exist.
_DUMMY_HASH = generate_password_hash("not a real password")


@dataclass(frozen=True)
class StaffMember:
    """What the web layer keeps of a logged-in user."""

    id: int
    username: str
    display_name: str
    role: Role
    office_id: int
    session_version: int = 0  # what a log-in session must carry (web/auth.py)


def _member(user: User) -> StaffMember:
    return StaffMember(user.id, user.username, user.display_name, user.role, user.office_id,
                       user.session_version)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    def __init__(self, uow_factory: Callable[[], UnitOfWork], clock,
                 read_uow_factory: Callable[[], UnitOfWork] | None = None,
                 blocking: Callable[..., object] | None = None):
        self.uow = uow_factory
        self.read_uow = read_uow_factory or uow_factory  # checks that write nothing
        self.clock = clock
        # Runs the password check (scrypt: ~0.1 s of CPU by design) where it holds up no
        # other request: under gevent, its pool of real threads (app.py).
        self.blocking = blocking or (lambda function, *args: function(*args))

    def create_user(self, office_id: int, username: str, password: str, role: Role,
                    display_name: str = "") -> StaffMember:
        with self.uow() as uow:
            if uow.users.user_by_name(username) is not None:
                raise Conflict(f"User {username} exists already.")
            user = User(office_id, username, display_name or username, role,
                        hash_password(password))
            uow.add(user)
            uow.flush()
            member = _member(user)
            uow.commit()
            return member

    def ensure_device(self, office_id: int, kiosk_id: str) -> None:
        """The account of a kiosk's print agent; it has no usable password, only tokens."""
        self._ensure_device(office_id, device_username(kiosk_id), f"Kiosk {kiosk_id}")

    def _ensure_device(self, office_id: int, username: str, display_name: str) -> None:
        with self.uow() as uow:
            if uow.users.user_by_name(username) is None:
                uow.add(User(office_id, username, display_name, Role.DEVICE, "!"))
                uow.commit()

    # --- pairing a device with a one-time code ----------------------------------------------

    def start_tablet_pairing(self, office_id: int, counter_id: int) -> dict:
        """A one-time code that makes the tablet in front of `counter_id` its rating tablet
        (typed on the tablet within PAIRING_MINUTES). Pairing again replaces nothing: the old
        tablet keeps working until its token is revoked."""
        device = tablet_username(counter_id)
        self._ensure_device(office_id, device, f"Rating tablet, counter {counter_id}")
        with self.uow() as uow:
            for _ in range(5):
                code = new_pairing_code()
                if uow.users.pairing(token_hash(code)) is None:
                    break
            pairing = DevicePairing(office_id, device, token_hash(code), self.clock())
            uow.add(pairing)
            uow.commit()
            return {"code": code, "device": device, "counter_id": counter_id,
                    "expires_at": iso(pairing.expires_at)}

    def pair_device(self, code: str) -> dict:
        """The tablet's side: the code for a bearer token of its device identity."""
        with self.uow() as uow:
            pairing = uow.users.pairing(token_hash(code.strip()))
            if pairing is None:
                raise PairingRefused("That pairing code is not known; check it or make a new one.")
            pairing.use(self.clock())
            user = uow.users.user_by_name(pairing.device)
            token = secrets.token_urlsafe(32)
            uow.add(ApiToken(user.id, token_hash(token), "paired", self.clock()))
            uow.commit()
            return {"token": token, "device": pairing.device,
                    "counter_id": tablet_counter(pairing.device)}

    def authenticate(self, username: str, password: str) -> StaffMember | None:
        with self.read_uow() as uow:
            user = uow.users.user_by_name(username)
            if user is None or not user.active or user.role == Role.DEVICE:
                self.blocking(check_password_hash, _DUMMY_HASH, password)
                return None
            member, stored = _member(user), user.password_hash
        # the check runs after the database is let go: scrypt holds no connection
        return member if self.blocking(check_password_hash, stored, password) else None

    def get(self, user_id: int) -> StaffMember | None:
        with self.read_uow() as uow:
            user = uow.users.user(user_id)
            return _member(user) if user is not None and user.active else None

    def create_token(self, username: str, label: str = "cli", days: int | None = None) -> str:
        """A new bearer token for the user, valid `days` days (None: until revoked); only its
        hash is stored, so show it once."""
        with self.uow() as uow:
            user = uow.users.user_by_name(username)
            if user is None:
                raise NotFound(f"There is no user {username}.")
            token = secrets.token_urlsafe(32)
            now = self.clock()
            expires = now + timedelta(days=days) if days is not None else None
            uow.add(ApiToken(user.id, token_hash(token), label, now, expires))
            uow.commit()
            return token

    def user_for_token(self, token: str) -> StaffMember | None:
        with self.read_uow() as uow:
            found = uow.users.user_by_token_hash(token_hash(token))
            if found is None:
                return None
            user, api_token = found
            if not (user.active and api_token.valid_at(self.clock())):
                return None
            return _member(user)

    def tokens(self) -> list[dict]:
        """Every token, newest first: whose, its label, when made, until when, revoked."""
        with self.read_uow() as uow:
            now = self.clock()
            return [{"id": t.id, "username": u.username, "label": t.label,
                     "created_at": iso(t.created_at), "expires_at": iso(t.expires_at),
                     "revoked_at": iso(t.revoked_at), "valid": t.valid_at(now)}
                    for t, u in uow.users.tokens()]

    def revoke_token(self, token_id: int) -> None:
        with self.uow() as uow:
            token = uow.users.token(token_id)
            if token is None:
                raise NotFound(f"There is no token {token_id}.")
            token.revoke(self.clock())
            uow.commit()

    def end_sessions(self, user_id: int) -> None:
        """Log-out: every session cookie this user was given stops working (a copied one too)."""
        with self.uow() as uow:
            user = uow.users.user(user_id)
            if user is not None:
                user.end_sessions()
                uow.commit()
